"""The `sources` and `pull` commands, for scheduled use (cron, Task Scheduler) and scripts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.errors import UserError
from app.secrets import SecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_many
from app.sources.registry import ADAPTERS
from app.sources.repository import SourceNotFound
from app.text import plural

SECRET_ENV = "CRISISDESK_SECRET"
MAX_INTERVAL = 1440  # as the Sources window allows


class SourcesCommandError(UserError):
    """Shown as one line by the command line's error handler."""


def configure_sources(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add a source")
    add.add_argument("kind", choices=sorted(ADAPTERS))
    add.add_argument("--name", required=True)
    add.add_argument("--query", default="", help="what to search for")
    add.add_argument("--url", help="feed or endpoint address (rss, json)")
    add.add_argument("--base-url", default="", help="another instance, a mirror or a test server")
    add.add_argument("--tag", help="Mastodon hashtag, without #")
    add.add_argument("--handle", help="Bluesky handle")
    add.add_argument("--client-id", help="Reddit script app's client id")
    add.add_argument("--subreddit", help="Reddit: search one subreddit only")
    add.add_argument("--items", help="JSON: dotted path to the list of items")
    add.add_argument("--map", action="append", default=[], metavar="FIELD=PATH")
    add.add_argument("--header", help="JSON: header that carries the token (default Authorization)")
    add.add_argument("--interval", type=int, default=15, help="minutes between pulls (default 15)")
    listing = sub.add_parser("list", help="list sources and their health")
    listing.add_argument("--json", action="store_true")
    remove = sub.add_parser("remove", help="remove a source and its stored secret")
    remove.add_argument("name")
    sub.add_parser("pause", help="pause all pulls (e.g. working offline)")
    sub.add_parser("resume", help="resume pulls")
    pull = sub.add_parser("pull", help="same as 'crisisdesk pull'")
    configure_pull(pull)


def configure_pull(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", help="the source to pull")
    p.add_argument("--all", action="store_true", help="pull every source that is switched on")
    p.add_argument("--json", action="store_true")


def _secret_for(kind: str, secrets: SecretStore) -> str | None:
    adapter = ADAPTERS[kind]
    if not adapter.secret_label:
        return None
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    optional = "optional" in adapter.secret_label.lower() or kind == "mastodon"
    if sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(f"{adapter.secret_label}{' (Enter to skip)' if optional else ''}: ")
        return value or None
    if optional:
        return None
    raise SourcesCommandError(
        f"{adapter.label} needs its {adapter.secret_label.lower()}: type it when asked, or set "
        f"{SECRET_ENV} for this command."
    )


def _add(store, args, secrets: SecretStore) -> int:
    mapping = {}
    for pair in args.map:
        field_name, sep, path = pair.partition("=")
        if not sep or not field_name or not path:
            raise SourcesCommandError(f"--map takes FIELD=PATH, not '{pair}'.")
        mapping[field_name.strip()] = path.strip()
    options = {
        key: value
        for key, value in {
            "url": args.url,
            "tag": args.tag,
            "handle": args.handle,
            "client_id": args.client_id,
            "subreddit": args.subreddit,
            "items": args.items,
            "header": args.header,
        }.items()
        if value
    }
    if mapping:
        options["map"] = mapping
    settings = SourceSettings(args.name, args.kind, args.query, args.base_url, options)
    adapter = ADAPTERS[args.kind]
    problems = adapter.validate(settings)
    if adapter.secret_required:  # say so before asking for the password
        problems += adapter.insecure_secret_problems(settings)
    if problems:
        raise SourcesCommandError(" ".join(problems))
    if not 1 <= args.interval <= MAX_INTERVAL:
        raise SourcesCommandError(f"--interval is in minutes, from 1 to {MAX_INTERVAL} (a day).")
    secret = _secret_for(args.kind, secrets)
    if (
        secret
        and not adapter.secret_required
        and (problems := adapter.insecure_secret_problems(settings))
    ):
        raise SourcesCommandError(" ".join(problems))
    try:
        source = store.sources.add(settings, args.interval)
    except ValueError as exc:
        raise SourcesCommandError(str(exc)) from None
    if secret:
        secrets.set(source.secret_name, secret)
    print(f"Added {ADAPTERS[args.kind].label} source '{args.name}'.")
    if secret and not secrets.persistent:
        print(f"No keyring here: the secret was not stored. Set {SECRET_ENV} when you pull.")
    return 0


def _list(store, args) -> int:
    sources = store.sources.all()
    if args.json:
        import json

        json.dump(
            {
                "paused": store.sources.paused(),
                "sources": [
                    {
                        "name": s.name,
                        "kind": s.kind,
                        "query": s.query,
                        "enabled": s.enabled,
                        "interval_minutes": s.interval_minutes,
                        "health": s.health(),
                        "last_success_at": s.last_success_at,
                        "last_error": s.last_error or None,
                        "items_pulled": s.items_pulled,
                        "next_pull_at": s.next_pull_at,
                    }
                    for s in sources
                ],
            },
            sys.stdout,
            indent=2,
            ensure_ascii=False,
        )
        print()
        return 0
    if not sources:
        print("No sources yet. Add one with 'crisisdesk sources add KIND --name NAME ...'.")
    if store.sources.paused():
        print("Pulls are paused ('crisisdesk sources resume' starts them again).")
    for s in sources:
        print(f"{s.name:<24} {ADAPTERS[s.kind].label:<20} {s.health()}")
    return 0


def run_sources(store, args, secrets: SecretStore) -> int:
    try:
        if args.action == "add":
            return _add(store, args, secrets)
        if args.action == "list":
            return _list(store, args)
        if args.action == "remove":
            return _remove(store, args, secrets)
        if args.action in ("pause", "resume"):
            store.sources.set_paused(args.action == "pause")
            print("Pulls paused." if args.action == "pause" else "Pulls resumed.")
            return 0
        return run_pull(store, args, secrets)
    except SourceNotFound as exc:
        raise SourcesCommandError(str(exc)) from None


def _remove(store, args, secrets: SecretStore) -> int:
    """Exit 0 either way (the source is gone); when the keyring cannot be reached the output
    says so, and how to remove the secret by hand, instead of claiming it was removed."""
    source = store.sources.get(args.name)
    store.sources.remove(source.id)
    if not ADAPTERS[source.kind].secret_label:
        print(f"Removed '{args.name}'. Its mentions stay in the inbox.")
        return 0
    if secrets.delete(source.secret_name):
        print(f"Removed '{args.name}' and its stored secret. Its mentions stay in the inbox.")
        return 0
    print(f"Removed '{args.name}'. Its mentions stay in the inbox.")
    print(
        f"Warning: the keyring could not be reached, so its password or token may still be "
        f"stored there: remove the entry '{source.secret_name}' of '{secrets.service}' with "
        f"your keyring app, or run: keyring del '{secrets.service}' '{source.secret_name}'"
    )
    return 0


class _EnvironmentSecrets(SecretStore):
    """CRISISDESK_SECRET, when set, answers for the one source being pulled that takes a
    secret (a machine without a keyring, or a one-off run with another password); every other
    source asks the keyring, so the secret never reaches another source's service."""

    def __init__(self, service: str, names: set[str]):
        super().__init__(service)
        self.names = names

    def get(self, name: str) -> str | None:
        if name in self.names:
            return os.environ.get(SECRET_ENV) or super().get(name)
        return super().get(name)


def run_pull(store, args, secrets: SecretStore) -> int:
    if bool(args.name) == bool(args.all):
        raise SourcesCommandError("Name one source to pull, or use --all.")
    try:
        chosen = (
            [s for s in store.sources.all() if s.enabled]
            if args.all
            else [store.sources.get(args.name)]
        )
    except SourceNotFound as exc:
        raise SourcesCommandError(str(exc)) from None
    names = [s.name for s in chosen]
    if os.environ.get(SECRET_ENV) and not isinstance(secrets, _EnvironmentSecrets):
        takers = [s for s in chosen if ADAPTERS[s.kind].secret_label]
        if len(takers) > 1:
            raise SourcesCommandError(
                f"{SECRET_ENV} holds one password or token, but {len(takers)} of these sources "
                "take one; pull them one at a time by name."
            )
        secrets = _EnvironmentSecrets(secrets.service, {s.secret_name for s in takers})
    outcomes = pull_many(store, names, secrets)
    if args.json:
        import json

        json.dump({"results": [o.as_dict() for o in outcomes]}, sys.stdout, indent=2)
        print()
    else:
        for o in outcomes:
            if o.skipped:
                print(f"{o.name}: skipped — {o.skipped}.")
            elif o.error:
                print(f"{o.name}: failed — {o.error}")
            else:
                unread = f", {plural(o.rejected, 'unreadable item')} skipped" if o.rejected else ""
                print(f"{o.name}: {o.new} new, {o.duplicates} already in the inbox{unread}.")
    failed = [o.name for o in outcomes if o.error]
    if failed:  # after every other source was pulled; cron mails this line
        more = f" and {len(failed) - 10} more" if len(failed) > 10 else ""
        named = ", ".join(failed[:10]) + more
        raise SourcesCommandError(
            f"{len(failed)} of {plural(len(outcomes), 'source')} could not be pulled: {named}; "
            "'crisisdesk sources list' shows why."
        )
    return 0

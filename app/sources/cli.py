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

SECRET_ENV = "CRISISDESK_SECRET"


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
    problems = ADAPTERS[args.kind].validate(settings)
    if problems:
        raise SourcesCommandError(" ".join(problems))
    if args.interval < 1:
        raise SourcesCommandError("--interval is in minutes and must be at least 1.")
    secret = _secret_for(args.kind, secrets)
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
    sources = store.sources.list()
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
            source = store.sources.get(args.name)
            store.sources.remove(source.id)
            secrets.delete(source.secret_name)
            print(f"Removed '{args.name}' and its stored secret. Its mentions stay in the inbox.")
            return 0
        if args.action in ("pause", "resume"):
            store.sources.set_paused(args.action == "pause")
            print("Pulls paused." if args.action == "pause" else "Pulls resumed.")
            return 0
        return run_pull(store, args, secrets)
    except SourceNotFound as exc:
        raise SourcesCommandError(str(exc)) from None


class _EnvironmentSecrets(SecretStore):
    """CRISISDESK_SECRET, when set, answers for the source being pulled (a machine without a
    keyring, or a one-off run with another password); otherwise the keyring does."""

    def get(self, name: str) -> str | None:
        return os.environ.get(SECRET_ENV) or super().get(name)


def run_pull(store, args, secrets: SecretStore) -> int:
    if bool(args.name) == bool(args.all):
        raise SourcesCommandError("Name one source to pull, or use --all.")
    try:
        names = (
            [s.name for s in store.sources.list() if s.enabled]
            if args.all
            else [store.sources.get(args.name).name]
        )
    except SourceNotFound as exc:
        raise SourcesCommandError(str(exc)) from None
    if os.environ.get(SECRET_ENV) and not isinstance(secrets, _EnvironmentSecrets):
        secrets = _EnvironmentSecrets(secrets.service)
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
                print(f"{o.name}: {o.new} new, {o.duplicates} already in the inbox.")
    return 1 if any(o.error for o in outcomes) else 0

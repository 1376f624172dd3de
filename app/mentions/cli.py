"""The mentions' commands: `import mentions`, `imports list|undo`, `search`, `spikes`, `watch`
and `clusters`."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.console import end_progress, print_json, progress_printer
from app.errors import UserError
from app.mentions.detection.clusters import MIN_ACCOUNTS, export_cluster, find_clusters
from app.mentions.detection.explanation import explain
from app.mentions.detection.model import Setting, parse_window
from app.mentions.detection.windows import find_episodes
from app.mentions.importers import MentionImportError, import_mentions, parse_map_options
from app.mentions.model import Mention, MentionFilter
from app.mentions.search import QueryError, describe, parse_query
from app.mentions.sentiment import score_pending
from app.text import plural
from app.timeutil import to_iso

if TYPE_CHECKING:
    from app.store import Store


def import_mentions_command(store: Store, args: argparse.Namespace) -> int:
    try:
        result = import_mentions(
            store,
            Path(args.file),
            fmt=args.format,
            mapping=parse_map_options(args.map),
            source=args.source,
            undated=args.undated,
            progress=progress_printer("mentions"),
        )
    except MentionImportError as exc:
        end_progress()
        raise UserError(f"{args.file}: {exc}") from None
    end_progress()
    if not args.no_sentiment:
        score_pending(store)
    store.detection.forget_baselines()  # the history changed under the alarm's baseline
    for alert in store.detection.recheck():
        if not args.json:
            print(f"Alert: {alert.title}")
    if args.json:
        print_json(result.to_json())
        return 0
    print(
        f"{result.summary()} (import {result.batch_id}; undo: crisisdesk imports undo "
        f"{result.batch_id})"
    )
    for note in result.notes:
        print(f"  {note}")
    for rejected in result.rejected[:50]:
        print(f"  rejected {rejected}")
    if result.rejected_count > 50:
        print(f"  … and {result.rejected_count - 50:,} more (use --json to see them all)")
    return 0


# --- imports: the history of imports and pulls, and undo --------------------------------


def configure_imports(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "undo"), help="list the imports, or undo one")
    p.add_argument("id", nargs="?", type=int, help="undo: the import's number")
    p.add_argument("--json", action="store_true", help="print one JSON document")


def run_imports(store: Store, args: argparse.Namespace) -> int:
    if args.action == "list":
        if args.id is not None:
            raise UserError("'imports list' takes no number; 'imports undo ID' undoes one.")
        batches = store.batches.all()
        if args.json:
            print_json({"imports": [b.to_json() for b in batches]})
            return 0
        if not batches:
            print("No imports or pulls yet.")
        for b in batches:
            when = b.started_at.astimezone()
            counts = (
                f"{plural(b.imported, 'new mention')}, {b.duplicates:,} already there, "
                f"{b.rejected:,} rejected"
            )
            undone = ""
            if b.undone_at is not None:
                undone = f"  — undone {b.undone_at.astimezone():%Y-%m-%d %H:%M}: "
                undone += f"{plural(b.undo_removed, 'mention')} removed"
                if b.undo_kept:
                    undone += f", {len(b.undo_kept):,} kept"
            print(
                f"{b.id:>5}  {when:%Y-%m-%d %H:%M}  {b.kind:<6} {b.label[:40]:<40} {counts}{undone}"
            )
        return 0
    if args.id is None:
        raise UserError(
            "Say which import to undo: 'crisisdesk imports undo ID' (see 'imports list')."
        )
    result = store.batches.undo(args.id)
    if args.json:
        print_json(result.to_json())
        return 0
    print(result.summary())
    for mention_id, text in result.kept:
        print(f"  kept {mention_id}: {' '.join(text.split())[:80]}")
    return 0


def mention_json(mention: Mention) -> dict:
    return {
        "id": mention.id,
        "source": mention.source,
        "author_name": mention.author_name,
        "author_handle": mention.author_handle,
        "text": mention.text,
        "url": mention.url,
        "posted_at": to_iso(mention.posted_at),
        "sentiment": mention.sentiment,
        "status": mention.status,
        "tags": mention.tags,
        "severity": mention.severity,
    }


# --- search -------------------------------------------------------------------------------


def configure_search(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "query",
        metavar="QUERY",
        help="e.g. 'sick -refund source:x \"food poisoning\"'; words that begin with - are "
        "part of it (after -- so is everything)",
    )
    p.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    p.add_argument("--json", action="store_true", help="print one JSON document")


# search's own options, and whether each takes a value; every other word is the query.
_SEARCH_OPTIONS = {"--limit": True, "--db": True, "--json": False, "-h": False, "--help": False}
_GLOBAL_OPTIONS = {"--db": True, "--version": False, "-h": False, "--help": False}


def search_argv(argv: list[str]) -> list[str]:
    """`crisisdesk search -refund sick`: argparse would take -refund for an option. The words
    after `search` that are not its own options become one QUERY (everything after -- too)."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):  # options before the command
        name = argv[index].split("=", 1)[0]
        index += 2 if _GLOBAL_OPTIONS.get(name) and "=" not in argv[index] else 1
    if index >= len(argv) or argv[index] != "search":
        return argv
    own: list[str] = []
    query: list[str] = []
    rest = iter(argv[index + 1 :])
    for word in rest:
        name = word.split("=", 1)[0]
        if word == "--":
            query.extend(rest)
        elif name in _SEARCH_OPTIONS:
            own.append(word)
            if _SEARCH_OPTIONS[name] and "=" not in word:
                own.append(next(rest, ""))
        else:
            query.append(word)
    return [*argv[: index + 1], *own, *(["--", " ".join(query)] if query else [])]


def run_search(store: Store, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UserError(f"--limit must be 0 or more (0 prints only the count), not {args.limit}.")
    try:
        flt = MentionFilter(args.query)
        total = store.mentions.count(flt)
        # More than there are is all of them (and a huge number would not fit in SQLite).
        found = store.mentions.page(flt, 0, min(args.limit, total), total)
    except QueryError as exc:
        raise UserError(str(exc)) from None
    means = describe(parse_query(args.query))
    if args.json:
        print_json(
            {
                "query": args.query,
                "means": means,
                "total": total,
                "mentions": [mention_json(m) for m in found],
            }
        )
        return 0
    print(f"{total:,} mentions match {means}.")
    for m in found:
        local = m.posted_at.astimezone()
        text = " ".join(m.text.split())
        print(f"{local:%Y-%m-%d %H:%M}  {m.source:<14} {m.author[:28]:<28} {text[:80]}")
    return 0


# --- spikes -------------------------------------------------------------------------------


def _since(text: str | None) -> timedelta | None:
    """ "24h", "7d", "90m" -> a timedelta; None for None."""
    if text is None:
        return None
    value = text.strip().lower()
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    if len(value) < 2 or value[-1] not in units or not value[:-1].isdigit():
        raise UserError(f"--since is a span like 30m, 24h, 7d or 2w, not “{text}”.")
    return timedelta(**{units[value[-1]]: int(value[:-1])})


def configure_spikes(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--window",
        metavar="15m|30m|60m",
        help="the shortest rolling window watched (the longer ones always are); default: the "
        "workspace's setting (15m unless changed)",
    )
    p.add_argument("--sensitivity", choices=("sensitive", "balanced", "strict"))
    p.add_argument("--since", metavar="SPAN", help="only spikes in the last SPAN, e.g. 7d")
    p.add_argument("--explain", action="store_true", help="say why each spike happened")
    p.add_argument("--json", action="store_true", help="print one JSON document")


def run_spikes(store: Store, args: argparse.Namespace) -> int:
    score_pending(store)  # the negative volume needs every mention scored
    chosen = store.detection.setting()
    try:
        window = parse_window(args.window) if args.window else chosen.window
    except ValueError as exc:
        raise UserError(f"--window: {exc}.") from None
    setting = Setting(args.sensitivity or chosen.sensitivity, window)
    now = store.clock()
    span = _since(args.since)
    episodes = find_episodes(store.mentions, setting, now - span if span else None, now=now)
    why = {id(e): explain(store.mentions, e.start, e.end) for e in episodes if args.explain}
    if args.json:
        print_json(
            {
                "sensitivity": setting.sensitivity,
                "window_minutes": setting.window,
                "spikes": [
                    e.to_json() | ({"why": why[id(e)].to_json()} if args.explain else {})
                    for e in episodes
                ],
            }
        )
        return 0
    if not episodes:
        print(f"No spikes ({setting.describe()}).")
    for episode in episodes:
        print(f"{episode.headline(now)} ({episode.explanation()})")
        start, end = episode.start.astimezone(), episode.end.astimezone()
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %H:%M}"
        state = "" if episode.over else " so far, still going"
        print(
            f"  {start:%a %d %b %H:%M} to {until}: {episode.count:,} mentions{state}, "
            f"{episode.negative_share:.0%} negative ({episode.kind})"
        )
        if args.explain:
            for sentence in why[id(episode)].sentences():
                print(f"  {sentence}")
    return 0


# --- watch queries ------------------------------------------------------------------------


def configure_watch(p: argparse.ArgumentParser) -> None:
    verbs = p.add_subparsers(dest="verb", metavar="list|add|remove", required=True)
    listing = verbs.add_parser("list", help="the watch queries, with new matches and alerts")
    listing.add_argument("--json", action="store_true", help="print one JSON document")
    add = verbs.add_parser("add", help="watch a search (and alert on its first new match)")
    add.add_argument("name", metavar="NAME", help="a short name, e.g. 'Food safety'")
    add.add_argument("query", metavar="QUERY", help="the search, e.g. '\"food poisoning\" OR sick'")
    add.add_argument("--no-alert", action="store_true", help="count new matches, never alert")
    add.add_argument(
        "--cooldown", metavar="SPAN", default="60m", help="quiet after an alert (default 60m)"
    )
    remove = verbs.add_parser("remove", help="stop watching (the mentions stay)")
    remove.add_argument("name", metavar="NAME", help="its name or number")


def run_watch(store: Store, args: argparse.Namespace) -> int:
    if args.verb == "add":
        cooldown = _since(args.cooldown)
        assert cooldown is not None
        try:
            watch_id = store.watches.save(
                args.name,
                args.query,
                alert=not args.no_alert,
                cooldown_minutes=int(cooldown.total_seconds() // 60),
            )
        except QueryError as exc:
            raise UserError(str(exc)) from None
        store.watches.mark_seen(watch_id)
        alerting = "" if args.no_alert else f"; it alerts at most every {args.cooldown}"
        print(f"Watching “{args.name.strip()}” (number {watch_id}){alerting}.")
        return 0
    if args.verb == "remove":
        found = store.watches.find(args.name)
        if found is None:
            raise UserError(f"There is no watch query “{args.name}”; see 'crisisdesk watch list'.")
        store.watches.delete(found.id)
        print(f"No longer watching “{found.name}”; its mentions stay in the inbox.")
        return 0
    watches = store.watches.all()
    if args.json:
        print_json(
            {
                "watches": [
                    {
                        "id": w.id,
                        "name": w.name,
                        "query": w.query,
                        "new": w.unread,
                        "alert": w.alert,
                        "cooldown_minutes": w.cooldown_minutes,
                        "last_alert": to_iso(w.alerted_at) if w.alerted_at else None,
                        "playbook": w.playbook or None,
                    }
                    for w in watches
                ]
            }
        )
        return 0
    if not watches:
        print("No watch queries yet: crisisdesk watch add NAME QUERY")
    for w in watches:
        alert = f"alerts, every {w.cooldown_minutes} min at most" if w.alert else "no alerts"
        print(f"{w.id:>3}  {w.name:<22} {w.unread:>6,} new  {alert:<30} {w.query}")
    return 0


# --- coordinated posts ----------------------------------------------------------------------


def configure_clusters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", metavar="SPAN", default="24h", help="look back this far (24h)")
    p.add_argument("--min-accounts", type=int, default=MIN_ACCOUNTS, metavar="N",
                   help=f"accounts a cluster needs at least (default {MIN_ACCOUNTS})")  # fmt: skip
    p.add_argument("--export", type=int, metavar="N", help="write cluster N as CSV (with -o)")
    p.add_argument("-o", "--output", metavar="FILE.csv", help="where --export writes")
    p.add_argument("--json", action="store_true", help="print one JSON document")


def run_clusters(store: Store, args: argparse.Namespace) -> int:
    span = _since(args.since)
    assert span is not None
    if args.min_accounts < 2:
        raise UserError("--min-accounts must be 2 or more.")
    if (args.export is None) != (args.output is None):
        raise UserError("Use --export N together with -o FILE.csv.")
    now = store.clock()
    clusters = find_clusters(store.mentions, now - span, now, min_accounts=args.min_accounts)
    if args.export is not None:
        chosen = next((c for c in clusters if c.number == args.export), None)
        if chosen is None:
            raise UserError(
                f"There is no cluster {args.export} in the last {args.since} "
                f"({len(clusters)} found); see 'crisisdesk clusters --since {args.since}'."
            )
        export_cluster(chosen, Path(args.output))
        print(f"Wrote cluster {chosen.number} ({chosen.headline()}) to {args.output}")
        return 0
    if args.json:
        print_json({"since": to_iso(now - span), "clusters": [c.to_json() for c in clusters]})
        return 0
    if not clusters:
        print(
            f"No near-identical posts from {args.min_accounts} or more accounts in the last "
            f"{args.since}."
        )
    for c in clusters:
        signals = f" ({'; '.join(c.signals())})" if c.signals() else ""
        print(f"{c.number:>3}. {c.headline()}{signals}")
        print(f"     “{c.text[:100]}”")
    return 0

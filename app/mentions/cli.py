"""The mentions' commands: `import mentions`, `imports list|undo`, `search` and `spikes`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.console import end_progress, print_json, progress_printer
from app.errors import UserError
from app.mentions.importers import MentionImportError, import_mentions, parse_map_options
from app.mentions.model import Mention, MentionFilter
from app.mentions.search import QueryError, describe, parse_query
from app.mentions.sentiment import score_pending
from app.mentions.spikes import current_sensitivity, find_spikes
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


def configure_spikes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--sensitivity", choices=("sensitive", "balanced", "strict"))


def run_spikes(store: Store, args: argparse.Namespace) -> int:
    score_pending(store)  # the negative volume needs every mention scored
    sensitivity = args.sensitivity or current_sensitivity(store.settings)
    spikes = find_spikes(store, sensitivity)
    if args.json:
        print_json({"sensitivity": sensitivity, "spikes": [s.to_json() for s in spikes]})
        return 0
    if not spikes:
        print(f"No spikes ({sensitivity} sensitivity).")
    for spike in spikes:
        print(f"{spike.headline()} ({spike.explanation()})")
        start, end = spike.start.astimezone(), spike.end.astimezone()
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %H:%M}"
        print(
            f"  {start:%a %d %b %H:%M} to {until}: "
            f"{spike.count:,} mentions, {spike.negative_share:.0%} negative ({spike.kind})"
        )
    return 0

"""The real-files table: every real file in tests/fixtures (written by other programs, see
SOURCES.md) through the importers, counted independently of them.

    python -m benchmarks.real_files [--by-file]

For each file: what is in it (cards counted by BEGIN:VCARD, feed items by <item>/<entry>, CSV
records by Python's csv module, NDJSON items by the json module), how many came in, how many
were rejected or skipped rightly (a card with nothing to call or write to; a row in the file
twice), and how many were lost or damaged: not accounted for, or holding U+FFFD or C1 control
characters the file does not, or (exports) text that is not the file's own bytes in the encoding
the import chose.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tempfile
from pathlib import Path

import feedparser

from app.contacts.importing import import_contacts_file, parse_contacts_file
from app.imports.encoding import decode
from app.mentions.importers import import_mentions
from app.sources.base import read_items
from app.sources.rss import entry_to_mention, feed_document
from app.store import open_store

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
_BAD = re.compile("[\ufffd\x80-\x9f]")


def bad(text: str) -> bool:
    return bool(_BAD.search(text or ""))


def vcards(store, path: Path) -> tuple[int, int, int, int]:
    text, _decision = decode(path.read_bytes())
    cards = text.upper().count("BEGIN:VCARD")
    parsed = parse_contacts_file(path)
    damaged = sum(bad(" ".join([c.name, c.organisation, c.notes])) for _w, c in parsed.contacts)
    preview = import_contacts_file(store.contacts, path)
    in_file = [d for d in preview.duplicates if "earlier in this file" in d[2]]
    imported = len(preview.new) + len(preview.duplicates) - len(in_file)  # once each
    rejected = len(preview.rejected) + len(in_file)
    return cards, imported, rejected, damaged + (cards - imported - rejected)


def feed(path: Path) -> tuple[int, int, int, int]:
    data = path.read_bytes()
    text, _decision = decode(data)
    items = len(re.findall(r"<(item|entry)[\s>]", text))
    content, headers = feed_document(data, {"Content-Type": "text/xml"})
    parsed = feedparser.parse(content, response_headers=headers)
    mentions, rejected = read_items(parsed.entries, lambda e: entry_to_mention(e, "feed"))
    damaged = sum(bad(m.text) for m in mentions)
    return items, len(mentions), rejected, damaged + (items - len(mentions) - rejected)


def export_rows(path: Path) -> int:
    data = path.read_bytes()
    if path.suffix == ".jsonl":
        count = 0
        for line in data.decode("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                count += len(item["data"]) if "data" in item and "text" not in item else 1
        return count
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("latin-1"), newline=""))) - 1


def export(store, path: Path) -> tuple[int, int, int, int]:
    rows = export_rows(path)
    result = import_mentions(store, path)
    raw = path.read_bytes()
    damaged = 0
    for row in store.db.execute("SELECT text FROM mentions WHERE batch_id = ?", [result.batch_id]):
        text = row[0]
        mine = text.encode(result.encoding.replace("-sig", ""), errors="replace")
        if path.suffix == ".jsonl":
            found = json.dumps(text, ensure_ascii=False)[1:-1].encode() in raw or mine in raw
            found = found or json.dumps(text)[1:-1].encode() in raw
        else:
            found = mine in raw or mine.replace(b'"', b'""') in raw
        damaged += (not found) or (bad(text) and not bad(raw.decode(result.encoding, "replace")))
    accounted = result.imported + result.rejected_count + result.duplicates
    return (
        rows,
        result.imported,
        result.rejected_count + result.duplicates,
        damaged + (rows - accounted),
    )


def main() -> int:
    by_file = "--by-file" in sys.argv
    table: dict[str, list[int]] = {}
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, pattern, run in (
            ("vCard address books", "vcard/*.vcf", "vcard"),
            ("RSS/Atom feeds", "feeds/*", "feed"),
            ("exports (CSV, NDJSON)", "exports/*", "export"),
        ):
            totals = table.setdefault(kind, [0, 0, 0, 0, 0])
            for path in sorted(FIXTURES.glob(pattern)):
                with open_store(Path(tmp) / f"{path.name}.db") as store:
                    if run == "vcard":
                        counts = vcards(store, path)
                    elif run == "feed":
                        counts = feed(path)
                    else:
                        counts = export(store, path)
                totals[0] += 1
                for i, n in enumerate(counts):
                    totals[i + 1] += n
                lines.append(f"| {path.name} | " + " | ".join(f"{n:,}" for n in counts) + " |")
    print("| real files tried | rows or cards in | imported | rejected rightly | lost or damaged |")
    print("|---|---:|---:|---:|---:|")
    for kind, (files, rows, imported, rejected, lost) in table.items():
        print(f"| {files} {kind} | {rows:,} | {imported:,} | {rejected:,} | {lost} |")
    files, rows, imported, rejected, lost = (sum(v[i] for v in table.values()) for i in range(5))
    print(
        f"| **{files} files** | **{rows:,}** | **{imported:,}** | **{rejected:,}** | **{lost}** |"
    )
    if by_file:
        print("\n| file | in | imported | rejected rightly | lost or damaged |")
        print("|---|---:|---:|---:|---:|")
        print("\n".join(lines))
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

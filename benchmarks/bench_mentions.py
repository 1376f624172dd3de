"""The mention inbox at viral scale: import, sentiment, search, opening the Inbox, memory.

On a generated CSV of BENCH_MENTIONS rows (default 1,000,000), each beside a baseline measured
in the same run:
- import (FTS index, dedupe, raw payload kept; before sentiment) against plain `sqlite3`
  `executemany` of the same rows into the same table with the same FTS trigger, and against
  `sqlite-utils insert --csv` of the same file (a bare table: no FTS, no dedupe);
- sentiment scoring rate with both cores;
- search latency p50/p95 for typical queries (count + first page, as the Inbox asks);
- opening the Inbox page on all of it and jumping to the last row, and the app's peak memory.
Targets: import >= 0.5x plain sqlite3; search p95 < 50 ms; open + jump < 300 ms; < 400 MB.
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.mentions.model import MentionFilter
from app.mentions.sentiment import score_pending
from app.store import open_store
from benchmarks.words import BAKERY_WORDS
from ui.models.mentions import COUNT_CAP

WORDS = [
    *BAKERY_WORDS,
    "expensive",
    "cheap",
    "warm",
    "cold",
    "best",
    "worst",
    "again",
    "never",
    "always",
    "shop",
    "town",
    "riverside",
]
NETWORKS = ["x", "instagram", "tiktok", "facebook-group", "reddit", "google-reviews", "news"]
QUERIES = [
    "sick",
    '"food poisoning"',
    "sick OR ill -refund",
    "croissant* source:x",
    "from:user123",
    "source:tiktok sentiment:negative",
    "status:new last:24h",
    "hygiene -staff after:2026-11-18",
]

INBOX_CHILD = r"""
import os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from app.store import open_store
from ui.models.mentions import COUNT_CAP
from ui import theme
app = QApplication([])
theme.apply_theme(app, "light")
store = open_store(sys.argv[1])
from ui.pages.inbox import InboxPage
start = time.perf_counter()
page = InboxPage(store, store.clock)
page.resize(1280, 800)
page.show()
app.processEvents()
opened = time.perf_counter()
page.view.setCurrentText("Everything")
page.select_row(page.model.rowCount() - 1)
app.processEvents()
jumped = time.perf_counter()
last = page.reading.mention
assert last is not None
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{(opened - start) * 1000:.0f} {(jumped - opened) * 1000:.0f} {rss} {page.model.rowCount()}")
"""


def generate(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = 1_795_000_000  # mid-November 2026, in seconds
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "author", "handle", "text", "url", "network"])
        for i in range(n):
            words = " ".join(rng.choices(WORDS, k=rng.randint(6, 28)))
            moment = time.gmtime(start + i * 518_400 // n)  # six days in all
            writer.writerow(
                [
                    f"m{i}",
                    time.strftime("%Y-%m-%dT%H:%M:%SZ", moment),
                    f"Person {i % 40000}",
                    f"user{i % 40000}",
                    f"{words} #{i}",
                    f"https://social.example/{i}",
                    NETWORKS[i % len(NETWORKS)],
                ]
            )


def baseline_sqlite(csv_path: Path, db_path: Path) -> float:
    """The same rows into the same (migrated) table and trigger, with nothing else."""
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    fetched = "2026-11-24T00:00:00+00:00"
    start = time.perf_counter()
    with open(csv_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = (
            (net, ext, "id:" + ext, name, handle_, None, text, url, "", date, fetched, None)
            for ext, date, name, handle_, text, url, net in reader
        )
        with conn:
            conn.executemany(
                "INSERT INTO mentions (source, external_id, dedupe_key, author_name, "
                "author_handle, author_followers, text, url, language, posted_at, fetched_at, "
                "raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def baseline_sqlite_utils(csv_path: Path, db_path: Path) -> float:
    tool = Path(sys.executable).with_name("sqlite-utils")
    start = time.perf_counter()
    subprocess.run(
        [str(tool), "insert", str(db_path), "mentions", str(csv_path), "--csv"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def ours(csv_path: Path, db_path: Path) -> tuple[float, dict, int]:
    open_store(db_path).close()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db_path), "import", "mentions", str(csv_path),
         "--no-sentiment", "--json"],
        check=True,
        capture_output=True,
        text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, json.loads(result.stdout), peak_kb


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run() -> None:
    n = int(os.environ.get("BENCH_MENTIONS", "1000000"))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        csv_path = folder / "mentions.csv"
        start = time.perf_counter()
        generate(csv_path, n)
        size_mb = csv_path.stat().st_size / 1e6
        took = time.perf_counter() - start
        print(f"{n:,} mentions, {size_mb:.0f} MB of CSV (generated in {took:.0f} s)")

        plain = baseline_sqlite(csv_path, folder / "plain.db")
        tool = baseline_sqlite_utils(csv_path, folder / "tool.db")
        measured, summary, import_kb = ours(csv_path, folder / "ours.db")
        assert summary["imported"] == n, summary
        print("import (FTS + dedupe + raw kept, before sentiment)")
        print(f"  plain sqlite3 executemany   {n / plain:10,.0f} rows/s (baseline)")
        print(f"  sqlite-utils insert --csv   {n / tool:10,.0f} rows/s (bare table, no FTS)")
        print(
            f"  crisisdesk import mentions  {n / measured:10,.0f} rows/s = "
            f"{plain / measured:.2f}x plain sqlite3, {tool / measured:.2f}x sqlite-utils "
            f"(target >= 0.5x); peak memory {import_kb / 1024:.0f} MB"
        )

        with open_store(folder / "ours.db") as store:
            start = time.perf_counter()
            scored = score_pending(store, workers=os.cpu_count() or 2)
            rate = scored / (time.perf_counter() - start)
            print(f"sentiment: {rate:,.0f} texts/s with {os.cpu_count()} processes ({scored:,})")

            samples: dict[str, list[float]] = {q: [] for q in QUERIES}
            for _ in range(7):
                for query in QUERIES:
                    begin = time.perf_counter()
                    flt = MentionFilter(query)
                    found = store.mentions.count(flt, cap=COUNT_CAP)  # as the Inbox asks
                    store.mentions.page(flt, 0, 200, min(found, COUNT_CAP), found <= COUNT_CAP)
                    samples[query].append((time.perf_counter() - begin) * 1000)
            every = [s for values in samples.values() for s in values]
            print(
                f"search (count to {COUNT_CAP:,}, first page of 200): "
                f"p50 {percentile(every, 0.5):.1f} ms, "
                f"p95 {percentile(every, 0.95):.1f} ms (target p95 < 50 ms)"
            )
            for query, values in samples.items():
                print(f"  {query:<34} median {statistics.median(values):7.1f} ms")

        # Twice: the first time reads the indexes from disk (a cold start after the import),
        # the second finds them in the operating system's cache, as on any later opening.
        for label in ("first opening", "next opening"):
            child = subprocess.run(
                [sys.executable, "-c", INBOX_CHILD, str(folder / "ours.db")],
                capture_output=True,
                text=True,
                check=True,
            )
            open_ms, jump_ms, rss_kb, rows = child.stdout.split()
            print(
                f"Inbox on {int(rows):,} mentions, {label}: open {open_ms} ms, jump to the last "
                f"row {jump_ms} ms (target open + jump < 300 ms); app peak memory "
                f"{int(rss_kb) / 1024:.0f} MB (target < 400 MB)"
            )

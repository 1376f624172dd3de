"""Opening a workspace: `open_store` (checks + pragmas + migrations) against a bare sqlite3 open.

The checks that refuse bad files must stay cheap, also on a large workspace.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from app.store import open_store


def _median_ms(fn, repeat: int = 30) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "bench.db"
        with open_store(path) as store, store.db.atomic():
            store.db["settings"].insert_all(
                ({"key": f"k{i}", "value": "x" * 200} for i in range(200_000)), batch_size=5000
            )
        size_mb = path.stat().st_size / 1e6

        def bare():
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA journal_mode").fetchone()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.close()

        def ours():
            open_store(path).close()

        baseline, measured = _median_ms(bare), _median_ms(ours)
        print(f"workspace of {size_mb:.0f} MB")
        print(f"  bare sqlite3 open        {baseline:8.2f} ms (baseline)")
        print(
            f"  open_store (checked)     {measured:8.2f} ms  = {measured / baseline:.1f}x baseline"
        )

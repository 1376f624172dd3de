"""One sync round on a large shared workspace, as a ratio to a plain backup of it.

A workspace of BENCH_MENTIONS mentions (1,000,000 by default) is shared; then 1,000 local
changes are made (500 new mentions, 500 triaged) and one round (`crisisdesk sync`: find the
changes against the snapshot, seal and write them, update the snapshot) is timed against a
backup of the same workspace with SQLite's online backup API, measured in the same run.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.backup import backup_workspace
from app.mentions.model import NewMention
from app.store import open_store

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "tart",
    "custard",
    "shop",
    "riverside",
    "ill",
    "sick",
    "refund",
    "fridge",
    "staff",
    "great",
    "lovely",
    "queue",
]


def _environment(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["CRISISDESK_DATA_DIR"] = str(scratch / "data")
    if not env.get("CRISISDESK_REAL_KEYRING"):
        env["PYTHON_KEYRING_BACKEND"] = "tests.sharing.file_keyring.FileKeyring"
        env["CRISISDESK_TEST_KEYRING"] = str(scratch / "keyring.json")
    return env


def _cli(scratch: Path, db: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=_environment(scratch),
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr)
    return elapsed


def run() -> None:
    total = int(os.environ.get("BENCH_MENTIONS", "1000000"))
    rng = random.Random(7)
    start_at = datetime(2026, 10, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        db, folder = scratch / "big.db", scratch / "shared"
        folder.mkdir()
        with open_store(db) as store:
            store.mentions.add_many(
                NewMention(
                    source="bench",
                    text=" ".join(rng.choices(WORDS, k=12)) + f" {i}",
                    external_id=str(i),
                    author_handle=f"user{i % 5000}",
                    posted_at=start_at + timedelta(seconds=i * 5),
                )
                for i in range(total)
            )
        share_s = _cli(scratch, db, "share", "on", "--folder", str(folder), "--person", "Bench")
        with open_store(db) as store:  # 1,000 local changes: 500 new, 500 triaged
            store.mentions.add_many(
                NewMention(
                    source="bench",
                    text=f"new after sharing {i}",
                    external_id=f"n{i}",
                    posted_at=start_at,
                )  # fmt: skip
                for i in range(500)
            )
            for mention_id in rng.sample(range(1, total), 500):
                store.mentions.set_status([mention_id], "replied")
        round_s = _cli(scratch, db, "sync")
        start = time.perf_counter()
        backup_workspace(db, scratch / "backup.db")
        backup_s = time.perf_counter() - start
        conn = sqlite3.connect(db)
        size_mb = db.stat().st_size / 1e6
        conn.close()
        files = list((folder / "devices" / "00").iterdir())
        print(
            f"workspace: {total:,} mentions, {size_mb:,.0f} MB; turning sharing on {share_s:.1f} s"
        )
        print(f"one round with 1,000 local changes: {round_s:.2f} s (a whole process)")
        print(f"plain backup of the same workspace: {backup_s:.2f} s")
        print(f"ratio round / backup: {round_s / backup_s:.2f}×; change set "
              f"{sum(f.stat().st_size for f in files):,} bytes")  # fmt: skip

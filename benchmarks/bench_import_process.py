"""The whole `crisisdesk import mentions --no-sentiment` process against sqlite-utils on one CSV.

A generated export of BENCH_IMPORT_ROWS rows (default 200,000) as spreadsheets and listening
tools write it (ids, dates as 2/24/2015 11:35, names, handles, text with accents and emoji,
links, networks). Timed in the same run, each as the process a user would start:
- ours: `crisisdesk import mentions FILE --no-sentiment` into a workspace `crisisdesk init` made
  before the clock starts: encoding decided on every byte, columns by name and by content, dates
  read in the file's own order, dedupe, raw row kept, FTS index by trigger, one import batch;
- baseline: `sqlite-utils insert DB mentions FILE --csv` then `sqlite-utils enable-fts DB
  mentions text --create-triggers` (a bare table of text, an FTS index on one column).
The figure is the baseline's time over ours: at or above 1.0x means ours is as fast while doing
more. Each is run BENCH_IMPORT_REPEAT times (default 3), the best of each kept.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.words import BAKERY_WORDS

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "200000"))
REPEAT = int(os.environ.get("BENCH_IMPORT_REPEAT", "3"))
WORDS = [
    *BAKERY_WORDS,
    *["café", "crème", "brûlée", "déjà", "vu", "señor", "Muñoz", "Grüße"],
    *["😃", "🥐", "#fail", "#bakery", "@hearthcrumb"],
]
NETWORKS = ["twitter", "facebook", "instagram", "tiktok", "news", "reddit"]


def make_csv(path: Path, rows: int) -> None:
    rng = random.Random(14)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Tweet Id", "Date", "Author", "Username", "Text", "Url", "Network"])
        for i in range(rows):
            ident = 1_500_000_000_000_000_000 + i * 7919
            day = 1 + i % 28
            date = f"{1 + i % 12}/{day}/2026 {i % 24}:{i % 60:02d}"
            text = " ".join(rng.choices(WORDS, k=rng.randint(6, 30)))
            user = f"user{rng.randint(1, rows // 3)}"
            writer.writerow(
                [ident, date, f"User {user[4:]}", user, text, f"https://x.example/{ident}",
                 NETWORKS[i % len(NETWORKS)]]
            )  # fmt: skip


def timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def ours(csv_path: Path, folder: Path, n: int) -> float:
    db = folder / f"ours{n}.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "init"], check=True, capture_output=True
    )
    command = [sys.executable, "-m", "app", "--db", str(db), "import", "mentions", str(csv_path)]
    return timed([*command, "--no-sentiment"], env)


def baseline(csv_path: Path, folder: Path, n: int) -> float:
    tool = str(Path(sys.executable).with_name("sqlite-utils"))
    db = str(folder / f"baseline{n}.db")
    insert = timed([tool, "insert", db, "mentions", str(csv_path), "--csv"])
    fts = timed([tool, "enable-fts", db, "mentions", "Text", "--create-triggers"])
    return insert + fts


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "export.csv"
        make_csv(csv_path, ROWS)
        size = csv_path.stat().st_size
        ours_times, base_times = [], []
        for n in range(REPEAT):  # alternated, so both see the same machine
            base_times.append(baseline(csv_path, folder, n))
            ours_times.append(ours(csv_path, folder, n))
        best_ours, best_base = min(ours_times), min(base_times)
    result = {
        "rows": ROWS,
        "megabytes": round(size / 1e6, 1),
        "ours_s": round(best_ours, 2),
        "baseline_s": round(best_base, 2),
        "ratio": round(best_base / best_ours, 2),
        "ours_all": [round(t, 2) for t in ours_times],
        "baseline_all": [round(t, 2) for t in base_times],
    }
    print(
        f"{ROWS:,} rows ({result['megabytes']} MB): crisisdesk import {best_ours:.2f} s "
        f"({ROWS / best_ours:,.0f} rows/s); sqlite-utils insert + enable-fts {best_base:.2f} s; "
        f"ratio {result['ratio']:.2f}x (target >= 1.0x)"
    )
    print(f"  every run: ours {result['ours_all']}, sqlite-utils {result['baseline_all']}")
    return result


if __name__ == "__main__":
    run()

"""Detection at scale: re-checking the windows after a pull, and explaining a spike.

In a workspace of BENCH_MENTIONS generated mentions (default 1,000,000, over 60 days, scored),
each figure beside its baseline measured in the same run:
- the live re-check (windows, watch queries, reach) after a pull of 500 mentions, against the
  pull's own time (fetch from a JSON service on 127.0.0.1, store, score); the re-check the
  scheduler makes every minute has learned the hour's baseline already, and the first re-check
  of an hour learns it (shown apart). Target: under 5% of the pull.
- explaining a spike of 5,000 mentions (rising terms against the week before, sources, authors,
  first posts). Target: under 1 s.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from app.mentions.detection.explanation import explain
from app.mentions.model import NewMention
from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source, score_new
from app.store import open_store

WORDS = (  # noqa: SIM905
    "bread coffee croissant queue staff friendly lovely pastry shop town morning sourdough cake "
    "price slow warm fresh seats music weekend"
).split()
SPIKE_WORDS = "food poisoning sick ill custard tart inspector hygiene".split()  # noqa: SIM905
NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def generate(store, n: int, rng: random.Random) -> None:
    start = NOW - timedelta(days=60)
    step = (NOW - timedelta(hours=3) - start) / n
    batch: list[NewMention] = []
    for i in range(n):
        at = start + step * i
        batch.append(
            NewMention(
                "x",
                " ".join(rng.choices(WORDS, k=rng.randint(6, 18))) + f" #{i}",
                f"m{i}",
                f"Person {i % 40000}",
                f"user{i % 40000}",
                rng.randrange(10, 5000),
                posted_at=at,
            )  # fmt: skip
        )
        if len(batch) == 50_000:
            store.mentions.add_many(batch)
            batch.clear()
    # A spike of 5,000 in the last three hours.
    for j in range(5000):
        at = NOW - timedelta(hours=3) + timedelta(seconds=rng.randrange(3 * 3600 - 600))
        words = rng.choices(SPIKE_WORDS, k=4) + rng.choices(WORDS, k=6)
        batch.append(NewMention("facebook-group", " ".join(words), f"s{j}", f"Angry {j}",
                                f"angry{j}", rng.randrange(10, 90_000), posted_at=at))  # fmt: skip
    store.mentions.add_many(batch)
    labels = ("negative", "neutral", "positive")
    with store.db.atomic():
        store.db.execute(
            "UPDATE mentions SET sentiment = CASE abs(random()) % 10 WHEN 0 THEN 'negative' "
            "WHEN 1 THEN 'positive' ELSE 'neutral' END, sentiment_score = 0"
        )
        store.db.execute(
            "UPDATE mentions SET sentiment = ? WHERE external_id LIKE 's%'", [labels[0]]
        )


class Service(BaseHTTPRequestHandler):
    items: list[dict] = []

    def do_GET(self):  # noqa: N802
        body = json.dumps({"items": Service.items}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def run() -> None:
    n = int(os.environ.get("BENCH_MENTIONS", "1000000"))
    rng = random.Random(11)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Service)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/mentions"
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "detect.db"
        clock = [NOW]
        with open_store(path, clock=lambda: clock[0]) as store:
            began = time.perf_counter()
            generate(store, n, rng)
            print(
                f"{store.mentions.total():,} mentions generated in "
                f"{time.perf_counter() - began:.0f} s"
            )
            store.sources.add(
                SourceSettings("Service", "json", options={
                    "url": url, "items": "items",
                    "map": {"text": "body", "external_id": "id", "author_handle": "handle",
                            "author_followers": "followers", "posted_at": "created"}}),
            )  # fmt: skip
            store.watches.save("Food safety", '"food poisoning" OR sick', alert=True)
            store.detection.recheck()  # the scheduler's first look learns the hour's baseline
            pulls, checks, firsts = [], [], []
            for round_ in range(7):
                clock[0] += timedelta(minutes=2)
                Service.items = [
                    {"id": f"p{round_}-{k}", "body": " ".join(rng.choices(WORDS, k=10)),
                     "handle": f"puller{k}", "followers": rng.randrange(10, 900),
                     "created": (clock[0] - timedelta(seconds=rng.randrange(600))).isoformat()}
                    for k in range(500)
                ]  # fmt: skip
                source = store.sources.get("Service")
                store.sources.record_success(source, {}, 0, clock[0] - timedelta(hours=1), "")
                began = time.perf_counter()
                outcome = pull_source(store, "Service", MemorySecretStore(), now=clock[0])
                score_new(store, [outcome])
                pulled = time.perf_counter() - began
                assert outcome.new == 500, outcome
                began = time.perf_counter()
                store.detection.recheck()
                checks.append(time.perf_counter() - began)
                pulls.append(pulled)
            for _ in range(3):
                store.detection.forget_baselines()
                clock[0] += timedelta(minutes=1)
                began = time.perf_counter()
                store.detection.recheck()
                firsts.append(time.perf_counter() - began)
            pull_ms, check_ms = statistics.median(pulls) * 1000, statistics.median(checks) * 1000
            print(
                f"re-check after a pull of 500: {check_ms:.1f} ms = {check_ms / pull_ms:.1%} of "
                f"the pull's {pull_ms:.0f} ms (fetch, store, score; target < 5%); median of 7"
            )
            first_ms = statistics.median(firsts) * 1000
            print(
                f"  the first re-check of an hour (learns its baseline from a week of hourly "
                f"counts): {first_ms:.0f} ms = {first_ms / pull_ms:.0%} of the pull"
            )
            spike = [e for e in store.detection.episodes() if not e.over]
            start, end = (spike[-1].start, spike[-1].end) if spike else (
                NOW - timedelta(hours=3), NOW)  # fmt: skip
            times = []
            for _ in range(3):
                began = time.perf_counter()
                why = explain(store.mentions, start, end)
                times.append(time.perf_counter() - began)
            print(
                f"explaining a spike of {why.count:,} mentions: {statistics.median(times):.2f} s "
                f"(target < 1 s): {why.text()[:110]}…"
            )
    server.shutdown()

"""Exporting a debrief at crisis scale: an incident with 100,000 attached mentions and 2,000
timeline events, against writing the plan binder PDF in the same run (the baseline).

The export gathers the report's data (metrics over every mention, the timeline) and lays out
the PDF; BENCH_DEBRIEF_MENTIONS sets a smaller size for a quick run.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.mentions.model import NewMention
from app.plan.model import template_plan
from app.reports.content import debrief_html
from app.store import open_store

EVENTS = 2_000


def build(path: Path, mentions: int) -> int:
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    rng = random.Random(7)
    start = now - timedelta(days=3)
    with open_store(path, clock=lambda: now) as store:
        store.plan.save(template_plan(), "Started from the template plan")
        items = (
            NewMention(
                "bench",
                f"mention {i} about the bakery {rng.random():.6f}",
                f"id{i}",
                posted_at=start + timedelta(seconds=rng.randrange(3 * 24 * 3600)),
            )
            for i in range(mentions)
        )
        result = store.mentions.add_many(items)
        labels = [
            ("negative" if rng.random() < 0.4 else "neutral", 0.0, mention_id)
            for mention_id in result.added_ids
        ]
        store.mentions.set_sentiments(labels)
        incident = store.incidents.declare(
            "Benchmark incident", 3, declared_at=start + timedelta(hours=30)
        )
        store.incidents.attach_mentions(incident.id, result.added_ids)
        with store.db.atomic():
            for i in range(EVENTS - 3):
                store.db["incident_events"].insert(
                    {
                        "incident_id": incident.id,
                        "kind": "note",
                        "text": f"Note {i}: checked",
                        "at": (start + timedelta(hours=30, minutes=i)).isoformat(),
                        "data": "{}",
                    }
                )
        store.incidents.set_status(incident.id, "resolved")
        debrief = store.debriefs.start(store.incidents.get(incident.id))
        return debrief.id


def run() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.pdf import ensure_gui_application, write_debrief, write_plan_binder

    ensure_gui_application()
    mentions = int(os.environ.get("BENCH_DEBRIEF_MENTIONS", "100000"))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        debrief_id = build(folder / "w.db", mentions)
        with open_store(folder / "w.db") as store:
            start = time.perf_counter()
            write_plan_binder(store, folder / "binder.pdf")
            baseline = time.perf_counter() - start
            start = time.perf_counter()
            debrief_html(store, debrief_id)
            gather = time.perf_counter() - start
            start = time.perf_counter()
            pages = write_debrief(store, debrief_id, folder / "debrief.pdf")
            total = time.perf_counter() - start
        print(f"incident with {mentions:,} mentions and {EVENTS:,} timeline events")
        print(f"  plan binder PDF             {baseline:7.2f} s (baseline)")
        print(f"  debrief data (in a worker)  {gather:7.2f} s")
        print(
            f"  debrief PDF, {pages} pages     {total:7.2f} s = {total / baseline:.1f}x the binder"
        )

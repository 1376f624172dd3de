"""The spike alarm: finds the demo's food-safety scare and stays quiet on quiet data."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from app.demo.mentions import DAY_PROFILE, poisson
from app.mentions.model import HourStat, NewMention
from app.mentions.spikes import detect, find_spikes, recent_spikes, record_spike
from app.store import open_store
from tests.conftest import FIXED_NOW


def quiet_series(days: int = 6, seed: int = 1, scale: float = 2.0) -> list[HourStat]:
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    series = []
    for hour in range(days * 24):
        moment = start + timedelta(hours=hour)
        count = poisson(rng, DAY_PROFILE[moment.hour] * scale)
        series.append(HourStat(moment, count, poisson(rng, count * 0.1)))
    return series


def test_quiet_data_has_no_spike_at_any_volume():
    for seed in range(20):
        for scale in (0.5, 2, 10, 50):
            assert detect(quiet_series(seed=seed, scale=scale), "balanced") == [], (seed, scale)
            assert detect(quiet_series(seed=seed, scale=scale), "strict") == []


def test_a_burst_is_found_and_a_small_one_only_when_sensitive():
    series = quiet_series(scale=2)
    series[100].count += 60
    series[100].negative += 50
    (spike,) = detect(series, "balanced")
    assert spike.peak_hour == series[100].hour and spike.kind == "volume and negative"
    assert spike.ratio > 3
    small = quiet_series(scale=2)
    small[100].count += 3  # 3 mentions more in a quiet hour are not a crisis
    assert detect(small, "sensitive") == []


def test_minimum_count_holds_even_from_zero():
    series = [
        HourStat(datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=h), 0, 0) for h in range(96)
    ]
    series[80].count = 9
    assert detect(series, "balanced") == []
    series[80].count = 30
    assert len(detect(series, "balanced")) == 1


def test_the_demo_spike_is_found_with_its_viral_post(demo_store):
    store = demo_store
    spikes = find_spikes(store, "balanced")
    main = max(spikes, key=lambda s: s.count)
    viral = store.mentions.search("from:sophie_eats")[0]
    assert main.start <= viral.posted_at < main.end
    assert main.negative_share > 0.6 and main.ratio > 5
    assert recent_spikes(store, FIXED_NOW)  # still within the last three days
    spike_id = record_spike(store, main)
    assert store.mentions.recorded_spikes()[0]["status"] == "awaiting incident"
    assert record_spike(store, main) == spike_id  # recording again keeps one row


def test_cli_spikes_json_on_demo_and_quiet_workspace(cli, tmp_path, copy_cli_demo):
    demo = copy_cli_demo(tmp_path / "demo.db")
    result = cli("--db", str(demo), "spikes", "--json")
    document = json.loads(result.out)
    assert document["sensitivity"] == "balanced"
    assert any(s["count"] > 1000 and s["negative_share"] > 0.6 for s in document["spikes"])
    quiet = tmp_path / "quiet.db"
    with open_store(quiet) as store:
        rng = random.Random(3)
        start = datetime(2026, 11, 1, tzinfo=UTC)
        # Spread over each hour: the rolling windows would (rightly) see an hour's mentions
        # all posted in its first minutes as a burst.
        counts = [poisson(rng, DAY_PROFILE[h % 24] * 3) for h in range(6 * 24)]
        store.mentions.add_many(
            NewMention(
                source="x",
                text=f"mention {h}-{i} about the shop",
                posted_at=start + timedelta(hours=h, minutes=i * 60 // n),
            )
            for h, n in enumerate(counts)
            for i in range(n)
        )
    result = cli("--db", str(quiet), "spikes", "--json")
    assert json.loads(result.out)["spikes"] == []

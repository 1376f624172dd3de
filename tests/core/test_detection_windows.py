"""Rolling windows: a storm is seen within minutes, quiet weeks raise nothing, and an episode
has one alarm and one all-clear however ragged its decline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.mentions.detection.model import WINDOWS, Setting
from app.mentions.detection.windows import find_episodes
from tests.core.detection_support import MONDAY, night_build, quiet_stream, store_posts, storm

STORM_AT = MONDAY + timedelta(days=17, hours=14, minutes=5)  # Thursday 19 November, 14:05


@pytest.fixture
def stormy(store):
    store_posts(store, quiet_stream(days=19, end=STORM_AT + timedelta(hours=12)))
    store_posts(store, storm(STORM_AT, per_minute=1.5), "s")
    return store


def test_the_quarter_hour_sees_a_storm_within_20_minutes_and_the_hour_later(stormy):
    quarter = find_episodes(stormy.mentions, Setting("balanced", 15))
    hour = find_episodes(stormy.mentions, Setting("balanced", 60))
    assert len(quarter) == 1 and len(hour) == 1
    (fast,), (slow,) = quarter, hour
    assert STORM_AT < fast.alerted_at <= STORM_AT + timedelta(minutes=20)
    assert fast.alarm_window == 15 and fast.start <= STORM_AT + timedelta(minutes=5)
    assert slow.alerted_at > fast.alerted_at and slow.alarm_window == 60
    assert slow.alerted_at < STORM_AT + timedelta(minutes=60)  # still before the clock hour
    for sensitivity in ("sensitive", "strict"):
        found = find_episodes(stormy.mentions, Setting(sensitivity, 15), since=STORM_AT)
        (episode,) = [e for e in found if e.end > STORM_AT]
        assert episode.alerted_at <= STORM_AT + timedelta(minutes=25)


def test_one_episode_one_all_clear_on_a_ragged_decline(stormy):
    (episode,) = find_episodes(stormy.mentions, Setting("balanced", 15))
    assert episode.over and episode.all_clear_at is not None
    # The storm lasted 3.5 hours and its decline dipped under the alarm six times.
    assert timedelta(hours=2) < episode.duration < timedelta(hours=5)
    assert episode.all_clear_at > episode.end
    assert episode.count > 200 and 0.6 < episode.negative_share < 0.9
    assert episode.all_clear_text().startswith("The spike is over: it lasted ")


def test_the_live_alarm_says_it_once_and_says_when_it_is_over(stormy):
    """Re-checked every five minutes as the storm comes in: one alarm, one all-clear."""
    alerts = []
    moment = STORM_AT - timedelta(hours=1)
    while moment < STORM_AT + timedelta(hours=9):
        alerts += stormy.detection.recheck(moment)
        moment += timedelta(minutes=5)
    kinds = [a.kind for a in alerts if a.kind in ("spike", "all-clear")]
    assert kinds == ["spike", "all-clear"]
    spike, clear = (a for a in alerts if a.kind in ("spike", "all-clear"))
    assert STORM_AT < spike.created_at <= STORM_AT + timedelta(minutes=20)
    assert spike.title.startswith("Mentions spiked at")
    assert "lasted" in clear.title and "negative" in clear.title
    (episode,) = stormy.detection.episodes()
    assert episode.over and episode.id == spike.episode_id == clear.episode_id
    assert episode.start == find_episodes(stormy.mentions, Setting("balanced", 15))[0].start


@pytest.mark.parametrize(
    ("seed", "scale", "weekend"), [(1, 1, 1.5), (2, 3, 0.6), (3, 10, 1.5), (4, 30, 0.8)]
)
def test_quiet_weeks_raise_no_alarm_at_any_window(store, seed, scale, weekend):
    """Daily rhythm, weekends busier or quieter, a slow upward trend: after a first week that
    teaches the weekly rhythm, no window alarms."""
    store_posts(store, quiet_stream(days=21, scale=scale, seed=seed, weekend=weekend))
    for sensitivity in ("balanced", "strict"):
        for window in WINDOWS:
            found = find_episodes(
                store.mentions, Setting(sensitivity, window), since=MONDAY + timedelta(days=8)
            )
            assert found == [], (sensitivity, window, [e.to_json() for e in found])


def test_a_slow_night_build_at_a_small_business_is_seen(store):
    """Ten angry posts an hour for four hours in the night, at a business that hears from
    about one an hour by day and none at night: no single hour shows it beyond doubt, the
    three hours do. One episode, from its first post, and it ends."""
    night = MONDAY + timedelta(days=17, hours=1)  # Thursday 19 November, 01:00
    store_posts(store, quiet_stream(days=18, scale=0.2, seed=5, end=night + timedelta(hours=8)))
    store_posts(store, night_build(night, 40), "s")
    (episode,) = find_episodes(
        store.mentions, Setting("balanced", 15), since=night - timedelta(hours=6)
    )
    assert episode.start == night
    assert episode.alerted_at <= night + timedelta(hours=3)
    assert episode.over and episode.negative_share > 0.9


def test_the_live_alarm_sees_a_slow_night_build_when_a_pull_brings_it(store):
    """Nobody looked all evening; at 03:30 a pull brings the night's posts so far (ten angry
    ones an hour since 01:00): the live re-check after it (the one after every import and
    pull) raises the alarm, and the spike starts at the first of them."""
    night = store.clock().replace(hour=1, minute=0, second=0, microsecond=0)
    at_night = store.with_clock(lambda: night + timedelta(hours=3, minutes=30))
    store_posts(store, quiet_stream(start=night - timedelta(days=18), days=18, scale=0.2,
                                    seed=5, end=night))  # fmt: skip
    at_night.detection.recheck()
    assert at_night.detection.episodes() == []
    store_posts(store, night_build(night, 35), "s")
    alerts = at_night.detection.recheck()
    assert [a.kind for a in alerts] == ["spike"]
    (episode,) = at_night.detection.episodes()
    assert episode.start == night

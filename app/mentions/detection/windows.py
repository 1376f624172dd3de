"""Rolling windows against the learned baseline, and episodes with hysteresis.

The baseline is the hourly one of `app.mentions.spikes` (the same hour on earlier days, the
last 24 hours, spike hours cleaned out), spread evenly over the minutes of its hour. At every
minute the alarm counts the mentions (and the negative mentions) of the last 15, 30 and 60
minutes and compares each count with what the baseline expects for that stretch, with the
sensitivity's three tests (a minimum count, a ratio, a Poisson z-score with a little extra
variance). A short window sees a storm that starts at 14:05 by about 14:20; the hour sees a
slow build that a quarter of an hour cannot tell from noise.

An episode opens at the first alarm and stays open, whatever the windows do, until the last
hour has looked ordinary (within `CALM_Z` of the baseline, also for negative mentions) for
`CALM_HOLD` minutes in a row: a ragged decline that dips under the alarm and comes back is one
episode with one alarm and one all-clear, never a string of them. The same code scans a stored
history (`find_episodes`) and follows the live stream minute by minute (`Tracker`, whose state
is saved between re-checks), so both find the same episodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.mentions.detection.model import (
    CALM_HOLD,
    CALM_WINDOW,
    CALM_Z,
    SLOW_WINDOW,
    WATCHED,
    Episode,
    Setting,
)
from app.mentions.repository import MentionRepository
from app.mentions.spikes import HISTORY_DAYS, SENSITIVITIES, _is_spike, _series, detect, z_score
from app.timeutil import from_iso, to_iso

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
Baselines = dict[datetime, tuple[float, float]]  # hour -> (expected, expected negative)


def floor_minute(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def learn_baselines(
    mentions: MentionRepository, first: datetime, last: datetime, sensitivity: str
) -> Baselines:
    """The hourly baseline (and negative baseline) of every hour from `first` to `last`, as
    the hourly alarm learns it from the week before; 0 while there is too little history."""
    first, last = floor_hour(first), floor_hour(last)
    series = _series(mentions, first - timedelta(days=HISTORY_DAYS + 2), last + HOUR)
    detect(series, sensitivity)
    learned = {s.hour: (s.expected, s.expected_negative) for s in series if s.hour >= first}
    hour = first
    while hour <= last:  # hours before the first mention have learned nothing
        learned.setdefault(hour, (0.0, 0.0))
        hour += HOUR
    return learned


@dataclass
class Minutes:
    """Counts and expected counts per minute from `start`, as running sums, so any window's
    numbers are two subtractions."""

    start: datetime
    count: list[int]  # count[i]: mentions in the first i minutes
    negative: list[int]
    expected: list[float]
    expected_negative: list[float]
    unlearned: list[int]  # minutes whose hour has no baseline yet

    @classmethod
    def load(
        cls,
        mentions: MentionRepository,
        start: datetime,
        end: datetime,
        baselines: Baselines,
    ) -> Minutes:
        start, end = floor_minute(start), floor_minute(end)
        return cls.build(mentions.minute_counts(to_iso(start), to_iso(end)), start, end, baselines)

    @classmethod
    def build(cls, rows, start: datetime, end: datetime, baselines: Baselines) -> Minutes:
        size = int((end - start) / MINUTE)
        per_minute = [0] * size
        negative = [0] * size
        for minute, n, neg in rows:
            index = int((from_iso(minute + ":00+00:00") - start) / MINUTE)
            if 0 <= index < size:
                per_minute[index] += n
                negative[index] += neg
        sums = cls(start, [0], [0], [0.0], [0.0], [0])
        count, neg, expected, expected_negative, unlearned = 0, 0, 0.0, 0.0, 0
        rate, rate_negative, next_hour = 0.0, 0.0, 0
        for index in range(size):
            if index == next_hour:  # the baseline changes once an hour
                moment = start + index * MINUTE
                hour = floor_hour(moment)
                rate, rate_negative = baselines.get(hour, (0.0, 0.0))
                next_hour = index + int((hour + HOUR - moment) / MINUTE)
            count += per_minute[index]
            neg += negative[index]
            expected += rate / 60
            expected_negative += rate_negative / 60
            unlearned += rate <= 0
            sums.count.append(count)
            sums.negative.append(neg)
            sums.expected.append(expected)
            sums.expected_negative.append(expected_negative)
            sums.unlearned.append(unlearned)
        return sums

    @property
    def end(self) -> datetime:
        return self.start + (len(self.count) - 1) * MINUTE

    def index(self, moment: datetime) -> int:
        return int((moment - self.start) / MINUTE)

    def window(self, i: int, minutes: int) -> Reading | None:
        """The `minutes` before boundary i; None while the baseline is still learning."""
        j = i - minutes
        if j < 0 or self.unlearned[i] - self.unlearned[j]:
            return None
        return Reading(
            minutes,
            self.count[i] - self.count[j],
            self.negative[i] - self.negative[j],
            self.expected[i] - self.expected[j],
            self.expected_negative[i] - self.expected_negative[j],
        )

    def first_post(self, start: datetime, end: datetime) -> datetime:
        """The minute of the first mention from `start` to `end` (`start` when there is none)."""
        i, j = max(self.index(start), 0), min(self.index(end), len(self.count) - 1)
        for k in range(i, j):
            if self.count[k + 1] > self.count[k]:
                return self.start + k * MINUTE
        return start

    def between(self, start: datetime, end: datetime) -> tuple[int, int, float] | None:
        i, j = self.index(start), self.index(end)
        if i < 0 or j >= len(self.count):
            return None
        return (
            self.count[j] - self.count[i],
            self.negative[j] - self.negative[i],
            self.expected[j] - self.expected[i],
        )


@dataclass(frozen=True)
class Reading:
    minutes: int
    count: int
    negative: int
    expected: float
    expected_negative: float

    def alarms(self, level) -> tuple[bool, bool]:
        return (
            window_alarm(self.count, self.expected, level, self.minutes),
            window_alarm(self.negative, self.expected_negative, level, self.minutes),
        )

    def calm(self) -> bool:
        return (
            z_score(self.count, max(self.expected, 0.01)) <= CALM_Z
            and z_score(self.negative, max(self.expected_negative, 0.01)) <= CALM_Z
        )

    def z(self) -> float:
        return max(
            z_score(self.count, max(self.expected, 0.01)),
            z_score(self.negative, max(self.expected_negative, 0.01)),
        )


# A window looked at every minute is many more looks than one per clock hour, and a short
# window's few mentions have a long Poisson tail: each window asks for a little more.
WINDOW_Z = {15: 1.0, 30: 0.5, 60: 0.25, 180: 0.25}


def window_alarm(count: int, expected: float, level, minutes: int) -> bool:
    """The hourly alarm's three tests (minimum count, ratio, z-score), with the z-score raised
    for the window, and the Poisson chance of so many mentions at least as small as that
    z-score promises (for a handful of mentions the normal curve is too kind)."""
    if not _is_spike(count, expected, level):
        return False
    wanted = level.z + WINDOW_Z.get(minutes, 0.0)
    if z_score(count, expected) < wanted:
        return False
    return poisson_tail(count, max(expected, 0.01)) <= 0.5 * math.erfc(wanted / math.sqrt(2))


def poisson_tail(count: int, expected: float) -> float:
    """P(X >= count) for X ~ Poisson(expected), summed in logs from `count` up."""
    if count <= expected:
        return 1.0
    log_term = -expected + count * math.log(expected) - math.lgamma(count + 1)
    total, term, k = 0.0, math.exp(log_term), count
    while term > total * 1e-12 and k < count + 10_000:
        total += term
        k += 1
        term *= expected / k
    return min(total, 1.0)


def _iso(moment: datetime | None) -> str | None:
    return to_iso(moment) if moment is not None else None


def _time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


class Tracker:
    """Follows the windows minute by minute and says when an episode starts and ends. Its
    state is a small dict, saved between live re-checks."""

    def __init__(self, setting: Setting, state: dict | None = None, watch_slow: bool = True):
        self.setting = setting
        self.watch_slow = watch_slow  # a live re-check looks at three hours only when needed
        self.level = SENSITIVITIES[setting.sensitivity]
        self.open: dict | None = (state or {}).get("open")
        # When the last episode ended: the slow window may not raise a new alarm while it still
        # holds that episode's own posts (it would call the same storm twice).
        self.last_ended: datetime | None = _time((state or {}).get("last_ended"))

    def state(self) -> dict:
        return {"open": self.open, "last_ended": _iso(self.last_ended)}

    def step(self, minutes: Minutes, i: int) -> list[tuple[str, dict]]:
        """Look at boundary i; returns ("alarm", episode) and ("all-clear", episode) events."""
        at = minutes.start + i * MINUTE
        alarmed: list[tuple[Reading, bool, bool]] = []
        readings = []
        for size in self.setting.windows:
            if size == SLOW_WINDOW and not self.watch_slow:
                continue
            reading = minutes.window(i, size)
            if reading is None:
                continue
            readings.append(reading)
            volume, negative = reading.alarms(self.level)
            holds_the_last = (
                size == SLOW_WINDOW
                and self.last_ended is not None
                and at - size * MINUTE < self.last_ended
            )
            if (volume or negative) and not (self.open is None and holds_the_last):
                alarmed.append((reading, volume, negative))
        events: list[tuple[str, dict]] = []
        if self.open is None:
            if not alarmed:
                return events
            first = min(alarmed, key=lambda a: a[0].minutes)[0]
            start = at - first.minutes * MINUTE
            if first.minutes == SLOW_WINDOW:  # a slow build: it began with its first post,
                # not three hours before the alarm (its counts from there on)
                start = minutes.first_post(start, at)
                counted = minutes.between(start, at)
                if counted is not None:
                    count, negative_count, expected = counted
                    first = Reading(first.minutes, count, negative_count, expected, 0.0)
            self.open = {
                "start": to_iso(start),
                "alerted_at": to_iso(at),
                "alarm_window": first.minutes,
                "volume": False,
                "negative": False,
                "last_alarm": to_iso(at),
                "calm_since": None,
                "peak": None,
                "count": first.count,
                "negative_count": first.negative,
                "expected": first.expected,
                "checked": to_iso(at),
            }
            events.append(("alarm", self.open))
        else:  # the minute just passed joins the episode's counts
            last = minutes.window(i, 1)
            if last is not None:
                self.open["count"] += last.count
                self.open["negative_count"] += last.negative
                self.open["expected"] += last.expected
            self.open["checked"] = to_iso(at)
        episode = self.open
        for _reading, volume, negative in alarmed:
            episode["volume"] |= volume
            episode["negative"] |= negative
        for reading in readings:
            peak = episode["peak"]
            if reading.count and (peak is None or reading.z() > peak["z"]):
                episode["peak"] = {
                    "at": to_iso(at),
                    "window": reading.minutes,
                    "count": reading.count,
                    "expected": reading.expected,
                    "z": reading.z(),
                }
        # The slow window raises an alarm but does not hold an episode open: three hours after
        # a storm it still holds the storm, while the hour has long been calm.
        if any(reading.minutes != SLOW_WINDOW for reading, _v, _n in alarmed):
            episode["last_alarm"] = to_iso(at)
            episode["calm_since"] = None
            return events
        calm = minutes.window(i, CALM_WINDOW)
        if calm is None or not calm.calm():
            episode["calm_since"] = None
            return events
        if episode["calm_since"] is None:
            episode["calm_since"] = to_iso(at)
        if at - from_iso(episode["calm_since"]) >= CALM_HOLD * MINUTE:
            ended = max(
                from_iso(episode["last_alarm"]),
                from_iso(episode["calm_since"]) - CALM_WINDOW * MINUTE,
            )
            episode["ended_at"] = to_iso(ended)
            episode["all_clear_at"] = to_iso(at)
            events.append(("all-clear", episode))
            self.open = None
            self.last_ended = ended
        return events


def episode_from(state: dict, setting: Setting, counts=None) -> Episode:
    """An `Episode` from a tracker's episode state; `counts(start, end)` gives the exact
    (count, negative, expected) of a finished one."""
    start = from_iso(state["start"])
    over = state.get("all_clear_at") is not None
    end = from_iso(state["ended_at"]) if over else from_iso(state["checked"])
    count, negative, expected = state["count"], state["negative_count"], state["expected"]
    if over and counts is not None:
        exact = counts(start, end)
        if exact is not None:
            count, negative, expected = exact
    peak = state.get("peak") or {
        "at": state["alerted_at"],
        "window": state["alarm_window"],
        "count": count,
        "expected": expected,
    }
    volume, negative_kind = state.get("volume"), state.get("negative")
    kind = (
        "volume and negative"
        if volume and negative_kind
        else "negative"
        if negative_kind
        else "volume"
    )
    return Episode(
        start=start,
        alerted_at=from_iso(state["alerted_at"]),
        end=end,
        over=over,
        all_clear_at=_time(state.get("all_clear_at")),
        sensitivity=setting.sensitivity,
        window=setting.window,
        alarm_window=state["alarm_window"],
        kind=kind,
        count=count,
        negative=negative,
        expected=expected,
        peak_at=from_iso(peak["at"]),
        peak_window=peak["window"],
        peak_count=peak["count"],
        peak_expected=peak["expected"],
        id=state.get("id"),
    )


def run(
    tracker: Tracker, minutes: Minutes, first: datetime, last: datetime
) -> Iterable[tuple[str, dict]]:
    """Step the tracker over every minute boundary from `first` to `last` (both included)."""
    i, j = minutes.index(floor_minute(first)), minutes.index(floor_minute(last))
    for index in range(max(i, 0), min(j, len(minutes.count) - 1) + 1):
        yield from tracker.step(minutes, index)


def find_episodes(
    mentions: MentionRepository,
    setting: Setting,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Episode]:
    """Every episode in the stored mentions from `since` to `until` (the whole history by
    default, up to a day after the newest mention, when a last episode has had time to end)."""
    bounds = mentions.posted_range()
    if bounds is None:
        return []
    first_posted, last_posted = bounds
    start = floor_minute(max(since, first_posted) if since else first_posted)
    end = floor_minute(
        min(until or last_posted + timedelta(days=1), last_posted + timedelta(days=1))
    )
    if now is not None:
        end = min(end, floor_minute(now))
    if end <= start:
        return []
    load_from = start - max(WATCHED) * MINUTE
    baselines = learn_baselines(mentions, load_from, end, setting.sensitivity)
    minutes = Minutes.load(mentions, load_from, end, baselines)
    tracker = Tracker(setting)
    episodes: list[Episode] = []
    for kind, state in run(tracker, minutes, start, end):
        if kind == "all-clear":
            episodes.append(episode_from(state, setting, minutes.between))
    if tracker.open is not None:
        episodes.append(episode_from(tracker.open, setting))
    return episodes


def scan_settings(
    mentions: MentionRepository, settings: list[Setting], since: datetime, until: datetime
) -> dict[Setting, list[Episode]]:
    """`find_episodes` for several settings at once: the minutes are read once, the baseline
    once per sensitivity."""
    start, end = floor_minute(since), floor_minute(until)
    load_from = start - max(WATCHED) * MINUTE
    rows = mentions.minute_counts(to_iso(load_from), to_iso(end))
    found: dict[Setting, list[Episode]] = {}
    for sensitivity in dict.fromkeys(s.sensitivity for s in settings):
        baselines = learn_baselines(mentions, load_from, end, sensitivity)
        minutes = Minutes.build(rows, load_from, end, baselines)
        for setting in (s for s in settings if s.sensitivity == sensitivity):
            tracker = Tracker(setting)
            episodes = [
                episode_from(state, setting, minutes.between)
                for kind, state in run(tracker, minutes, start, end)
                if kind == "all-clear"
            ]
            if tracker.open is not None:
                episodes.append(episode_from(tracker.open, setting))
            found[setting] = episodes
    return found

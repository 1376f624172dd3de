"""The spike alarm: is this hour's volume (or its negative volume) far above what is usual?

For each hour the baseline is learned from the preceding days: the median of the same hour
(with its neighbours) on up to the 7 days before (mentions follow the clock: quiet nights, busy
lunchtimes), the same hour a week before (busy Saturdays), and the mean of the 24 hours before,
whichever is highest, so a quiet night after a busy day is not a spike. The negative baseline
is the past week's negative share of that baseline. An hour is a spike when all three hold,
at the chosen sensitivity:

- the count is at least `min_count` (3 mentions in a quiet hour are not a crisis),
- it is at least `ratio` times the baseline ("mentions doubled"),
- its z-score, (count - baseline) / sqrt(baseline + 0.02 baseline²), is at least `z`
  (Poisson, with a little extra variance for bursty data and an estimated baseline).

Hours flagged as spikes enter later baselines at their baseline value, so a long crisis does
not teach the alarm that a crisis is normal. The first two days only teach the baseline and
never alarm. Consecutive spike hours are one spike.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from app.business.repository import SettingsRepository
from app.mentions.model import HourStat
from app.mentions.repository import MentionRepository
from app.timeutil import to_iso

if TYPE_CHECKING:
    from app.mentions.detection.model import Episode
    from app.store import Store


@dataclass(frozen=True)
class Sensitivity:
    z: float
    ratio: float
    min_count: int


SENSITIVITIES: dict[str, Sensitivity] = {
    "sensitive": Sensitivity(z=3.5, ratio=1.5, min_count=5),
    "balanced": Sensitivity(z=5.0, ratio=2.0, min_count=10),
    "strict": Sensitivity(z=7.0, ratio=3.0, min_count=25),
}
DEFAULT_SENSITIVITY = "balanced"
SETTING_KEY = "spike_sensitivity"
HISTORY_DAYS = 7
MIN_HISTORY_HOURS = 48
OVERDISPERSION = 0.02


@dataclass
class Spike:
    start: datetime  # first hour, UTC
    end: datetime  # end of the last hour
    peak_hour: datetime
    peak_count: int
    peak_expected: float
    count: int
    expected: float
    negative: int
    kind: str  # "volume", "negative" or "volume and negative"
    sensitivity: str
    hours: list[HourStat] = field(default_factory=list, repr=False)

    @property
    def ratio(self) -> float:
        return self.peak_count / max(self.peak_expected, 1.0)

    @property
    def negative_share(self) -> float:
        return self.negative / self.count if self.count else 0.0

    def headline(self, now: datetime | None = None, tz=None) -> str:
        local = self.peak_hour.astimezone(tz)
        today = now is not None and local.date() == now.astimezone(tz).date()
        when = f"{local:%H:%M}" if today else f"{local:%H:%M} on {local:%a %d %b}"
        return f"Mentions spiked at {when} — {self.ratio:.0f}× the usual"

    def explanation(self) -> str:
        return f"{self.peak_count} in an hour, about {self.peak_expected:.0f} expected"

    def to_json(self) -> dict:
        return {
            "start": to_iso(self.start),
            "end": to_iso(self.end),
            "peak_hour": to_iso(self.peak_hour),
            "peak_count": self.peak_count,
            "peak_expected": round(self.peak_expected, 1),
            "ratio": round(self.ratio, 1),
            "count": self.count,
            "expected": round(self.expected, 1),
            "negative": self.negative,
            "negative_share": round(self.negative_share, 3),
            "kind": self.kind,
            "sensitivity": self.sensitivity,
        }


def _hour(text: str) -> datetime:
    return datetime.fromisoformat(text + ":00:00").replace(tzinfo=UTC)


def _series(
    mentions: MentionRepository, since: datetime | None = None, until: datetime | None = None
) -> list[HourStat]:
    """Every hour from the first mention (or `since`) to the last (or `until`), zeros included;
    hours before the first mention teach the baseline nothing."""
    rows = mentions.hourly_counts(
        to_iso(since) if since else None, to_iso(until) if until else None
    )
    if not rows:
        return []
    first = min(_hour(h) for h, _n, _neg in rows)
    last = max(_hour(h) for h, _n, _neg in rows)
    if until is not None:
        last = max(last, (until - timedelta(seconds=1)).astimezone(UTC).replace(
            minute=0, second=0, microsecond=0
        ))  # fmt: skip
    return mentions.hourly_series(first, last + timedelta(hours=1))


def _baseline(clean: list[float], index: int, raw: list[float] | None = None) -> float:
    same_hour = []  # the same hour (and its neighbours, to smooth the noise) on earlier days
    for day in range(1, HISTORY_DAYS + 1):
        centre = index - 24 * day
        if centre - 1 >= 0:
            same_hour.append(sum(clean[centre - 1 : centre + 2]) / 3)
    recent = clean[max(0, index - 24) : index]
    seasonal = statistics.median(same_hour) if same_hour else 0.0
    # The same hour a week ago: a bakery's Saturday morning is busier than its weekdays, and
    # the median of the last seven days (five of them weekdays) would call every Saturday a
    # spike. As counted (a first busy Saturday may itself have been taken for a spike), but at
    # most twice the daily rhythm, so last week's crisis does not blind this week's hour.
    week = index - 24 * 7
    weekly = sum((raw or clean)[week - 1 : week + 2]) / 3 if week - 1 >= 0 else 0.0
    weekly = min(weekly, 2 * seasonal)
    return max(seasonal, weekly, sum(recent) / len(recent) if recent else 0.0, 1.0)


def _is_spike(count: int, expected: float, level: Sensitivity) -> bool:
    if count < level.min_count or count < level.ratio * expected:
        return False
    return z_score(count, expected) >= level.z


def z_score(count: float, expected: float) -> float:
    """Poisson z-score, with a little extra variance (mentions come in bursts, and the
    baseline itself is an estimate), so ordinary noise in a busy hour is not an alarm."""
    return (count - expected) / math.sqrt(expected + OVERDISPERSION * expected**2)


def detect(series: list[HourStat], sensitivity: str = DEFAULT_SENSITIVITY) -> list[Spike]:
    """Mark each hour of `series` and return the spikes, oldest first."""
    level = SENSITIVITIES[sensitivity]
    clean_all: list[float] = []
    raw_all: list[float] = []
    clean_negative: list[float] = []
    window = HISTORY_DAYS * 24
    for index, stat in enumerate(series):
        if index >= MIN_HISTORY_HOURS:
            stat.expected = _baseline(clean_all, index, raw_all)
            # The usual negative share over the past week, applied to the usual volume: far
            # steadier than the few negative mentions of one hour on a few earlier days.
            total = sum(clean_all[max(0, index - window) : index])
            negative = sum(clean_negative[max(0, index - window) : index])
            share = negative / total if total else 0.0
            stat.expected_negative = max(share * stat.expected, 1.0)
            stat.volume_spike = _is_spike(stat.count, stat.expected, level)
            stat.negative_spike = _is_spike(stat.negative, stat.expected_negative, level)
        clean_all.append(stat.expected if stat.volume_spike else float(stat.count))
        raw_all.append(float(stat.count))
        clean_negative.append(
            stat.expected_negative if stat.negative_spike else float(stat.negative)
        )
    spikes: list[Spike] = []
    run: list[HourStat] = []
    ends: list[HourStat | None] = [*series, None]
    for hour in ends:
        if hour is not None and hour.spike:
            run.append(hour)
            continue
        if run:
            spikes.append(_spike(run, sensitivity))
            run = []
    return spikes


def _spike(run: list[HourStat], sensitivity: str) -> Spike:
    peak = max(run, key=lambda s: (s.count / max(s.expected, 1.0), s.count))
    volume = any(s.volume_spike for s in run)
    negative = any(s.negative_spike for s in run)
    kind = "volume and negative" if volume and negative else "volume" if volume else "negative"
    return Spike(
        start=run[0].hour,
        end=run[-1].hour + timedelta(hours=1),
        peak_hour=peak.hour,
        peak_count=peak.count,
        peak_expected=peak.expected,
        count=sum(s.count for s in run),
        expected=sum(s.expected for s in run),
        negative=sum(s.negative for s in run),
        kind=kind,
        sensitivity=sensitivity,
        hours=run,
    )


def current_sensitivity(settings: SettingsRepository) -> str:
    chosen = settings.get(SETTING_KEY, DEFAULT_SENSITIVITY)
    return chosen if chosen in SENSITIVITIES else DEFAULT_SENSITIVITY


def find_spikes(
    store: Store,
    sensitivity: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Spike]:
    """Spikes over the stored mentions (from `since`, with a week before it for the baseline)."""
    return spikes_between(
        store.mentions, sensitivity or current_sensitivity(store.settings), since, until
    )


def spikes_between(
    mentions: MentionRepository,
    sensitivity: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Spike]:
    """`find_spikes` for a repository that has the mentions but not the whole store."""
    start = since - timedelta(days=HISTORY_DAYS + 1) if since else None
    spikes = detect(_series(mentions, start, until), sensitivity)
    return [s for s in spikes if since is None or s.end > since]


def recent_spikes(store: Store, now: datetime, hours: int = 72) -> list[Spike]:
    """Spikes that ended within the last `hours`, for the banner and "what needs you now"."""
    return [s for s in overview(store, now).spikes if s.end > now - timedelta(hours=hours)]


def record_spike(store: Store, spike: Spike | Episode, status: str = "awaiting incident") -> int:
    """Keep a spike the owner acted on ("Declare incident" before the incident room exists)."""
    store.mentions.record_spike(
        hour_start=to_iso(spike.start),
        hour_end=to_iso(spike.end),
        peak_hour=to_iso(spike.peak_hour),
        count=spike.count,
        expected=spike.expected,
        negative=spike.negative,
        kind=spike.kind,
        sensitivity=spike.sensitivity,
        status=status,
    )
    return store.mentions.spike_id(to_iso(spike.start), spike.kind)


@dataclass
class Overview:
    """What the chart and the spike banner show, from one pass over the hourly counts."""

    hours: list[HourStat]  # the last days, spike hours marked
    spikes: list[Spike]  # every spike in that stretch


def overview(
    store: Store, now: datetime, days: int = 7, sensitivity: str | None = None
) -> Overview:
    """The last `days` of hourly counts with spikes marked. Ends now, or at the newest
    mention when everything is older (an import of last month's export)."""
    latest = store.mentions.latest_posted()
    if latest is None:
        return Overview([], [])
    end = min(now, latest + timedelta(hours=1)).astimezone(UTC)
    end = end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    since = end - timedelta(days=days)
    series = _series(store.mentions, since - timedelta(days=HISTORY_DAYS + 1), end)
    spikes = detect(series, sensitivity or current_sensitivity(store.settings))
    return Overview([s for s in series if s.hour >= since], [s for s in spikes if s.end > since])

"""What detection is made of: the alarm's settings, an episode (one spike, from its alarm to its
all-clear), an alert the owner is told about, and the numbers of a window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.mentions.spikes import DEFAULT_SENSITIVITY, SENSITIVITIES
from app.text import plural
from app.timeutil import format_duration, to_iso

WINDOWS = (15, 30, 60)  # minutes: the rolling windows the owner can choose as the shortest
# Always watched as well: a slow build over three hours (ten angry posts an hour all night at a
# bakery that hears from one an hour) that no single hour shows beyond doubt.
SLOW_WINDOW = 180
WATCHED = (*WINDOWS, SLOW_WINDOW)
# A live re-check reads the three hours only when the last hour stands out this much (a slow
# build's hour does, by far; an ordinary hour does not, and the re-check stays cheap).
SLOW_HINT_Z = 3.0
DEFAULT_WINDOW = 15
WINDOW_KEY = "spike_window"  # workspace setting beside spikes.SETTING_KEY (the sensitivity)
# The all-clear: the last CALM_WINDOW minutes look ordinary (volume and negative volume within
# CALM_Z of the baseline), and stay so for CALM_HOLD minutes in a row.
CALM_WINDOW = 60
CALM_Z = 1.0
CALM_HOLD = 30
# How far back a live re-check looks when it starts afresh, or when mentions arrive late.
LOOKBACK = timedelta(hours=72)
# Reach alerts: an author with at least this many followers, or a news source.
REACH_KEY = "reach_followers"
DEFAULT_REACH_FOLLOWERS = 10_000
NEWS_WORDS = ("news", "press")  # a source whose name says it is news ("news", "rss:BBC News")
NOT_NEWS_WORDS = ("hacker",)  # Hacker News is a forum


@dataclass(frozen=True)
class Setting:
    """The alarm as the owner chose it: how big a jump, and the shortest window watched (the
    longer windows are always watched too: a slow build shows in the hour before it shows in
    a quarter of an hour)."""

    sensitivity: str = DEFAULT_SENSITIVITY
    window: int = DEFAULT_WINDOW

    def __post_init__(self):
        if self.sensitivity not in SENSITIVITIES:
            raise ValueError(f"unknown sensitivity {self.sensitivity!r}")
        if self.window not in WINDOWS:
            raise ValueError(f"unknown window {self.window!r}")

    @property
    def windows(self) -> tuple[int, ...]:
        return tuple(w for w in WATCHED if w >= self.window)

    def describe(self) -> str:
        return f"“{self.sensitivity}” with {window_words(self.window)}"


def window_words(minutes: int) -> str:
    if minutes % 60 == 0:
        return "the hour" if minutes == 60 else f"{minutes // 60} hours"
    return f"{minutes} minutes"


def parse_window(text: str) -> int:
    """ "15m", "30", "60m", "1h" -> minutes; ValueError for anything else."""
    value = text.strip().lower().removesuffix("min").removesuffix("m")
    minutes = 60 if value in ("1h", "60") else int(value) if value.isdigit() else 0
    if minutes not in WINDOWS:
        raise ValueError(f"the window is 15m, 30m or 60m, not “{text}”")
    return minutes


@dataclass
class Episode:
    """One spike: from the start of the window that raised the alarm to the all-clear.

    It answers the same questions as an hourly `Spike` (start, end, counts, headline), so the
    banner, "Declare incident" and the recorded `spikes` work with either."""

    start: datetime  # the start of the window that first alarmed, UTC, on the minute
    alerted_at: datetime  # when the alarm went off (the end of that window)
    end: datetime  # when it was back to ordinary; while it goes on, how far it was checked
    over: bool
    all_clear_at: datetime | None
    sensitivity: str
    window: int  # the setting's shortest window
    alarm_window: int  # the window that raised the alarm
    kind: str  # "volume", "negative" or "volume and negative"
    count: int
    negative: int
    expected: float
    peak_at: datetime
    peak_window: int
    peak_count: int
    peak_expected: float
    id: int | None = None
    notes: dict = field(default_factory=dict, repr=False)

    @property
    def peak_hour(self) -> datetime:  # what an hourly Spike calls its peak
        return self.peak_at

    @property
    def ratio(self) -> float:
        return self.peak_count / max(self.peak_expected, 0.5)

    @property
    def negative_share(self) -> float:
        return self.negative / self.count if self.count else 0.0

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def headline(self, now: datetime | None = None, tz=None) -> str:
        if self.over:
            return (
                f"The spike is over: it lasted {format_duration(self.duration)}, "
                f"{plural(self.count, 'mention')}, {self.negative_share:.0%} negative"
            )
        return (
            f"Mentions spiked at {_when(self.alerted_at, now, tz)} — {self.ratio:.0f}× the usual "
            f"in {window_words(self.peak_window)}"
        )

    def explanation(self) -> str:
        usual = f"about {self.peak_expected:.0f}" if self.peak_expected >= 1 else "under 1"
        return f"{self.peak_count} in {window_words(self.peak_window)}, {usual} usual"

    def all_clear_text(self, tz=None) -> str:
        end = self.end.astimezone(tz)
        return (
            f"The spike is over: it lasted {format_duration(self.duration)}, "
            f"{plural(self.count, 'mention')}, {self.negative_share:.0%} negative "
            f"(back to ordinary since {end:%H:%M})"
        )

    def to_json(self) -> dict:
        return {
            "start": to_iso(self.start),
            "alerted_at": to_iso(self.alerted_at),
            "end": to_iso(self.end),
            "over": self.over,
            "all_clear_at": to_iso(self.all_clear_at) if self.all_clear_at else None,
            "duration_minutes": round(self.duration.total_seconds() / 60),
            "sensitivity": self.sensitivity,
            "window_minutes": self.window,
            "alarm_window_minutes": self.alarm_window,
            "kind": self.kind,
            "count": self.count,
            "negative": self.negative,
            "negative_share": round(self.negative_share, 3),
            "expected": round(self.expected, 1),
            "peak_at": to_iso(self.peak_at),
            "peak_window_minutes": self.peak_window,
            "peak_count": self.peak_count,
            "peak_expected": round(self.peak_expected, 1),
            "ratio": round(self.ratio, 1),
        }


def _when(moment: datetime, now: datetime | None, tz) -> str:
    local = moment.astimezone(tz)
    today = now is not None and local.date() == now.astimezone(tz).date()
    return f"{local:%H:%M}" if today else f"{local:%H:%M} on {local:%a %d %b}"


@dataclass
class Alert:
    """Something the owner is told once: on the desktop, in the banner, on the Dashboard."""

    kind: str  # "spike", "all-clear", "watch", "reach"
    created_at: datetime
    title: str
    detail: str = ""
    query: str = ""  # what "Show them" searches for in the Inbox
    episode_id: int | None = None
    watch_id: int | None = None
    mention_id: int | None = None
    id: int | None = None
    notified_at: datetime | None = None
    dismissed_at: datetime | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "created_at": to_iso(self.created_at),
            "title": self.title,
            "detail": self.detail,
            "query": self.query,
            "mention_id": self.mention_id,
        }

"""Time helpers: the store keeps UTC ISO-8601 with offset; code that needs "now" takes a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """Serialise an aware datetime as UTC ISO-8601 with offset, to the second."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one so the stored time is unambiguous")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def format_duration(delta: timedelta) -> str:
    """ "12 min", "1 h 05 min", "2 h", "2 days 3 h" — for countdowns and metrics."""
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        unit = f"{days} day{'s' if days != 1 else ''}"
        return f"{unit} {hours} h" if hours else unit
    if hours:
        return f"{hours} h {mins:02d} min" if mins else f"{hours} h"
    return f"{mins} min"

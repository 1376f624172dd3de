"""Time helpers: the store keeps UTC ISO-8601 with offset; code that needs "now" takes a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

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

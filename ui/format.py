"""Every time, date, duration, number and sentiment the window shows people, in one place.

Times are stored in UTC and shown in the computer's time zone; counts get thousands separators
("12,400"); sentiment always has a sign and a word, never colour alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.incidents.model import Incident
from app.timeutil import format_duration

SENTIMENT_WORDS = {
    "negative": "− Negative",
    "neutral": "· Neutral",
    "positive": "+ Positive",
    "language": "not scored (language)",
}


def number(count: int) -> str:
    """12400 -> "12,400"."""
    return f"{count:,}"


def counted(count: int, noun: str, plural: str = "") -> str:
    """(1, "mention") -> "1 mention"; (12400, "mention") -> "12,400 mentions"."""
    return f"{number(count)} {noun if count == 1 else plural or noun + 's'}"


def share(part: float) -> str:
    """0.42 -> "42%"."""
    return f"{part:.0%}"


def sentiment(value: str | None, unknown: str = "") -> str:
    """ "negative" -> "− Negative"; `unknown` while it is not scored yet."""
    return SENTIMENT_WORDS.get(value or "", unknown)


def duration(delta: timedelta) -> str:
    """ "12 min", "1 h 05 min", "2 days 3 h"."""
    return format_duration(delta)


def time_of_day(moment: datetime | None) -> str:
    """ "14:05" (local time)."""
    return f"{moment.astimezone():%H:%M}" if moment else ""


def time_with_seconds(moment: datetime) -> str:
    """ "14:05:09", for "Autosaved 14:05:09"."""
    return f"{moment.astimezone():%H:%M:%S}"


def short_when(moment: datetime | None) -> str:
    """ "20 Nov 14:05": a mention's time in a table row."""
    return f"{moment.astimezone():%d %b %H:%M}" if moment else ""


def when(moment: datetime | None) -> str:
    """ "Fri 20 Nov 14:05"."""
    return f"{moment.astimezone():%a %d %b %H:%M}" if moment else ""


def time_on_day(moment: datetime) -> str:
    """ "14:05 on Fri 20 Nov"."""
    return f"{moment.astimezone():%H:%M on %a %d %b}"


def date(moment: datetime | None, weekday: bool = False) -> str:
    """ "20 Nov 2026", or "Fri 20 Nov 2026"."""
    if moment is None:
        return ""
    return f"{moment.astimezone():%a %d %b %Y}" if weekday else f"{moment.astimezone():%d %b %Y}"


def date_and_time(moment: datetime) -> str:
    """ "20 Nov 2026 14:05"."""
    return f"{moment.astimezone():%d %b %Y %H:%M}"


def chart_label(moment: datetime) -> str:
    """A time axis label: the day at midnight ("Fri 20"), else the hour ("12:00")."""
    local = moment.astimezone()
    return f"{local:%a %d}" if local.hour == 0 else f"{local:%H:%M}"


def file_stamp(moment: datetime) -> str:
    """ "2026-11-20-1405", for a file name that sorts by time."""
    return f"{moment.astimezone():%Y-%m-%d-%H%M}"


def countdown(incident: Incident, now: datetime) -> tuple[str, bool]:
    """("Next update due in 12 min (14:05)", overdue?) for the room, the crisis bar and the
    notifications."""
    due_in = incident.update_due_in(now)
    if due_in is None:
        return ("No update due", False)
    if due_in.total_seconds() < 0:
        return (f"Update overdue by {duration(due_in)}", True)
    return (
        f"Next update due in {duration(due_in)} ({time_of_day(incident.next_update_due_at)})",
        False,
    )

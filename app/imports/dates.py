"""Dates and counts as exports write them."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from app.imports.reading import RowRejected, shown

MAX_COUNT = 10**12  # follower counts above this are not counts

TZ_ABBREVIATIONS = {
    name: timezone(timedelta(hours=hours))
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
        "AEST": 10, "AEDT": 11, "IST": 5.5, "JST": 9,
    }.items()
}  # fmt: skip


def parse_date(value: str, default_tz: tzinfo = UTC) -> datetime | None:
    """Dates as exports write them: ISO 8601, "Nov 20, 2026 @ 14:05", "20/11/2026 14:05",
    "Fri Nov 20 14:05:00 +0000 2026", Unix seconds or milliseconds. A time without a zone is
    taken in `default_tz` (the business's time zone)."""
    text = value.strip()
    if not text:
        return None
    moment: datetime | None = None
    if text.isdigit() and len(text) in (10, 13):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        from dateutil import parser

        cleaned = text.replace("@", " ").replace(" at ", " ")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                moment = parser.parse(cleaned, tzinfos=TZ_ABBREVIATIONS)
        except (ValueError, OverflowError, TypeError):
            raise RowRejected(f"the date “{shown(text)}” is not one I can read") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_tz)
    if not 1990 <= moment.year <= 2100:
        raise RowRejected(f"the date “{shown(text)}” is out of range")
    return moment


def parse_count(value) -> int | None:
    """Follower counts: 1234, "1,234", "1.2k", "3M"; anything else is "not known"."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        number = value
    else:
        match = re.fullmatch(r"\s*([\d.,]+)\s*([kKmM]?)\s*", str(value)[:100])
        if not match:
            return None
        try:
            number = float(match.group(1).replace(",", ""))
        except ValueError:
            return None
        number *= {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    # NaN fails both comparisons; Infinity and absurd counts (which SQLite cannot hold) fail one.
    return int(number) if 0 <= number <= MAX_COUNT else None

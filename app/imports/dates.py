"""Dates and counts as exports and spreadsheets write them.

`DateReader` reads one file's date column: ISO 8601, "24-02-2015 11.35", "2/24/2015 11:35 PM",
Excel serial numbers (42059.48), Unix seconds or milliseconds, "Nov 20, 2026 @ 14:05",
"Fri Nov 20 14:05:00 +0000 2026", zone names such as BST. Whether 05/11/2026 is the 5th of
November or May 11th is decided once per file: from its own values (a first field over 12 means
day first, a second field over 12 month first), else from the business's time zone (month
first where that is the custom: the United States, the Philippines), else month first; the
reader says which and why. A time without a zone is taken in the business's time zone.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

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

# Numbers as spreadsheets write dates: day, month and year in some order, then a time whose
# parts may be separated by dots ("11.35"), an AM/PM and a zone.
_NUMERIC = re.compile(
    r"(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})"
    r"(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,6}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_RANGE = (25569, 73051)  # 1970-01-01 .. 2100-01-01 as Excel serial days
# Time zones where dates are written month first (05/11 is May 11th).
_MONTH_FIRST_ZONES = re.compile(
    r"(America/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Adak|Boise|Detroit|"
    r"Juneau|Sitka|Metlakatla|Nome|Yakutat|Menominee|Indiana/.*|Kentucky/.*|North_Dakota/.*|"
    r"Puerto_Rico)|US/.*|Pacific/(Honolulu|Guam|Saipan)|Asia/Manila|EST5EDT|CST6CDT|MST7MDT|"
    r"PST8PDT)$"
)


def month_first_zone(zone_name: str) -> bool:
    return bool(_MONTH_FIRST_ZONES.match(zone_name or ""))


def order_evidence(values: Iterable[str]) -> tuple[int, int, str, str]:
    """(values only day-first can read, values only month-first can read, an example of each)
    among numeric dates such as 24/02/2015 or 2/24/2015."""
    day = month = 0
    day_example = month_example = ""
    for value in values:
        match = _NUMERIC.match(value.strip())
        if not match or len(match.group(1)) == 4:
            continue
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            day += 1
            day_example = day_example or value.strip()
        elif second > 12 >= first:
            month += 1
            month_example = month_example or value.strip()
    return day, month, day_example, month_example


def written_as_numbers(values: Iterable[str]) -> bool:
    """Whether dates such as 05/11/2026 (day and month in some order) are among `values`."""
    for value in values:
        match = _NUMERIC.match(value.strip())
        if match and len(match.group(1)) != 4:
            return True
    return False


def decide_order(values: Iterable[str], zone_name: str = "") -> tuple[bool, str]:
    """(day first?, the reason in words) for a file's dates."""
    day, month, day_example, month_example = order_evidence(values)
    if day and not month:
        return True, f"day first, as the file's own “{shown(day_example)}” shows"
    if month and not day:
        return False, f"month first, as the file's own “{shown(month_example)}” shows"
    if zone_name:
        if month_first_zone(zone_name):
            return False, f"month first, as is usual in your business's time zone ({zone_name})"
        return True, f"day first, as is usual in your business's time zone ({zone_name})"
    return False, "month first (no date in the file decides it, and no business time zone is set)"


def _numeric(match: re.Match, day_first: bool, default_tz: tzinfo, text: str) -> datetime:
    first, _sep, second, third = match.group(1), match.group(2), match.group(3), match.group(4)
    hour, minute, sec, fraction, ampm, zone = match.groups()[4:]
    a, b = int(first), int(second)
    if len(first) == 4:  # 2015/02/24
        year, month, day = a, b, int(third)
    else:
        year = int(third)
        if len(third) == 2:
            year += 2000 if year < 70 else 1900
        elif len(third) != 4:
            raise RowRejected(f"the date “{shown(text)}” is not one I can read")
        # The file's order, unless this value can only be read the other way.
        if day_first:
            day, month = (a, b) if b <= 12 or a > 12 else (b, a)
        else:
            month, day = (a, b) if a <= 12 or b > 12 else (b, a)
    h = int(hour or 0)
    if ampm:
        if not 1 <= h <= 12:
            raise RowRejected(f"the date “{shown(text)}” is not one I can read")
        h = h % 12 + (12 if ampm in "Pp" else 0)
    micro = int((fraction or "0").ljust(6, "0")[:6])
    tz = default_tz
    if zone:
        tz = UTC if zone in ("Z", "UTC", "GMT") else _offset(zone)
    return datetime(year, month, day, h, int(minute or 0), int(sec or 0), micro, tzinfo=tz)


@lru_cache(maxsize=64)
def _offset(zone: str) -> tzinfo:
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_date(
    value: str, default_tz: tzinfo = UTC, day_first: bool | None = None
) -> datetime | None:
    """One date as exports write it (see the module docstring); None for a blank one.
    `day_first` is the file's order (None: day first only where the value says so)."""
    text = value.strip()
    if not text:
        return None
    moment: datetime | None = None
    try:
        if text.isdigit() and len(text) in (10, 13):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            return datetime.fromtimestamp(seconds, UTC)
        if _SERIAL.match(text) and _SERIAL_RANGE[0] <= float(text) < _SERIAL_RANGE[1]:
            seconds = round(float(text) * 86400)  # a spreadsheet keeps seconds as a fraction
            moment = (_EXCEL_EPOCH + timedelta(seconds=seconds)).replace(tzinfo=default_tz)
        elif match := _NUMERIC.match(text):
            moment = _numeric(match, bool(day_first), default_tz, text)
        else:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                moment = _by_dateutil(text, bool(day_first))
    except (ValueError, OverflowError):
        raise RowRejected(f"the date “{shown(text)}” is not one I can read") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_tz)
    if not 1990 <= moment.year <= 2100:
        raise RowRejected(f"the date “{shown(text)}” is out of range")
    return moment


def _by_dateutil(text: str, day_first: bool) -> datetime:
    from dateutil import parser

    cleaned = text.replace("@", " ").replace(" at ", " ")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return parser.parse(cleaned, tzinfos=TZ_ABBREVIATIONS, dayfirst=day_first)
    except (ValueError, OverflowError, TypeError):
        raise RowRejected(f"the date “{shown(text)}” is not one I can read") from None


def looks_like_date(value: str) -> bool:
    """Whether a cell reads as a date (for finding a date column by its values): numbers alone
    (counts, ids) do not count, whatever they would parse as."""
    text = value.strip()
    if not text or len(text) > 60 or text.replace(".", "").isdigit():
        return False
    if not re.search(r"\d", text) or len(re.findall(r"[A-Za-z]{4,}", text)) > 3:
        return False
    try:
        return parse_date(text) is not None
    except RowRejected:
        return False


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

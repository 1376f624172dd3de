"""The adapter interface every source implements, and the helpers they share: reading a
service's items defensively (a bad item is skipped and counted, never a crash), and the rule
that a password or token only travels over https."""

from __future__ import annotations

import ipaddress
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlparse

from app.mentions.model import NewMention
from app.sources.http import Http

# Dates outside these years are not dates of a post; they are treated as unknown.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2999
MAX_COUNT = 2**53  # follower counts beyond this are not counts (and would not fit SQLite)
MAX_TEXT = 100_000


@dataclass
class SourceSettings:
    """What one configured source needs to pull: kind-specific options live in `options`."""

    name: str
    kind: str
    query: str = ""
    base_url: str = ""
    options: dict = field(default_factory=dict)


@dataclass
class PullPage:
    """What one pull fetched: the mentions, and the cursor to store once they are committed.
    `rejected` counts the items that could not be read (wrong shape, no text)."""

    mentions: list[NewMention]
    cursor: dict
    rejected: int = 0


class Adapter:
    """One service. Subclasses set the class facts and implement `fetch`."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    default_base_url: ClassVar[str] = ""
    secret_label: ClassVar[str] = ""  # "" when the service needs no password or token
    secret_required: ClassVar[bool] = False  # True when every pull sends the secret
    help: ClassVar[str] = ""

    def validate(self, settings: SourceSettings) -> list[str]:
        """Plain-words problems with the settings, before anything is fetched."""
        return []

    def base_url(self, settings: SourceSettings) -> str:
        return (settings.base_url or self.default_base_url).rstrip("/")

    def secret_addresses(self, settings: SourceSettings) -> list[str]:
        """The addresses the password or token is sent to."""
        return [self.base_url(settings)]

    def insecure_secret_problems(self, settings: SourceSettings) -> list[str]:
        """A password or token is only sent over https (this computer excepted, for tests)."""
        problems = []
        for address in self.secret_addresses(settings):
            try:
                parts = urlparse(address)
            except ValueError:
                continue  # not an address at all: the request itself says so
            if parts.scheme.lower() == "http" and not is_loopback(parts.hostname or ""):
                problems.append(
                    f"{self.label} would send your password or token to {parts.hostname} "
                    "unencrypted: use an https:// address (plain http:// is allowed only for "
                    "this computer: localhost, 127.0.0.1 or ::1)."
                )
        return problems[:1]

    def fetch(
        self, settings: SourceSettings, cursor: dict, http: Http, secret: str | None
    ) -> PullPage:
        raise NotImplementedError


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_time(value) -> datetime | None:
    """ISO-8601 text ("...Z" included) or epoch seconds to an aware UTC datetime; None for
    anything else, including dates no post can have (year 1 or 9999, infinity)."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            moment = datetime.fromtimestamp(float(value), UTC)
        elif isinstance(value, str):
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return moment if EARLIEST_YEAR <= moment.year <= LATEST_YEAR else None


def text_of(value) -> str:
    """A field that should be text: text as it is, a number as digits, anything else ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value) if not isinstance(value, float) or math.isfinite(value) else ""
    return ""


def count_of(value) -> int | None:
    """A follower count: a whole number from 0 to 2**53 (digits in text too), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()) if len(value.strip()) < 20 else None
    if isinstance(value, float):
        value = int(value) if math.isfinite(value) else None
    return value if isinstance(value, int) and 0 <= value <= MAX_COUNT else None


def _utf8(text: str) -> str:
    """Text SQLite can store: a lone surrogate (valid in JSON, not in UTF-8) becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def sound(mention: NewMention) -> NewMention | None:
    """The mention with every field of the type the store expects, or None if it has no text."""
    text = _utf8(text_of(mention.text)).strip()[:MAX_TEXT]
    if not text:
        return None
    mention.text = text
    for name in ("source", "external_id", "author_name", "author_handle", "url", "language"):
        setattr(mention, name, _utf8(text_of(getattr(mention, name))[:2000]))
    if mention.raw is not None and not isinstance(mention.raw, str):
        raw = json.dumps(mention.raw, ensure_ascii=False, default=str)
        if _utf8(raw) != raw:  # keep the original, escaped, rather than alter it
            mention.raw = json.dumps(mention.raw, default=str)
    mention.author_followers = count_of(mention.author_followers)
    moment = mention.posted_at
    aware = isinstance(moment, datetime) and moment.tzinfo is not None
    if (
        not isinstance(moment, datetime)
        or not aware
        or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR
    ):
        mention.posted_at = None
    return mention


def read_items(
    items: Iterable, convert: Callable[[dict], NewMention | None]
) -> tuple[list[NewMention], int]:
    """Every item a service sent, converted; an item that is not an object, has no text or
    trips the conversion in any way is skipped and counted, so one bad post never stops a pull.
    """
    mentions: list[NewMention] = []
    rejected = 0
    for item in items:
        try:
            converted = convert(item) if isinstance(item, dict) else None
            mention = sound(converted) if converted is not None else None
        except Exception:  # noqa: BLE001 - an item is data: any failure reading it rejects it
            mention = None
        if mention is None:
            rejected += 1
        else:
            mentions.append(mention)
    return mentions, rejected


def require(settings: SourceSettings, *names: str) -> list[str]:
    """Problems for missing required options, in the words of the form."""
    problems = []
    for name in names:
        value = settings.query if name == "query" else settings.options.get(name)
        if not str(value or "").strip():
            problems.append(f"Fill in the {name.replace('_', ' ')}.")
    return problems


def require_web_address(settings: SourceSettings) -> list[str]:
    """The `url` option is filled in and is an http(s) address."""
    problems = require(settings, "url")
    url = settings.options.get("url", "")
    if url and urlparse(url).scheme not in ("http", "https"):
        problems.append("The address must start with http:// or https://.")
    return problems

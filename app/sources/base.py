"""The adapter interface every source implements, and the helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlparse

from app.mentions.repository import NewMention
from app.sources.http import Http


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
    """What one pull fetched: the mentions, and the cursor to store once they are committed."""

    mentions: list[NewMention]
    cursor: dict


class Adapter:
    """One service. Subclasses set the class facts and implement `fetch`."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    default_base_url: ClassVar[str] = ""
    secret_label: ClassVar[str] = ""  # "" when the service needs no password or token
    help: ClassVar[str] = ""

    def validate(self, settings: SourceSettings) -> list[str]:
        """Plain-words problems with the settings, before anything is fetched."""
        return []

    def base_url(self, settings: SourceSettings) -> str:
        return (settings.base_url or self.default_base_url).rstrip("/")

    def fetch(
        self, settings: SourceSettings, cursor: dict, http: Http, secret: str | None
    ) -> PullPage:
        raise NotImplementedError


def parse_time(value) -> datetime | None:
    """ISO-8601 text ("...Z" included) or epoch seconds to an aware UTC datetime."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC)
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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

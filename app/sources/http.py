"""HTTP for the adapters: timeouts on every request, a descriptive User-Agent, and every failure
turned into one plain sentence the owner can act on (wrong password, rate-limited until 14:05…).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import requests

from app import __version__
from app.errors import UserError

USER_AGENT = f"CrisisDesk/{__version__} (offline crisis desk for small businesses)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
MAX_REDIRECTS = 5


class SourceError(UserError):
    """A pull failed; the message is the plain-words health status shown to the owner."""

    def __init__(self, message: str, *, retry_at: datetime | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_at = retry_at
        self.permanent = permanent  # wrong settings or password: retrying will not help


@dataclass
class RateLimit:
    """What the service said about its limits on the last answer."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None

    def as_text(self) -> str:
        if self.remaining is None:
            return ""
        text = (
            f"{self.remaining} of {self.limit} requests left"
            if self.limit
            else f"{self.remaining} requests left"
        )
        if self.reset_at:
            text += f" until {self.reset_at.astimezone().strftime('%H:%M')}"
        return text


def _parse_reset(value: str, now: datetime) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    # Epoch seconds (Bluesky) or seconds from now (Reddit, GitHub-style).
    if number > 1_000_000_000:
        return datetime.fromtimestamp(number, UTC)
    return now + timedelta(seconds=number)


def rate_limit_from(headers, now: datetime) -> RateLimit:
    lowered = {k.lower(): v for k, v in headers.items()}

    def first(*names):
        for name in names:
            if name in lowered:
                return lowered[name]
        return None

    def number(value):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return None

    return RateLimit(
        limit=number(first("x-ratelimit-limit", "ratelimit-limit", "x-ratelimit-used")),
        remaining=number(first("x-ratelimit-remaining", "ratelimit-remaining")),
        reset_at=_parse_reset(first("x-ratelimit-reset", "ratelimit-reset") or "", now),
    )


def retry_after(headers, now: datetime) -> datetime | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    if not value:
        return None
    try:
        return now + timedelta(seconds=max(0, int(value)))
    except ValueError:
        try:
            return parsedate_to_datetime(value).astimezone(UTC)
        except (TypeError, ValueError):
            return None


def _local_hhmm(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


class Http:
    """A small requests wrapper; one per pull. `now` is the pull's clock."""

    def __init__(self, now: datetime, session: requests.Session | None = None):
        self.now = now
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.max_redirects = MAX_REDIRECTS
        self.rate = RateLimit()

    def request(self, method: str, url: str, *, service: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", (CONNECT_TIMEOUT, READ_TIMEOUT))
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.exceptions.TooManyRedirects:
            raise SourceError(
                f"{service} keeps redirecting in a loop; check the address.", permanent=True
            ) from None
        except requests.exceptions.Timeout:
            raise SourceError(
                f"{service} did not answer within {READ_TIMEOUT:.0f} seconds; "
                "it will be tried again later."
            ) from None
        except requests.exceptions.InvalidURL:
            raise SourceError(
                f"The address {url!r} is not a valid web address.", permanent=True
            ) from None
        except requests.exceptions.ConnectionError:
            raise SourceError(
                f"Cannot reach {service}: no network, or the address is wrong. "
                "It will be tried again later."
            ) from None
        except requests.exceptions.RequestException as exc:
            raise SourceError(
                f"{service} could not be reached ({exc.__class__.__name__})."
            ) from None
        self.rate = rate_limit_from(response.headers, self.now)
        self._raise_for_status(response, service)
        return response

    def _raise_for_status(self, response: requests.Response, service: str) -> None:
        code = response.status_code
        if code < 400:
            return
        if code == 401:
            raise SourceError(
                f"{service} refused the password or token; check it and save it again.",
                permanent=True,
            )
        if code == 403:
            raise SourceError(
                f"{service} does not allow this request (403). The instance may have closed "
                "its public timeline, or the account lacks permission.",
                permanent=True,
            )
        if code == 404:
            raise SourceError(
                f"{service} says this address does not exist (404); "
                "check the address, tag or query.",
                permanent=True,
            )
        if code == 429:
            until = retry_after(response.headers, self.now) or self.rate.reset_at
            until = until or self.now + timedelta(minutes=15)
            raise SourceError(
                f"{service} is rate-limiting Crisis Desk until {_local_hhmm(until)}; "
                "it will wait and try again then.",
                retry_at=until,
            )
        if code >= 500:
            raise SourceError(
                f"{service} had a problem of its own (error {code}); it will be tried again later.",
                retry_at=retry_after(response.headers, self.now),
            )
        raise SourceError(f"{service} answered with error {code}.")

    def get_json(self, url: str, *, service: str, **kwargs):
        response = self.request("GET", url, service=service, **kwargs)
        return decode_json(response, service)


def decode_json(response: requests.Response, service: str):
    kind = response.headers.get("Content-Type", "")
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        if "html" in kind.lower() or response.content.lstrip()[:1] == b"<":
            raise SourceError(
                f"{service} answered with a web page instead of data; the address may point "
                "to a login or error page.",
            ) from None
        raise SourceError(
            f"{service} sent an answer that is cut short or not valid data; it will be tried "
            "again later."
        ) from None

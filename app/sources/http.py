"""HTTP for the adapters: timeouts on every request, an overall deadline and a size cap on every
answer, redirects followed by hand so a password or token never reaches a host the owner did
not set up, a descriptive User-Agent, and every failure turned into one plain sentence the
owner can act on (wrong password, rate-limited until 14:05…).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from app import __version__
from app.errors import UserError

USER_AGENT = f"CrisisDesk/{__version__} (offline crisis desk for small businesses)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
# One request, redirects and body included, may take this long at most: a service that
# drip-feeds its answer a byte at a time is cut off instead of holding a pull forever.
REQUEST_DEADLINE = 60.0
MAX_BODY_BYTES = 25_000_000
MAX_REDIRECTS = 5
# The longest a service may ask Crisis Desk to wait (Retry-After, rate-limit resets).
MAX_WAIT = timedelta(hours=24)
# Headers that always carry a secret; an adapter names any other one (a custom token header).
SECRET_HEADERS = ("authorization", "cookie", "proxy-authorization")
_CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}


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


def _within_a_day(moment: datetime, now: datetime) -> datetime:
    """A moment a service named, kept between now and MAX_WAIT from now."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return min(max(moment, now), now + MAX_WAIT)


def _after_seconds(seconds: float, now: datetime) -> datetime:
    return now + timedelta(seconds=min(max(seconds, 0.0), MAX_WAIT.total_seconds()))


def _parse_reset(value: str, now: datetime) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            return _within_a_day(datetime.fromisoformat(value.replace("Z", "+00:00")), now)
        except (ValueError, OverflowError):
            return None
    if math.isnan(number):
        return None
    # Epoch seconds (Bluesky) or seconds from now (Reddit, GitHub-style).
    if number > 1_000_000_000:
        return _after_seconds(number - now.timestamp(), now)
    return _after_seconds(number, now)


def rate_limit_from(headers, now: datetime) -> RateLimit:
    lowered = {k.lower(): v for k, v in headers.items()}

    def first(*names):
        for name in names:
            if name in lowered:
                return lowered[name]
        return None

    def number(value):
        try:
            count = int(float(value))
        except (TypeError, ValueError, OverflowError):
            return None
        return count if 0 <= count < 2**53 else None

    return RateLimit(
        limit=number(first("x-ratelimit-limit", "ratelimit-limit", "x-ratelimit-used")),
        remaining=number(first("x-ratelimit-remaining", "ratelimit-remaining")),
        reset_at=_parse_reset(first("x-ratelimit-reset", "ratelimit-reset") or "", now),
    )


def retry_after(headers, now: datetime) -> datetime | None:
    """When the service asks to be tried again: seconds or an HTTP date, at most a day ahead."""
    value = ({k.lower(): v for k, v in headers.items()}.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            return _within_a_day(parsedate_to_datetime(value), now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return None if math.isnan(seconds) else _after_seconds(seconds, now)


def _local_hhmm(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: what a secret is bound to. ValueError for a malformed address."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def _may_carry_secret(origin: tuple, target: tuple) -> bool:
    """The same origin, or the same host moving from http to https on the standard ports."""
    if target == origin:
        return True
    return (
        origin[0] == "http"
        and target[0] == "https"
        and origin[1] == target[1]
        and origin[2] == 80
        and target[2] == 443
    )


def _host_text(origin: tuple) -> str:
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    return host if port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"


class Http:
    """A small requests wrapper; one per pull. `now` is the pull's clock."""

    def __init__(self, now: datetime, session: requests.Session | None = None):
        self.now = now
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.max_redirects = MAX_REDIRECTS
        self.rate = RateLimit()

    def request(
        self,
        method: str,
        url: str,
        *,
        service: str,
        secret_headers: Iterable[str] = (),
        secret_body: bool = False,
        **kwargs,
    ) -> requests.Response:
        """One request with its redirects; the answer's body is read (within the deadline and
        the size cap) before it is returned.

        A request carries a secret when it has an Authorization, Cookie or Proxy-Authorization
        header, a header named in `secret_headers`, `auth=`, or a body that holds a password
        (`secret_body`). Such a request follows a redirect only to the same scheme, host and
        port (or from http to https on the same host): anywhere else it is refused and nothing
        is sent there. Public requests follow redirects anywhere (feeds move).
        """
        deadline = time.monotonic() + REQUEST_DEADLINE
        headers = dict(kwargs.pop("headers", None) or {})
        secret_names = set(SECRET_HEADERS) | {name.lower() for name in secret_headers}
        carries_secret = (
            secret_body
            or bool(kwargs.get("auth"))
            or any(name.lower() in secret_names for name in headers)
        )
        try:
            origin = _origin(url)
        except ValueError:
            raise SourceError(
                f"The address {url!r} is not a valid web address.", permanent=True
            ) from None
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            response = self._send(method, current, service, deadline, headers=headers, **kwargs)
            if not response.is_redirect:
                break
            response.close()
            if hop == MAX_REDIRECTS:
                raise SourceError(
                    f"{service} keeps redirecting in a loop; check the address.", permanent=True
                )
            current, target = self._redirect_target(response, current, service)
            if carries_secret and not _may_carry_secret(origin, target):
                raise SourceError(self._refusal(service, origin, target), permanent=True)
            if target != origin:  # a public request leaving its origin takes no credentials
                headers = {k: v for k, v in headers.items() if k.lower() not in secret_names}
                kwargs.pop("auth", None)
            kwargs.pop("params", None)  # the new address carries its own query
            method = self._method_after(response.status_code, method, headers, kwargs)
        self.rate = rate_limit_from(response.headers, self.now)
        if response.status_code >= 400:
            response.close()
        self._raise_for_status(response, service)
        self._read_body(response, service, deadline)
        return response

    @staticmethod
    def _refusal(service: str, origin: tuple, target: tuple) -> str:
        if target[0] == "http" and origin[0] == "https" and target[1] == origin[1]:
            return (
                f"{service} was redirected to an unencrypted (http://) address on "
                f"{_host_text(target)}; the password or token was not sent there."
            )
        return (
            f"{service} was redirected to {_host_text(target)}, which you did not set up; "
            "the password or token was not sent there."
        )

    @staticmethod
    def _redirect_target(response: requests.Response, current: str, service: str):
        location = response.headers["location"]
        with contextlib.suppress(UnicodeError):  # as requests reads it: UTF-8 seen as Latin-1
            location = location.encode("latin1").decode("utf8")
        try:
            target_url = urljoin(current, location.strip())
            target = _origin(target_url)
        except ValueError:
            target = ("", "", None)
        if target[0] not in _DEFAULT_PORTS or not target[1]:
            raise SourceError(
                f"{service} redirected Crisis Desk to something that is not a web address; "
                "check the address.",
                permanent=True,
            )
        return target_url, target

    @staticmethod
    def _method_after(code: int, method: str, headers: dict, kwargs: dict) -> str:
        """As browsers and requests do: 303 (and 301/302 after a POST) become a GET without a
        body; 307 and 308 repeat the method and body (only ever to the same origin when the
        body holds a secret)."""
        method = method.upper()
        if (code == 303 and method != "HEAD") or (code in (301, 302) and method == "POST"):
            for key in ("data", "json", "files"):
                kwargs.pop(key, None)
            for name in [n for n in headers if n.lower() in ("content-type", "content-length")]:
                del headers[name]
            return "GET"
        return method

    def _send(self, method: str, url: str, service: str, deadline: float, **kwargs):
        left = deadline - time.monotonic()
        if left <= 0:
            raise self._too_slow(service)
        kwargs.setdefault(
            "timeout", (min(CONNECT_TIMEOUT, left), min(READ_TIMEOUT, max(left, 0.1)))
        )
        try:
            return self.session.request(method, url, allow_redirects=False, stream=True, **kwargs)
        except requests.exceptions.Timeout:
            if time.monotonic() >= deadline:
                raise self._too_slow(service) from None
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
        except (ValueError, http.client.HTTPException, urllib3.exceptions.HTTPError) as exc:
            # A malformed header or status line from the service itself.
            raise SourceError(
                f"{service} sent an answer that could not be read ({exc.__class__.__name__}); "
                "it will be tried again later."
            ) from None

    @staticmethod
    def _too_slow(service: str) -> SourceError:
        return SourceError(
            f"{service} took longer than {REQUEST_DEADLINE:.0f} seconds to send its answer, so "
            "Crisis Desk stopped waiting; it will be tried again later."
        )

    @staticmethod
    def _too_big(service: str) -> SourceError:
        return SourceError(
            f"{service} sent an answer larger than {MAX_BODY_BYTES / 1_000_000:g} MB, "
            "which Crisis Desk does not read; check the address."
        )

    def _read_body(self, response: requests.Response, service: str, deadline: float) -> None:
        """Read the whole body in chunks, stopping at the deadline or the size cap; afterwards
        `response.content` (and `.json()`, `.text`) answer from memory."""
        try:
            declared = int(response.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES:
            response.close()
            raise self._too_big(service)
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                # read1 returns what has arrived (at most one read from the network), so a
                # trickle of bytes still comes back here to check the clock.
                chunk = response.raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise self._too_big(service)
                if time.monotonic() > deadline:
                    raise self._too_slow(service)
                chunks.append(chunk)
        except urllib3.exceptions.ReadTimeoutError:
            if time.monotonic() >= deadline:
                raise self._too_slow(service) from None
            raise SourceError(
                f"{service} stopped sending its answer for {READ_TIMEOUT:.0f} seconds; "
                "it will be tried again later."
            ) from None
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
            raise SourceError(
                f"{service} sent an answer that is cut short or could not be read "
                f"({exc.__class__.__name__}); it will be tried again later."
            ) from None
        finally:
            response.close()
        response._content = b"".join(chunks)
        response._content_consumed = True  # type: ignore[attr-defined]

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
    except RecursionError:
        raise SourceError(
            f"{service} sent data nested too deeply to read; it will be tried again later."
        ) from None
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

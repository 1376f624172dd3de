"""RSS and Atom feeds with feedparser: news sites, review sites, Google Alerts, Talkwalker Alerts.

Feeds cannot be asked for "only what is new", so the adapter sends the feed's ETag and
Last-Modified back (an unchanged feed costs one empty answer) and the store's de-duplication on
the entry id keeps a re-read item from being counted twice.
"""

from __future__ import annotations

import calendar
import email.utils
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import feedparser

from app.mentions.model import NewMention
from app.sources.base import Adapter, PullPage, SourceSettings, read_items, require_web_address
from app.sources.http import Http, SourceError
from app.text import html_to_text

# Day and month abbreviations that real feeds put in RFC 822 dates (Portuguese, Spanish,
# French, German), mapped to English so the standard parser can read them.
_FOREIGN_DATE_WORDS = {
    "seg": "Mon",
    "ter": "Tue",
    "qua": "Wed",
    "qui": "Thu",
    "sex": "Fri",
    "sáb": "Sat",
    "sab": "Sat",
    "dom": "Sun",
    "fev": "Feb",
    "abr": "Apr",
    "mai": "May",
    "ago": "Aug",
    "set": "Sep",
    "out": "Oct",
    "dez": "Dec",
    "ene": "Jan",
    "dic": "Dec",
    "mär": "Mar",
    "okt": "Oct",
    "dez.": "Dec",
    "janv": "Jan",
    "févr": "Feb",
    "avr": "Apr",
    "juil": "Jul",
    "déc": "Dec",
    "lun": "Mon",
    "mar": "Tue",
    "mer": "Wed",
    "jeu": "Thu",
    "ven": "Fri",
}


def _foreign_rfc822(text: str):
    words = re.split(r"(\W+)", text.strip())
    translated = "".join(_FOREIGN_DATE_WORDS.get(w.lower(), w) for w in words)
    try:
        parsed = email.utils.parsedate_to_datetime(translated)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.astimezone(UTC).timetuple() if parsed.tzinfo else None


feedparser.registerDateHandler(_foreign_rfc822)


def unwrap_redirect(link: str) -> str:
    """Google Alerts links go through google.com/url?…&url=REAL; keep the real address."""
    parsed = urlparse(link)
    if parsed.netloc.endswith("google.com") and parsed.path == "/url":
        target = parse_qs(parsed.query).get("url") or parse_qs(parsed.query).get("q")
        if target:
            return target[0]
    return link


def _entry_time(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (ValueError, OverflowError, OSError, TypeError):
                continue  # a date no post can have: try the next one
    return None


def entry_to_mention(entry, source: str, feed_language: str = "") -> NewMention:
    title = html_to_text(entry.get("title", ""))
    summary = html_to_text(entry.get("summary", ""))
    text = title if not summary or summary.startswith(title) else f"{title}\n{summary}"
    text = text if title else summary
    link = unwrap_redirect(entry.get("link", ""))
    return NewMention(
        source=source,
        text=text[:4000],
        external_id=entry.get("id") or link,
        author_name=html_to_text(entry.get("author", "")),
        url=link,
        language=(entry.get("language") or feed_language or "")[:2],
        posted_at=_entry_time(entry),
        raw={k: v for k, v in entry.items() if isinstance(v, str | int | float)},
    )


def _resendable(value: str) -> str:
    """A validator header worth sending back next time: short printable ASCII, else nothing
    (a malformed one would make every later request fail)."""
    ok = len(value) <= 512 and value.isascii() and value.isprintable()
    return value if ok else ""


class RssAdapter(Adapter):
    kind = "rss"
    label = "RSS or Atom feed"
    help = (
        "Any feed address: a news site, a review site, or a Google Alert delivered as a feed "
        "(on the alert, choose 'Deliver to: RSS feed')."
    )

    def validate(self, settings: SourceSettings) -> list[str]:
        return require_web_address(settings)

    def fetch(self, settings, cursor, http: Http, secret) -> PullPage:
        headers = {}
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("modified"):
            headers["If-Modified-Since"] = cursor["modified"]
        response = http.request(
            "GET", settings.options["url"], service=settings.name, headers=headers
        )
        if response.status_code == 304:
            return PullPage([], cursor)
        parsed = feedparser.parse(response.content, response_headers=dict(response.headers))
        if not parsed.entries and parsed.bozo and not parsed.get("feed"):
            raise SourceError(
                f"{settings.name} did not send a feed that can be read "
                f"({parsed.bozo_exception.__class__.__name__}); check the address."
            )
        language = parsed.feed.get("language", "")
        language = language if isinstance(language, str) else ""
        mentions, rejected = read_items(
            parsed.entries, lambda e: entry_to_mention(e, settings.name, language)
        )
        new_cursor = {
            "etag": _resendable(response.headers.get("ETag", "")),
            "modified": _resendable(response.headers.get("Last-Modified", "")),
        }
        return PullPage(mentions, new_cursor, rejected)

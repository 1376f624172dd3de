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

from app.imports.dates import parse_date
from app.imports.encoding import NotText, decode
from app.imports.reading import RowRejected
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


# Numbers such as 2020/1/10 14:33:00, which feedparser misreads (as 1 November).
_NUMERIC_DATE = re.compile(r"\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def _second_chance(raw: str) -> datetime | None:
    try:
        return parse_date(raw[:100])
    except (RowRejected, ValueError, OverflowError):
        return None


def _entry_time(entry) -> datetime | None:
    """When the item was posted: dates written as numbers are read by our own reader (which
    knows the forms spreadsheets and Chinese blogs write); others by feedparser, and what it
    leaves unparsed gets a second chance with dateutil. None: no date the item says."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        raw = raw if isinstance(raw, str) else ""
        if raw and _NUMERIC_DATE.match(raw) and (ours := _second_chance(raw)) is not None:
            return ours
        value = entry.get(f"{key}_parsed")
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (ValueError, OverflowError, OSError, TypeError):
                pass  # a date no post can have: try the next one
        if raw and (ours := _second_chance(raw)) is not None:
            return ours
    return None


_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)
_ENCODING_DECLARED = re.compile(r"^(\s*<\?xml[^>]*encoding\s*=\s*[\"'])[^\"']*", re.IGNORECASE)


def feed_document(content: bytes, headers: dict) -> tuple[bytes, dict]:
    """The feed's bytes as feedparser should read them. A feed that declares its encoding
    (a BOM, the XML declaration, the Content-Type's charset) is left as it is; one that does
    not is decided on its bytes by the import toolkit's policy (KOI8-R, EUC-JP, GB2312,
    TIS-620, UTF-16 without BOM...) and handed over as UTF-8."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if "charset=" in content_type.lower() or _DECLARED.match(content[:200]):
        return content, headers
    try:
        text, decision = decode(content)
    except NotText:
        return content, headers
    if decision.encoding in ("utf-8", "utf-8-sig") and not decision.replaced:
        return content, headers
    text = _ENCODING_DECLARED.sub(r"\1utf-8", text, count=1)
    others = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return text.encode("utf-8"), {**others, "Content-Type": "application/xml; charset=utf-8"}


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
        content, headers = feed_document(response.content, dict(response.headers))
        parsed = feedparser.parse(content, response_headers=headers)
        # An empty feed is a feed ("0 new"); only a document that is no feed at all fails.
        if not parsed.entries and not parsed.get("version"):
            problem = parsed.get("bozo_exception")
            why = f" ({problem.__class__.__name__})" if problem is not None else ""
            raise SourceError(
                f"{settings.name} did not send a feed that can be read{why}; check the address."
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

"""Turning HTML (posts, rendered Markdown) into plain readable text, safely."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/div|/li|/h\d|/tr|/blockquote)\s*>")


def html_to_text(markup: str | None) -> str:
    """Readable plain text from HTML: sanitized by nh3, entities decoded, tidy spaces."""
    if not markup:
        return ""
    with_breaks = _BLOCK_END.sub("\n", markup)
    stripped = nh3.clean(with_breaks, tags=set())
    text = html.unescape(stripped)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def plural(count: int, singular: str, many: str | None = None) -> str:
    """ "1 mention", "3 mentions", "2 people": a count with the right word."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


# What a statement may contain once rendered: text formatting and links, nothing that runs,
# loads from elsewhere, or changes the page around it.
SAFE_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def safe_html(markdown_text: str) -> str:
    """Markdown rendered, then sanitized with nh3: no scripts, no event handlers, no
    `javascript:` links, no images (a remote image is a request someone else controls)."""
    import markdown

    rendered = markdown.markdown(markdown_text or "", extensions=["sane_lists"])
    return nh3.clean(
        rendered,
        tags=SAFE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=SAFE_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_plain(markdown_text: str) -> str:
    """The text for channels without Markdown (SMS, X, Instagram): readable, no symbols."""
    html_text = safe_html(markdown_text)
    html_text = re.sub(r"(?i)<li>", "<li>• ", html_text)
    return html_to_text(html_text)


# --- links and cells that leave the app --------------------------------------------------------

WEB_SCHEMES = ("http", "https")
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def safe_web_url(url: str | None, *, bare_host: bool = False) -> str | None:
    """The address if it is an http(s) link to a named host, else None.

    The one decision for every link that came from outside (a mention's post, a pulled item, the
    business website) before it is opened or written into a page: `file:`, `smb:`, `ssh:`,
    `javascript:`, `data:` and anything else a system might hand to another program are refused.
    Control characters, spaces and backslashes are refused too, because parsers disagree about
    them. `bare_host` accepts what owners type for their website ("www.example.com") as https.
    """
    text = (url or "").strip()
    if not text or _UNSAFE_IN_URL.search(text):
        return None
    if bare_host and "://" not in text and ":" not in text.split("/", 1)[0]:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # e.g. a malformed IPv6 address or port
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not host or not parts.netloc:
        return None
    return text


# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Two shapes are left as typed. OWASP advises quoting every cell that starts so; we keep these
# readable because people expect them in a contact sheet, and because the contacts importer
# keeps a leading quote, so a quoted "+44 ..." would come back as "'+44 ..." after a round trip.
# - Digits and phone punctuation ("+44 20 7946 0000", "-12.50", "+1 (555) 010-0199", numbers
#   joined by " | "): no letters, quotes or "!", so at worst a spreadsheet does arithmetic.
# - Social handles ("@maya.bakes", "@a | @b"): no parentheses, quotes or "!", so no function
#   call, no link and no DDE command (which needs app|'topic'!item) can be written with them.
_HARMLESS = re.compile(r"[+-][0-9][0-9 ().,/|+-]*|@[\w.]+(?: \| @[\w.]+)*")


def csv_safe_cell(value) -> str:
    """One cell for a CSV file we write: a value that would start a formula gets a leading quote."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _HARMLESS.fullmatch(text):
        return "'" + text
    return text


def csv_safe_row(values) -> list[str]:
    """Every cell of a row through `csv_safe_cell`: the one way CSV exports write a row."""
    return [csv_safe_cell(value) for value in values]


# --- Markdown that leaves the app ---------------------------------------------------------------

# `<` and `>` start raw HTML, which Markdown passes through; `&` only where it would start an
# entity (so "Hearth & Crumb" stays as typed); `[` `]` start links and images (a link can be
# `javascript:`, an image loads from someone else's server); a backtick would put the escaped
# characters inside a code span, where viewers show entities literally.
_MARKDOWN_ACTIVE = re.compile(r"[<>\[\]`]|&(?=#?\w+;)")
_MARKDOWN_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "[": "\\[", "]": "\\]", "`": "\\`"}


def markdown_text(text: str | None, *, table_cell: bool = False) -> str:
    """Text people wrote (statements, mentions, notes) made inert for a Markdown file.

    Markdown passes raw HTML through, so `<script>` in a note would run in any viewer that
    renders the export, and `[x](javascript:...)` would be a link. Those characters are written
    as entities or backslash escapes, which every viewer shows as the characters typed; in a
    table cell `|` and line breaks are escaped too, so one cell stays one cell. The Markdown our
    exports write around the text (headings, lists, tables) is unchanged.
    """
    escaped = _MARKDOWN_ACTIVE.sub(lambda m: _MARKDOWN_ESCAPES[m.group()], text or "")
    if table_cell:
        escaped = " ".join(escaped.replace("|", "\\|").split())
    return escaped

"""Turning HTML (posts, rendered Markdown) into plain readable text, safely."""

from __future__ import annotations

import html
import re

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
    return f"{count} {singular if count == 1 else (many or singular + 's')}"

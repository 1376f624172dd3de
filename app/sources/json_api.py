"""A generic JSON endpoint, for any other listening tool's API: a URL, an optional header token,
the path to the list of items (e.g. `data.results`) and a mapping of mention fields to paths in
each item (e.g. `text=body`, `author_name=user.name`, `posted_at=created`)."""

from __future__ import annotations

import re

from app.mentions.model import NewMention
from app.sources.base import (
    Adapter,
    PullPage,
    SourceSettings,
    parse_time,
    read_items,
    require_web_address,
    text_of,
)
from app.sources.http import Http, SourceError

# What HTTP allows in a header's name (RFC 9110 "token").
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")

FIELDS = (
    "text",
    "external_id",
    "author_name",
    "author_handle",
    "author_followers",
    "url",
    "language",
    "posted_at",
)


def dig(value, path: str):
    """Follow a dotted path ("data.items.0.text") through dicts and lists; None when absent."""
    for part in [p for p in path.split(".") if p]:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdecimal() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def item_to_mention(item: dict, mapping: dict, source: str) -> NewMention | None:
    values = {field: dig(item, path) for field, path in mapping.items() if field in FIELDS}
    text = values.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    return NewMention(
        source=source,
        text=text.strip(),
        external_id=text_of(values.get("external_id")),
        author_name=text_of(values.get("author_name")),
        author_handle=text_of(values.get("author_handle")),
        author_followers=values.get("author_followers"),  # read_items keeps only a count
        url=text_of(values.get("url")),
        language=text_of(values.get("language")),
        posted_at=parse_time(values.get("posted_at")),
        raw=item,
    )


class JsonAdapter(Adapter):
    kind = "json"
    label = "Other JSON service"
    secret_label = "Token (optional)"
    help = (
        "For any other tool with a JSON API: its address, where the list of items is, and "
        "which field holds the text, author, link and time."
    )

    def validate(self, settings: SourceSettings) -> list[str]:
        problems = require_web_address(settings)
        header = settings.options.get("header")
        if header and not _HEADER_NAME.fullmatch(header):
            problems.append(
                "The token's header name may hold only letters, digits and dashes (e.g. X-Api-Key)."
            )
        if "text" not in settings.options.get("map", {}):
            problems.append("Say which field holds the text, e.g. --map text=body.")
        return problems

    def secret_addresses(self, settings: SourceSettings) -> list[str]:
        return [settings.options.get("url", "")]

    def fetch(self, settings, cursor, http: Http, secret) -> PullPage:
        headers = {}
        header = settings.options.get("header") or "Authorization"
        if secret:
            headers[header] = f"Bearer {secret}" if header == "Authorization" else secret
        body = http.get_json(
            settings.options["url"],
            service=settings.name,
            headers=headers,
            secret_headers=(header,),  # never follows a redirect to another host
        )
        items = dig(body, settings.options.get("items", ""))
        if not isinstance(items, list):
            where = settings.options.get("items") or "the top level"
            raise SourceError(
                f"{settings.name}: no list of items at '{where}'; check the items path.",
                permanent=True,
            )
        mapping = settings.options.get("map", {})
        mentions, rejected = read_items(items, lambda i: item_to_mention(i, mapping, settings.name))
        return PullPage(mentions, dict(cursor), rejected)

"""Hacker News through the Algolia search API (no key): stories and comments, newest first.
The cursor is the newest item's creation time; `numericFilters` asks for only what is newer.
Tolerates the 2014 and the current response shapes."""

from __future__ import annotations

from app.mentions.model import NewMention
from app.sources.base import (
    Adapter,
    PullPage,
    SourceSettings,
    parse_time,
    read_items,
    require,
    text_of,
)
from app.sources.http import Http, SourceError
from app.text import html_to_text

PAGE_SIZE = 100


def hit_to_mention(hit: dict, source: str) -> NewMention:
    title = text_of(hit.get("title"))
    body = html_to_text(text_of(hit.get("comment_text") or hit.get("story_text")))
    story = text_of(hit.get("story_title"))
    context = f"(on “{story}”) " if not title and story else ""
    text = f"{title}\n{body}".strip() if title else f"{context}{body}".strip()
    object_id = text_of(hit.get("objectID"))
    return NewMention(
        source=source,
        text=text,
        external_id=object_id,
        author_name=text_of(hit.get("author")),
        author_handle=text_of(hit.get("author")),
        url=f"https://news.ycombinator.com/item?id={object_id}" if object_id else "",
        language="en",
        posted_at=parse_time(hit.get("created_at_i") or hit.get("created_at")),
        raw={k: v for k, v in hit.items() if k != "_highlightResult"},
    )


class HackerNewsAdapter(Adapter):
    kind = "hackernews"
    label = "Hacker News"
    default_base_url = "https://hn.algolia.com"
    help = "Give a search query, e.g. your business's name in quotes. No account needed."

    def validate(self, settings: SourceSettings) -> list[str]:
        return require(settings, "query")

    def fetch(self, settings, cursor, http: Http, secret) -> PullPage:
        params = {"query": settings.query, "tags": "(story,comment)", "hitsPerPage": PAGE_SIZE}
        if cursor.get("after"):
            params["numericFilters"] = f"created_at_i>{int(cursor['after'])}"
        body = http.get_json(
            f"{self.base_url(settings)}/api/v1/search_by_date", service=settings.name, params=params
        )
        hits = body.get("hits") if isinstance(body, dict) else None
        if not isinstance(hits, list):
            raise SourceError(f"{settings.name} answered in a form Crisis Desk does not know.")
        mentions, rejected = read_items(hits, lambda h: hit_to_mention(h, settings.name))
        times = (_epoch(h.get("created_at_i")) for h in hits if isinstance(h, dict))
        newest = max(times, default=0)
        new_cursor = dict(cursor)
        if newest > _epoch(cursor.get("after")):
            new_cursor["after"] = newest
        return PullPage(mentions, new_cursor, rejected)


def _epoch(value) -> int:
    """A creation time in epoch seconds, or 0 when it is not one a post can have."""
    moment = parse_time(value) if isinstance(value, int | float) else None
    return int(moment.timestamp()) if moment else 0

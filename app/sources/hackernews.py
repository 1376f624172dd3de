"""Hacker News through the Algolia search API (no key): stories and comments, newest first.
The cursor is the newest item's creation time; `numericFilters` asks for only what is newer.
Tolerates the 2014 and the current response shapes."""

from __future__ import annotations

from app.mentions.repository import NewMention
from app.sources.base import Adapter, PullPage, SourceSettings, parse_time, require
from app.sources.http import Http, SourceError
from app.text import html_to_text

PAGE_SIZE = 100


def hit_to_mention(hit: dict, source: str) -> NewMention:
    title = hit.get("title") or ""
    body = html_to_text(hit.get("comment_text") or hit.get("story_text") or "")
    context = f"(on “{hit['story_title']}”) " if not title and hit.get("story_title") else ""
    text = f"{title}\n{body}".strip() if title else f"{context}{body}".strip()
    object_id = str(hit.get("objectID", ""))
    return NewMention(
        source=source,
        text=text,
        external_id=object_id,
        author_name=hit.get("author") or "",
        author_handle=hit.get("author") or "",
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
        mentions = [hit_to_mention(h, settings.name) for h in hits if isinstance(h, dict)]
        newest = max(
            (int(h.get("created_at_i") or 0) for h in hits if isinstance(h, dict)), default=0
        )
        new_cursor = dict(cursor)
        if newest > int(cursor.get("after") or 0):
            new_cursor["after"] = newest
        return PullPage(mentions, new_cursor)

"""Mastodon: a hashtag timeline (public, no account needed on most instances), or a full-text
search with an account token where the instance allows it. Paging follows the API's ids:
`min_id` asks for only what is newer than the last pull.
"""

from __future__ import annotations

from urllib.parse import quote

from app.mentions.model import NewMention
from app.sources.base import Adapter, PullPage, SourceSettings, parse_time, read_items, text_of
from app.sources.http import Http, SourceError
from app.text import html_to_text

PAGE_SIZE = 40


def status_to_mention(status: dict, source: str) -> NewMention:
    account = status.get("account") or {}
    text = html_to_text(text_of(status.get("content")))
    if text_of(status.get("spoiler_text")):
        text = f"[{status['spoiler_text']}] {text}"
    return NewMention(
        source=source,
        text=text,
        external_id=text_of(status.get("uri") or status.get("id")),
        author_name=text_of(account.get("display_name") or account.get("username")),
        author_handle=text_of(account.get("acct")),
        author_followers=account.get("followers_count"),
        url=text_of(status.get("url") or status.get("uri")),
        language=text_of(status.get("language")),
        posted_at=parse_time(status.get("created_at")),
        raw=status,
    )


class MastodonAdapter(Adapter):
    kind = "mastodon"
    label = "Mastodon"
    default_base_url = "https://mastodon.social"
    secret_label = "Access token (only for search)"
    help = (
        "Give the instance address and a hashtag (without #). For a full-text search, "
        "add a query and an access token from Preferences → Development → New application "
        "(scope: read:search)."
    )

    def validate(self, settings: SourceSettings) -> list[str]:
        if not (settings.options.get("tag") or settings.query):
            return ["Fill in a hashtag to follow, or a search query."]
        return []

    def fetch(self, settings, cursor, http: Http, secret) -> PullPage:
        base = self.base_url(settings)
        params: dict[str, str | int] = {"limit": PAGE_SIZE}
        if cursor.get("min_id"):
            params["min_id"] = cursor["min_id"]
        tag = settings.options.get("tag", "").lstrip("#")
        if settings.query and not tag:
            if not secret:
                raise SourceError(
                    f"{settings.name}: searching Mastodon needs an access token; add one, or "
                    "follow a hashtag instead.",
                    permanent=True,
                )
            url = f"{base}/api/v2/search"
            params |= {"q": settings.query, "type": "statuses", "resolve": "false"}
            body = http.get_json(
                url,
                service=settings.name,
                params=params,
                headers={"Authorization": f"Bearer {secret}"},
            )
            statuses = body.get("statuses", []) if isinstance(body, dict) else None
        else:
            url = f"{base}/api/v1/timelines/tag/{quote(tag)}"
            headers = {"Authorization": f"Bearer {secret}"} if secret else {}
            try:
                statuses = http.get_json(url, service=settings.name, params=params, headers=headers)
            except SourceError as exc:
                if exc.permanent and not secret and "404" not in str(exc):
                    raise SourceError(
                        f"{settings.name}: this instance has closed its public timelines to "
                        "visitors; add an access token from an account there.",
                        permanent=True,
                    ) from None
                raise
        if not isinstance(statuses, list):
            raise SourceError(f"{settings.name} answered in a form Crisis Desk does not know.")
        mentions, rejected = read_items(statuses, lambda s: status_to_mention(s, settings.name))
        ids = [_status_id(s) for s in statuses if isinstance(s, dict)]
        newest = max((i for i in ids if i is not None), default=None)
        new_cursor = dict(cursor)
        if newest is not None and newest > (_status_id(cursor, "min_id") or 0):
            new_cursor["min_id"] = str(newest)
        return PullPage(mentions, new_cursor, rejected)


def _status_id(status: dict, key: str = "id") -> int | None:
    """Mastodon ids are digits in text (snowflakes: at most 20 of them); anything else is None."""
    value = str(status.get(key) or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 20 else None

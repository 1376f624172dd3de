"""Reddit search through OAuth, as a "script" app: its client id (settings) and secret (keyring)
buy an application-only token; search results come newest first, and `before` (the newest
post's fullname) asks for only what came after the last pull.
"""

from __future__ import annotations

import time

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
from app.sources.http import Http, SourceError, decode_json
from app.text import html_to_text

PAGE_SIZE = 100
DEFAULT_AUTH = "https://www.reddit.com/api/v1/access_token"
# (auth url, client id) -> (token, expires at monotonic seconds); memory only.
_TOKENS: dict[tuple[str, str], tuple[str, float]] = {}


def post_to_mention(post: dict, source: str) -> NewMention:
    title = text_of(post.get("title"))
    body = (
        text_of(post.get("selftext"))
        or html_to_text(text_of(post.get("body_html")))
        or text_of(post.get("body"))
    )
    text = f"{title}\n{body}".strip() if title else body
    permalink = text_of(post.get("permalink"))
    author = text_of(post.get("author"))
    return NewMention(
        source=source,
        text=text[:4000],
        external_id=text_of(post.get("name") or post.get("id")),
        author_name=author,
        author_handle=f"u/{author}" if author else "",
        url=f"https://www.reddit.com{permalink.split('?')[0]}"
        if permalink
        else text_of(post.get("url")),
        language="",
        posted_at=parse_time(post.get("created_utc")),
        raw=post,
    )


class RedditAdapter(Adapter):
    kind = "reddit"
    label = "Reddit"
    default_base_url = "https://oauth.reddit.com"
    secret_label = "Client secret"
    secret_required = True
    help = (
        "Create a 'script' app at reddit.com/prefs/apps; give its client id (under the app's "
        "name) here and its secret below. Crisis Desk only reads search results."
    )

    def validate(self, settings: SourceSettings) -> list[str]:
        return require(settings, "query", "client_id")

    def secret_addresses(self, settings: SourceSettings) -> list[str]:
        return [self._auth_url(settings), self.base_url(settings)]

    def _auth_url(self, settings: SourceSettings) -> str:
        if settings.base_url:  # a mirror or test server answers both
            return f"{self.base_url(settings)}/api/v1/access_token"
        return DEFAULT_AUTH

    def _token(self, settings, http: Http, secret: str | None) -> str:
        key = (self._auth_url(settings), settings.options["client_id"])
        cached = _TOKENS.get(key)
        if cached and cached[1] > time.monotonic() + 60:
            return cached[0]
        if not secret:
            raise SourceError(f"{settings.name} needs the client secret.", permanent=True)
        response = http.request(
            "POST",
            key[0],
            service=settings.name,
            auth=(settings.options["client_id"], secret),
            data={"grant_type": "client_credentials"},
        )
        body = decode_json(response, settings.name)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceError(
                f"{settings.name} did not give a sign-in token; check the client id and secret.",
                permanent=True,
            )
        lifetime = body.get("expires_in", 3600)
        if not isinstance(lifetime, int | float) or not 0 <= lifetime <= 86_400:
            lifetime = 3600  # a missing or absurd lifetime: assume the usual hour
        _TOKENS[key] = (token, time.monotonic() + lifetime)
        return token

    def fetch(self, settings, cursor, http: Http, secret) -> PullPage:
        token = self._token(settings, http, secret)
        params = {
            "q": settings.query,
            "sort": "new",
            "limit": PAGE_SIZE,
            "raw_json": 1,
            "type": "link",
        }
        if cursor.get("before"):
            params["before"] = cursor["before"]
        subreddit = settings.options.get("subreddit", "").strip().removeprefix("r/")
        path = f"/r/{subreddit}/search" if subreddit else "/search"
        if subreddit:
            params["restrict_sr"] = "on"
        body = http.get_json(
            f"{self.base_url(settings)}{path}",
            service=settings.name,
            params=params,
            headers={"Authorization": f"bearer {token}"},
        )
        data = body.get("data") if isinstance(body, dict) else None
        children = data.get("children") if isinstance(data, dict) else None
        if not isinstance(children, list):
            raise SourceError(f"{settings.name} answered in a form Crisis Desk does not know.")
        posts = [c.get("data") if isinstance(c, dict) else None for c in children]
        mentions, rejected = read_items(
            posts,
            lambda p: post_to_mention(p, settings.name) if p.get("name") or p.get("id") else None,
        )
        new_cursor = dict(cursor)
        dated = [
            (parse_time(p.get("created_utc")), p["name"])
            for p in posts
            if isinstance(p, dict) and isinstance(p.get("name"), str)
        ]
        dated = [(moment, name) for moment, name in dated if moment]
        if dated:
            new_cursor["before"] = max(dated)[1]
        return PullPage(mentions, new_cursor, rejected)

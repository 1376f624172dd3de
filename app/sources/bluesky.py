"""Bluesky: `app.bsky.feed.searchPosts` with an app password.

A session comes from `com.atproto.server.createSession` and is refreshed with
`com.atproto.server.refreshSession` when the access token expires. Session tokens are kept in
memory for this run only; the app password itself lives in the keyring.
"""

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
from app.sources.http import Http, SourceError, decode_json

PAGE_SIZE = 100
# (base url, handle) -> {"accessJwt", "refreshJwt"}; never written anywhere.
_SESSIONS: dict[tuple[str, str], dict] = {}


def post_to_mention(post: dict, source: str) -> NewMention:
    author = post.get("author") or {}
    record = post.get("record") or {}
    uri = text_of(post.get("uri"))
    rkey = uri.rsplit("/", 1)[-1] if uri else ""
    handle = text_of(author.get("handle"))
    langs = record.get("langs") or []
    return NewMention(
        source=source,
        text=text_of(record.get("text")),
        external_id=uri,
        author_name=author.get("displayName") or handle,
        author_handle=handle,
        author_followers=author.get("followersCount"),
        url=f"https://bsky.app/profile/{handle}/post/{rkey}" if handle and rkey else "",
        language=text_of(langs[0]) if isinstance(langs, list) and langs else "",
        posted_at=parse_time(record.get("createdAt") or post.get("indexedAt")),
        raw=post,
    )


class BlueskyAdapter(Adapter):
    kind = "bluesky"
    label = "Bluesky"
    default_base_url = "https://bsky.social"
    secret_label = "App password"
    secret_required = True
    help = (
        "Your handle (e.g. hearthandcrumb.bsky.social) and an app password from Settings → "
        "Privacy and security → App passwords. Never use your main password."
    )

    def validate(self, settings: SourceSettings) -> list[str]:
        return require(settings, "query", "handle")

    def _session(self, base: str, settings, http: Http, secret: str | None, fresh: bool) -> dict:
        key = (base, settings.options["handle"])
        if key in _SESSIONS and not fresh:
            return _SESSIONS[key]
        if key in _SESSIONS and fresh and _SESSIONS[key].get("refreshJwt"):
            try:
                response = http.request(
                    "POST",
                    f"{base}/xrpc/com.atproto.server.refreshSession",
                    service=settings.name,
                    headers={"Authorization": f"Bearer {_SESSIONS[key]['refreshJwt']}"},
                )
                _SESSIONS[key] = _signed_in(decode_json(response, settings.name), settings.name)
                return _SESSIONS[key]
            except SourceError:
                _SESSIONS.pop(key, None)
        if not secret:
            raise SourceError(
                f"{settings.name} needs the app password; add it in the source's settings.",
                permanent=True,
            )
        response = http.request(
            "POST",
            f"{base}/xrpc/com.atproto.server.createSession",
            service=settings.name,
            json={"identifier": settings.options["handle"], "password": secret},
            secret_body=True,  # never re-sent to another host on a 307/308 redirect
        )
        _SESSIONS[key] = _signed_in(decode_json(response, settings.name), settings.name)
        return _SESSIONS[key]

    def fetch(self, settings, cursor, http: Http, secret) -> PullPage:
        base = self.base_url(settings)
        params = {"q": settings.query, "sort": "latest", "limit": PAGE_SIZE}
        if cursor.get("since"):
            params["since"] = cursor["since"]
        for attempt in (0, 1):
            session = self._session(base, settings, http, secret, fresh=attempt == 1)
            try:
                body = http.get_json(
                    f"{base}/xrpc/app.bsky.feed.searchPosts",
                    service=settings.name,
                    params=params,
                    headers={"Authorization": f"Bearer {session['accessJwt']}"},
                )
                break
            except SourceError as exc:
                # An expired access token answers 400/401: refresh once, then give up.
                if attempt == 1 or "refused" not in str(exc) and "error 400" not in str(exc):
                    raise
        posts = body.get("posts") if isinstance(body, dict) else None
        if not isinstance(posts, list):
            raise SourceError(f"{settings.name} answered in a form Crisis Desk does not know.")
        mentions, rejected = read_items(posts, lambda p: post_to_mention(p, settings.name))
        times = [m.posted_at for m in mentions if m.posted_at]
        new_cursor = dict(cursor)
        if times:
            newest = max(times).isoformat().replace("+00:00", "Z")
            if newest > cursor.get("since", ""):
                new_cursor["since"] = newest
        return PullPage(mentions, new_cursor, rejected)


def _signed_in(session, service: str) -> dict:
    """A session answer with both tokens as text, or one sentence."""
    if (
        isinstance(session, dict)
        and isinstance(session.get("accessJwt"), str)
        and isinstance(session.get("refreshJwt", ""), str)
    ):
        return session
    raise SourceError(f"{service} sent an unexpected answer when signing in.")

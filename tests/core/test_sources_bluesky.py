"""Bluesky search with its session and refresh through the replay server."""

from __future__ import annotations

import json

from werkzeug import Response

from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from app.store import open_store
from tests.conftest import FIXED_NOW
from tests.core.sources_support import fixture_bytes, recorded_headers


def test_bluesky_search_with_session_refresh(httpserver, db_path):
    calls = []

    def create_session(request):
        body = request.get_json()
        calls.append("create")
        if body != {"identifier": "hearth.bsky.social", "password": "app-pass-1234"}:
            return Response(json.dumps({"error": "AuthenticationRequired"}), status=401)
        return Response(
            json.dumps({"accessJwt": "old", "refreshJwt": "refresh-1"}),
            content_type="application/json",
        )

    def refresh(request):
        calls.append("refresh")
        assert request.headers["Authorization"] == "Bearer refresh-1"
        return Response(
            json.dumps({"accessJwt": "new", "refreshJwt": "refresh-2"}),
            content_type="application/json",
        )

    def search(request):
        calls.append(f"search:{request.headers.get('Authorization')}")
        if request.headers.get("Authorization") == "Bearer old":
            return Response(
                json.dumps({"error": "ExpiredToken"}), status=400, content_type="application/json"
            )
        if "since" in request.args:
            return Response(json.dumps({"posts": []}), content_type="application/json")
        return Response(
            fixture_bytes("api/bluesky_searchPosts.json"),
            headers=recorded_headers("api/bluesky_searchPosts.headers.json"),
            content_type="application/json",
        )

    httpserver.expect_request(
        "/xrpc/com.atproto.server.createSession", method="POST"
    ).respond_with_handler(create_session)
    httpserver.expect_request(
        "/xrpc/com.atproto.server.refreshSession", method="POST"
    ).respond_with_handler(refresh)
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_handler(search)
    open_store(db_path).close()
    secrets = MemorySecretStore()
    with open_store(db_path) as store:
        source = store.sources.add(
            SourceSettings(
                "Sky",
                "bluesky",
                "redistricting",
                httpserver.url_for("/"),
                {"handle": "hearth.bsky.social"},
            )
        )
        secrets.set(source.secret_name, "app-pass-1234")
        outcome = pull_source(store, "Sky", secrets, now=FIXED_NOW)
        assert outcome.ok, outcome.error
        assert outcome.new == 25
        assert calls[:4] == ["create", "search:Bearer old", "refresh", "search:Bearer new"]
        row = dict(
            next(store.db.query("SELECT * FROM mentions WHERE external_id LIKE '%3lpk2u6qo222m'"))
        )
        assert row["author_handle"] == "socpaperbot.bsky.social"
        assert row["url"] == "https://bsky.app/profile/socpaperbot.bsky.social/post/3lpk2u6qo222m"
        assert row["text"].startswith("Ends Versus Means")
        again = pull_source(store, "Sky", secrets, now=FIXED_NOW)
        assert again.ok and again.new == 0
        assert store.sources.get("Sky").cursor["since"].startswith("2025-05-19")

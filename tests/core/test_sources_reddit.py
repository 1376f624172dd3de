"""Reddit OAuth search through the replay server."""

from __future__ import annotations

import json

from werkzeug import Response

from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from tests.conftest import FIXED_NOW
from tests.core.sources_support import fixture_bytes


def test_reddit_oauth_search(httpserver, store):
    def token(request):
        assert request.authorization.username == "client-abc"
        assert request.authorization.password == "shh"
        assert request.form["grant_type"] == "client_credentials"
        return Response(
            json.dumps({"access_token": "tok", "token_type": "bearer", "expires_in": 3600}),
            content_type="application/json",
        )

    def search(request):
        assert request.headers["Authorization"] == "bearer tok"
        assert "CrisisDesk/" in request.headers["User-Agent"]
        if "before" in request.args:
            return Response(
                json.dumps(
                    {"kind": "Listing", "data": {"children": [], "after": None, "before": None}}
                ),
                content_type="application/json",
            )
        return Response(
            fixture_bytes("api/reddit_search_listing.json"), content_type="application/json"
        )

    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_handler(token)
    httpserver.expect_request("/search").respond_with_handler(search)
    secrets = MemorySecretStore()
    source = store.sources.add(
        SourceSettings(
            "Reddit",
            "reddit",
            "praw oauth search",
            httpserver.url_for("/"),
            {"client_id": "client-abc"},
        )
    )
    secrets.set(source.secret_name, "shh")
    outcome = pull_source(store, "Reddit", secrets, now=FIXED_NOW)
    assert outcome.ok and outcome.new == 6, outcome
    row = dict(next(store.db.query("SELECT * FROM mentions WHERE external_id = 't3_3gpbiu'")))
    assert row["text"].startswith("[PRAW][OAuth2Util] Problem using get_banned()")
    assert row["author_handle"] == "u/dClauzel"
    assert (
        row["url"]
        == "https://www.reddit.com/r/redditdev/comments/3gpbiu/prawoauth2util_problem_using_get_banned_raise/"
    )
    assert row["posted_at"].startswith("2015-08-12")
    again = pull_source(store, "Reddit", secrets, now=FIXED_NOW)
    assert again.ok and again.new == 0
    assert store.sources.get("Reddit").cursor["before"].startswith("t3_")

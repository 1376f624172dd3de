"""Hacker News (Algolia) stories and comments through `crisisdesk pull`."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from tests.core.sources_support import add_hacker_news, fixture_bytes, mentions


@pytest.mark.parametrize(
    "fixture, count",
    [
        ("api/hn_algolia_search_by_date_story.json", 20),
        ("api/hn_algolia_search_by_date_comment.json", 20),
    ],
)
def test_hacker_news_stories_and_comments(cli, httpserver, db_path, fixture, count, copy_cli_demo):
    def search(request):
        if "numericFilters" in request.args:
            assert request.args["numericFilters"].startswith("created_at_i>")
            return Response(
                json.dumps({"hits": [], "nbHits": 0, "page": 0}), content_type="application/json"
            )
        return Response(fixture_bytes(fixture), content_type="application/json")

    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(search)
    copy_cli_demo(db_path)
    add_hacker_news(cli, db_path, "apple", httpserver.url_for("/"))
    first = json.loads(cli("--db", str(db_path), "pull", "--all", "--json").out)
    assert first["results"][0]["new"] == count
    rows = [m for m in mentions(db_path) if m["source"] == "HN"]
    assert all(m["url"].startswith("https://news.ycombinator.com/item?id=") for m in rows)
    assert not any("&#x27;" in m["text"] or "<p>" in m["text"] for m in rows)
    second = json.loads(cli("--db", str(db_path), "pull", "HN", "--json").out)
    assert second["results"][0]["new"] == 0

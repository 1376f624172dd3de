"""Mastodon tag timelines through the replay server."""

from __future__ import annotations

import json

from werkzeug import Response

from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from tests.conftest import FIXED_NOW
from tests.core.sources_support import fixture_bytes, mentions, recorded_headers, source_row


def test_mastodon_tag_timeline_then_only_newer(cli, httpserver, db_path, copy_cli_demo):
    seen_params = []

    def timeline(request):
        seen_params.append(dict(request.args))
        if "min_id" in request.args:
            return Response(
                fixture_bytes("api/mastodon_timelines_tag_last-page-empty.json"),
                content_type="application/json",
            )
        return Response(
            fixture_bytes("api/mastodon_timelines_tag_page1.json"),
            headers=recorded_headers("api/mastodon_timelines_tag_page1.headers.json"),
            content_type="application/json",
        )

    httpserver.expect_request("/api/v1/timelines/tag/bakery").respond_with_handler(timeline)
    copy_cli_demo(db_path)
    cli(
        "--db",
        str(db_path),
        "sources",
        "add",
        "mastodon",
        "--name",
        "Toots",
        "--base-url",
        httpserver.url_for("/"),
        "--tag",
        "bakery",
        env={"CRISISDESK_SECRET": ""},
    )
    first = json.loads(cli("--db", str(db_path), "pull", "Toots", "--json").out)
    assert first["results"][0]["new"] == 10
    rows = [m for m in mentions(db_path) if m["source"] == "Toots"]
    newest = max(rows, key=lambda m: m["posted_at"])
    assert newest["text"].startswith("Toot number 29!")
    assert "<" not in newest["text"]
    assert newest["author_handle"] == "mastodonpy_test_2"
    assert newest["url"] == "http://localhost:3000/@mastodonpy_test_2/117020581413876942"
    assert newest["language"] == "ja"
    assert newest["posted_at"].startswith("2026-08-01T13:52:47")
    assert json.loads(newest["raw"])["id"] == "117020581413876942"
    second = json.loads(cli("--db", str(db_path), "pull", "Toots", "--json").out)
    assert second["results"][0]["new"] == 0
    assert seen_params[-1]["min_id"] == "117020581413876942"
    assert source_row(db_path, "Toots")["cursor"] == {"min_id": "117020581413876942"}


def test_mastodon_public_timeline_statuses_map_mentions_and_entities(httpserver, store):
    httpserver.expect_request("/api/v1/timelines/tag/news").respond_with_data(
        fixture_bytes("api/mastodon_timelines_public.json"), content_type="application/json"
    )
    store.sources.add(
        SourceSettings("M", "mastodon", base_url=httpserver.url_for("/"), options={"tag": "news"})
    )
    assert pull_source(store, "M", MemorySecretStore(), now=FIXED_NOW).new == 8
    texts = [r["text"] for r in store.db.query("SELECT text FROM mentions")]
    assert not any("&#39;" in t or "<p>" in t for t in texts)

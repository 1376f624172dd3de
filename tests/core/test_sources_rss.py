"""RSS and Atom feeds (Google Alerts, other encodings and formats) through the replay server."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from tests.conftest import FIXED_NOW
from tests.core.sources_support import fixture_bytes, mentions


def test_google_alerts_feed_pull_unwraps_links_and_second_pull_is_conditional(
    cli, httpserver, db_path, copy_cli_demo
):
    def feed(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            fixture_bytes("feeds/atom_google-alerts.xml"),
            headers={"ETag": '"v1"'},
            content_type="application/atom+xml",
        )

    httpserver.expect_request("/alerts").respond_with_handler(feed)
    copy_cli_demo(db_path)
    add = cli(
        "--db",
        str(db_path),
        "sources",
        "add",
        "rss",
        "--name",
        "Alerts",
        "--url",
        httpserver.url_for("/alerts"),
    )
    assert add.code == 0, add.err
    first = cli("--db", str(db_path), "pull", "Alerts", "--json")
    assert first.code == 0, first.err
    assert json.loads(first.out)["results"][0]["new"] == 20
    rows = [m for m in mentions(db_path) if m["source"] == "Alerts"]
    assert len(rows) == 20
    assert not any("google.com/url" in m["url"] for m in rows)
    assert all(m["url"].startswith("http") for m in rows)
    assert all("<b>" not in m["text"] for m in rows)
    assert all(m["external_id"].startswith("tag:google.com") for m in rows)
    assert all(m["posted_at"] for m in rows)
    assert all(m["sentiment"] for m in rows)  # scored as they came in, for the spike alarm
    second = cli("--db", str(db_path), "pull", "Alerts", "--json")
    assert json.loads(second.out)["results"][0] == {
        "source": "Alerts",
        "new": 0,
        "duplicates": 0,
        "rejected": 0,
        "error": None,
        "skipped": None,
    }


@pytest.mark.parametrize(
    "fixture, words",
    [
        ("feeds/rss20_uol_iso-8859-1_undeclared.xml", "simulações"),
        ("feeds/rss20_jn-pt_iso-8859-1.xml", "Mãe de utente"),
        ("feeds/rss10_science-magazine.rdf", "Food for fungi"),
        ("feeds/atom_daringfireball.xml", "The Talk Show"),
    ],
)
def test_feeds_in_other_encodings_and_formats(httpserver, store, fixture, words):
    httpserver.expect_request("/feed").respond_with_data(
        fixture_bytes(fixture), content_type="text/xml"
    )
    store.sources.add(SourceSettings("Feed", "rss", options={"url": httpserver.url_for("/feed")}))
    outcome = pull_source(store, "Feed", MemorySecretStore(), now=FIXED_NOW)
    assert outcome.ok and outcome.new > 10, outcome
    texts = [r["text"] for r in store.db.query("SELECT text FROM mentions")]
    assert any(words in t for t in texts)
    assert not any("\ufffd" in t for t in texts)


def test_portuguese_feed_dates_are_read(httpserver, store):
    httpserver.expect_request("/feed").respond_with_data(
        fixture_bytes("feeds/rss20_uol_iso-8859-1_undeclared.xml"), content_type="text/xml"
    )
    store.sources.add(SourceSettings("UOL", "rss", options={"url": httpserver.url_for("/feed")}))
    pull_source(store, "UOL", MemorySecretStore(), now=FIXED_NOW)
    dates = [r["posted_at"] for r in store.db.query("SELECT posted_at FROM mentions")]
    assert dates and all(d and d.startswith("2018-09") for d in dates)


def test_empty_feed_is_fine(httpserver, store):
    httpserver.expect_request("/feed").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
        content_type="application/rss+xml",
    )
    store.sources.add(SourceSettings("Quiet", "rss", options={"url": httpserver.url_for("/feed")}))
    outcome = pull_source(store, "Quiet", MemorySecretStore(), now=FIXED_NOW)
    assert outcome.ok and outcome.new == 0

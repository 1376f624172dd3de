"""Source adapters through the real code path against a local replay server on 127.0.0.1.

The server (pytest-httpserver) replays real recorded responses of each service from
tests/fixtures/ (origins in tests/fixtures/SOURCES.md) plus the faults services really send.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug import Response

from app.secrets import MemorySecretStore
from app.sources import http as source_http
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from app.store import open_store
from tests.conftest import FIXED_NOW

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def recorded_headers(
    name: str,
    keep=(
        "link",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "ratelimit-limit",
        "ratelimit-remaining",
    ),
) -> dict:
    recorded = json.loads(fixture_bytes(name))["headers"]
    out = {}
    for key, value in recorded.items():
        if key.lower() in keep:
            out[key] = value[0] if isinstance(value, list) else value
    return out


def crisisdesk(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def demo_with_hacker_news(db_path, query: str, base_url: str) -> None:
    """The demo workspace with a Hacker News source named HN pointed at the replay server."""
    crisisdesk("demo", "--db", str(db_path))
    crisisdesk(
        "--db",
        str(db_path),
        "sources",
        "add",
        "hackernews",
        "--name",
        "HN",
        "--query",
        query,
        "--base-url",
        base_url,
    )


def mentions(db_path) -> list[dict]:
    with open_store(db_path) as store:
        return [dict(r) for r in store.db.query("SELECT * FROM mentions ORDER BY id")]


def source_row(db_path, name) -> dict:
    with open_store(db_path) as store:
        source = store.sources.get(name)
        return {
            "cursor": source.cursor,
            "health": source.health(),
            "error": source.last_error,
            "pulled": source.items_pulled,
        }


# --- each adapter through `crisisdesk pull` ------------------------------------------------


def test_google_alerts_feed_pull_unwraps_links_and_second_pull_is_conditional(httpserver, db_path):
    def feed(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            fixture_bytes("feeds/atom_google-alerts.xml"),
            headers={"ETag": '"v1"'},
            content_type="application/atom+xml",
        )

    httpserver.expect_request("/alerts").respond_with_handler(feed)
    crisisdesk("demo", "--db", str(db_path))
    add = crisisdesk(
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
    assert add.returncode == 0, add.stderr
    first = crisisdesk("--db", str(db_path), "pull", "Alerts", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["results"][0]["new"] == 20
    rows = [m for m in mentions(db_path) if m["source"] == "Alerts"]
    assert len(rows) == 20
    assert not any("google.com/url" in m["url"] for m in rows)
    assert all(m["url"].startswith("http") for m in rows)
    assert all("<b>" not in m["text"] for m in rows)
    assert all(m["external_id"].startswith("tag:google.com") for m in rows)
    assert all(m["posted_at"] for m in rows)
    assert all(m["sentiment"] for m in rows)  # scored as they came in, for the spike alarm
    second = crisisdesk("--db", str(db_path), "pull", "Alerts", "--json")
    assert json.loads(second.stdout)["results"][0] == {
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


def test_mastodon_tag_timeline_then_only_newer(httpserver, db_path):
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
    crisisdesk("demo", "--db", str(db_path))
    crisisdesk(
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
    first = json.loads(crisisdesk("--db", str(db_path), "pull", "Toots", "--json").stdout)
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
    second = json.loads(crisisdesk("--db", str(db_path), "pull", "Toots", "--json").stdout)
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


@pytest.mark.parametrize(
    "fixture, count",
    [
        ("api/hn_algolia_search_by_date_story.json", 20),
        ("api/hn_algolia_search_by_date_comment.json", 20),
    ],
)
def test_hacker_news_stories_and_comments(httpserver, db_path, fixture, count):
    def search(request):
        if "numericFilters" in request.args:
            assert request.args["numericFilters"].startswith("created_at_i>")
            return Response(
                json.dumps({"hits": [], "nbHits": 0, "page": 0}), content_type="application/json"
            )
        return Response(fixture_bytes(fixture), content_type="application/json")

    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(search)
    demo_with_hacker_news(db_path, "apple", httpserver.url_for("/"))
    first = json.loads(crisisdesk("--db", str(db_path), "pull", "--all", "--json").stdout)
    assert first["results"][0]["new"] == count
    rows = [m for m in mentions(db_path) if m["source"] == "HN"]
    assert all(m["url"].startswith("https://news.ycombinator.com/item?id=") for m in rows)
    assert not any("&#x27;" in m["text"] or "<p>" in m["text"] for m in rows)
    second = json.loads(crisisdesk("--db", str(db_path), "pull", "HN", "--json").stdout)
    assert second["results"][0]["new"] == 0


def test_generic_json_endpoint_with_mapping_and_token(httpserver, db_path):
    payload = {
        "data": {
            "results": [
                {
                    "id": 1,
                    "body": "Loved the cinnamon buns",
                    "user": {"name": "Ana", "handle": "ana"},
                    "link": "https://reviews.example/1",
                    "created": "2026-11-20T08:00:00Z",
                },
                {
                    "id": 2,
                    "body": "Got sick after the custard tart",
                    "user": {"name": "Ben"},
                    "created": "2026-11-20T09:00:00+01:00",
                },
                {"id": 3, "body": ""},
            ]
        }
    }
    httpserver.expect_request("/api/mentions", headers={"X-Api-Key": "k-123"}).respond_with_json(
        payload
    )
    crisisdesk("demo", "--db", str(db_path))
    add = crisisdesk(
        "--db",
        str(db_path),
        "sources",
        "add",
        "json",
        "--name",
        "Reviews",
        "--url",
        httpserver.url_for("/api/mentions"),
        "--items",
        "data.results",
        "--header",
        "X-Api-Key",
        "--map",
        "text=body",
        "--map",
        "external_id=id",
        "--map",
        "author_name=user.name",
        "--map",
        "author_handle=user.handle",
        "--map",
        "url=link",
        "--map",
        "posted_at=created",
        env={"CRISISDESK_SECRET": "k-123"},
    )
    assert add.returncode == 0, add.stderr
    pulled = crisisdesk(
        "--db", str(db_path), "pull", "Reviews", "--json", env={"CRISISDESK_SECRET": "k-123"}
    )
    assert json.loads(pulled.stdout)["results"][0]["new"] == 2, pulled.stdout + pulled.stderr
    rows = {m["external_id"]: m for m in mentions(db_path) if m["source"] == "Reviews"}
    assert rows["1"]["author_name"] == "Ana" and rows["1"]["url"] == "https://reviews.example/1"
    assert rows["2"]["posted_at"].startswith("2026-11-20T08:00:00")


# --- faults ------------------------------------------------------------------------------


def _hn_source(store, httpserver):
    store.sources.add(SourceSettings("HN", "hackernews", "bakery", httpserver.url_for("/")))


def _seed_one_good_pull(store, httpserver):
    httpserver.expect_oneshot_request("/api/v1/search_by_date").respond_with_data(
        fixture_bytes("api/hn_algolia_search_by_date_story.json"), content_type="application/json"
    )
    _hn_source(store, httpserver)
    assert pull_source(store, "HN", MemorySecretStore(), now=FIXED_NOW).new == 20


FAULTS = {
    "401": (lambda r: Response("no", status=401), "refused the password or token"),
    "403": (lambda r: Response("no", status=403), "does not allow"),
    "404": (lambda r: Response("gone", status=404), "does not exist"),
    "429": (
        lambda r: Response("slow down", status=429, headers={"Retry-After": "600"}),
        "rate-limiting",
    ),
    "500": (lambda r: Response("oops", status=500), "problem of its own"),
    "truncated": (
        lambda r: Response(
            fixture_bytes("api/hn_algolia_search_by_date_story.json")[:5000],
            content_type="application/json",
        ),
        "cut short",
    ),
    "invalid-json": (
        lambda r: Response('{"hits": [1, 2', content_type="application/json"),
        "cut short",
    ),
    "html-error-page": (
        lambda r: Response("<html><body>Maintenance</body></html>", content_type="text/html"),
        "web page",
    ),
    "wrong-shape": (
        lambda r: Response('{"items": []}', content_type="application/json"),
        "does not know",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_faults_give_plain_health_and_keep_earlier_mentions(httpserver, store, fault):
    _seed_one_good_pull(store, httpserver)
    cursor_before = store.sources.get("HN").cursor
    handler, words = FAULTS[fault]
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(handler)
    outcome = pull_source(store, "HN", MemorySecretStore(), now=FIXED_NOW)
    assert not outcome.ok and words in outcome.error
    source = store.sources.get("HN")
    assert source.health() == outcome.error and "Traceback" not in outcome.error
    assert source.cursor == cursor_before
    assert store.db["mentions"].count == 20
    assert source.next_pull_at > FIXED_NOW.isoformat()
    if fault == "429":
        assert source.next_pull_at >= "2026-11-20T09:40:00"  # Retry-After 600 s honoured


def test_slow_response_times_out(httpserver, store, monkeypatch):
    monkeypatch.setattr(source_http, "READ_TIMEOUT", 0.5)

    def slow(request):
        time.sleep(1.5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(slow)
    _hn_source(store, httpserver)
    outcome = pull_source(store, "HN", MemorySecretStore(), now=FIXED_NOW)
    assert "did not answer within" in outcome.error


def test_redirect_loop(httpserver, store):
    httpserver.expect_request("/loop").respond_with_handler(
        lambda r: Response(status=302, headers={"Location": "/loop"})
    )
    store.sources.add(SourceSettings("Loop", "rss", options={"url": httpserver.url_for("/loop")}))
    outcome = pull_source(store, "Loop", MemorySecretStore(), now=FIXED_NOW)
    assert "redirecting in a loop" in outcome.error


def test_no_network(store):
    store.sources.add(SourceSettings("Offline", "rss", options={"url": "http://127.0.0.1:9/feed"}))
    outcome = pull_source(store, "Offline", MemorySecretStore(), now=FIXED_NOW)
    assert "Cannot reach" in outcome.error


def test_empty_feed_is_fine(httpserver, store):
    httpserver.expect_request("/feed").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
        content_type="application/rss+xml",
    )
    store.sources.add(SourceSettings("Quiet", "rss", options={"url": httpserver.url_for("/feed")}))
    outcome = pull_source(store, "Quiet", MemorySecretStore(), now=FIXED_NOW)
    assert outcome.ok and outcome.new == 0


def test_backoff_grows_and_is_jittered(store):
    from app.sources.http import SourceError
    from app.sources.pulling import next_attempt

    source = store.sources.add(SourceSettings("X", "hackernews", "q"))
    delays = []
    for failures in range(4):
        source.failures = failures
        delays.append(
            (next_attempt(source, FIXED_NOW, SourceError("x")) - FIXED_NOW).total_seconds()
        )
    assert all(later > earlier for earlier, later in zip(delays, delays[1:], strict=False))
    assert 0.8 * 15 * 60 <= delays[0] <= 1.2 * 15 * 60


def test_one_pull_of_a_source_at_a_time(store):
    source = store.sources.add(SourceSettings("X", "hackernews", "q"))
    assert store.sources.claim(source.id, FIXED_NOW)
    outcome = pull_source(store, "X", MemorySecretStore(), now=FIXED_NOW)
    assert outcome.skipped and not outcome.error


def test_paused_pulls_do_nothing(db_path):
    crisisdesk("demo", "--db", str(db_path))
    crisisdesk(
        "--db",
        str(db_path),
        "sources",
        "add",
        "hackernews",
        "--name",
        "HN",
        "--query",
        "q",
        "--base-url",
        "http://127.0.0.1:9",
    )
    crisisdesk("--db", str(db_path), "sources", "pause")
    result = crisisdesk("--db", str(db_path), "pull", "--all")
    assert result.returncode == 0 and "paused" in result.stdout


def test_cli_errors_are_one_line(db_path):
    crisisdesk("demo", "--db", str(db_path))
    missing = crisisdesk("--db", str(db_path), "pull", "Nope")
    assert missing.returncode == 1 and "no source named" in missing.stderr
    bad = crisisdesk(
        "--db", str(db_path), "sources", "add", "rss", "--name", "F", "--url", "ftp://x"
    )
    assert (
        bad.returncode == 1 and "http" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    )
    no_secret = crisisdesk(
        "--db",
        str(db_path),
        "sources",
        "add",
        "bluesky",
        "--name",
        "B",
        "--query",
        "q",
        "--handle",
        "h",
    )
    assert no_secret.returncode == 1 and "CRISISDESK_SECRET" in no_secret.stderr
    failed = crisisdesk(
        "--db",
        str(db_path),
        "sources",
        "add",
        "hackernews",
        "--name",
        "HN",
        "--query",
        "q",
        "--base-url",
        "http://127.0.0.1:9",
    )
    assert failed.returncode == 0
    result = crisisdesk("--db", str(db_path), "pull", "HN")
    assert result.returncode == 1 and "Cannot reach" in result.stdout


def test_kill_during_pull_leaves_cursor_and_rows_consistent(httpserver, db_path):
    hits = [
        {
            "objectID": str(i),
            "title": f"Story {i} about bread",
            "author": "a",
            "created_at_i": 1700000000 + i,
            "created_at": "2023-11-14T22:13:20Z",
        }
        for i in range(3000)
    ]
    body = json.dumps({"hits": hits}).encode()

    def slow_stream(request):
        def chunks():
            for start in range(0, len(body), 20000):
                time.sleep(0.05)
                yield body[start : start + 20000]

        return Response(chunks(), content_type="application/json")

    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(slow_stream)
    demo_with_hacker_news(db_path, "bread", httpserver.url_for("/"))
    for delay in (0.3, 1.0, 3.0):  # before, during and after the download
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db_path), "pull", "HN"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with open_store(db_path) as store:
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = store.db.execute(
                "SELECT count(*) FROM mentions WHERE source = 'HN'"
            ).fetchone()[0]
            cursor = store.sources.get("HN").cursor
            # Either the whole pull landed with its cursor, or none of it did.
            assert (count, bool(cursor.get("after"))) in ((0, False), (3000, True))
            store.db.execute("UPDATE sources SET claimed_until = NULL")
            store.db.conn.commit()


def test_secret_never_lands_in_the_workspace_settings_or_output(tmp_path):
    """Add a source with a secret through the real command line, pull it, then search every
    file Crisis Desk wrote (workspace, its WAL, settings, data folder) and all output."""
    secret = "sk-never-write-me-8f3a1c"
    data, config = tmp_path / "data", tmp_path / "config"
    env = {"CRISISDESK_DATA_DIR": str(data), "CRISISDESK_CONFIG_DIR": str(config)}
    db = tmp_path / "w.db"
    outputs = [crisisdesk("demo", "--db", str(db), env=env)]
    outputs.append(
        crisisdesk(
            "--db",
            str(db),
            "sources",
            "add",
            "bluesky",
            "--name",
            "Sky",
            "--query",
            "q",
            "--handle",
            "h.bsky.social",
            "--base-url",
            "http://127.0.0.1:9",
            env={**env, "CRISISDESK_SECRET": secret},
        )
    )
    assert outputs[-1].returncode == 0, outputs[-1].stderr
    outputs.append(crisisdesk("--db", str(db), "pull", "Sky", env=env))
    outputs.append(crisisdesk("--db", str(db), "sources", "list", "--json", env=env))
    for result in outputs:
        assert secret not in result.stdout and secret not in result.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert db in written
    for path in written:
        assert secret.encode() not in path.read_bytes(), path
    if os.environ.get("CRISISDESK_REAL_KEYRING"):
        import keyring

        with open_store(db) as store:
            name = store.sources.get("Sky").secret_name
        assert keyring.get_password("Crisis Desk", name) == secret
        crisisdesk("--db", str(db), "sources", "remove", "Sky", env=env)
        assert keyring.get_password("Crisis Desk", name) is None


def test_bluesky_and_reddit_through_the_command_line(httpserver, db_path):
    """The same real code path as cron would use, with the secret from CRISISDESK_SECRET."""

    def create_session(request):
        ok = request.get_json() == {"identifier": "hearth.bsky.social", "password": "pw-1"}
        body = {"accessJwt": "a", "refreshJwt": "r"} if ok else {"error": "AuthFactorTokenRequired"}
        return Response(
            json.dumps(body), status=200 if ok else 401, content_type="application/json"
        )

    def bsky_search(request):
        if "since" in request.args:
            return Response(json.dumps({"posts": []}), content_type="application/json")
        return Response(
            fixture_bytes("api/bluesky_searchPosts.json"), content_type="application/json"
        )

    def token(request):
        return Response(
            json.dumps({"access_token": "t", "expires_in": 3600}), content_type="application/json"
        )

    def reddit_search(request):
        if "before" in request.args:
            return Response(
                json.dumps({"kind": "Listing", "data": {"children": []}}),
                content_type="application/json",
            )
        return Response(
            fixture_bytes("api/reddit_search_listing.json"), content_type="application/json"
        )

    httpserver.expect_request("/xrpc/com.atproto.server.createSession").respond_with_handler(
        create_session
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_handler(bsky_search)
    httpserver.expect_request("/api/v1/access_token").respond_with_handler(token)
    httpserver.expect_request("/search").respond_with_handler(reddit_search)
    crisisdesk("demo", "--db", str(db_path))
    base = httpserver.url_for("/")
    db = ["--db", str(db_path)]
    assert (
        crisisdesk(
            *db,
            "sources",
            "add",
            "bluesky",
            "--name",
            "Sky",
            "--query",
            "q",
            "--handle",
            "hearth.bsky.social",
            "--base-url",
            base,
            env={"CRISISDESK_SECRET": "pw-1"},
        ).returncode
        == 0
    )
    assert (
        crisisdesk(
            *db,
            "sources",
            "add",
            "reddit",
            "--name",
            "Reddit",
            "--query",
            "q",
            "--client-id",
            "cid",
            "--base-url",
            base,
            env={"CRISISDESK_SECRET": "s"},
        ).returncode
        == 0
    )
    first = json.loads(
        crisisdesk(*db, "pull", "Sky", "--json", env={"CRISISDESK_SECRET": "pw-1"}).stdout
    )
    assert first["results"][0]["new"] == 25
    first = json.loads(
        crisisdesk(*db, "pull", "Reddit", "--json", env={"CRISISDESK_SECRET": "s"}).stdout
    )
    assert first["results"][0]["new"] == 6
    again = json.loads(
        crisisdesk(*db, "pull", "Sky", "--json", env={"CRISISDESK_SECRET": "pw-1"}).stdout
    )
    assert again["results"][0]["new"] == 0
    wrong = crisisdesk(*db, "pull", "Sky", env={"CRISISDESK_SECRET": "nope"})
    assert wrong.returncode == 1 and "refused the password" in wrong.stdout

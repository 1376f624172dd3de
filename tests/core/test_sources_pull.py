"""What every source shares: faults and their plain health, backoff, one pull at a time,
pausing, the command line's errors, kill -9 during a pull, secrets kept out of every file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from werkzeug import Response

from app.secrets import MemorySecretStore
from app.sources import http as source_http
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from app.store import open_store
from tests.conftest import FIXED_NOW
from tests.core.sources_support import add_hacker_news, fixture_bytes


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


def test_paused_pulls_do_nothing(cli, db_path, copy_cli_demo):
    copy_cli_demo(db_path)
    add_hacker_news(cli, db_path, "q", "http://127.0.0.1:9")
    cli("--db", str(db_path), "sources", "pause")
    result = cli("--db", str(db_path), "pull", "--all")
    assert result.code == 0 and "paused" in result.out


def test_cli_errors_are_one_line(cli, db_path, copy_cli_demo):
    copy_cli_demo(db_path)
    missing = cli("--db", str(db_path), "pull", "Nope")
    assert missing.code == 1 and "no source named" in missing.err
    bad = cli("--db", str(db_path), "sources", "add", "rss", "--name", "F", "--url", "ftp://x")
    assert bad.code == 1 and "http" in bad.err and len(bad.err.strip().splitlines()) == 1
    no_secret = cli(
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
    assert no_secret.code == 1 and "CRISISDESK_SECRET" in no_secret.err
    add_hacker_news(cli, db_path, "q", "http://127.0.0.1:9")
    result = cli("--db", str(db_path), "pull", "HN")
    assert result.code == 1 and "Cannot reach" in result.out


def test_kill_during_pull_leaves_cursor_and_rows_consistent(
    cli, httpserver, db_path, copy_cli_demo
):
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
    copy_cli_demo(db_path)
    add_hacker_news(cli, db_path, "bread", httpserver.url_for("/"))
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


def test_secret_never_lands_in_the_workspace_settings_or_output(cli, tmp_path):
    """Add a source with a secret through the real command line, pull it, then search every
    file Crisis Desk wrote (workspace, its WAL, settings, data folder) and all output."""
    secret = "sk-never-write-me-8f3a1c"
    data, config = tmp_path / "data", tmp_path / "config"
    env = {"CRISISDESK_DATA_DIR": str(data), "CRISISDESK_CONFIG_DIR": str(config)}
    db = tmp_path / "w.db"
    outputs = [cli("demo", "--db", str(db), env=env)]
    outputs.append(
        cli(
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
    assert outputs[-1].code == 0, outputs[-1].err
    outputs.append(cli("--db", str(db), "pull", "Sky", env=env))
    outputs.append(cli("--db", str(db), "sources", "list", "--json", env=env))
    for result in outputs:
        assert secret not in result.out and secret not in result.err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert db in written
    for path in written:
        assert secret.encode() not in path.read_bytes(), path
    if os.environ.get("CRISISDESK_REAL_KEYRING"):
        import keyring

        with open_store(db) as store:
            name = store.sources.get("Sky").secret_name
        assert keyring.get_password("Crisis Desk", name) == secret
        cli("--db", str(db), "sources", "remove", "Sky", env=env)
        assert keyring.get_password("Crisis Desk", name) is None


def test_bluesky_and_reddit_through_the_command_line(cli, httpserver, db_path, copy_cli_demo):
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
    copy_cli_demo(db_path)
    base = httpserver.url_for("/")
    db = ["--db", str(db_path)]
    assert (
        cli(
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
        ).code
        == 0
    )
    assert (
        cli(
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
        ).code
        == 0
    )
    first = json.loads(cli(*db, "pull", "Sky", "--json", env={"CRISISDESK_SECRET": "pw-1"}).out)
    assert first["results"][0]["new"] == 25
    first = json.loads(cli(*db, "pull", "Reddit", "--json", env={"CRISISDESK_SECRET": "s"}).out)
    assert first["results"][0]["new"] == 6
    again = json.loads(cli(*db, "pull", "Sky", "--json", env={"CRISISDESK_SECRET": "pw-1"}).out)
    assert again["results"][0]["new"] == 0
    wrong = cli(*db, "pull", "Sky", env={"CRISISDESK_SECRET": "nope"})
    assert wrong.code == 1 and "refused the password" in wrong.out

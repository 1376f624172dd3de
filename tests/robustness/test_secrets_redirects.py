"""A password or token never reaches a host the owner did not set up, and never travels over
plain http (this computer excepted, for tests).

Two local servers on two ports are two origins: the source's own server answers with a
redirect to `elsewhere`, whose log must stay empty. Everything goes through the command line
(in-process, the `cli` fixture fails on any traceback) with secrets in an in-memory keyring.
"""

from __future__ import annotations

import json
import re

import pytest
from werkzeug import Request, Response

from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.http import Http, _may_carry_secret, _origin
from app.sources.pulling import pull_source
from app.store import open_store
from tests.conftest import FIXED_NOW

ANYTHING = re.compile(".*")


def record_everything(server) -> list[str]:
    """Every request `server` receives, as text (method, address, headers, body)."""
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(
            f"{request.method} {request.url}\n{request.headers}\n{request.get_data(as_text=True)}"
        )
        return Response(json.dumps({"accessJwt": "a", "refreshJwt": "r"}), status=200)

    server.expect_request(ANYTHING).respond_with_handler(handler)
    return seen


def redirect_to(url: str, code: int):
    return lambda request: Response(status=code, headers={"Location": url})


def add(cli, workspace_argv, monkeypatch, *args, secret=None):
    if secret is not None:
        monkeypatch.setenv("CRISISDESK_SECRET", secret)
    result = cli(*workspace_argv, "sources", "add", *args)
    monkeypatch.delenv("CRISISDESK_SECRET", raising=False)
    return result


def pull(cli, workspace_argv, name):
    result = cli(*workspace_argv, "pull", name, "--json")
    return result, json.loads(result.out)["results"][0]


REDIRECTS = (301, 302, 303, 307, 308)


@pytest.mark.parametrize("code", REDIRECTS)
@pytest.mark.parametrize("header", ["X-Api-Key", None], ids=["custom-header", "authorization"])
def test_a_json_token_is_never_sent_to_another_host(
    cli, workspace_argv, monkeypatch, memory_keyring, httpserver, elsewhere, code, header
):
    secret = "tok-json-5e1f9"
    seen = record_everything(elsewhere)
    httpserver.expect_request("/api").respond_with_handler(
        redirect_to(elsewhere.url_for("/api"), code)
    )
    options = ["--header", header] if header else []
    added = add(
        cli,
        workspace_argv,
        monkeypatch,
        "json",
        "--name",
        "Reviews",
        "--url",
        httpserver.url_for("/api"),
        "--map",
        "text=body",
        *options,
        secret=secret,
    )
    assert added.code == 0, added.err
    assert secret in memory_keyring.passwords.values()
    result, outcome = pull(cli, workspace_argv, "Reviews")
    assert result.code == 1
    assert seen == []  # the other host never heard from us at all
    assert f"redirected to 127.0.0.1:{elsewhere.port}, which you did not set up" in outcome["error"]
    assert "was not sent there" in outcome["error"]
    origin_saw = [str(request.headers) for request, _ in httpserver.log]
    assert secret in origin_saw[0]  # the configured server did get it
    assert secret not in result.out + result.err


@pytest.mark.parametrize("code", [307, 308])
def test_the_bluesky_app_password_is_never_resent_to_another_host(
    cli, workspace_argv, monkeypatch, memory_keyring, httpserver, elsewhere, code
):
    password = "app-pass-7c2d-never-elsewhere"
    seen = record_everything(elsewhere)
    httpserver.expect_request(
        "/xrpc/com.atproto.server.createSession", method="POST"
    ).respond_with_handler(
        redirect_to(elsewhere.url_for("/xrpc/com.atproto.server.createSession"), code)
    )
    added = add(
        cli,
        workspace_argv,
        monkeypatch,
        "bluesky",
        "--name",
        "Sky",
        "--query",
        "bakery",
        "--handle",
        "hearth.bsky.social",
        "--base-url",
        httpserver.url_for("/"),
        secret=password,
    )
    assert added.code == 0, added.err
    result, outcome = pull(cli, workspace_argv, "Sky")
    assert result.code == 1
    assert seen == []
    assert "which you did not set up" in outcome["error"]
    body = httpserver.log[0][0].get_json()
    assert body["password"] == password  # only the server the owner configured saw it
    assert password not in result.out + result.err


def test_reddit_client_secret_in_basic_auth_is_never_sent_to_another_host(
    cli, workspace_argv, monkeypatch, memory_keyring, httpserver, elsewhere
):
    seen = record_everything(elsewhere)
    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_handler(
        redirect_to(elsewhere.url_for("/api/v1/access_token"), 307)
    )
    added = add(
        cli,
        workspace_argv,
        monkeypatch,
        "reddit",
        "--name",
        "Reddit",
        "--query",
        "bakery",
        "--client-id",
        "cid",
        "--base-url",
        httpserver.url_for("/"),
        secret="reddit-secret-91",
    )
    assert added.code == 0, added.err
    result, outcome = pull(cli, workspace_argv, "Reddit")
    assert result.code == 1 and seen == []
    assert "which you did not set up" in outcome["error"]


def test_a_token_follows_a_redirect_on_the_same_server(
    cli, workspace_argv, monkeypatch, memory_keyring, httpserver
):
    httpserver.expect_request("/old").respond_with_handler(
        redirect_to(httpserver.url_for("/new"), 308)
    )
    httpserver.expect_request("/new", headers={"X-Api-Key": "tok-1"}).respond_with_json(
        {"items": [{"body": "Lovely bread"}]}
    )
    add(
        cli,
        workspace_argv,
        monkeypatch,
        "json",
        "--name",
        "Moved",
        "--url",
        httpserver.url_for("/old"),
        "--items",
        "items",
        "--header",
        "X-Api-Key",
        "--map",
        "text=body",
        secret="tok-1",
    )
    result, outcome = pull(cli, workspace_argv, "Moved")
    assert result.code == 0 and outcome["new"] == 1, outcome


def test_public_feeds_still_follow_redirects_to_other_hosts(
    cli, workspace_argv, monkeypatch, httpserver, elsewhere
):
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Moved</title>'
        "<item><title>Our bakery in the news</title><guid>n1</guid></item>"
        "</channel></rss>"
    )
    elsewhere.expect_request("/feed").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/feed").respond_with_handler(
        redirect_to(elsewhere.url_for("/feed"), 301)
    )
    add(
        cli,
        workspace_argv,
        monkeypatch,
        "rss",
        "--name",
        "News",
        "--url",
        httpserver.url_for("/feed"),
    )
    result, outcome = pull(cli, workspace_argv, "News")
    assert result.code == 0 and outcome["new"] == 1, outcome


def test_redirect_rules():
    def allowed(start: str, end: str) -> bool:
        return _may_carry_secret(_origin(start), _origin(end))

    assert allowed("https://a.example/x", "https://a.example:443/y")
    assert allowed("http://a.example/x", "https://a.example/y")  # the usual upgrade
    assert not allowed("https://a.example/x", "http://a.example/y")  # never downgraded
    assert not allowed("https://a.example/x", "https://b.example/y")
    assert not allowed("https://a.example/x", "https://a.example:8443/y")
    assert not allowed("http://a.example:8080/x", "https://a.example:8443/y")
    assert "unencrypted" in Http._refusal(
        "S", _origin("https://a.example"), _origin("http://a.example")
    )


# --- https for every source that sends a secret ---------------------------------------------


INSECURE = {
    "json": (["--url", "http://reviews.example/api", "--map", "text=body"], "tok"),
    "bluesky": (
        ["--query", "q", "--handle", "h.bsky.social", "--base-url", "http://pds.example"],
        "pw",
    ),
    "reddit": (["--query", "q", "--client-id", "c", "--base-url", "http://reddit.example"], "s"),
    "mastodon": (["--query", "q", "--base-url", "http://toot.example"], "tok"),
}


@pytest.mark.parametrize("kind", list(INSECURE))
def test_sources_with_a_secret_need_https(cli, workspace_argv, monkeypatch, memory_keyring, kind):
    args, secret = INSECURE[kind]
    refused = add(cli, workspace_argv, monkeypatch, kind, "--name", "S", *args, secret=secret)
    assert refused.code == 1
    assert "https://" in refused.err and "localhost, 127.0.0.1 or ::1" in refused.err
    assert memory_keyring.passwords == {}
    listed = json.loads(cli(*workspace_argv, "sources", "list", "--json").out)
    assert listed["sources"] == []


PUBLIC = {
    "json": ["--url", "http://reviews.example/api", "--map", "text=body"],
    "mastodon": ["--tag", "bakery", "--base-url", "http://toot.example"],
}


@pytest.mark.parametrize("kind", list(PUBLIC))
def test_sources_without_a_secret_may_use_http(cli, workspace_argv, monkeypatch, kind):
    accepted = add(cli, workspace_argv, monkeypatch, kind, "--name", "S", *PUBLIC[kind], secret="")
    assert accepted.code == 0, accepted.err


@pytest.mark.parametrize("base", ["http://localhost:9", "http://127.0.0.1:9", "http://[::1]:9"])
def test_this_computer_may_use_http(cli, workspace_argv, monkeypatch, memory_keyring, base):
    added = add(
        cli,
        workspace_argv,
        monkeypatch,
        "bluesky",
        "--name",
        "Sky",
        "--query",
        "q",
        "--handle",
        "h.bsky.social",
        "--base-url",
        base,
        secret="pw",
    )
    assert added.code == 0, added.err


def test_a_pull_refuses_to_send_a_secret_over_http(db_path):
    secrets = MemorySecretStore()
    with open_store(db_path, clock=lambda: FIXED_NOW) as store:
        source = store.sources.add(
            SourceSettings(
                "Reviews",
                "json",
                options={"url": "http://reviews.example/api", "map": {"text": "b"}},
            )
        )
        secrets.set(source.secret_name, "tok-plain")
        outcome = pull_source(store, "Reviews", secrets, now=FIXED_NOW)
        assert "https://" in outcome.error and "Cannot reach" not in outcome.error
        assert "tok-plain" not in outcome.error
        assert store.sources.get("Reviews").last_error == outcome.error


# --- CRISISDESK_SECRET answers for one source only -------------------------------------------


def test_the_environment_secret_is_not_handed_to_every_source(
    cli, workspace_argv, monkeypatch, memory_keyring, httpserver
):
    httpserver.expect_request("/api").respond_with_json({"items": []})
    add(
        cli,
        workspace_argv,
        monkeypatch,
        "json",
        "--name",
        "J",
        "--url",
        httpserver.url_for("/api"),
        "--items",
        "items",
        "--map",
        "text=body",
        secret="",
    )
    add(
        cli,
        workspace_argv,
        monkeypatch,
        "bluesky",
        "--name",
        "Sky",
        "--query",
        "q",
        "--handle",
        "h.bsky.social",
        "--base-url",
        httpserver.url_for("/"),
        secret="pw",
    )
    monkeypatch.setenv("CRISISDESK_SECRET", "bluesky-password-for-one-source")
    refused = cli(*workspace_argv, "pull", "--all")
    assert refused.code == 1 and "one at a time" in refused.err
    assert httpserver.log == []


# --- removing a source when the keyring cannot be reached ------------------------------------


def test_remove_says_so_when_the_secret_could_not_be_removed(
    cli, workspace_argv, monkeypatch, memory_keyring
):
    add(
        cli,
        workspace_argv,
        monkeypatch,
        "bluesky",
        "--name",
        "Sky",
        "--query",
        "q",
        "--handle",
        "h.bsky.social",
        "--base-url",
        "https://pds.example",
        secret="pw-9",
    )
    memory_keyring.reachable = False
    removed = cli(*workspace_argv, "sources", "remove", "Sky")
    assert removed.code == 0 and removed.err == ""
    assert "and its stored secret" not in removed.out
    assert "could not be reached" in removed.out and "keyring del 'Crisis Desk'" in removed.out
    assert "pw-9" not in removed.out
    memory_keyring.reachable = True
    assert list(memory_keyring.passwords.values()) == ["pw-9"]  # truthfully: still there


def test_remove_removes_the_secret_when_the_keyring_answers(
    cli, workspace_argv, monkeypatch, memory_keyring
):
    add(
        cli,
        workspace_argv,
        monkeypatch,
        "bluesky",
        "--name",
        "Sky",
        "--query",
        "q",
        "--handle",
        "h.bsky.social",
        "--base-url",
        "https://pds.example",
        secret="pw-9",
    )
    removed = cli(*workspace_argv, "sources", "remove", "Sky")
    assert removed.code == 0 and "and its stored secret" in removed.out
    assert memory_keyring.passwords == {}

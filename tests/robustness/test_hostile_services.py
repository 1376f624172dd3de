"""A hostile or broken service never crashes a pull, never stops the other sources, never
holds a pull forever and never leaves its claim behind.

Every adapter is pointed at one local server on 127.0.0.1 whose answers the test chooses; a
control source on the same server answers with a real recorded page and must always pull.
The command line runs in-process through the `cli` fixture, which fails on any traceback.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import time
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug import Request, Response

from app.logs import log_file
from app.secrets import MemorySecretStore
from app.sources import http as source_http
from app.sources.base import SourceSettings
from app.sources.http import MAX_WAIT, SourceError, _parse_reset, retry_after
from app.sources.json_api import JsonAdapter
from app.sources.pulling import next_attempt, pull_source
from app.store import open_store
from tests.conftest import FIXED_NOW

# feedparser's notice about reading `updated_parsed` when a feed's date could not be used.
pytestmark = pytest.mark.filterwarnings("ignore:To avoid breaking existing software")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CONTROL_PAGE = (FIXTURES / "api/hn_algolia_search_by_date_comment.json").read_bytes()
KINDS = ("bluesky", "hackernews", "json", "mastodon", "reddit", "rss")


class Replay:
    """What each kind's endpoint answers right now: (body bytes, headers)."""

    def __init__(self):
        self.answers: dict[str, tuple[bytes, dict]] = {}

    def set(self, kind: str, body: bytes | str, headers: dict | None = None) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        self.answers[kind] = (body, {"Content-Type": "application/json", **(headers or {})})

    def handler(self, kind: str):
        def answer(request: Request) -> Response:
            body, headers = self.answers[kind]
            return Response(body, headers=headers)

        return answer


def session(request: Request) -> Response:
    return Response(json.dumps({"accessJwt": "a", "refreshJwt": "r"}), content_type="text/json")


def reddit_token(request: Request) -> Response:
    body = json.dumps({"access_token": "t", "expires_in": 3600})
    return Response(body, content_type="application/json")


@pytest.fixture
def every_kind(cli, workspace_argv, monkeypatch, memory_keyring, httpserver):
    """One source of every kind plus a control source, all on the local server."""
    replay = Replay()
    server = httpserver
    server.expect_request("/control/api/v1/search_by_date").respond_with_data(
        CONTROL_PAGE, content_type="application/json"
    )
    server.expect_request("/bsky/xrpc/com.atproto.server.createSession").respond_with_handler(
        session
    )
    server.expect_request("/reddit/api/v1/access_token").respond_with_handler(reddit_token)
    routes = {
        "bluesky": "/bsky/xrpc/app.bsky.feed.searchPosts",
        "hackernews": "/hn/api/v1/search_by_date",
        "json": "/json",
        "mastodon": "/masto/api/v1/timelines/tag/bakery",
        "reddit": "/reddit/search",
        "rss": "/rss",
    }
    for kind, route in routes.items():
        server.expect_request(route).respond_with_handler(replay.handler(kind))
    sources = {
        "control": (["hackernews", "--query", "q", "--base-url", server.url_for("/control")], ""),
        "bluesky": (
            ["--query", "q", "--handle", "h.bsky.social", "--base-url", server.url_for("/bsky")],
            "app-pw-1",
        ),
        "hackernews": (["--query", "q", "--base-url", server.url_for("/hn")], ""),
        "json": (
            [
                "--url",
                server.url_for("/json"),
                "--items",
                "items",
                "--map",
                "text=text",
                "--map",
                "external_id=id",
                "--map",
                "author_name=author",
                "--map",
                "author_followers=followers_count",
                "--map",
                "posted_at=created_at",
            ],
            "tok-1",
        ),  # fmt: skip
        "mastodon": (["--tag", "bakery", "--base-url", server.url_for("/masto")], ""),
        "reddit": (
            ["--query", "q", "--client-id", "c", "--base-url", server.url_for("/reddit")],
            "reddit-1",
        ),
        "rss": (["--url", server.url_for("/rss")], ""),
    }
    for name, (args, secret) in sources.items():
        kind = args.pop(0) if name == "control" else name
        monkeypatch.setenv("CRISISDESK_SECRET", secret)
        added = cli(*workspace_argv, "sources", "add", kind, "--name", name, *args)
        assert added.code == 0, added.err
    monkeypatch.delenv("CRISISDESK_SECRET")
    return replay


def pull_all(cli, workspace_argv, *, expected_by_adapters=True) -> tuple[int, dict, str]:
    """Pull every source; the control always pulls, no claim is left, every error is one line
    and (unless a test breaks an adapter on purpose) one the adapter itself chose to say,
    not the safety net's "could not handle"."""
    result = cli(*workspace_argv, "pull", "--all", "--json")
    assert result.code in (0, 1), result
    outcomes = {o["source"]: o for o in json.loads(result.out)["results"]}
    assert outcomes["control"]["error"] is None, outcomes["control"]
    for outcome in outcomes.values():
        error = outcome["error"] or ""
        assert "Traceback" not in error and "\n" not in error
        if expected_by_adapters:
            assert "could not handle" not in error, outcome
    with open_store(Path(workspace_argv[1])) as store:
        claimed = store.db.execute(
            "SELECT name FROM sources WHERE claimed_until IS NOT NULL"
        ).fetchall()
    assert claimed == []  # no claim outlives its pull
    return result.code, outcomes, result.err


# --- bad items are skipped and counted; the good ones arrive ------------------------------

GOOD_AND_BAD = {
    "hackernews": (
        '{"hits": [42, "hit", null, [], {"objectID": "2"},'
        ' {"objectID": "3", "title": ["a list"], "author": {"x": 1}},'
        ' {"objectID": "1", "title": "Good bread", "author": "a", "created_at_i": 1e300},'
        ' {"objectID": "4", "title": "Also good", "created_at_i": "soon"}]}',
        2,
        6,
    ),
    "bluesky": (
        '{"posts": [7, null, {"author": "str", "record": {"text": "x"}}, {"record": "no"},'
        ' {"record": {"text": ""}},'
        ' {"uri": "at://d/app.bsky.feed.post/k1", "author": {"handle": "a.bsky.social",'
        '  "followersCount": "lots"}, "record": {"text": "Good", "createdAt":'
        '  "9999-12-31T23:59:59-23:59", "langs": "en"}}]}',
        1,
        5,
    ),
    "mastodon": (
        '[ "toot", {"id": "2", "content": ["x"]}, {"id": "3", "account": "x", "content": "hi"},'
        ' {"id": "\\u00b2", "content": "<p>Good</p>", "account": {"acct": "a",'
        '  "followers_count": 1e400}, "created_at": "0001-01-01T00:00:00+14:00"}]',
        1,
        3,
    ),
    "reddit": (
        '{"data": {"children": [5, {"data": "str"}, {"data": {}},'
        ' {"data": {"name": "t3_b", "title": {"x": 1}}},'
        ' {"data": {"name": "t3_a", "title": "Good", "author": "u", "created_utc": 1e400,'
        '  "permalink": "/r/x/1"}},'
        ' {"data": {"name": "t3_c", "title": "Good too", "created_utc": "yesterday"}}]}}',
        2,
        4,
    ),
    "json": (
        '{"items": [3, "x", {"text": ""}, {"text": ["x"]},'
        ' {"id": 1, "text": "Good \\ud800 bread", "followers_count": "12",'
        '  "created_at": "0001-01-01T00:00:00+05:00"},'
        ' {"id": 2, "text": "Also good", "followers_count": 1e400, "created_at": 1e400,'
        '  "author": {"name": "nested"}}]}',
        2,
        4,
    ),
    "rss": (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Good news</title><guid>g1</guid>"
        "<pubDate>Fri, 31 Dec 9999 23:59:59 -2359</pubDate></item>"
        "<item><guid>g2</guid></item>"
        "</channel></rss>",
        1,
        1,
    ),
}


def test_bad_items_are_skipped_and_counted(cli, workspace_argv, every_kind):
    for kind, (body, _, _) in GOOD_AND_BAD.items():
        every_kind.set(kind, body)
    code, outcomes, _ = pull_all(cli, workspace_argv)
    assert code == 0, outcomes
    for kind, (_, good, bad) in GOOD_AND_BAD.items():
        assert outcomes[kind]["error"] is None, outcomes[kind]
        assert (outcomes[kind]["new"], outcomes[kind]["rejected"]) == (good, bad), kind
    with open_store(Path(workspace_argv[1])) as store:
        texts = [r[0] for r in store.db.execute("SELECT text FROM mentions")]
        times = [r[0] for r in store.db.execute("SELECT posted_at FROM mentions")]
    assert "Good ? bread" in texts  # the lone surrogate could not be stored as it was
    assert all(t and "9999" not in t and t[:4] != "0001" for t in times)
    text = cli(*workspace_argv, "pull", "hackernews")
    assert "6 unreadable items skipped" in text.out


# --- a bad answer is one sentence; the other sources still pull ---------------------------

BAD_ANSWERS = {
    "deeply-nested": "[" * 100_000 + "]" * 100_000,
    "huge-number": '{"hits": [{"objectID": 1, "title": "x", "created_at_i": ' + "9" * 5000 + "}]}",
    "not-finite": "NaN",
    "empty": "",
    "binary": b"\x00\xff\xfe garbage \x80",
    "wrong-shape": '{"hits": "x", "posts": 1, "data": {"children": {"a": 1}}, "items": null}',
    "html": "<html><body>Sign in</body></html>",
}


@pytest.mark.parametrize("answer", list(BAD_ANSWERS))
def test_a_bad_answer_is_one_sentence_and_the_others_still_pull(
    cli, workspace_argv, every_kind, answer
):
    for kind in KINDS:
        every_kind.set(kind, BAD_ANSWERS[answer])
    code, outcomes, err = pull_all(cli, workspace_argv)
    failed = [kind for kind in KINDS if outcomes[kind]["error"]]
    assert code == (1 if failed else 0)
    if failed:
        assert err.startswith("crisisdesk: ") and "could not be pulled" in err
        assert all(kind in err for kind in failed)


def test_a_malformed_compressed_answer_is_one_sentence(cli, workspace_argv, every_kind):
    for kind in KINDS:
        every_kind.set(kind, b"not gzip at all", {"Content-Encoding": "gzip"})
    code, outcomes, _ = pull_all(cli, workspace_argv)
    assert code == 1
    assert all("could not be read" in outcomes[kind]["error"] for kind in KINDS), outcomes


# --- anything at all, from hypothesis ------------------------------------------------------

FIELD_NAMES = [
    "text", "title", "body", "author", "account", "record", "uri", "id", "objectID",
    "created_at_i", "created_at", "createdAt", "followers_count", "followersCount", "content",
    "data", "children", "name", "created_utc", "permalink", "handle", "acct", "langs", "hits",
    "posts", "items", "spoiler_text", "story_title", "selftext",
]  # fmt: skip
ODD_TEXT = [
    "",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "1e400",
    "\ud800",
    "<p>hi <b>there</b></p>",
    "2026-11-20T09:00:00Z",
    "²",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(ODD_TEXT),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=4))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=14,
)
items = st.lists(st.one_of(st.dictionaries(keys, values, max_size=8), values), max_size=5)


def shaped(kind: str, found: list) -> str:
    """The items in the envelope each service uses (the envelope itself sometimes wrong)."""
    if kind == "rss":
        entries = "".join(
            f"<item><title>{escape(str(i.get('title')))}</title>"
            f"<pubDate>{escape(str(i.get('created_at')))}</pubDate><guid>{n}</guid></item>"
            for n, i in enumerate(found)
            if isinstance(i, dict)
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>'
    envelope = {
        "hackernews": {"hits": found},
        "bluesky": {"posts": found},
        "mastodon": found,
        "reddit": {"data": {"children": [{"data": i} for i in found]}},
        "json": {"items": found},
    }[kind]
    return json.dumps(envelope)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(found=items, whole=st.one_of(st.none(), values))
def test_any_answer_at_all_never_crashes_a_pull(cli, workspace_argv, every_kind, found, whole):
    for kind in KINDS:
        every_kind.set(kind, shaped(kind, found) if whole is None else json.dumps(whole))
    pull_all(cli, workspace_argv)


# --- any failure of one source never stops the others or keeps its claim -------------------


@pytest.mark.parametrize(
    "failure",
    [
        KeyError("items"),
        OverflowError("date value out of range"),
        TypeError("unhashable"),
        sqlite3.OperationalError("disk I/O error"),
    ],
    ids=lambda e: e.__class__.__name__,
)
def test_one_source_failing_in_any_way_never_stops_the_others(
    cli, workspace_argv, every_kind, monkeypatch, failure
):
    for kind, (body, _, _) in GOOD_AND_BAD.items():
        every_kind.set(kind, body)

    def broken(self, settings, cursor, http, secret):
        raise failure

    monkeypatch.setattr(JsonAdapter, "fetch", broken)
    code, outcomes, err = pull_all(cli, workspace_argv, expected_by_adapters=False)
    assert code == 1
    assert err == "crisisdesk: 1 of 7 sources could not be pulled: json; " + (
        "'crisisdesk sources list' shows why.\n"
    )
    assert [k for k, o in outcomes.items() if o["error"]] == ["json"]
    assert all(outcomes[k]["new"] for k in KINDS if k != "json")  # the ones after it too
    with open_store(Path(workspace_argv[1])) as store:
        source = store.sources.get("json")
    assert source.last_error == outcomes["json"]["error"]
    assert source.failures == 1 and source.next_pull_at > FIXED_NOW.isoformat()
    again = cli(*workspace_argv, "pull", "json", "--json")
    assert json.loads(again.out)["results"][0]["skipped"] is None  # not "already being pulled"
    if not isinstance(failure, sqlite3.Error):
        assert failure.__class__.__name__ in outcomes["json"]["error"]
        assert "tok-1" not in log_file().read_text()


# --- a service that never finishes, or sends too much ------------------------------------


def _hn(store, server):
    store.sources.add(SourceSettings("HN", "hackernews", "q", server.url_for("/")))


def test_a_service_that_drip_feeds_its_answer_is_cut_off(store, elsewhere, monkeypatch):
    monkeypatch.setattr(source_http, "REQUEST_DEADLINE", 2.0)

    def drip(request):
        def bytes_forever():
            yield b'{"hits": ['
            for _ in range(400):  # 20 s of one byte at a time, each well within READ_TIMEOUT
                time.sleep(0.05)
                yield b" "

        return Response(bytes_forever(), content_type="application/json")

    elsewhere.expect_request("/api/v1/search_by_date").respond_with_handler(drip)
    _hn(store, elsewhere)
    started = time.monotonic()
    outcome = pull_source(store, "HN", MemorySecretStore(), now=FIXED_NOW)
    assert time.monotonic() - started < 15  # long before the service would have finished
    assert "took longer than 2 seconds" in outcome.error, outcome
    assert store.sources.get("HN").last_error == outcome.error


def _gzipped_zeros(request):
    body = gzip.compress(b"0" * 1_000_000)
    return Response(body, headers={"Content-Encoding": "gzip"}, content_type="application/json")


def _chunked(request):
    return Response((b"0" * 20_000 for _ in range(10)), content_type="application/json")


@pytest.mark.parametrize(
    "answer",
    [lambda r: Response(b"0" * 200_000, content_type="application/json"), _chunked, _gzipped_zeros],
    ids=["declared", "streamed", "compressed"],
)
def test_an_answer_over_the_size_cap_is_refused(store, httpserver, monkeypatch, answer):
    monkeypatch.setattr(source_http, "MAX_BODY_BYTES", 100_000)
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(answer)
    _hn(store, httpserver)
    outcome = pull_source(store, "HN", MemorySecretStore(), now=FIXED_NOW)
    assert "larger than 0.1 MB" in outcome.error, outcome


# --- huge waits asked for by a service are clamped ------------------------------------------

HUGE_WAITS = [
    "1" + "0" * 30,
    "1e400",
    "inf",
    "nan",
    "-5",
    "9" * 5000,
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "9999-12-31T23:59:59",
    "not a date",
]


@pytest.mark.parametrize("header", ["Retry-After", "X-RateLimit-Reset"])
@pytest.mark.parametrize("value", HUGE_WAITS)
def test_huge_waits_are_clamped_to_a_day(store, httpserver, header, value):
    httpserver.expect_request("/api/v1/search_by_date").respond_with_data(
        "slow down", status=429, headers={header: value, "X-RateLimit-Remaining": value}
    )
    _hn(store, httpserver)
    outcome = pull_source(store, "HN", MemorySecretStore(), now=FIXED_NOW)
    assert "rate-limiting" in outcome.error, outcome
    next_pull = store.sources.get("HN").next_pull_at
    assert FIXED_NOW.isoformat() < next_pull <= (FIXED_NOW + MAX_WAIT).isoformat()


@pytest.mark.parametrize("value", HUGE_WAITS)
def test_rate_limit_headers_on_a_good_answer_never_break_it(store, httpserver, value):
    httpserver.expect_request("/api/v1/search_by_date").respond_with_data(
        CONTROL_PAGE,
        content_type="application/json",
        headers={
            "X-RateLimit-Reset": value,
            "X-RateLimit-Limit": value,
            "RateLimit-Remaining": "5",
        },
    )
    _hn(store, httpserver)
    assert pull_source(store, "HN", MemorySecretStore(), now=FIXED_NOW).new == 20


@pytest.mark.parametrize("value", HUGE_WAITS)
def test_wait_parsers_stay_within_a_day(value):
    headers = {"Retry-After": value}
    for moment in (retry_after(headers, FIXED_NOW), _parse_reset(value, FIXED_NOW)):
        assert moment is None or FIXED_NOW <= moment <= FIXED_NOW + MAX_WAIT


def test_backoff_never_overflows(store):
    source = store.sources.add(SourceSettings("X", "hackernews", "q"))
    source.failures, source.interval_minutes = 10**6, 10**12
    far = SourceError("x", retry_at=FIXED_NOW + timedelta(days=10**5))
    when = next_attempt(source, FIXED_NOW, far)
    assert FIXED_NOW < when <= FIXED_NOW + MAX_WAIT
    assert next_attempt(source, FIXED_NOW, KeyError("x")) <= FIXED_NOW + timedelta(hours=8)

"""Helpers for the source adapter tests (tests/core/test_sources_*.py).

Each adapter is tested through the real code path against a local replay server on 127.0.0.1
(pytest-httpserver) that replays real recorded responses of each service from tests/fixtures/
(origins in tests/fixtures/SOURCES.md) plus the faults services really send. The command line
runs in-process through the shared `cli` fixture (tests/conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from app.store import open_store

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


def add_hacker_news(cli, db_path, query: str, base_url: str) -> None:
    """A Hacker News source named HN pointed at the replay server, added by the command line."""
    added = cli(
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
    assert added.code == 0, added.err


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

"""What can be typed at `crisisdesk search` and handed to `crisisdesk import`: dates at the ends
of the calendar, queries that begin with "-", limits that make no sense, files that are not
files. Each ends in results or one sentence on stderr, never a traceback (the `cli` fixture
fails the test on any traceback or on more than one line)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.mentions.cli import search_argv
from app.mentions.model import NewMention
from app.store import open_store

pytestmark = pytest.mark.timeout(60)

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def workspace(tmp_path) -> Path:
    path = tmp_path / "workspace.db"
    with open_store(path) as store:
        store.mentions.add_many(
            [
                NewMention("x", "asked for a refund after the sick day", posted_at=NOW),
                NewMention("x", "lovely croissants", posted_at=NOW - timedelta(days=2)),
                NewMention("x", "refund please", posted_at=NOW - timedelta(days=400)),
            ]
        )
    return path


def search(cli, workspace, *words):
    result = cli("--db", workspace, "search", *words, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


EDGE_DATES = [
    ("on:9999-12-31", 0),
    ("on:0001-01-01", 0),
    ("after:9999-12-31", 0),
    ("after:0001-01-01", 3),
    ("before:0001-01-01", 0),
    ("before:9999-12-31", 3),
    ("before:9999-12-31T23:59:59-05:00", 3),  # after the last moment UTC can hold
    ("after:0001-01-01T00:00+05:00", 3),  # before the first
    ("date:..9999-12-31", 3),
    ("date:9999-12-31..9999-12-31", 0),
    ("date:0001-01-01..0001-01-01", 0),
    ("last:9999w", 3),
    ("last:1d", 1),
]


@pytest.mark.parametrize("query, expected", EDGE_DATES)
def test_dates_at_the_ends_of_the_calendar_are_clamped(cli, workspace, query, expected):
    assert search(cli, workspace, query)["total"] == expected


@pytest.mark.parametrize("query", ["last:99999999d", "on:10000-01-01", "after:2026-13-01"])
def test_dates_that_are_not_dates_are_one_sentence(cli, workspace, query):
    result = cli("--db", workspace, "search", query)
    assert result.code == 1
    assert "write it like" in result.err or "should look like" in result.err


def test_a_query_may_begin_with_a_minus(cli, workspace):
    # The README's own example: `crisisdesk search -refund`.
    found = search(cli, workspace, "-refund")
    assert found["total"] == 1 and found["means"] == "not “refund”"
    assert search(cli, workspace, "refund", "-sick")["total"] == 1  # words are one query
    assert search(cli, workspace, "--limit", "1", "-croissants")["total"] == 2
    result = cli("--db", workspace, "search", "-refund", "--limit=1")
    assert result.code == 0 and result.out.startswith("1 mentions match not “refund”.")


def test_after_a_double_dash_everything_is_the_query(cli, workspace):
    result = cli("--db", workspace, "search", "--json", "--", "--limit")
    assert json.loads(result.out)["query"] == "--limit"
    result = cli("--db", workspace, "search", "refund", "--json", "--", "-sick", "--json")
    assert json.loads(result.out)["query"] == "refund -sick --json"


def test_search_options_still_work_before_and_after_the_query(cli, workspace):
    found = search(cli, workspace, "--limit", "1", "refund")
    assert found["total"] == 2 and len(found["mentions"]) == 1
    assert cli("search", "--db", workspace, "refund").code == 0
    assert cli("--db", workspace, "search").code == 2  # no query: argparse's usage error


def test_argv_is_only_rewritten_after_search():
    assert search_argv(["import", "mentions", "-x.csv"]) == ["import", "mentions", "-x.csv"]
    assert search_argv(["--db", "search", "info"]) == ["--db", "search", "info"]
    assert search_argv(["--db=w.db", "search", "-a", "--json", "b"]) == [
        "--db=w.db",
        "search",
        "--json",
        "--",
        "-a b",
    ]


@pytest.mark.parametrize("limit", ["-1", "-99999999999999999999"])
def test_a_negative_limit_is_one_sentence(cli, workspace, limit):
    result = cli("--db", workspace, "search", "refund", "--limit", limit)
    assert result.code == 1 and "--limit must be 0 or more" in result.err


def test_limits_zero_and_huge(cli, workspace):
    counted = search(cli, workspace, "refund", "--limit", "0")
    assert counted["total"] == 2 and counted["mentions"] == []
    everything = search(cli, workspace, "refund", "--limit", "9" * 30)
    assert len(everything["mentions"]) == 2
    assert cli("--db", workspace, "search", "refund", "--limit", "many").code == 2


def test_bytes_that_were_not_utf8_on_the_command_line_are_one_sentence(cli, workspace):
    # POSIX hands Python undecodable argv bytes as lone surrogates (surrogateescape).
    result = cli("--db", workspace, "search", "caf\udce9")
    assert result.code == 1 and "not text" in result.err


# --- import ------------------------------------------------------------------------------


def test_import_of_things_that_are_not_files_is_one_sentence(cli, workspace, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    for kind in ("mentions", "contacts"):
        for path, words in ((fifo, "named pipe"), (zero, "device"), (tmp_path, "folder")):
            result = cli("--db", workspace, "import", kind, path)
            assert result.code == 1 and words in result.err, result.err


def test_import_of_hostile_json_keeps_the_good_rows(cli, workspace, tmp_path):
    path = tmp_path / "export.ndjson"
    path.write_text(
        '{"text": "good one"}\n'
        + "[" * 100_000
        + "]" * 100_000
        + "\n"
        + '{"text": "nan", "n": NaN}\n'
        + '{"text": "\\ud800"}\n'
        + '{"text": "'
        + "9" * 5000
        + '", "id": '
        + "9" * 5000
        + "}\n"
        + '{"text": "good two"}\n',
        encoding="utf-8",
    )
    result = cli(
        "--db", workspace, "import", "mentions", path, "--json", "--no-sentiment", "--undated"
    )
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert (report["imported"], report["rejected_count"]) == (2, 4)
    assert [r["line"] for r in report["rejected"]] == [2, 3, 4, 5]
    assert search(cli, workspace, "good")["total"] == 2


def test_import_of_a_broken_json_array_is_one_sentence_and_changes_nothing(
    cli, workspace, tmp_path
):
    path = tmp_path / "export.json"
    path.write_text('[{"text": "good"},\n{"text": "x", "n": NaN}]', encoding="utf-8")
    result = cli("--db", workspace, "import", "mentions", path)
    assert result.code == 1
    assert "line 2: the JSON is broken here, in item 2" in result.err
    assert search(cli, workspace, "good")["total"] == 0

"""Importing mention exports: every format and encoding, duplicates, rejected rows, broken
files refused with the workspace unchanged, Cancel and kill -9 leaving nothing behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import Cancelled
from app.imports.dates import parse_date
from app.mentions.importers import (
    MentionImportError,
    import_mentions,
    parse_map_options,
    preview,
)
from app.mentions.model import MentionFilter, NewMention
from app.store import open_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mentions"


def snapshot(store) -> tuple:
    """Everything an import could change."""
    return (
        store.counts(),
        store.db.execute("SELECT count(*) FROM mentions_fts").fetchone()[0],
        store.db.execute("SELECT coalesce(max(id), 0) FROM mentions").fetchone()[0],
    )


@pytest.mark.parametrize(
    "name, imported, rejected, encoding, fmt",
    [
        ("brandwatch_utf8_bom.csv", 3, 0, "utf-8-sig", "csv"),
        ("excel_utf16.csv", 3, 0, "utf-16", "csv"),
        ("windows1252_semicolon.csv", 2, 0, "cp1252", "csv"),
        ("quoted_newlines.csv", 3, 2, "utf-8", "csv"),
        ("meltwater.csv", 2, 0, "utf-8", "csv"),
        ("array.json", 2, 1, "utf-8", "json"),
        ("object.json", 2, 1, "utf-8", "json"),
        ("lines.ndjson", 2, 1, "utf-8", "ndjson"),
    ],
)
def test_each_format_imports_and_reimport_counts_duplicates(
    store, name, imported, rejected, encoding, fmt
):
    result = import_mentions(store, FIXTURES / name)
    assert (result.imported, result.rejected_count) == (imported, rejected)
    assert (result.encoding, result.format) == (encoding, fmt)
    assert store.mentions.total() == imported
    again = import_mentions(store, FIXTURES / name)
    assert (again.imported, again.duplicates) == (0, imported)
    assert store.mentions.total() == imported


def test_fields_arrive_as_written(store):
    import_mentions(store, FIXTURES / "brandwatch_utf8_bom.csv")
    (sophie,) = store.mentions.search("from:sophie_eats")
    assert sophie.author_name == "Sophie Hart"
    assert sophie.author_followers == 2140
    assert sophie.source == "twitter"
    assert sophie.external_id == "1001"
    assert sophie.url == "https://x.example/1001"
    assert sophie.posted_at == datetime(2026, 11, 19, 14, 7, tzinfo=UTC)
    assert json.loads(store.mentions.raw(sophie.id))["Full Text"].startswith("Feeling")
    assert sophie.status == "new" and sophie.fetched_at.year == 2026


def test_windows_1252_text_and_day_first_dates(store):
    import_mentions(store, FIXTURES / "windows1252_semicolon.csv")
    (cafe,) = store.mentions.search("café")
    assert cafe.text == "Café au lait for 3,50 € — too dear!"
    assert cafe.author_name == "Zoë Brontë"
    assert cafe.posted_at == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)


def test_quoted_newlines_and_rejected_rows_name_their_lines(store):
    result = import_mentions(store, FIXTURES / "quoted_newlines.csv")
    assert [(r.line, r.reason) for r in result.rejected] == [
        (6, "it has no text"),
        (7, "the date “yesterday-ish” is not one I can read"),
    ]
    (first,) = store.mentions.search('"second line"')
    assert first.text == "First line\nsecond line of the same post"
    assert first.posted_at == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # +01:00 kept
    (dee,) = store.mentions.search("from:dee")
    assert dee.posted_at == datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # PST


def test_nested_json_authors_and_unix_times(store):
    import_mentions(store, FIXTURES / "object.json")
    (jo,) = store.mentions.search("from:jo")
    assert (jo.author_name, jo.author_handle) == ("Jo", "jo")
    (kim,) = store.mentions.search("from:kim")
    assert kim.posted_at == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def test_meltwater_split_date_and_time_and_counts(store):
    result = import_mentions(store, FIXTURES / "meltwater.csv")
    assert result.preset == "Meltwater"
    (radio,) = store.mentions.search("statement")
    assert radio.posted_at == datetime(2026, 11, 20, 11, 2, tzinfo=UTC)
    assert radio.author_followers == 5400


def test_naive_times_are_read_in_the_business_time_zone(store):
    from app.business.model import BusinessProfile

    store.business.save(BusinessProfile(name="Shop", timezone="Europe/Berlin"))
    import_mentions(store, FIXTURES / "brandwatch_utf8_bom.csv")
    (sophie,) = store.mentions.search("from:sophie_eats")
    assert sophie.posted_at == datetime(2026, 11, 19, 13, 7, tzinfo=UTC)


def test_generic_mapping_and_it_is_remembered(store, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Words,When,Who\nhello there,2026-11-20 10:00,ann\n", encoding="utf-8")
    with pytest.raises(MentionImportError, match="No column holds the mention text"):
        import_mentions(store, path)
    mapping = parse_map_options(["text=Words", "posted_at=When", "author_name=who"])
    result = import_mentions(store, path, mapping=mapping)
    assert result.imported == 1
    (hello,) = store.mentions.search("hello")
    assert hello.author_name == "ann"
    second = tmp_path / "odd2.csv"
    second.write_text("Words,When,Who\nsecond file,2026-11-20 11:00,bo\n", encoding="utf-8")
    assert import_mentions(store, second).imported == 1  # the mapping was remembered


def test_bad_map_options_are_refused(store):
    with pytest.raises(MentionImportError, match="not a field"):
        import_mentions(store, FIXTURES / "meltwater.csv", mapping={"colour": "URL"})
    with pytest.raises(MentionImportError, match="no column 'Nope'"):
        import_mentions(store, FIXTURES / "meltwater.csv", mapping={"text": "Nope"})
    with pytest.raises(MentionImportError, match="FIELD=COLUMN"):
        parse_map_options(["text"])


def _big_field(tmp_path: Path) -> Path:
    path = tmp_path / "giant.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("text,date\nfine,2026-11-20\n")
        handle.write('"' + "x" * (50 * 1024 * 1024) + '",2026-11-20\n')
    return path


BROKEN = [
    ("empty.csv", "is empty"),
    ("ragged.csv", "line 4: this row has 5 fields but the header has 3"),
    ("nul_bytes.csv", "line 3: it contains a NUL byte"),
    ("broken_halfway.json", "line 4: the JSON is broken here"),
    ("binary.csv", "looks like a binary file"),
    ("no_text_column.csv", "No column holds the mention text"),
    (_big_field, "line 3: one field is longer than 1,000,000 characters"),
]


@pytest.mark.parametrize("name, message", BROKEN, ids=lambda v: getattr(v, "__name__", v))
def test_broken_files_are_refused_and_change_nothing(store, tmp_path, name, message):
    import_mentions(store, FIXTURES / "brandwatch_utf8_bom.csv")
    before = snapshot(store)
    path = name(tmp_path) if callable(name) else FIXTURES / name
    with pytest.raises(MentionImportError) as caught:
        import_mentions(store, path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert snapshot(store) == before


def many_rows(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "many.csv"
    rows = "".join(f"post number {i},2026-11-20\n" for i in range(count))
    path.write_text("text,date\n" + rows, encoding="utf-8")
    return path


def test_cancel_leaves_nothing_behind(store, tmp_path):
    path = many_rows(tmp_path, 9000)
    before = snapshot(store)
    seen = []
    with pytest.raises(Cancelled):
        import_mentions(
            store,
            path,
            progress=lambda done, total: seen.append((done, total)),
            cancelled=lambda: bool(seen),
        )
    assert seen and seen[0][0] == 2000 and seen[0][1] >= 2000
    assert snapshot(store) == before


def test_progress_estimates_the_total(store, tmp_path):
    path = many_rows(tmp_path, 30000)
    seen = []
    import_mentions(store, path, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (30000, 30000)
    assert 10000 < seen[0][1] < 60000  # an estimate from the bytes read so far


def test_add_many_joins_the_callers_transaction(store):
    items = [NewMention(source="mastodon", text="hello", external_id="1")]
    with pytest.raises(RuntimeError), store.db.atomic():
        store.settings.set("cursor:mastodon", "42")
        result = store.mentions.add_many(items)
        assert result.added == 1 and store.db.conn.in_transaction
        raise RuntimeError("the pull failed after add_many")
    assert store.mentions.total() == 0
    assert store.settings.get("cursor:mastodon") is None
    with store.db.atomic():
        store.mentions.add_many(items)
        store.settings.set("cursor:mastodon", "42")
    assert store.mentions.total() == 1 and store.settings.get("cursor:mastodon") == "42"


def test_dedupe_by_id_and_by_normalised_content(store):
    first = store.mentions.add_many(
        [
            NewMention(source="rss", text="Bakery news", external_id="a"),
            NewMention(source="rss", text="Other words", external_id="a"),  # same id
            NewMention(source="manual", text="Got  SICK after the tart!", author_handle="@ann"),
            NewMention(source="manual", text="got sick after the tart", author_handle="ann"),
            NewMention(source="manual", text="got sick after the tart", author_handle="bob"),
        ]
    )
    assert (first.added, first.duplicates) == (3, 2)
    assert first.added_ids == [1, 2, 3]
    assert store.mentions.get(1).fetched_at.isoformat() == "2026-11-20T09:30:00+00:00"


def test_preview_shows_rows_and_a_guessed_mapping():
    records, rows, mapping = preview(FIXTURES / "brandwatch_utf8_bom.csv", rows=2)
    assert len(rows) == 2 and records.columns[0] == "Resource Id"
    assert mapping.preset == "Brandwatch" and mapping.fields["text"] == "Full Text"


def test_dates_in_export_formats():
    expect = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
    for text in (
        "2026-11-20T14:05:00Z",
        "2026-11-20 14:05:00+00:00",
        "Nov 20, 2026 @ 14:05",
        "20/11/2026 14:05",
        "Fri Nov 20 14:05:00 +0000 2026",
        "2026-11-20T15:05:00+01:00",
        "1795183500",
        "1795183500000",
    ):
        assert parse_date(text) == expect, text


# --- the command line (in-process) and kill -9 (a real process) ---------------------------


def test_cli_import_prints_the_summary_and_json(cli, tmp_path):
    db = str(tmp_path / "w.db")
    assert cli("--db", db, "init").code == 0
    result = cli("--db", db, "import", "mentions", str(FIXTURES / "quoted_newlines.csv"))
    assert result.code == 0, result.err
    assert "Imported 3 mentions, 0 already in the inbox, 2 rejected." in result.out
    assert "rejected line 7: the date" in result.out
    again = cli("--db", db, "import", "mentions", str(FIXTURES / "quoted_newlines.csv"), "--json")
    document = json.loads(again.out)
    assert (document["imported"], document["duplicates"], document["rejected_count"]) == (0, 3, 2)
    assert document["rejected"][0] == {"line": 6, "reason": "it has no text", "where": "line"}


def test_cli_import_with_map_and_a_broken_file(cli, tmp_path):
    db = str(tmp_path / "w.db")
    assert cli("--db", db, "init").code == 0
    path = tmp_path / "odd.csv"
    path.write_text("Words,When\nhello,2026-11-20\n", encoding="utf-8")
    refused = cli("--db", db, "import", "mentions", str(path))
    assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1
    ok = cli(
        "--db",
        db,
        "import",
        "mentions",
        str(path),
        "--map",
        "text=Words",
        "--map",
        "posted_at=When",
    )
    assert ok.code == 0 and "Imported 1 mention," in ok.out
    broken = cli("--db", db, "import", "mentions", str(FIXTURES / "ragged.csv"))
    assert broken.code == 1 and "line 4" in broken.err
    with open_store(db) as store:
        assert store.mentions.total() == 1


def test_kill_9_in_the_middle_of_an_import_leaves_no_rows(tmp_path):
    db = tmp_path / "w.db"
    with open_store(db) as store:
        store.mentions.add(NewMention(source="manual", text="before the import"))
    big = tmp_path / "big.csv"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write("id,text,date\n")
        for i in range(400_000):
            handle.write(f"{i},mention number {i} about the bakery and its pastry,2026-11-20\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), "import", "mentions", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + 60
    # Uncommitted pages spill into the write-ahead log once the import is well under way.
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 2_000_000:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 1
    conn.close()
    with open_store(db) as store:
        assert store.mentions.count(MentionFilter("bakery")) == 0


# --- property tests: only our own errors come out -----------------------------------------


def _import_or_refuse(store, path: Path) -> None:
    before = snapshot(store)
    try:
        import_mentions(store, path)
    except MentionImportError as exc:
        assert str(exc)
        assert snapshot(store) == before


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".json", ".ndjson", ""]))
def test_random_bytes_give_our_error_or_an_import(store, tmp_path, content, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(content)
    _import_or_refuse(store, path)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(st.sampled_from(["text", "date", "author", "id", "url", "x"]), max_size=5),
    rows=st.lists(st.lists(cells, max_size=6), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]),
)
def test_random_csv_gives_our_error_or_an_import(
    store, tmp_path, header, rows, delimiter, encoding
):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "random.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    _import_or_refuse(store, path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | cells,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(cells, inner, max_size=4),
    max_leaves=12,
)
json_items = st.dictionaries(
    st.sampled_from(["text", "created_at", "author", "id", "user", "url"]), json_values, max_size=5
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=st.one_of(json_values, st.lists(json_items, max_size=5)), ndjson=st.booleans())
def test_random_json_gives_our_error_or_an_import(store, tmp_path, document, ndjson):
    if ndjson and isinstance(document, list):
        text = "\n".join(json.dumps(item) for item in document)
        path = tmp_path / "random.ndjson"
    else:
        text = json.dumps(document)
        path = tmp_path / "random.json"
    path.write_text(text, encoding="utf-8")
    _import_or_refuse(store, path)

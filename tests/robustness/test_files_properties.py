"""Property tests: any bytes as an export or a contacts file, and any query, through the
functions the window calls and through the command line. Only our own one-sentence errors come
out, and the workspace is either unchanged or holds exactly the rows reported imported (each
import is one transaction). Examples are few and small so the suite stays fast."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.contacts.importing import import_contacts_file
from app.contacts.model import ContactImportError
from app.mentions.importers import MentionImportError, import_mentions
from app.store import open_store

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Pieces of real exports and of attacks on parsers, glued together at random with random bytes.
PIECES = [
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b":",
    b"\n",
    b"\r\n",
    b'"',
    b'{"text": "hello"}',
    b'{"text": "caf\xc3\xa9", "created_at": "2026-11-20T10:00:00Z"}',
    b'"text"',
    b'"followers"',
    b"NaN",
    b"-Infinity",
    b"1e999",
    b"9" * 4400,
    b"[" * 300,
    b"]" * 300,
    b'"\\ud800"',
    b'"\\udc00"',
    b"\\u0000",
    b"\xff",
    b"\xc3",
    b"\x00",
    b"text,date,author\n",
    b'"quoted, field",2026-11-20,"a ""b"""\n',
    b";",
    b"\t",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"BEGIN:VCARD\r\nVERSION:3.0\r\n",
    b"FN:Jo Baker\r\n",
    b"TEL;TYPE=CELL:+44 7700 900123\r\n",
    b"EMAIL;TYPE=INTERNET:jo@example.com\r\n",
    b"N:Baker;Jo;;;\r\n",
    b"PHOTO;ENCODING=b:AAAA\r\n",
    b"=C3=A9=\r\n",
    b"END:VCARD\r\n",
    b"Name,Email,Phone\n",
    b"Jo,jo@example.com,+44 7700 900123\n",
]
hostile_bytes = st.one_of(
    st.binary(max_size=300),
    st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=8)), max_size=30).map(b"".join),
)
SUFFIXES = st.sampled_from([".csv", ".json", ".ndjson", ".jsonl", ".vcf", ".txt", ""])


def mention_count(store) -> int:
    return store.db.execute("SELECT count(*) FROM mentions").fetchone()[0]


def counts(path: Path) -> tuple[int, int]:
    with open_store(path) as store:
        return mention_count(store), store.contacts.count()


@SETTINGS
@given(content=hostile_bytes, suffix=SUFFIXES)
def test_any_bytes_through_the_mention_importer(store, tmp_path, content, suffix):
    path = tmp_path / f"export{suffix}"
    path.write_bytes(content)
    before = mention_count(store)
    try:
        result = import_mentions(store, path)
    except MentionImportError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert mention_count(store) == before
        return
    assert mention_count(store) == before + result.imported


@SETTINGS
@given(content=hostile_bytes, suffix=SUFFIXES)
def test_any_bytes_through_the_contact_importer(store, tmp_path, content, suffix):
    path = tmp_path / f"contacts{suffix}"
    path.write_bytes(content)
    before = store.contacts.count()
    try:
        preview = import_contacts_file(store.contacts, path)
    except ContactImportError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert store.contacts.count() == before
        return
    assert store.contacts.count() == before + len(preview.new)


@SETTINGS
@given(content=hostile_bytes, suffix=SUFFIXES, kind=st.sampled_from(["mentions", "contacts"]))
def test_any_bytes_through_crisisdesk_import(cli, db_path, tmp_path, content, suffix, kind):
    counts(db_path)  # the workspace exists
    path = tmp_path / f"file{suffix}"
    path.write_bytes(content)
    before = counts(db_path)
    result = cli("--db", db_path, "import", kind, path, "--json")
    after = counts(db_path)
    if result.code != 0:  # the fixture has checked: one sentence, no traceback
        assert result.code == 1 and after == before
        return
    report = json.loads(result.out)
    if kind == "mentions":
        assert after == (before[0] + report["imported"], before[1])
    else:
        assert after == (before[0], before[1] + report["imported"])


words = st.text(max_size=12) | st.sampled_from(
    ["-refund", "--limit", "--json", "--", "OR", '"', "on:9999-12-31", "last:9999w", "-from:"]
)


@SETTINGS
@given(query=st.text(max_size=60))
def test_any_query_through_crisisdesk_search(cli, db_path, query):
    counts(db_path)
    result = cli("--db", db_path, "search", "--json", "--", query)
    assert result.code in (0, 1)
    if result.code == 0:
        assert json.loads(result.out)["query"] == query


@SETTINGS
@given(argv=st.lists(words, max_size=6))
def test_any_words_after_crisisdesk_search(cli, db_path, argv):
    # Not another workspace: the --db path is echoed by the workspace check, not by search.
    assume("--db" not in [word.split("=")[0] for word in argv])
    counts(db_path)
    result = cli("--db", db_path, "search", *argv)
    assert result.code in (0, 1, 2)  # 2: argparse's usage error, e.g. --limit without a number

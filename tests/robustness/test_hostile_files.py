"""Hostile and accidental files given to the importers: things that are not files, files that
never end or cannot be read, and JSON built to break parsers. Each is one sentence for the file
or one rejected row, never a hang, a traceback or memory running out; the workspace is left as
it was, or holds the good rows only.

The functions the window calls (`preview`, `import_mentions`, `read_file`) and the ones
the command line calls go through the same checks; the command line is in test_cli_inputs.py.
"""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import stat
import tracemalloc
from pathlib import Path

import pytest

import app.contacts.importing as contact_import
import app.imports.reading as reading
import app.imports.records as records
from app.contacts.importing import import_contacts_file, read_file
from app.contacts.model import ContactImportError
from app.imports.records import open_records
from app.mentions.importers import (
    MentionImportError,
    import_mentions,
    preview,
)
from app.mentions.model import MentionFilter

pytestmark = pytest.mark.timeout(60)  # a FIFO that is opened hangs: fail, do not wait forever


def snapshot(store) -> tuple:
    return (
        store.counts(),
        store.db.execute("SELECT count(*) FROM mentions_fts").fetchone()[0],
        store.db.execute("SELECT coalesce(max(id), 0) FROM mentions").fetchone()[0],
    )


def texts(store) -> list[str]:
    return sorted(m.text for m in store.mentions.page(MentionFilter(), 0, 100))


# --- not a file, never ending, unreadable ---------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    os.mkfifo(path)
    return path


def _zero_link(tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    path.symlink_to("/dev/zero")
    return path


def _null_device(tmp_path: Path) -> Path:
    return Path("/dev/null")


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "exports").mkdir()
    return tmp_path / "exports"


def _socket(tmp_path: Path) -> Path:
    path = tmp_path / "s.csv"
    if len(str(path)) > 100:  # AF_UNIX names are short
        pytest.skip("temporary folder name too long for a socket")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return path


def _dangling(tmp_path: Path) -> Path:
    path = tmp_path / "gone.csv"
    path.symlink_to(tmp_path / "nowhere.csv")
    return path


NOT_FILES = [
    (_fifo, "is a named pipe, not a file"),
    (_zero_link, "is a device, not a file"),
    (_null_device, "is a device, not a file"),
    (_folder, "is a folder"),
    (_socket, "is a socket, not a file"),
    (_dangling, "There is no file at"),
]


@pytest.mark.parametrize("make, message", NOT_FILES, ids=lambda v: getattr(v, "__name__", ""))
def test_mention_imports_refuse_what_is_not_a_file_before_opening_it(
    store, tmp_path, make, message
):
    path = make(tmp_path)
    before = snapshot(store)
    for attempt in (
        lambda: import_mentions(store, path, undated=True),
        lambda: preview(path),
    ):
        with pytest.raises(MentionImportError, match=message) as caught:
            attempt()
        assert "\n" not in str(caught.value)
    assert snapshot(store) == before


@pytest.mark.parametrize("make, message", NOT_FILES, ids=lambda v: getattr(v, "__name__", ""))
def test_contact_imports_refuse_what_is_not_a_file_before_opening_it(
    store, tmp_path, make, message
):
    path = make(tmp_path)
    for attempt in (lambda: read_file(path), lambda: import_contacts_file(store.contacts, path)):
        with pytest.raises(ContactImportError, match=message) as caught:
            attempt()
        assert "\n" not in str(caught.value)
    assert store.contacts.count() == 0


def test_files_over_the_size_limit_are_refused_unread(store, tmp_path):
    mentions = tmp_path / "huge.csv"
    with open(mentions, "wb") as handle:  # sparse: no disk space is used
        handle.truncate(reading.MAX_FILE_BYTES + 1)
    with pytest.raises(MentionImportError, match="larger than 2 GiB"):
        import_mentions(store, mentions, undated=True)
    contacts = tmp_path / "huge.vcf"
    with open(contacts, "wb") as handle:
        handle.truncate(contact_import.MAX_FILE_BYTES + 1)
    with pytest.raises(ContactImportError, match="larger than 50 MB"):
        read_file(contacts)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_a_file_that_says_it_is_empty_but_goes_on_is_stopped_at_the_limit(
    store, tmp_path, monkeypatch
):
    # /proc files are regular files of size 0 whose text is made as they are read: like a
    # file that grows while it is imported, only the bytes read can enforce the limit.
    assert os.stat("/proc/self/maps").st_size == 0
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    with pytest.raises(MentionImportError, match="split it"):
        import_mentions(store, "/proc/self/maps", undated=True)
    monkeypatch.setattr(contact_import, "MAX_FILE_BYTES", 100)
    with pytest.raises(ContactImportError, match="split it"):
        read_file(Path("/proc/self/maps"))


def _unreadable(tmp_path: Path, monkeypatch, *modules) -> Path:
    """A file that cannot be opened. As root (as these tests run) chmod 000 does not stop a
    read, so os.open is made to fail as it does for anyone else; otherwise chmod is real."""
    path = tmp_path / "secret.csv"
    path.write_text("text\nhello\n", encoding="utf-8")
    if os.geteuid() != 0:
        path.chmod(0)
        return path
    real_open = os.open

    def refuse(name, flags, *args, **kwargs):
        if Path(name) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module.os, "open", refuse)
    return path


def test_unreadable_files_are_one_sentence(store, tmp_path, monkeypatch):
    path = _unreadable(tmp_path, monkeypatch, reading)
    with pytest.raises(MentionImportError, match="you do not have permission") as caught:
        import_mentions(store, path, undated=True)
    assert "\n" not in str(caught.value)
    with pytest.raises(ContactImportError, match="you do not have permission"):
        read_file(path)
    assert snapshot(store)[0]["mentions"] == 0


def test_a_disk_error_while_reading_is_one_sentence(store, tmp_path, monkeypatch):
    path = tmp_path / "export.ndjson"
    path.write_text('{"text": "one"}\n' * 50_000, encoding="utf-8")
    before = snapshot(store)

    class FailingDisk(io.FileIO):
        reads = 0

        def readinto(self, buffer):
            FailingDisk.reads += 1
            if FailingDisk.reads == 4:  # past the sample, in the middle of the rows
                raise OSError(errno.EIO, "Input/output error")
            return super().readinto(buffer)

    monkeypatch.setattr(records, "open_export", lambda name: FailingDisk(name, "rb"))
    with pytest.raises(MentionImportError, match="input/output error"):
        import_mentions(store, path, undated=True)
    assert snapshot(store) == before


# --- JSON built to break parsers ---------------------------------------------------------


def write_array(path: Path, middle: str) -> Path:
    """A JSON array: a good item, the hostile one, another good item."""
    path.write_text(f'[\n{{"text": "first"}},\n{middle},\n{{"text": "last"}}\n]\n', "utf-8")
    return path


def write_lines(path: Path, middle: str) -> Path:
    path.write_text(f'{{"text": "first"}}\n{middle}\n{{"text": "last"}}\n', "utf-8")
    return path


DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE_ROWS = [
    ("deep", '{"text": "deep", "x": ' + DEEP + "}", "nested more than 64 levels deep"),
    ("deep_bare", DEEP, "nested more than 64 levels deep"),
    ("lone_surrogate", '{"text": "broken \\ud800 emoji"}', "lone surrogate"),
    ("not_an_object", "[1, 2, 3]", "not an object"),
]


@pytest.mark.parametrize("name, middle, reason", HOSTILE_ROWS, ids=[r[0] for r in HOSTILE_ROWS])
@pytest.mark.parametrize("writer", [write_array, write_lines], ids=["json", "ndjson"])
def test_a_hostile_item_is_a_rejected_row_and_the_rest_come_in(
    store, tmp_path, writer, name, middle, reason
):
    suffix = ".json" if writer is write_array else ".ndjson"
    path = writer(tmp_path / f"export{suffix}", middle)
    result = import_mentions(store, path, undated=True)
    if name == "lone_surrogate" and writer is write_array and result.rejected_count == 0:
        # yajl (ijson's C parser) reads a lone high surrogate escape as "?": kept, not stored
        # as a surrogate SQLite could not encode.
        assert "broken ? emoji" in texts(store)
        return
    assert result.imported == 2 and result.rejected_count == 1
    rejected = result.rejected[0]
    assert (rejected.where, rejected.line) == (("item", 2) if suffix == ".json" else ("line", 2))
    assert reason in rejected.reason
    assert texts(store) == ["first", "last"]


def test_an_item_with_too_many_values_is_a_rejected_row(store, tmp_path):
    wide = '{"text": "wide", "x": [' + ",".join(["1"] * 250_000) + "]}"
    result = import_mentions(store, write_array(tmp_path / "export.json", wide), undated=True)
    assert (result.imported, result.rejected_count) == (2, 1)
    assert "more than 200,000 values" in str(result.rejected[0])


NDJSON_ONLY_ROWS = [
    ("nan", '{"text": "nan", "followers": NaN}', "NaN is not a number JSON allows"),
    ("infinity", '{"text": "inf", "followers": -Infinity}', "-Infinity is not a number"),
    ("overflowing_float", '{"text": "big", "followers": 1e999}', "NaN or Infinity"),
    ("digits", '{"text": "digits", "id": ' + "9" * 4301 + "}", "too many digits"),
    ("broken", '{"text": "cut sho', "this line is not valid JSON"),
]


@pytest.mark.parametrize(
    "name, middle, reason", NDJSON_ONLY_ROWS, ids=[r[0] for r in NDJSON_ONLY_ROWS]
)
def test_an_ndjson_line_that_cannot_be_read_is_a_rejected_row(
    store, tmp_path, name, middle, reason
):
    result = import_mentions(store, write_lines(tmp_path / "export.ndjson", middle), undated=True)
    assert (result.imported, result.rejected_count) == (2, 1)
    assert result.rejected[0].line == 2 and reason in result.rejected[0].reason
    assert texts(store) == ["first", "last"]


# The encoding is decided on every byte of the file, not on its first 256 KB.
PADDING = 300 * 1024 // 40


def test_a_late_legacy_byte_in_an_ascii_file_is_read_in_its_code_page(store, tmp_path):
    path = tmp_path / "export.ndjson"
    good = "".join(f'{{"text": "padding line {n:06d} ........"}}\n' for n in range(PADDING))
    path.write_bytes(good.encode() + b'{"text": "caf\xe9"}\n{"text": "last"}\n')
    result = import_mentions(store, path, undated=True)
    assert (result.imported, result.rejected_count, result.encoding) == (PADDING + 2, 0, "cp1252")
    assert store.mentions.search("café")[0].text == "café"


def test_the_broken_ndjson_fixture_rejects_its_cut_line(store):
    fixture = Path(__file__).parent.parent / "fixtures" / "mentions" / "broken_halfway.ndjson"
    result = import_mentions(store, fixture, undated=True)
    assert (result.imported, result.rejected_count) == (3, 1)
    assert result.rejected[0].line == 3 and "not valid JSON" in result.rejected[0].reason


def test_a_file_of_lines_none_of_which_is_json_is_refused(store, tmp_path):
    path = tmp_path / "export.ndjson"
    path.write_text("text,date\nhello,2026-11-20\n", encoding="utf-8")
    with pytest.raises(MentionImportError, match="line 1: this line is not valid JSON"):
        import_mentions(store, path, undated=True)


# A strict streaming parser cannot find the next item after these: one sentence for the file,
# with the line, and nothing imported.
BROKEN_ARRAYS = [
    ("nan", '{"text": "nan", "followers": NaN}', "line 3: the JSON is broken here, in item 2"),
    ("infinity", '{"text": "i", "n": Infinity}', "not JSON (NaN, Infinity or an unquoted word?)"),
    ("digits", '{"text": "digits", "id": ' + "9" * 4301 + "}", "a number there is too large"),
    ("overflow", '{"text": "big", "n": 1e999}', "a number there is too large"),
    ("low_surrogate", '{"text": "\\udc00"}', "line 3"),
]


@pytest.mark.parametrize("name, middle, message", BROKEN_ARRAYS, ids=[r[0] for r in BROKEN_ARRAYS])
def test_a_json_array_that_stops_being_json_is_one_sentence(store, tmp_path, name, middle, message):
    import_mentions(
        store, write_lines(tmp_path / "earlier.ndjson", '{"text": "earlier"}'), undated=True
    )
    before = snapshot(store)
    with pytest.raises(MentionImportError) as caught:
        import_mentions(store, write_array(tmp_path / "export.json", middle), undated=True)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert snapshot(store) == before


def test_broken_utf8_inside_a_json_array_is_replaced_and_named_by_line(store, tmp_path):
    path = tmp_path / "export.json"
    good = "".join(f'{{"text": "padding item {n:06d} ✓"}},\n' for n in range(PADDING))
    path.write_bytes(b"[\n" + good.encode() + b'{"text": "caf\xe9"}\n]\n')
    result = import_mentions(store, path, undated=True)
    assert (result.imported, result.encoding) == (PADDING + 1, "utf-8")
    assert f"line {PADDING + 2}" in result.notes[0]
    assert store.mentions.search("caf*")[0].text == "caf\ufffd"


@pytest.mark.parametrize(
    "content, message",
    [
        ("[" * 100_000, "ends in the middle of it"),
        ('{"data": [{"text": "a"}]} trailing', "more follows the end of the JSON"),
        ("42", "holds no list of mentions"),
    ],
    ids=["unclosed_deep", "trailing", "single_value"],
)
def test_a_json_file_that_is_not_a_list_of_mentions_is_one_sentence(
    store, tmp_path, content, message
):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MentionImportError, match=message) as caught:
        import_mentions(store, path, fmt="json", undated=True)
    assert "\n" not in str(caught.value)


def test_a_top_level_object_is_streamed_from_its_list(store, tmp_path):
    document = {
        "meta": {"exported": "2026-11-20", "rows": [1, 2]},
        "pages": [[1], [2]],
        "data": [{"text": "from data"}, {"text": "second"}],
        "results": "not a list",
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert import_mentions(store, path, undated=True).imported == 2
    assert texts(store) == ["from data", "second"]
    # An object with no list of objects is one mention, as before.
    path.write_text(json.dumps({"text": "only one", "when": "2026-11-20"}), encoding="utf-8")
    assert import_mentions(store, path, undated=True).imported == 1


def test_absurd_follower_counts_are_unknown_not_a_crash(store, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f"text,followers\none,{'9' * 5000}\ntwo,-5\nthree,1.2k\n", encoding="utf-8")
    assert import_mentions(store, path, undated=True).imported == 3
    counts = store.db.execute("SELECT author_followers FROM mentions ORDER BY id").fetchall()
    assert counts == [(None,), (None,), (1200,)]


# --- a big array is streamed ---------------------------------------------------------------


def _array_file(path: Path, items: int) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[\n")
        for number in range(items):
            item = {
                "id": f"m{number}",
                "text": f"post number {number} about the croissants and the queue " * 3,
                "created_at": "2026-11-20T10:00:00Z",
                "user": {"name": f"User {number}", "screen_name": f"user{number}"},
            }
            handle.write(("," if number else "") + json.dumps(item) + "\n")
        handle.write("]\n")
    return path


def _peak_while_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        records = open_records(path)
        count = sum(1 for _ in records.records)
        records.close()
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_json_array_is_read_in_bounded_memory(tmp_path):
    # Before streaming, reading held the whole document: about 4.5 times the file's size
    # (a 30 MB array peaked at 139 MB traced). Streamed, the peak is the first 1,000 items
    # kept for the column names, whatever the size of the file.
    small = _array_file(tmp_path / "small.json", 5_000)
    large = _array_file(tmp_path / "large.json", 40_000)
    small_count, small_peak = _peak_while_reading(small)
    large_count, large_peak = _peak_while_reading(large)
    assert (small_count, large_count) == (5_000, 40_000)
    size = large.stat().st_size
    assert size > 9_000_000
    assert large_peak < 6 * 1024 * 1024, large_peak
    assert large_peak < size / 2
    assert large_peak < small_peak * 1.5  # eight times the items, about the same memory


def test_stat_is_what_decides(tmp_path):
    # The checks follow symlinks (os.stat), so a link to a good export is a good export.
    target = tmp_path / "real.csv"
    target.write_text("text\nhello\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert stat.S_ISLNK(os.lstat(link).st_mode)
    records = open_records(link)
    assert [record for _line, record in records.records] == [{"text": "hello"}]
    records.close()


def test_without_the_compiled_parser_the_answers_are_the_same(store, tmp_path, monkeypatch):
    # Where ijson has no compiled backend the pure-Python one reads the files, more slowly.
    from ijson.backends import python as pure

    import app.imports.json_stream as json_stream

    monkeypatch.setattr(json_stream, "_BACKEND", pure)
    deep = write_array(tmp_path / "deep.json", '{"text": "deep", "x": ' + DEEP + "}")
    result = import_mentions(store, deep, undated=True)
    assert (result.imported, result.rejected_count) == (2, 1)
    assert "nested more than 64" in result.rejected[0].reason
    surrogate = write_array(tmp_path / "surrogate.json", '{"text": "broken \\ud800 emoji"}')
    assert "lone surrogate" in import_mentions(store, surrogate, undated=True).rejected[0].reason
    fixture = Path(__file__).parent.parent / "fixtures" / "mentions" / "broken_halfway.json"
    with pytest.raises(MentionImportError, match="line 4: the JSON is broken here, in item 3"):
        import_mentions(store, fixture, undated=True)
    nan = write_array(tmp_path / "nan.json", '{"text": "x", "n": NaN}')
    with pytest.raises(MentionImportError, match="line 3: the JSON is broken here, in item 2"):
        import_mentions(store, nan, undated=True)

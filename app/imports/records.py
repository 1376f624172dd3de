"""Line-numbered records from CSV, JSON and NDJSON exports, streamed: a row that cannot be read
is a rejected row with its line; a file that cannot be read is one sentence."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import os
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.imports.encoding import Decision
from app.imports.json_stream import (
    LIST_KEYS,
    MAX_DEPTH,
    Feed,
    JsonBroken,
    SingleValue,
    SourceNotDecodable,
    Unreadable,
    json_items,
)
from app.imports.reading import (
    LONE_SURROGATE,
    SAMPLE_BYTES,
    CountingReader,
    ImportFileError,
    check_text,
    decide_encoding,
    open_export,
    read_failure,
    shown,
)

FORMATS = ("auto", "csv", "json", "ndjson")
MAX_FIELD = 1_000_000  # characters; a bigger "field" is a damaged file, not a post
MAX_LINE = 8 * MAX_FIELD  # characters read as one line at most (a longer one is cut)


def normal_column(name: str) -> str:
    return re.sub(r"[^a-z0-9.]", "", name.lower())


@dataclass
class RecordSource:
    """An opened export: its format, encoding, columns, and an iterator of (line, record)."""

    path: Path
    format: str
    encoding: str
    columns: list[str]
    records: Iterator[tuple[int, Any]]  # a dict, or why the line could not be read
    where: str = "line"
    size: int = 0
    bytes_read: Callable[[], int] = lambda: 0
    exact_total: int | None = None
    delimiter: str = ""
    close: Callable[[], None] = lambda: None
    decision: Decision = field(default_factory=lambda: Decision("utf-8"))

    def estimated_total(self, done: int) -> int:
        if self.exact_total is not None:
            return self.exact_total
        read = self.bytes_read()
        if not read or not done:
            return done
        return max(done, round(done * self.size / read))

    @property
    def signature(self) -> str:
        """Identifies an export layout, so a mapping chosen once is used again."""
        normal = "\x1f".join(sorted(normal_column(c) for c in self.columns))
        return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


def open_records(path: str | Path, fmt: str = "auto") -> RecordSource:
    path = Path(path)
    if fmt not in FORMATS:
        raise ImportFileError(f"Unknown format '{fmt}'; use one of {', '.join(FORMATS)}.")
    handle = open_export(path)
    try:
        size = os.fstat(handle.fileno()).st_size
        try:
            sample = handle.read(SAMPLE_BYTES)
        except OSError as exc:
            raise ImportFileError(read_failure(exc, path)) from None
        if not sample.strip():
            raise ImportFileError(f"{path.name} is empty: there are no mentions in it.")
        decision = decide_encoding(handle, sample, path)
        encoding = decision.encoding
        head = sample.decode(encoding, errors="replace")
        check_text(head, path)
        if fmt == "auto":
            fmt = _guess_format(path, head)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    raw = CountingReader(handle, path)
    binary = io.BufferedReader(raw, 1 << 16)
    common = dict(
        path=path, encoding=encoding, size=size, bytes_read=lambda: raw.count, decision=decision
    )
    errors = decision.errors
    try:
        if fmt == "csv":
            return _csv_records(_text(binary, encoding, errors), head, common)
        if fmt == "ndjson":
            return _ndjson_records(_text(binary, encoding, errors), common)
        return _json_records(binary, common)
    except BaseException:
        binary.close()
        raise


def _text(binary, encoding: str, errors: str = "strict") -> io.TextIOWrapper:
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline="")


def _lines(text) -> Iterator[str]:
    """Lines of at most MAX_LINE characters: a file with no line break is not read whole."""
    return iter(lambda: text.readline(MAX_LINE), "")


def _guess_format(path: Path, head: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        return "ndjson"
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first, _, rest = stripped.partition("\n")
        try:
            json.loads(first)
        except ValueError:
            return "json"
        return "ndjson" if rest.strip().startswith("{") or suffix != ".json" else "json"
    return "csv"


def _decode_error(exc: UnicodeDecodeError, path: Path, encoding: str) -> ImportFileError:
    byte = exc.object[exc.start : exc.start + 1]
    return ImportFileError(
        f"line {_bad_line(path, encoding)}: the text is not valid {encoding} (byte {byte!r}); "
        "save the file as UTF-8 and try again."
    )


def _bad_line(path: Path, encoding: str) -> int:
    """The line of the first byte that does not decode (text is decoded in blocks, so the
    reader's own line count is off; this reads the file once more, line by line)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = 0
    with io.BufferedReader(open_export(path)) as handle:
        for chunk in iter(lambda: handle.readline(1 << 16), b""):
            try:
                newlines += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError:
                return newlines + 1
    return newlines + 1


def _csv_records(text, head: str, common: dict) -> RecordSource:
    first_line = head.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    encoding = common["encoding"]
    try:
        header = next(reader, None)
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, common["path"], encoding) from None
    except csv.Error as exc:
        raise ImportFileError(f"line 1: {_csv_reason(exc)}") from None
    if not header or not any(h.strip() for h in header):
        raise ImportFileError(f"{common['path'].name} has no header row with column names.")
    columns = _unique([h.strip().lstrip("\ufeff") for h in header])
    width = len(columns)

    def records() -> Iterator[tuple[int, dict]]:
        line = reader.line_num
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise _decode_error(exc, common["path"], encoding) from None
            except csv.Error as exc:
                raise ImportFileError(f"line {start}: {_csv_reason(exc)}") from None
            line = reader.line_num
            if any("\x00" in cell for cell in row):
                raise ImportFileError(f"line {start}: {_csv_reason(csv.Error('NUL'))}")
            if len(row) != width:
                if not row or not any(cell.strip() for cell in row):
                    continue  # a blank line
                if len(row) > width and not any(cell.strip() for cell in row[width:]):
                    row = row[:width]
                else:
                    raise ImportFileError(
                        f"line {start}: this row has {len(row)} fields but the header has "
                        f"{width}; a quote or a {_delimiter_name(delimiter)} is probably "
                        "missing or extra there."
                    )
            yield start, dict(zip(columns, row, strict=True))

    return RecordSource(
        format="csv",
        columns=columns,
        records=records(),
        delimiter=delimiter,
        close=text.close,
        **common,
    )


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}[delimiter]


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "NUL" in message:
        return "it contains a NUL byte, so the file is damaged or not text."
    if "field larger than field limit" in message:
        return f"one field is longer than {MAX_FIELD:,} characters; the file looks damaged."
    return f"the CSV cannot be read there ({message})."


def _unique(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(columns):
        name = name or f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result


def _flatten(record: dict, prefix: str = "", depth: int = 0) -> dict:
    """{"author": {"name": "Jo"}} -> {"author.name": "Jo"}, as API exports nest."""
    flat: dict = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 2:
            flat.update(_flatten(value, f"{name}.", depth + 1))
        else:
            flat[name] = value
    return flat


def _check_item(item, where: str) -> None:
    for value in item.values() if isinstance(item, dict) else ():
        if isinstance(value, str) and len(value) > MAX_FIELD:
            raise ImportFileError(
                f"{where}: one field is longer than {MAX_FIELD:,} characters; the file looks "
                "damaged."
            )


def _columns_of(items: list[dict]) -> list[str]:
    columns: dict[str, None] = {}
    for item in items:
        columns.update(dict.fromkeys(item))
    return list(columns)


def _json_records(binary, common: dict) -> RecordSource:
    """Items of a JSON array (or of the list a top-level object holds), streamed."""
    path, encoding = common["path"], common["encoding"]
    errors = common["decision"].errors
    # UTF-16, a BOM, Windows-1252, replaced bytes: decoded, then re-encoded for the parser.
    is_text = encoding != "utf-8" or errors != "strict"
    first = [binary]

    def open_feed(slow_from: int | None) -> Feed:
        # The stream opened already is read first; the layout pass and locating an error
        # read the file again from the start.
        source = (
            first.pop() if first else io.BufferedReader(CountingReader(open_export(path), path))
        )
        return Feed(_text(source, encoding, errors) if is_text else source, is_text, slow_from)

    def items() -> Generator[tuple[int, Any], None, None]:
        try:
            for number, item in json_items(open_feed):
                _check_item(item, f"item {number}")
                yield number, _flatten(item) if isinstance(item, dict) else item
        except SourceNotDecodable as exc:
            raise _decode_error(exc.error, path, encoding) from None
        except SingleValue:
            raise ImportFileError(
                f"{path.name} holds no list of mentions (it is a single value)."
            ) from None
        except JsonBroken as exc:
            raise ImportFileError(_broken_json(exc)) from None

    stream = items()
    head = list(itertools.islice(stream, 1000))  # the columns come from the first items
    columns = _columns_of([item for _, item in head if isinstance(item, dict)])
    return RecordSource(
        format="json",
        columns=columns,
        records=itertools.chain(head, stream),
        where="item",
        close=stream.close,
        **common,
    )


def _broken_json(exc: JsonBroken) -> str:
    item = f"in item {exc.item:,} " if exc.item else ""
    reason = shown(exc.reason, 120)
    if exc.line is None:
        return f"The JSON is broken {item}({reason}); nothing was imported."
    return f"line {exc.line:,}: the JSON is broken here, {item}({reason})."


def _no_constants(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_line(line: str):
    """One NDJSON line as a value, or an Unreadable saying why it cannot be one."""
    if LONE_SURROGATE.search(line):  # bytes the encoding could not decode (surrogateescape)
        return Unreadable("its text is not valid in the file's encoding; save it as UTF-8")
    try:
        return json.loads(line, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        return Unreadable(f"this line is not valid JSON ({exc.msg.lower()})")
    except RecursionError:
        return Unreadable(f"it is nested more than {MAX_DEPTH} levels deep")
    except ValueError as exc:  # NaN or Infinity; an integer of more than 4,300 digits
        reason = str(exc) if "JSON allows" in str(exc) else "a number in it has too many digits"
        return Unreadable(reason)


_TEXT_KEYS = ("text", "full_text", "content", "body", "message")


def _page_items(item) -> list | None:
    """The items of a line that is one page of an API's answer ({"data": [...], "meta": …},
    as twarc and other collectors save them), or None for a line that is one record."""
    if not isinstance(item, dict) or any(key in item for key in _TEXT_KEYS):
        return None
    for key in LIST_KEYS:
        value = item.get(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return value
    return None


def _ndjson_records(text, common: dict) -> RecordSource:
    """One JSON value per line; a line that is not one is rejected, the rest imported."""

    def parsed() -> Iterator[tuple[int, Any]]:
        try:
            yield from lines()
        except UnicodeDecodeError as exc:  # what surrogateescape cannot carry: UTF-16 cut short
            raise _decode_error(exc, common["path"], common["encoding"]) from None

    def lines() -> Iterator[tuple[int, Any]]:
        number, cut = 0, False  # cut: the piece read last ends mid-line, longer than MAX_LINE
        for line in _lines(text):
            number += not cut
            was_cut, cut = cut, len(line) == MAX_LINE and not line.endswith(("\n", "\r"))
            if was_cut or not line.strip():
                continue
            if cut:
                yield number, Unreadable(f"the line is longer than {MAX_LINE:,} characters")
                continue
            item = _parse_line(line)
            _check_item(item, f"line {number}")
            page = _page_items(item)
            if page is not None:  # one API answer per line: its items, each a record
                for inner in page:
                    _check_item(inner, f"line {number}")
                    yield number, _flatten(inner) if isinstance(inner, dict) else inner
                continue
            yield number, _flatten(item) if isinstance(item, dict) else item

    stream = parsed()
    # Columns come from the first lines; they are read again as records.
    head = list(itertools.islice(stream, 200))
    if head and all(isinstance(item, Unreadable) for _, item in head):
        number, item = head[0]
        raise ImportFileError(f"line {number}: {item.reason}; is this an NDJSON file?")
    columns = _columns_of([item for _, item in head if isinstance(item, dict)])
    return RecordSource(
        format="ndjson",
        columns=columns,
        records=itertools.chain(head, stream),
        close=text.close,
        **common,
    )

"""Read mention exports (CSV, JSON, NDJSON) from any listening tool into the inbox.

Files are streamed, not loaded whole: a 1,000,000-row export is read row by row (a JSON
array item by item, with `ijson`) into `MentionRepository.add_many`, in one transaction, so a
broken file half-way, Cancel or a crash leaves the workspace as it was. Only a regular file of
at most 2 GiB is opened at all: a named pipe would wait forever for a writer and a device such
as /dev/zero never ends. Two kinds of problem are told apart:

- the file itself is broken (not a file, not readable, not text, a CSV's wrong encoding half-way,
  ragged rows, a NUL byte, a giant field, a JSON array that stops being JSON, no text column):
  `MentionImportError`, one sentence naming the line; nothing is imported.
- a row cannot be a mention (no text, a date nobody can read, an NDJSON line that is not JSON or
  not UTF-8, an item nested too deeply, a lone surrogate, NaN or Infinity, a number of more
  than 4,300 digits): the row is rejected with its line or item and reason, and the rest is
  imported.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import math
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path

from app.errors import UserError, os_error_sentence
from app.mentions.json_stream import (
    MAX_DEPTH,
    Feed,
    JsonBroken,
    SingleValue,
    SourceNotDecodable,
    Unreadable,
    json_items,
)
from app.mentions.repository import NewMention
from app.store import Store

FORMATS = ("auto", "csv", "json", "ndjson")
MAX_FIELD = 1_000_000  # characters; a bigger "field" is a damaged file, not a post
MAX_LINE = 8 * MAX_FIELD  # characters read as one line at most (a longer one is cut)
MAX_FILE_BYTES = 2 << 30  # 2 GiB: far beyond any export, and a bound on what is read
MAX_COUNT = 10**12  # follower counts above this are not counts
MAX_REJECTED_LISTED = 1000
SAMPLE_BYTES = 256 * 1024
DEFAULT_SOURCE = "import"

# What a column can become, with the words the owner sees in the mapping dialog.
FIELDS: dict[str, str] = {
    "text": "Text (required)",
    "posted_at": "Posted at",
    "posted_time": "Posted time (when the date is split)",
    "author_name": "Author name",
    "author_handle": "Author handle",
    "author_followers": "Followers",
    "url": "Link",
    "source": "Source or network",
    "external_id": "Id in the tool",
    "language": "Language",
}


def _keys(*names: str) -> list[str]:
    return [normal_column(name) for name in names]


def normal_column(name: str) -> str:
    return re.sub(r"[^a-z0-9.]", "", name.lower())


# Column names as common listening tools export them. Matching ignores case, spaces and
# punctuation, so "Full Text", "full_text" and "FullText" are the same column.
PRESETS: dict[str, dict[str, list[str]]] = {
    "Brandwatch": {
        "text": _keys("Full Text", "Snippet", "Title"),
        "posted_at": _keys("Date"),
        "author_name": _keys("Full Name", "Author"),
        "author_handle": _keys("Author"),
        "author_followers": _keys("Twitter Followers", "Followers"),
        "url": _keys("Url"),
        "source": _keys("Page Type", "Domain"),
        "external_id": _keys("Resource Id", "Mention Id", "Guid"),
        "language": _keys("Language"),
    },
    "Meltwater": {
        "text": _keys("Hit Sentence", "Opening Text", "Headline"),
        "posted_at": _keys("Date"),
        "posted_time": _keys("Time"),
        "author_name": _keys("Author", "Influencer"),
        "author_handle": _keys("Influencer"),
        "author_followers": _keys("Followers", "Reach"),
        "url": _keys("URL"),
        "source": _keys("Source Type", "Source Name", "Source"),
        "external_id": _keys("Document ID", "Tweet Id"),
        "language": _keys("Language"),
    },
    "Talkwalker": {
        "text": _keys("content", "content_snippet", "title"),
        "posted_at": _keys("published"),
        "author_name": _keys("extra_author_attributes.name", "author_name"),
        "author_handle": _keys("extra_author_attributes.short_name", "author_short_name"),
        "author_followers": _keys("extra_source_attributes.followers", "reach"),
        "url": _keys("url"),
        "source": _keys("source_type", "extra_source_attributes.name"),
        "external_id": _keys("id"),
        "language": _keys("lang"),
    },
    "Mention": {
        "text": _keys("Description", "Title"),
        "posted_at": _keys("Published at", "Date"),
        "author_name": _keys("Author"),
        "author_followers": _keys("Author influence", "Reach"),
        "url": _keys("Url"),
        "source": _keys("Source"),
        "external_id": _keys("Id"),
        "language": _keys("Language"),
    },
    "Sprout Social": {
        "text": _keys("Message"),
        "posted_at": _keys("Date", "Timestamp"),
        "author_name": _keys("From", "Name"),
        "author_handle": _keys("Username", "From"),
        "author_followers": _keys("Followers"),
        "url": _keys("Link", "Permalink"),
        "source": _keys("Network"),
        "external_id": _keys("Message ID", "Post ID"),
        "language": _keys("Language"),
    },
}
# Names any export might use, after the preset's own.
GENERIC: dict[str, list[str]] = {
    "text": _keys(
        "text",
        "message",
        "content",
        "body",
        "post",
        "comment",
        "review",
        "mention",
        "snippet",
        "full_text",
        "description",
        "caption",
        "title",
    ),
    "posted_at": _keys(
        "posted_at",
        "date",
        "created_at",
        "published",
        "published_at",
        "timestamp",
        "time",
        "datetime",
        "created",
        "pubDate",
    ),
    "author_name": _keys(
        "author_name",
        "author",
        "name",
        "user",
        "from",
        "display_name",
        "user.name",
        "author.name",
        "account.display_name",
        "user.display_name",
    ),
    "author_handle": _keys(
        "author_handle",
        "handle",
        "username",
        "screen_name",
        "user_handle",
        "author.handle",
        "user.handle",
        "user.screen_name",
        "user.username",
        "account.acct",
        "account",
    ),
    "author_followers": _keys("author_followers", "followers", "followers_count", "reach"),
    "url": _keys("url", "link", "permalink", "uri", "post_url"),
    "source": _keys("source", "network", "platform", "channel", "site", "media_type"),
    "external_id": _keys("external_id", "id", "post_id", "message_id", "guid", "uuid"),
    "language": _keys("language", "lang", "locale"),
}

# Zone abbreviations that exports print and dateutil does not know by itself.
TZ_ABBREVIATIONS = {
    name: timezone(timedelta(hours=hours))
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
        "AEST": 10, "AEDT": 11, "IST": 5.5, "JST": 9,
    }.items()
}  # fmt: skip


class MentionImportError(UserError):
    """The file cannot be imported; the message names the line and the problem."""


class RowRejected(ValueError):
    """One row cannot be a mention; it is reported with its line, the rest is imported."""


@dataclass
class Rejected:
    line: int
    reason: str
    where: str = "line"  # "line" for CSV and NDJSON, "item" for a JSON array

    def __str__(self) -> str:
        return f"{self.where} {self.line}: {self.reason}"


@dataclass
class ImportResult:
    path: str
    format: str
    encoding: str
    preset: str
    imported: int = 0
    duplicates: int = 0
    rejected_count: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        return (
            f"Imported {self.imported:,} mentions, {self.duplicates:,} already in the inbox, "
            f"{self.rejected_count:,} rejected."
        )

    def to_json(self) -> dict:
        data = asdict(self)
        del data["added_ids"]
        return data


# --- reading bytes as text -----------------------------------------------------------------


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(path: Path, mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return f"{path} is a folder; give the path of an export file."
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{path} is {kind}, not a file; give the path of an export file."


def open_export(path: Path) -> io.FileIO:
    """The export opened for reading, or one sentence saying why not.

    Checked before opening (symlinks resolved): opening a named pipe blocks until something
    writes to it, and a device like /dev/zero never ends. The check is repeated on the opened
    file (non-blocking), so a file swapped for a pipe in between is refused too."""
    try:
        mode, size = (info := os.stat(path)).st_mode, info.st_size
    except (FileNotFoundError, NotADirectoryError):
        raise MentionImportError(f"There is no file at {path}.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise MentionImportError(_read_failure(exc, path)) from None
    if problem := _not_a_file(path, mode):
        raise MentionImportError(problem)
    if size > MAX_FILE_BYTES:
        raise MentionImportError(_too_big(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise MentionImportError(_read_failure(exc, path)) from None
    handle = io.FileIO(fd, "rb")
    if problem := _not_a_file(path, os.fstat(fd).st_mode):
        handle.close()
        raise MentionImportError(problem)
    return handle


def _read_failure(exc: Exception, path: Path) -> str:
    if isinstance(exc, OSError):
        return os_error_sentence(exc, path, doing="read")
    return f"Crisis Desk could not read {path}: the name is not a valid file name."


def _too_big(path: Path) -> str:
    return (
        f"{path.name} is larger than {MAX_FILE_BYTES >> 30} GiB, more than one import can "
        "take; split it into smaller exports."
    )


class _CountingReader(io.RawIOBase):
    """Counts the bytes read, so progress can estimate how many rows a file holds, and stops
    at MAX_FILE_BYTES (a file may grow while it is read); a failing disk is one sentence."""

    def __init__(self, handle, path: Path):
        self.handle = handle
        self.path = path
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self.handle.readinto(buffer)
        except OSError as exc:
            raise MentionImportError(_read_failure(exc, self.path)) from None
        self.count += n or 0
        if self.count > MAX_FILE_BYTES:
            raise MentionImportError(_too_big(self.path))
        return n

    def close(self) -> None:
        self.handle.close()
        super().close()


def detect_encoding(sample: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 (BOM or not), else what charset-normalizer
    finds (Windows-1252 for Western exports). Binary files are refused here."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    zeros = sample.count(0)
    if zeros > len(sample) // 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 4 * even:
            return "utf-16-le"
        if even > 4 * odd:
            return "utf-16-be"
        raise MentionImportError(_binary(path))
    try:
        # A multi-byte character may be cut at the end of the sample.
        sample[: len(sample) - 4 if len(sample) == SAMPLE_BYTES else None].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise MentionImportError(_binary(path))
    encoding = best.encoding
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return encoding
    # Single-byte Latin guesses are told apart by a few letters; exports from Windows
    # spreadsheets are Windows-1252 far more often than any of its cousins.
    if encoding.startswith(("cp125", "latin", "iso8859", "mac_")):
        return "cp1252"
    return encoding


def _binary(path: Path) -> str:
    return f"{path.name} looks like a binary file, not a CSV, JSON or NDJSON export."


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def shown(text: str, limit: int = 40) -> str:
    """Text from a file as it may appear in a one-line message: no line breaks or control
    characters, and not too long."""
    text = _BREAKS.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _listed(columns: list[str]) -> str:
    return ", ".join(shown(column) for column in columns)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(sample: str, path: Path) -> None:
    if len(_CONTROL.findall(sample[:20000])) > max(8, len(sample[:20000]) // 50):
        raise MentionImportError(_binary(path))


# --- dates ---------------------------------------------------------------------------------


def parse_date(value: str, default_tz: tzinfo = UTC) -> datetime | None:
    """Dates as exports write them: ISO 8601, "Nov 20, 2026 @ 14:05", "20/11/2026 14:05",
    "Fri Nov 20 14:05:00 +0000 2026", Unix seconds or milliseconds. A time without a zone is
    taken in `default_tz` (the business's time zone)."""
    text = value.strip()
    if not text:
        return None
    moment: datetime | None = None
    if text.isdigit() and len(text) in (10, 13):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        from dateutil import parser

        cleaned = text.replace("@", " ").replace(" at ", " ")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                moment = parser.parse(cleaned, tzinfos=TZ_ABBREVIATIONS)
        except (ValueError, OverflowError, TypeError):
            raise RowRejected(f"the date “{shown(text)}” is not one I can read") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_tz)
    if not 1990 <= moment.year <= 2100:
        raise RowRejected(f"the date “{shown(text)}” is out of range")
    return moment


def parse_count(value) -> int | None:
    """Follower counts: 1234, "1,234", "1.2k", "3M"; anything else is "not known"."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        number = value
    else:
        match = re.fullmatch(r"\s*([\d.,]+)\s*([kKmM]?)\s*", str(value)[:100])
        if not match:
            return None
        try:
            number = float(match.group(1).replace(",", ""))
        except ValueError:
            return None
        number *= {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    # NaN fails both comparisons; Infinity and absurd counts (which SQLite cannot hold) fail one.
    return int(number) if 0 <= number <= MAX_COUNT else None


# --- records -------------------------------------------------------------------------------


@dataclass
class RecordSource:
    """An opened export: its format, encoding, columns, and an iterator of (line, record)."""

    path: Path
    format: str
    encoding: str
    columns: list[str]
    records: Iterator[tuple[int, dict]]
    where: str = "line"
    size: int = 0
    bytes_read: Callable[[], int] = lambda: 0
    exact_total: int | None = None
    delimiter: str = ""
    close: Callable[[], None] = lambda: None

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
        raise MentionImportError(f"Unknown format '{fmt}'; use one of {', '.join(FORMATS)}.")
    handle = open_export(path)
    try:
        size = os.fstat(handle.fileno()).st_size
        try:
            sample = handle.read(SAMPLE_BYTES)
        except OSError as exc:
            raise MentionImportError(_read_failure(exc, path)) from None
        if not sample.strip():
            raise MentionImportError(f"{path.name} is empty: there are no mentions in it.")
        encoding = detect_encoding(sample, path)
        head = sample.decode(encoding, errors="replace")
        _check_text(head, path)
        if fmt == "auto":
            fmt = _guess_format(path, head)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    raw = _CountingReader(handle, path)
    binary = io.BufferedReader(raw, 1 << 16)
    common = dict(path=path, encoding=encoding, size=size, bytes_read=lambda: raw.count)
    try:
        if fmt == "csv":
            return _csv_records(_text(binary, encoding), head, common)
        if fmt == "ndjson":
            # Undecodable bytes become lone surrogates, so that line alone is rejected.
            return _ndjson_records(_text(binary, encoding, "surrogateescape"), common)
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


def _decode_error(exc: UnicodeDecodeError, path: Path, encoding: str) -> MentionImportError:
    byte = exc.object[exc.start : exc.start + 1]
    return MentionImportError(
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
        raise MentionImportError(f"line 1: {_csv_reason(exc)}") from None
    if not header or not any(h.strip() for h in header):
        raise MentionImportError(f"{common['path'].name} has no header row with column names.")
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
                raise MentionImportError(f"line {start}: {_csv_reason(exc)}") from None
            line = reader.line_num
            if any("\x00" in cell for cell in row):
                raise MentionImportError(f"line {start}: {_csv_reason(csv.Error('NUL'))}")
            if len(row) != width:
                if not row or not any(cell.strip() for cell in row):
                    continue  # a blank line
                if len(row) > width and not any(cell.strip() for cell in row[width:]):
                    row = row[:width]
                else:
                    raise MentionImportError(
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
            raise MentionImportError(
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
    is_text = encoding != "utf-8"  # UTF-16, a BOM, Windows-1252: re-encoded for the parser
    first = [binary]

    def open_feed(slow_from: int | None) -> Feed:
        # The stream opened already is read first; the layout pass and locating an error
        # read the file again from the start.
        source = (
            first.pop() if first else io.BufferedReader(_CountingReader(open_export(path), path))
        )
        return Feed(_text(source, encoding) if is_text else source, is_text, slow_from)

    def items() -> Iterator[tuple[int, object]]:
        try:
            for number, item in json_items(open_feed):
                _check_item(item, f"item {number}")
                yield number, _flatten(item) if isinstance(item, dict) else item
        except SourceNotDecodable as exc:
            raise _decode_error(exc.error, path, encoding) from None
        except SingleValue:
            raise MentionImportError(
                f"{path.name} holds no list of mentions (it is a single value)."
            ) from None
        except JsonBroken as exc:
            raise MentionImportError(_broken_json(exc)) from None

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
    if _SURROGATE.search(line):  # bytes the encoding could not decode (surrogateescape)
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


def _ndjson_records(text, common: dict) -> RecordSource:
    """One JSON value per line; a line that is not one is rejected, the rest imported."""

    def parsed() -> Iterator[tuple[int, object]]:
        try:
            yield from lines()
        except UnicodeDecodeError as exc:  # what surrogateescape cannot carry: UTF-16 cut short
            raise _decode_error(exc, common["path"], common["encoding"]) from None

    def lines() -> Iterator[tuple[int, object]]:
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
            yield number, _flatten(item) if isinstance(item, dict) else item

    stream = parsed()
    # Columns come from the first lines; they are read again as records.
    head = list(itertools.islice(stream, 200))
    if head and all(isinstance(item, Unreadable) for _, item in head):
        number, item = head[0]
        raise MentionImportError(f"line {number}: {item.reason}; is this an NDJSON file?")
    columns = _columns_of([item for _, item in head if isinstance(item, dict)])
    return RecordSource(
        format="ndjson",
        columns=columns,
        records=itertools.chain(head, stream),
        close=text.close,
        **common,
    )


# --- mapping columns to fields -------------------------------------------------------------


@dataclass
class Mapping:
    fields: dict[str, str]  # field -> column
    preset: str


def guess_mapping(columns: list[str]) -> Mapping:
    """Recognise a tool's export by its column names; fill the rest from common names."""
    by_key = {}
    for column in columns:
        by_key.setdefault(normal_column(column), column)
    best, best_score = "", 0
    for name, preset in PRESETS.items():
        score = sum(any(k in by_key for k in keys) for keys in preset.values())
        if score > best_score and any(k in by_key for k in preset["text"]):
            best, best_score = name, score
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for field_name in FIELDS:
        candidates = [*PRESETS.get(best, {}).get(field_name, []), *GENERIC.get(field_name, [])]
        for key in candidates:
            column = by_key.get(key)
            if column is not None and column not in used:
                chosen[field_name] = column
                used.add(column)
                break
    return Mapping(chosen, best if best_score >= 3 else "generic")


def apply_overrides(mapping: Mapping, columns: list[str], overrides: dict[str, str]) -> Mapping:
    """`--map text=Message`: the owner's choice wins; "" clears a field."""
    fields = dict(mapping.fields)
    by_key = {normal_column(c): c for c in columns}
    for field_name, column in overrides.items():
        if field_name not in FIELDS:
            raise MentionImportError(
                f"'{shown(field_name)}' is not a field; map one of: {', '.join(FIELDS)}."
            )
        if not column:
            fields.pop(field_name, None)
            continue
        real = column if column in columns else by_key.get(normal_column(column))
        if real is None:
            raise MentionImportError(
                f"The file has no column '{shown(column)}'; its columns are: {_listed(columns)}."
            )
        fields[field_name] = real
    return Mapping(fields, mapping.preset if not overrides else f"{mapping.preset}, adjusted")


def parse_map_options(options: list[str]) -> dict[str, str]:
    mapping = {}
    for option in options or []:
        name, sep, column = option.partition("=")
        if not sep:
            raise MentionImportError(
                f"--map wants FIELD=COLUMN, e.g. text=Message, not '{shown(option)}'."
            )
        mapping[name.strip()] = column.strip()
    return mapping


def _cell(record: dict, column: str | None) -> str:
    if not column:
        return ""
    value = record.get(column)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def to_mention(
    record: dict, fields: dict[str, str], default_source: str, default_tz: tzinfo
) -> NewMention:
    """One record as a mention, or RowRejected saying why not."""
    if isinstance(record, Unreadable):
        raise RowRejected(record.reason)
    if not isinstance(record, dict):
        raise RowRejected("it is not an object with fields")
    if problem := _value_problem(record):
        raise RowRejected(problem)
    text = _cell(record, fields.get("text")).strip()
    if not text:
        raise RowRejected("it has no text")
    posted = _cell(record, fields.get("posted_at"))
    time_part = _cell(record, fields.get("posted_time"))
    if time_part:
        posted = f"{posted} {time_part}"
    source = _cell(record, fields.get("source")).strip().lower() or default_source
    return NewMention(
        source=source,
        text=text,
        external_id=_cell(record, fields.get("external_id")).strip(),
        author_name=_cell(record, fields.get("author_name")).strip(),
        author_handle=_cell(record, fields.get("author_handle")).strip(),
        author_followers=parse_count(record.get(fields.get("author_followers", ""))),
        url=_cell(record, fields.get("url")).strip(),
        language=_cell(record, fields.get("language")).strip()[:16],
        posted_at=parse_date(posted, default_tz) if posted.strip() else None,
        raw=record,
    )


def _value_problem(record: dict) -> str | None:
    """Why a record cannot be stored as it is: SQLite's UTF-8 has no lone surrogates, stored
    JSON has no NaN or Infinity, and nesting is bounded. (Walked without recursion.)"""
    stack: list[tuple[object, int]] = [(record, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return "a text in it holds a lone surrogate (\\ud800 to \\udfff), not a character"
        elif isinstance(value, float):
            if not math.isfinite(value):
                return "a number in it is NaN or Infinity, which JSON does not allow"
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                return f"it is nested more than {MAX_DEPTH} levels deep"
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)
    return None


def business_timezone(store: Store) -> tzinfo:
    business = store.business.get()
    if business and business.timezone:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(business.timezone)
        except (ValueError, KeyError, OSError):
            pass
    return UTC


def import_mentions(
    store: Store,
    path: str | Path,
    *,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import one export file in one transaction; see the module docstring for what fails."""
    records = open_records(path, fmt)
    try:
        guessed = guess_mapping(records.columns)
        remembered = store.mentions.remembered_mapping(records.signature)
        if remembered and not mapping:
            guessed = Mapping({k: v for k, v in remembered.items() if v in records.columns}, "")
            guessed.preset = "your saved mapping"
        chosen = apply_overrides(guessed, records.columns, mapping or {})
        if "text" not in chosen.fields:
            raise MentionImportError(
                f"No column holds the mention text; the columns are: "
                f"{_listed(records.columns[:20]) or '(none)'}. "
                "Name it with --map text=COLUMN, or choose it in the import dialog."
            )
        result = ImportResult(str(path), records.format, records.encoding, chosen.preset)
        default_tz = business_timezone(store)
        default_source = (source or "").strip() or DEFAULT_SOURCE

        def mentions() -> Iterator[NewMention]:
            for line, record in records.records:
                try:
                    yield to_mention(record, chosen.fields, default_source, default_tz)
                except RowRejected as exc:
                    reason = str(exc)
                except (ValueError, OverflowError, RecursionError) as exc:
                    # Whatever else a hostile row trips over costs that row, not the import.
                    reason = f"it cannot be read ({exc.__class__.__name__}: {shown(str(exc), 80)})"
                else:
                    continue
                result.rejected_count += 1
                if len(result.rejected) < MAX_REJECTED_LISTED:
                    result.rejected.append(Rejected(line, reason, records.where))

        def report(done: int, _total: int) -> None:
            if progress is not None:
                progress(done, records.estimated_total(done))

        added = store.mentions.add_many(mentions(), progress=report, cancelled=cancelled)
    finally:
        records.close()
    result.imported, result.duplicates, result.added_ids = (
        added.added,
        added.duplicates,
        added.added_ids,
    )
    if mapping:
        store.mentions.remember_mapping(records.signature, chosen.fields)
    if added.added >= 10_000:
        store.mentions.refresh_statistics()
    return result


def preview(path: str | Path, fmt: str = "auto", rows: int = 20):
    """The first rows and a guessed mapping, for the import dialog."""
    records = open_records(path, fmt)
    try:
        sample = []
        for _line, record in records.records:
            sample.append(record)
            if len(sample) >= rows:
                break
    finally:
        records.close()
    return records, sample, guess_mapping(records.columns)


def import_into_workspace(
    workspace: Path,
    file: Path,
    *,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """For a background worker: import on a connection of its own (SQLite connections stay
    on the thread that uses them), so the window keeps reading while the import writes."""
    from app.store import open_store

    with open_store(workspace) as store:
        return import_mentions(
            store, file, fmt=fmt, mapping=mapping, progress=progress, cancelled=cancelled
        )

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

import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from app.imports.dates import parse_count, parse_date
from app.imports.json_stream import (
    MAX_DEPTH,
    Unreadable,
)
from app.imports.reading import LONE_SURROGATE, ImportFileError, RowRejected, listed, shown
from app.imports.records import normal_column, open_records
from app.mentions.model import NewMention

if TYPE_CHECKING:
    from app.store import Store

MAX_REJECTED_LISTED = 1000
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
# A file that cannot be imported: the shared toolkit's error, under the name callers know.
MentionImportError = ImportFileError


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


# --- mapping columns to fields -------------------------------------------------------------


@dataclass
class Mapping:
    fields: dict[str, str]  # field -> column
    preset: str


def guess_mapping(columns: list[str]) -> Mapping:
    """Recognise a tool's export by its column names; fill the rest from common names."""
    by_key: dict[str, str] = {}
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
            found = by_key.get(key)
            if found is not None and found not in used:
                chosen[field_name] = found
                used.add(found)
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
                f"The file has no column '{shown(column)}'; its columns are: {listed(columns)}."
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
            if LONE_SURROGATE.search(value):
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
                f"{listed(records.columns[:20]) or '(none)'}. "
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

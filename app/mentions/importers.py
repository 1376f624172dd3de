"""Read mention exports (CSV, JSON, NDJSON) from any listening tool into the inbox.

Files are streamed, not loaded whole: a 1,000,000-row export is read row by row (a JSON
array item by item, with `ijson`) into `MentionRepository.add_many`, in one transaction, so a
broken file half-way, Cancel or a crash leaves the workspace as it was. Every import is a batch
(`app.mentions.batches`) that can be undone. Only a regular file of at most 2 GiB is opened at
all: a named pipe would wait forever for a writer and a device such as /dev/zero never ends.

Nothing is dated "now" without the owner saying so: a file with no date column is refused
unless the owner accepts the import time (`undated=True`, `--undated`, the dialog's choice),
and a blank date in a dated file rejects that row the same way. Which column holds what is
found by name, then by content (`app.mentions.columns`); how dates are written (day or month
first) is decided from the file's own values, then the business's time zone, and said.

Two kinds of problem are told apart:

- the file itself is broken (not a file, not readable, not text, ragged rows, a NUL byte, a
  giant field, a JSON array that stops being JSON, no text column, no date column):
  `MentionImportError`, one sentence naming the line; nothing is imported. So is a file none
  of whose rows could be imported, with the first reasons.
- a row cannot be a mention (no text, a date nobody can read, an NDJSON line that is not JSON,
  an item nested too deeply, a lone surrogate, NaN or Infinity, a number of more than 4,300
  digits): the row is rejected with its line or item and reason, and the rest is imported.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from app.db import write_transaction
from app.imports.dates import decide_order, parse_count, parse_date, written_as_numbers
from app.imports.json_stream import MAX_DEPTH, Unreadable
from app.imports.reading import LONE_SURROGATE, ImportFileError, RowRejected, listed, shown
from app.imports.records import normal_column, open_records
from app.mentions.columns import (
    FIELDS,
    SNIFF_ROWS,
    Mapping,
    guess_mapping,
    is_scientific,
    mangled_ids,
    no_date_sentence,
)
from app.mentions.model import NewMention
from app.text import plural

if TYPE_CHECKING:
    from app.store import Store

__all__ = ["FIELDS", "Mapping", "guess_mapping"]

MAX_REJECTED_LISTED = 1000
DEFAULT_SOURCE = "import"

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


class NoDateColumn(ImportFileError):
    """The file has no column of dates, and the owner has not accepted the import time."""


class NothingImported(ImportFileError):
    """Every row was rejected; the message gives the first reasons."""


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
    notes: list[str] = field(default_factory=list)  # what the owner should know, in sentences
    undated: int = 0  # mentions dated with the time of the import (only when accepted)
    batch_id: int | None = None
    added_ids: list[int] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        return (
            f"Imported {plural(self.imported, 'mention')}, {self.duplicates:,} already in the "
            f"inbox, {self.rejected_count:,} rejected."
        )

    def to_json(self) -> dict:
        data = asdict(self)
        del data["added_ids"]
        return data


# --- mapping columns to fields -------------------------------------------------------------


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
    by_content = {k: v for k, v in mapping.by_content.items() if k not in overrides}
    preset = mapping.preset if not overrides else f"{mapping.preset}, adjusted"
    return Mapping(fields, preset, by_content)


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


@dataclass
class RowReader:
    """How this file's rows become mentions: the mapping, the file's date order, and what to
    do with a blank date or a mangled id."""

    fields: dict[str, str]
    default_source: str
    default_tz: tzinfo
    day_first: bool | None = None
    undated_ok: bool = False
    ids_usable: bool = True
    undated: int = 0
    # CSV cells are decoded text, flat: no lone surrogate, NaN or nesting can be in them.
    check_values: bool = True

    def mention(self, record) -> NewMention:
        """One record as a mention, or RowRejected saying why not."""
        if isinstance(record, Unreadable):
            raise RowRejected(record.reason)
        if not isinstance(record, dict):
            raise RowRejected("it is not an object with fields")
        if self.check_values and (problem := _value_problem(record)):
            raise RowRejected(problem)
        fields = self.fields
        text = _cell(record, fields.get("text")).strip()
        if not text:
            raise RowRejected("it has no text")
        posted = _cell(record, fields.get("posted_at"))
        time_part = _cell(record, fields.get("posted_time"))
        if time_part:
            posted = f"{posted} {time_part}"
        posted_at = parse_date(posted, self.default_tz, self.day_first) if posted.strip() else None
        if posted_at is None:
            if not self.undated_ok:
                column = fields.get("posted_at")
                raise RowRejected(
                    f"it has no date (the column “{shown(column or '')}” is blank there); import "
                    "with --undated, or tick “date them with the import time”, to keep it"
                )
            self.undated += 1
        external_id = _cell(record, fields.get("external_id")).strip()
        if external_id and (not self.ids_usable or is_scientific(external_id)):
            external_id = ""  # changed by a spreadsheet: not an id any more
        source = _cell(record, fields.get("source")).strip().lower() or self.default_source
        return NewMention(
            source=source,
            text=text,
            external_id=external_id,
            author_name=_cell(record, fields.get("author_name")).strip(),
            author_handle=_cell(record, fields.get("author_handle")).strip(),
            author_followers=parse_count(record.get(fields.get("author_followers", ""))),
            url=_cell(record, fields.get("url")).strip(),
            language=_cell(record, fields.get("language")).strip()[:16],
            posted_at=posted_at,
            raw=record,
        )


def to_mention(
    record: dict, fields: dict[str, str], default_source: str, default_tz: tzinfo
) -> NewMention:
    """One record as a mention (undated rows allowed), or RowRejected saying why not."""
    return RowReader(fields, default_source, default_tz, undated_ok=True).mention(record)


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
    return store.business.zone() or UTC


def _sample_values(sample: list, column: str | None) -> list[str]:
    if not column:
        return []
    return [str(r.get(column) or "") for r in sample if isinstance(r, dict) and r.get(column)]


@dataclass
class Plan:
    """What an import will do, before it does it: the mapping, and the sentences to say."""

    mapping: Mapping
    day_first: bool
    notes: list[str]
    ids_usable: bool


def plan_import(
    store: Store, columns: list[str], sample: list, mapping: Mapping, undated: bool
) -> Plan:
    """Check a mapping against the file's first rows and say what will happen. Raises
    MentionImportError without a text column, and NoDateColumn without a date column unless
    `undated`."""
    fields = mapping.fields
    if "text" not in fields:
        raise MentionImportError(
            f"No column holds the mention text; the columns are: "
            f"{listed(columns[:20]) or '(none)'}. "
            "Name it with --map text=COLUMN, or choose it in the import dialog."
        )
    notes = []
    for field_name, why in mapping.by_content.items():
        notes.append(
            f"{FIELDS[field_name].replace(' (required)', '')}: from the column "
            f"“{shown(fields[field_name])}”, because {why}."
        )
    if "posted_at" not in fields:
        if not undated:
            raise NoDateColumn(no_date_sentence(columns))
        notes.append("No date column: every mention is dated with the time of this import.")
    zone = store.business.get()
    zone_name = zone.timezone if zone else ""
    dates = _sample_values(sample, fields.get("posted_at"))
    day_first, why = decide_order(dates, zone_name)
    if written_as_numbers(dates):
        notes.append(f"Dates such as 05/11/2026 were read {why}.")
    ids_usable = True
    mangled = mangled_ids(_sample_values(sample, fields.get("external_id")))
    if mangled:
        # Rounded ids are all suspect; in scientific notation each row shows its own.
        ids_usable = is_scientific(mangled)
        notes.append(
            f"The ids in the column “{shown(fields['external_id'])}” were changed by a "
            f"spreadsheet (“{shown(mangled)}”), so those are not used to find duplicates: "
            "the author, the words and the time are."
        )
    return Plan(mapping, day_first, notes, ids_usable)


def import_mentions(
    store: Store,
    path: str | Path,
    *,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    undated: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import one export file in one transaction, as one batch; see the module docstring."""
    records = open_records(path, fmt)
    try:
        sample = list(itertools.islice(records.records, SNIFF_ROWS))
        rows = itertools.chain(sample, records.records)
        sample_records = [record for _line, record in sample]
        guessed = guess_mapping(records.columns, sample_records)
        remembered = store.mentions.remembered_mapping(records.signature)
        if remembered and not mapping:
            guessed = Mapping({k: v for k, v in remembered.items() if v in records.columns}, "")
            guessed.preset = "your saved mapping"
        chosen = apply_overrides(guessed, records.columns, mapping or {})
        plan = plan_import(store, records.columns, sample_records, chosen, undated)
        result = ImportResult(str(path), records.format, records.encoding, chosen.preset)
        if note := records.decision.note():
            result.notes.append(note)
        result.notes += plan.notes
        reader = RowReader(
            chosen.fields,
            (source or "").strip() or DEFAULT_SOURCE,
            business_timezone(store),
            plan.day_first,
            undated_ok=undated,
            ids_usable=plan.ids_usable,
            check_values=records.format != "csv",
        )

        def mentions() -> Iterator[NewMention]:
            for line, record in rows:
                try:
                    yield reader.mention(record)
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

        with write_transaction(store.db):
            batch_id = store.batches.start("import", Path(path).name, str(path))
            added = store.mentions.add_many(
                mentions(), progress=report, cancelled=cancelled, batch_id=batch_id
            )
            if added.added + added.duplicates == 0 and result.rejected_count:
                raise NothingImported(_nothing_imported(result))
            if reader.undated:
                result.notes.append(
                    f"{plural(reader.undated, 'mention')} had no date and "
                    f"{'was' if reader.undated == 1 else 'were'} dated with the time of this "
                    "import, as you chose."
                )
            store.batches.finish(
                batch_id, added.added, added.duplicates, result.rejected_count, result.notes
            )
    finally:
        records.close()
    result.imported, result.duplicates, result.added_ids = (
        added.added,
        added.duplicates,
        added.added_ids,
    )
    result.undated, result.batch_id = reader.undated, batch_id
    if mapping and "posted_at" in chosen.fields:  # an undated choice is made each time
        store.mentions.remember_mapping(records.signature, chosen.fields)
    if added.added >= 10_000:
        store.mentions.refresh_statistics()
    return result


def _nothing_imported(result: ImportResult) -> str:
    first = "; ".join(str(r) for r in result.rejected[:3])
    more = f" (and {result.rejected_count - 3:,} more)" if result.rejected_count > 3 else ""
    return f"Nothing could be imported: every row was rejected. {first}{more}."


def preview(path: str | Path, fmt: str = "auto", rows: int = 20):
    """The first rows and a guessed mapping (by name and by content), for the import dialog."""
    records = open_records(path, fmt)
    try:
        sample = [record for _line, record in itertools.islice(records.records, SNIFF_ROWS)]
    finally:
        records.close()
    return records, sample[:rows], guess_mapping(records.columns, sample)

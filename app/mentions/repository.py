"""Mentions in the store: one insert path for imports, manual entry and source pulls; triage
that changes a status but never deletes; evidence, saved searches and remembered mappings.

`add_many` is the single way mentions get in. It joins the caller's transaction when one is
open (a source pull writes its cursor in the same transaction) and otherwise opens its own, so
an import is all or nothing. Duplicates are skipped by the unique (source, dedupe_key) index:
the key is the source's own id when there is one, else a hash of the normalised author and text.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, tzinfo

from sqlite_utils import Database

from app.db import device_ids, write_transaction
from app.errors import Cancelled
from app.levels import LEVEL_NAMES
from app.mentions.model import (
    SENTIMENTS,
    STATUSES,
    AddResult,
    HourStat,
    Mention,
    MentionFilter,
    NewMention,
    TriageError,
    content_key,
    normal_handle,
)
from app.timeutil import Clock, from_iso, to_iso, utc_now

BATCH = 2000
BATCH_CHARS = 16_000_000  # at most this much text waits in memory for one insert
DENSE = 2000  # matches above which a page is read by walking rows, not through an index

_COLUMNS = (
    "id, source, external_id, author_name, author_handle, author_followers, text, url, "
    "language, posted_at, fetched_at, sentiment, sentiment_score, status, status_reason, "
    "assignee, tags, severity, incident_id, reply_draft"
)
# A mention already in the inbox is left as it is, except that one dated with the time it came
# in (an undated import) takes the real date of a copy that has one.
_INSERT = (
    "INSERT INTO mentions (source, external_id, dedupe_key, author_name, author_handle, "
    "author_followers, text, url, language, posted_at, fetched_at, raw, batch_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (source, dedupe_key) DO UPDATE SET posted_at = excluded.posted_at "
    "WHERE mentions.posted_at = mentions.fetched_at AND excluded.posted_at != excluded.fetched_at"
)
_INDEX_NEW = (
    "INSERT INTO mentions_fts (rowid, text, author_name, author_handle) "
    "SELECT id, text, author_name, author_handle FROM mentions WHERE id > ?"
)
# What the owner has done to a mention: an undo of its import keeps it.
TOUCHED = (
    "(updated_at IS NOT NULL OR incident_id IS NOT NULL OR status != 'new' OR tags != '' "
    "OR reply_draft != '' OR severity IS NOT NULL OR assignee != '')"
)
# The same, with this laptop's own ids (a shared workspace: see app/db.WorkspaceDatabase).
_INSERT_WITH_ID = _INSERT.replace("mentions (source", "mentions (id, source", 1).replace(
    "VALUES (?", "VALUES (?, ?", 1
)
_QUALIFIED = ", ".join(f"mentions.{c.strip()}" for c in _COLUMNS.split(","))
_JOINED = "mentions_fts JOIN mentions ON mentions.id = mentions_fts.rowid"
_UNINDEXED = re.compile(r"(?<![+\w])(mentions\.(?:status|source|sentiment|posted_at))\b")


# One encoder for every row's raw payload (json.dumps builds one per call).
_RAW = json.JSONEncoder(ensure_ascii=False, check_circular=False, default=str)
IMPORT_CACHE_KIB = 65536  # SQLite's page cache while many rows go in: the indexes stay in memory


def _raw_text(raw) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    return _RAW.encode(raw)


@contextlib.contextmanager
def _cache(conn, previous: int):
    """A larger page cache for the length of an insert (a 200,000-row import keeps its seven
    indexes and the full-text index in memory instead of re-reading pages), then the old one."""
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(previous)}")


def _mention(row: tuple) -> Mention:
    (id_, source, ext, name, handle, followers, text, url, lang, posted, fetched, sent, score,
     status, reason, assignee, tags, severity, incident, draft) = row  # fmt: skip
    return Mention(
        id_,
        source,
        ext,
        name,
        handle,
        followers,
        text,
        url,
        lang,
        from_iso(posted),
        from_iso(fetched),
        sent,
        score,
        status,
        reason,
        assignee,
        tags.split(),
        severity,
        incident,
        draft,
    )


class MentionRepository:
    def __init__(
        self, db: Database, clock: Clock = utc_now, day_zone: Callable[[], tzinfo] | None = None
    ):
        self.db = db
        self.clock = clock
        # Where search days begin and end: the business's time zone (Store wires it).
        self.day_zone = day_zone or (lambda: UTC)
        self._hours: dict[tuple, list] = {}

    # --- adding ------------------------------------------------------------------------

    def row_for(self, item: NewMention, fetched_at: str, batch_id: int | None = None) -> tuple:
        """The insert parameters of one mention (also used by the benchmark's baseline).

        The dedupe key is the source's id; without one, the normalised author and words and
        the minute they were posted (the same words at other times are other posts: a slogan
        repeated, a copy-and-paste campaign); for an undated mention, the author and words."""
        text = item.text.strip()
        if not text:
            raise ValueError("a mention needs some text")
        source = item.source.strip() or "manual"
        handle = normal_handle(item.author_handle)
        external_id = str(item.external_id or "").strip()
        posted = to_iso(item.posted_at) if item.posted_at is not None else fetched_at
        author = handle or item.author_name.strip()
        if external_id:
            key = f"id:{external_id}"
        elif item.posted_at is None:
            key = content_key(author, text)
        else:  # the same words at another minute are another post
            key = content_key(author, f"{text}\x1f{posted[:16]}")
        return (
            source,
            external_id,
            key,
            item.author_name.strip(),
            handle,
            item.author_followers,
            text,
            item.url.strip(),
            item.language.strip(),
            posted,
            fetched_at,
            _raw_text(item.raw),
            batch_id,
        )

    def add_many(
        self,
        items: Iterable[NewMention],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        total: int | None = None,
        batch_id: int | None = None,
    ) -> AddResult:
        """Insert in the CURRENT transaction if one is open (caller wraps with
        store.db.atomic()), else in its own; dedupe on (source, external_id) or content hash;
        fetched_at = clock(). Raises Cancelled (rolling back) if cancelled() turns true.
        `total` (when known) is passed to progress as the expected count; the new mentions
        belong to import batch `batch_id` (an import or a pull), so it can be undone."""
        fetched_at = to_iso(self.clock())
        conn = self.db.conn
        if total is None and hasattr(items, "__len__"):
            total = len(items)  # type: ignore[arg-type]
        seen = 0
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        with write_transaction(self.db), _cache(conn, cache):
            first_id = conn.execute("SELECT coalesce(max(id), 0) FROM mentions").fetchone()[0]
            # An import or a pull (a batch) indexes its rows once at the end, not row by row.
            deferred = batch_id is not None
            if deferred:
                conn.execute("INSERT INTO _fts_deferred (id) VALUES (1) ON CONFLICT DO NOTHING")
            ids = device_ids(self.db, "mentions")
            batch: list[tuple] = []
            chars = 0  # text and raw JSON held in the batch: long posts flush it sooner
            for item in items:
                row = self.row_for(item, fetched_at, batch_id)
                batch.append(row if ids is None else (next(ids), *row))
                chars += len(row[6]) + len(row[11] or "")
                if len(batch) >= BATCH or chars >= BATCH_CHARS:
                    seen += self._flush(batch, progress, cancelled, seen, total, ids is not None)
                    chars = 0
            seen += self._flush(batch, progress, cancelled, seen, total, ids is not None)
            if deferred:  # the full-text index of this import's rows, in one statement
                conn.execute(_INDEX_NEW, [first_id])
                conn.execute("DELETE FROM _fts_deferred")
            # Every row added here has a higher id than any before (in a shared workspace they
            # step by the number of laptops, so they are read back rather than counted).
            added_ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM mentions WHERE id > ? ORDER BY id", [first_id]
                )
            ]
        return AddResult(len(added_ids), seen - len(added_ids), added_ids)

    def _flush(self, batch, progress, cancelled, seen, total, with_ids: bool = False) -> int:
        if cancelled is not None and cancelled():
            raise Cancelled("The import was cancelled; nothing was added.")
        count = len(batch)
        if batch:
            self.db.conn.executemany(_INSERT_WITH_ID if with_ids else _INSERT, batch)
            batch.clear()
        if progress is not None:
            done = seen + count
            progress(done, max(total or 0, done))
        return count

    def add(self, item: NewMention) -> int | None:
        """Add one mention (manual entry); None when it is already in the inbox."""
        result = self.add_many([item])
        return result.added_ids[0] if result.added_ids else None

    # --- reading -----------------------------------------------------------------------

    def get(self, mention_id: int) -> Mention | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM mentions WHERE id = ?", [mention_id]
        ).fetchone()
        return _mention(row) if row else None

    def for_incident(self, incident_id: int, limit: int = 300) -> list[Mention]:
        """The newest mentions attached to an incident, in one query."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM mentions WHERE incident_id = ? "
            "ORDER BY posted_at DESC LIMIT ?",
            [incident_id, limit],
        ).fetchall()
        return [_mention(row) for row in rows]

    def id_for(self, external_id: str) -> int | None:
        """The mention a source knows by `external_id`."""
        row = self.db.execute(
            "SELECT id FROM mentions WHERE external_id = ? LIMIT 1", [external_id]
        ).fetchone()
        return row[0] if row else None

    def raw(self, mention_id: int) -> str | None:
        row = self.db.execute("SELECT raw FROM mentions WHERE id = ?", [mention_id]).fetchone()
        return row[0] if row else None

    def any(self) -> bool:
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM mentions)").fetchone()[0] == 1

    def total(self) -> int:
        """Kept by triggers: count(*) reads a whole index, which on a million mentions is a
        third of a second the first time the Inbox opens."""
        return self.db.execute("SELECT total FROM _mention_total WHERE id = 1").fetchone()[0]

    def _compiled(self, flt: MentionFilter):
        from app.mentions.search import compile_parts, parse_query

        compiled = compile_parts(parse_query(flt.query), self.clock(), self.day_zone())
        if flt.statuses:
            marks = ", ".join("?" for _ in flt.statuses)
            where = f"mentions.status IN ({marks})"
            if compiled.where != "1":
                where = f"{compiled.where} AND {where}"
            compiled.where, compiled.params = where, [*compiled.params, *flt.statuses]
        if flt.assignee is not None:
            where = "mentions.assignee = ? COLLATE NOCASE"
            if compiled.where != "1":
                where = f"{compiled.where} AND {where}"
            compiled.where, compiled.params = where, [*compiled.params, flt.assignee.strip()]
        return compiled

    def _where(self, flt: MentionFilter) -> tuple[str, list]:
        return self._compiled(flt).as_where()

    def count(self, flt: MentionFilter | None = None, cap: int | None = None) -> int:
        """How many mentions match (at most cap + 1 when a cap is given: counting every match
        of a common word in a million mentions is the slow part of a search). Raises
        QueryError for a query the owner mistyped."""
        compiled = self._compiled(flt or MentionFilter())
        limit = f" LIMIT {int(cap) + 1}" if cap else ""
        if compiled.fts is None:
            if compiled.where == "1":
                return self.total()
            sql = f"SELECT 1 FROM mentions WHERE {compiled.where}{limit}"
            params = compiled.params
        elif compiled.where == "1":
            sql = f"SELECT 1 FROM mentions_fts WHERE mentions_fts MATCH ?{limit}"
            params = [compiled.fts]
        else:
            sql = f"SELECT 1 FROM {_JOINED} WHERE mentions_fts MATCH ? AND {compiled.where}{limit}"
            params = [compiled.fts, *compiled.params]
        return self.db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]

    def page(
        self,
        flt: MentionFilter,
        offset: int,
        limit: int,
        total: int | None = None,
        exact: bool = True,
    ) -> list[Mention]:
        """Rows offset..offset+limit of the list, newest arrivals first (the order of the
        full-text index, so a search needs no sort). When `total` is exact, pages past the
        middle are read from the oldest end, so jumping to the last row costs as little as
        the first."""
        compiled = self._compiled(flt)
        total = self.count(flt) if total is None else total
        where = compiled.where
        if total > DENSE or not exact:
            # Many matches: "+column" keeps SQLite from reading a filter's index and sorting
            # every match; walking the rows newest first finds a page of them sooner. Few
            # matches: the index finds them and sorting them is cheap.
            where = _UNINDEXED.sub(r"+\1", where)
        if compiled.fts is not None:
            source, where = _JOINED, f"mentions_fts MATCH ? AND {where}"
            params, order = [compiled.fts, *compiled.params], "mentions_fts.rowid"
        else:
            source, params, order = "mentions", compiled.params, "mentions.id"
        if len(flt.statuses) == 1 and compiled.fts is None:
            where = where.replace("+mentions.status IN", "mentions.status IN")  # its index
        sql = f"SELECT {_QUALIFIED} FROM {source} WHERE {where} ORDER BY {order}"
        if exact and offset * 2 > total:
            start = max(0, total - offset - limit)
            rows = self.db.execute(
                f"{sql} ASC LIMIT ? OFFSET ?", [*params, min(limit, total - offset), start]
            ).fetchall()
            rows.reverse()
        else:
            rows = self.db.execute(
                f"{sql} DESC LIMIT ? OFFSET ?", [*params, limit, offset]
            ).fetchall()
        return [_mention(row) for row in rows]

    def search(self, query: str, limit: int = 50) -> list[Mention]:
        return self.page(MentionFilter(query), 0, limit, exact=False)

    def ids_matching(self, flt: MentionFilter, start: str, end: str) -> list[int]:
        where, params = self._where(flt)
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT id FROM mentions WHERE ({where}) AND posted_at >= ? AND posted_at < ?",
                [*params, start, end],
            )
        ]

    def hourly_counts(self, since: str | None = None, until: str | None = None):
        """[(hour "YYYY-MM-DDTHH", mentions, negative)] in UTC, oldest first.

        Kept until a mention is added, scored or corrected: the chart, the banner and "what
        needs you now" all ask for the same hours, and on a million mentions each asking reads
        them all."""
        version = self.db.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM mentions), "
            "(SELECT count(*) FROM mentions WHERE sentiment IS NULL), "
            "(SELECT max(sentiment_corrected_at) FROM mentions "
            "WHERE sentiment_corrected_at IS NOT NULL)"
        ).fetchone()
        key = (since, until, *version)
        if key not in self._hours:
            if len(self._hours) > 8:
                self._hours.clear()
            self._hours[key] = self._hourly_counts(since, until)
        return self._hours[key]

    def _hourly_counts(self, since: str | None, until: str | None):
        sql = (
            "SELECT substr(posted_at, 1, 13) AS hour, count(*), "
            "sum(sentiment = 'negative') FROM mentions"
        )
        conditions, params = [], []
        if since:
            conditions.append("posted_at >= ?")
            params.append(since)
        if until:
            conditions.append("posted_at < ?")
            params.append(until)
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " GROUP BY hour ORDER BY hour"
        return [(h, n, neg or 0) for h, n, neg in self.db.execute(sql, params)]

    def latest_posted(self) -> datetime | None:
        row = self.db.execute("SELECT max(posted_at) FROM mentions").fetchone()
        return from_iso(row[0]) if row and row[0] else None

    # --- sentiment ---------------------------------------------------------------------

    def unscored_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM mentions WHERE sentiment IS NULL").fetchone()[
            0
        ]

    def unscored(self, after_id: int, limit: int) -> list[tuple[int, str, str]]:
        """[(id, text, language)] of mentions not read yet, oldest first."""
        return self.db.execute(
            "SELECT id, text, language FROM mentions WHERE sentiment IS NULL AND id > ? "
            "ORDER BY id LIMIT ?",
            [after_id, limit],
        ).fetchall()

    def set_sentiments(self, scores: list[tuple[str, float | None, int]]) -> None:
        """[(label, score, id)] in one transaction; never over an owner's correction."""
        with self.db.atomic():
            self.db.conn.executemany(
                "UPDATE mentions SET sentiment = ?, sentiment_score = ? "
                "WHERE id = ? AND sentiment_corrected_at IS NULL",
                scores,
            )

    def correct_sentiment(self, mention_id: int, label: str) -> None:
        """The owner's label wins over the model's and is kept: re-scoring skips it."""
        if label not in SENTIMENTS:
            raise TriageError(f"“{label}” is not a sentiment; use {', '.join(SENTIMENTS)}.")
        self._update([mention_id], "sentiment = ?, sentiment_corrected_at = ?",
                     [label, to_iso(self.clock())])  # fmt: skip

    def sentiment_corrected_at(self, mention_id: int) -> datetime | None:
        row = self.db.execute(
            "SELECT sentiment_corrected_at FROM mentions WHERE id = ?", [mention_id]
        ).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def forget_model_sentiments(self) -> int:
        """Clear every label the model gave (not the owner's), so the next scoring reads
        them again: after a new model, or when the business's names change."""
        with self.db.atomic():
            return self.db.execute(
                "UPDATE mentions SET sentiment = NULL, sentiment_score = NULL "
                "WHERE sentiment IS NOT NULL AND sentiment_corrected_at IS NULL"
            ).rowcount

    # --- triage ------------------------------------------------------------------------

    def _update(self, ids: Iterable[int], assignments: str, params: list) -> int:
        ids = list(ids)
        if not ids:
            return 0
        now = to_iso(self.clock())
        with self.db.atomic():
            cursor = self.db.conn.executemany(
                f"UPDATE mentions SET {assignments}, updated_at = ? WHERE id = ?",
                [(*params, now, mention_id) for mention_id in ids],
            )
        return cursor.rowcount

    def set_status(self, ids: Iterable[int], status: str, reason: str = "") -> int:
        """Triage: change the status of mentions. Nothing is ever deleted; hiding needs the
        guideline it breaks and ignoring needs a reason, and both can be undone."""
        if status not in STATUSES:
            raise TriageError(f"'{status}' is not a status; use one of {', '.join(STATUSES)}.")
        reason = reason.strip()
        if status == "hidden" and not reason:
            raise TriageError("Say which community guideline the mention breaks to hide it.")
        if status == "ignored" and not reason:
            raise TriageError("Say why you are ignoring the mention.")
        if status not in ("hidden", "ignored"):
            reason = ""
        return self._update(ids, "status = ?, status_reason = ?", [status, reason])

    def set_severity(self, ids: Iterable[int], severity: int | None) -> int:
        if severity is not None and severity not in LEVEL_NAMES:
            raise TriageError("Severity is 1 (Watch) to 4 (Critical).")
        return self._update(ids, "severity = ?", [severity])

    def set_assignee(self, ids: Iterable[int], assignee: str) -> int:
        return self._update(ids, "assignee = ?", [assignee.strip()])

    def assignees(self) -> list[str]:
        """The people mentions are assigned to, for the Inbox's "Assign to" choices."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT assignee FROM mentions WHERE assignee != '' "
                "ORDER BY assignee COLLATE NOCASE"
            )
        ]

    def arrived_since(self, since: datetime) -> int:
        """Mentions that reached this workspace (fetched or imported, here or on a teammate's
        laptop) after `since`."""
        return self.db.execute(
            "SELECT count(*) FROM mentions WHERE fetched_at > ?", [to_iso(since)]
        ).fetchone()[0]

    def escalated_since(self, since: datetime) -> int:
        """Mentions that are escalated now and were last changed after `since`."""
        return self.db.execute(
            "SELECT count(*) FROM mentions WHERE status = 'escalated' AND updated_at > ?",
            [to_iso(since)],
        ).fetchone()[0]

    def add_tag(self, ids: Iterable[int], tag: str) -> int:
        tag = re.sub(r"\s+", "-", tag.strip().lower().lstrip("#"))
        if not tag:
            raise TriageError("Type a tag, e.g. food-safety.")
        changed = 0
        with write_transaction(self.db):
            for mention_id in ids:
                row = self.db.execute("SELECT tags FROM mentions WHERE id = ?", [mention_id])
                current = (row.fetchone() or [""])[0].split()
                if tag not in current:
                    changed += self._update([mention_id], "tags = ?", [" ".join([*current, tag])])
        return changed

    def set_reply_draft(self, mention_id: int, draft: str) -> None:
        self._update([mention_id], "reply_draft = ?", [draft])

    def set_incident(self, ids: Iterable[int], incident_id: int | None) -> int:
        return self._update(ids, "incident_id = ?", [incident_id])

    # --- what incidents and debriefs ask of the mentions -------------------------------

    def ids_for_incident(self, incident_id: int) -> list[int]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM mentions WHERE incident_id = ? ORDER BY posted_at", [incident_id]
            )
        ]

    def incident_stats(self, incident_id: int) -> tuple[int, int]:
        """(mentions attached to the incident, of which negative)."""
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(sentiment = 'negative'), 0) FROM mentions "
            "WHERE incident_id = ?",
            [incident_id],
        ).fetchone()
        return row[0], row[1]

    def not_attached_to(self, ids: list[int], incident_id: int) -> list[int]:
        """Those of `ids` that exist and are not yet attached to `incident_id`."""
        found: list[int] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += [
                r[0]
                for r in self.db.execute(
                    f"SELECT id FROM mentions WHERE id IN ({marks}) "
                    "AND (incident_id IS NULL OR incident_id != ?)",
                    [*chunk, incident_id],
                )
            ]
        return found

    def negative_share(self, start: datetime, end: datetime) -> tuple[int, int]:
        """(negative, all) mentions posted in [start, end)."""
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(sentiment = 'negative'), 0) FROM mentions "
            "WHERE posted_at >= ? AND posted_at < ?",
            [to_iso(start), to_iso(end)],
        ).fetchone()
        return row[1], row[0]

    def first_negative(
        self, until: datetime, since: datetime | None = None, incident_id: int | None = None
    ) -> datetime | None:
        """When the first negative mention up to `until` (from `since`; of one incident) was
        posted."""
        sql = "SELECT min(posted_at) FROM mentions WHERE sentiment = 'negative' AND posted_at <= ?"
        params: list = [to_iso(until)]
        if since is not None:
            sql += " AND posted_at >= ?"
            params.append(to_iso(since))
        if incident_id is not None:
            sql += " AND incident_id = ?"
            params.append(incident_id)
        row = self.db.execute(sql, params).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def incident_peak_hour(self, incident_id: int) -> tuple[datetime | None, int]:
        """The busiest hour (UTC start) among an incident's mentions, and its count."""
        row = self.db.execute(
            "SELECT substr(posted_at, 1, 13) AS hour, count(*) AS n FROM mentions "
            "WHERE incident_id = ? GROUP BY hour ORDER BY n DESC LIMIT 1",
            [incident_id],
        ).fetchone()
        if not row:
            return None, 0
        return from_iso(row[0] + ":00:00+00:00"), row[1]

    def incident_replies(self, incident_id: int) -> tuple[int, int]:
        """(replied, replied or still needing a reply) among an incident's mentions."""
        row = self.db.execute(
            "SELECT coalesce(sum(status = 'replied'), 0), "
            "coalesce(sum(status IN ('replied', 'needs_reply')), 0) FROM mentions "
            "WHERE incident_id = ?",
            [incident_id],
        ).fetchone()
        return row[0], row[1]

    def hourly_series(self, since: datetime, until: datetime) -> list[HourStat]:
        """Every hour from `since` up to `until` (UTC starts), zeros included."""
        counts = {
            from_iso(hour + ":00:00+00:00"): (n, neg)
            for hour, n, neg in self.hourly_counts(to_iso(since), to_iso(until))
        }
        hour = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        series = []
        while hour < until:
            n, neg = counts.get(hour, (0, 0))
            series.append(HourStat(hour, n, neg))
            hour += timedelta(hours=1)
        return series

    # --- evidence ----------------------------------------------------------------------

    def count_after(self, flt: MentionFilter, after_id: int) -> int:
        """Mentions matching `flt` that came in after mention `after_id` (0 if it is mistyped)."""
        from app.mentions.search import QueryError

        try:
            where, params = self._where(flt)
        except QueryError:
            return 0
        return self.db.execute(
            f"SELECT count(*) FROM mentions WHERE id > ? AND ({where})", [after_id, *params]
        ).fetchone()[0]

    def newest_id(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) FROM mentions").fetchone()[0]

    # --- undoing an import ---------------------------------------------------------------

    def touched_in_batch(self, batch_id: int) -> list[int]:
        """Mentions of a batch the owner has triaged, tagged, replied to, given a severity or
        an assignee, or attached to an incident."""
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT id FROM mentions WHERE batch_id = ? AND {TOUCHED} ORDER BY id",
                [batch_id],
            )
        ]

    def batch_ids(self, batch_id: int) -> list[int]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM mentions WHERE batch_id = ? ORDER BY id", [batch_id]
            )
        ]

    def remove_batch(self, batch_id: int, keep: set[int]) -> int:
        """Delete a batch's mentions except `keep`, in the caller's transaction: the one way
        a mention is ever deleted (undoing its import). Returns how many went."""
        doomed = [(i,) for i in self.batch_ids(batch_id) if i not in keep]
        with write_transaction(self.db):
            self.db.conn.executemany("DELETE FROM mentions WHERE id = ?", doomed)
        self._hours.clear()
        return len(doomed)

    def texts(self, ids: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.db.execute(
                    f"SELECT id, text FROM mentions WHERE id IN ({marks})", chunk
                ).fetchall()
            )
        return found

    # --- remembered import mappings ----------------------------------------------------

    def remembered_mapping(self, signature: str) -> dict[str, str] | None:
        row = self.db.execute(
            "SELECT mapping FROM import_mappings WHERE signature = ?", [signature]
        ).fetchone()
        return json.loads(row[0]) if row else None

    def remember_mapping(self, signature: str, mapping: dict[str, str]) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO import_mappings (signature, mapping, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, "
                "updated_at = excluded.updated_at",
                [signature, json.dumps(mapping, sort_keys=True), to_iso(self.clock())],
            )

    # --- recorded spikes ---------------------------------------------------------------

    def record_spike(self, **values) -> None:
        """Record a spike the owner acted on; the same spike recorded again keeps one row."""
        values = {**values, "created_at": to_iso(self.clock())}
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO spikes ({names}) VALUES ({marks}) ON CONFLICT (hour_start, kind) "
                "DO UPDATE SET status = excluded.status, hour_end = excluded.hour_end, "
                "count = excluded.count, negative = excluded.negative",
                list(values.values()),
            )

    def spike_id(self, hour_start: str, kind: str) -> int:
        row = self.db.execute(
            "SELECT id FROM spikes WHERE hour_start = ? AND kind = ?", [hour_start, kind]
        ).fetchone()
        return row[0] if row else 0

    def recorded_spikes(self) -> list[dict]:
        cursor = self.db.execute("SELECT * FROM spikes ORDER BY hour_start")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def spike_status(self, hour_start: str, hour_end: str | None = None) -> str | None:
        """What the owner did with the spike from `hour_start`: the one recorded as starting
        then, else (given `hour_end`) one that overlaps it. The chart's hourly spike and the
        minute-by-minute alarm are one event seen twice, and start at different times."""
        row = self.db.execute(
            "SELECT status FROM spikes WHERE hour_start = ? ORDER BY id DESC", [hour_start]
        ).fetchone()
        if row is None and hour_end is not None:
            row = self.db.execute(
                "SELECT status FROM spikes WHERE hour_start <= ? AND hour_end >= ? "
                "ORDER BY id DESC",
                [hour_end, hour_start],
            ).fetchone()
        return row[0] if row else None

    def refresh_statistics(self) -> None:
        """After a big import: let SQLite's planner learn how selective each index is
        (under a second on a million rows, after an import that took a minute)."""
        self.db.execute("PRAGMA analysis_limit = 0")
        self.db.execute("ANALYZE")

    def known_tags(self, limit: int = 200) -> list[str]:
        tags: set[str] = set()
        for (text,) in self.db.execute(
            "SELECT DISTINCT tags FROM mentions WHERE tags != '' LIMIT ?", [limit]
        ):
            tags.update(text.split())
        return sorted(tags)

    # --- what detection asks of the mentions -------------------------------------------

    def posted_range(self) -> tuple[datetime, datetime] | None:
        """When the oldest and the newest mention were posted (two index lookups)."""
        row = self.db.execute("SELECT min(posted_at), max(posted_at) FROM mentions").fetchone()
        return (from_iso(row[0]), from_iso(row[1])) if row and row[0] else None

    def minute_counts(self, since: str, until: str) -> list[tuple[str, int, int]]:
        """[(minute "YYYY-MM-DDTHH:MM", mentions, negative)] posted in [since, until), UTC,
        read from the (posted_at, sentiment) index alone."""
        return [
            (minute, n, neg or 0)
            for minute, n, neg in self.db.execute(
                "SELECT substr(posted_at, 1, 16) AS minute, count(*), "
                "sum(sentiment = 'negative') FROM mentions "
                "WHERE posted_at >= ? AND posted_at < ? GROUP BY minute",
                [since, until],
            )
        ]

    def arrived_after(self, after_id: int) -> tuple[int, datetime | None]:
        """(newest id, earliest posting time) of the mentions added after mention `after_id`:
        a rowid range, as cheap after a pull into a million mentions as into ten."""
        row = self.db.execute(
            "SELECT max(id), min(posted_at) FROM mentions WHERE id > ?", [after_id]
        ).fetchone()
        if row[0] is None:
            return self.newest_id(), None
        return row[0], from_iso(row[1])

    def first_match_after(self, flt: MentionFilter, after_id: int) -> tuple[Mention | None, int]:
        """The first mention added after `after_id` that matches `flt`, and how many do. The
        words are looked up in the full-text index from that rowid on, not over every match."""
        compiled = self._compiled(flt)
        if compiled.fts is None:
            source, where = "mentions", f"mentions.id > ? AND {compiled.where}"
            params = [after_id, *compiled.params]
        else:
            source = _JOINED
            where = f"mentions_fts MATCH ? AND mentions_fts.rowid > ? AND {compiled.where}"
            params = [compiled.fts, after_id, *compiled.params]
        count = self.db.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[
            0
        ]
        if not count:
            return None, 0
        row = self.db.execute(
            f"SELECT {_QUALIFIED} FROM {source} WHERE {where} ORDER BY mentions.id LIMIT 1", params
        ).fetchone()
        return _mention(row), count

    def with_reach_after(
        self, after_id: int, followers: int, news_words: tuple[str, ...], not_news: tuple[str, ...]
    ) -> list[Mention]:
        """Mentions added after `after_id` by an author with at least `followers` followers, or
        from a source whose name holds one of `news_words` (and none of `not_news`)."""
        news = " OR ".join("instr(lower(source), ?)" for _ in news_words) or "0"
        excluded = " OR ".join("instr(lower(source), ?)" for _ in not_news) or "0"
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM mentions WHERE id > ? AND (author_followers >= ? OR "
            f"(({news}) AND NOT ({excluded}))) ORDER BY id LIMIT 200",
            [after_id, followers, *news_words, *not_news],
        ).fetchall()
        return [_mention(row) for row in rows]

    def between(
        self, start: datetime, end: datetime, limit: int = 20_000, newest: bool = False
    ) -> list[Mention]:
        """Mentions posted in [start, end), oldest first (or the newest `limit` of them)."""
        order = "DESC" if newest else "ASC"
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM mentions WHERE posted_at >= ? AND posted_at < ? "
            f"ORDER BY posted_at {order} LIMIT ?",
            [to_iso(start), to_iso(end), limit],
        ).fetchall()
        found = [_mention(row) for row in rows]
        return found[::-1] if newest else found

    def texts_between(
        self, start: datetime, end: datetime, limit: int = 20_000
    ) -> list[tuple[str, str]]:
        """(text, sentiment) of up to `limit` mentions posted in [start, end), newest first:
        the words of a stretch of time, for comparing one stretch with another."""
        return self.db.execute(
            "SELECT text, coalesce(sentiment, '') FROM mentions "
            "WHERE posted_at >= ? AND posted_at < ? ORDER BY posted_at DESC LIMIT ?",
            [to_iso(start), to_iso(end), limit],
        ).fetchall()

    def source_counts(self, start: datetime, end: datetime) -> dict[str, int]:
        return dict(
            self.db.execute(
                "SELECT source, count(*) FROM mentions WHERE posted_at >= ? AND posted_at < ? "
                "GROUP BY source",
                [to_iso(start), to_iso(end)],
            ).fetchall()
        )

    def unscored_quickly(self) -> int:
        """`unscored_count` from the partial index of unscored mentions, never a scan (the
        planner may otherwise walk the posting-time index of a million mentions)."""
        return self.db.execute(
            "SELECT count(*) FROM mentions INDEXED BY mentions_unscored WHERE sentiment IS NULL"
        ).fetchone()[0]

"""Capturing and applying change sets with SQLite's session extension, through APSW.

APSW carries its own SQLite. Two SQLite libraries must never have one file open in one process
at the same time (closing a descriptor in one drops the other's locks: SQLite's "How To Corrupt"
§2.2), so this module runs only in the sync process (`crisisdesk sync`), which opens the
workspace with nothing else.

- Capture: `Session.diff` of each shared table against the "last shared" snapshot (a copy made
  with the backup API and kept up to date by every round), so a change set carries exactly the
  local edits since the last round, however the standard driver wrote them.
- Apply: the same decision on every laptop, so all copies converge with no server. Rows added
  twice are kept once; a field two people changed: the later change wins by the time in
  `sync_clock` (ties by device number); for high-stakes text the other version is kept in
  `sync_conflicts` and shown to a person. Derived tables (the full-text index, counters) are
  never carried; their triggers rebuild them as changes are applied.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import apsw

from app.sharing.model import POLICIES, Policy, shared_tables

BUSY_TIMEOUT_MS = 30_000
_NO_CHANGE = apsw.no_change


def connect(path: Path) -> apsw.Connection:
    conn = apsw.Connection(str(path))
    conn.set_busy_timeout(BUSY_TIMEOUT_MS)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def table_names(conn: apsw.Connection, schema: str = "main") -> list[str]:
    return [
        row[0]
        for row in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
    ]


def capture(conn: apsw.Connection, snapshot_schema: str = "snap") -> bytes:
    """The change set that turns the snapshot into the workspace, for every shared table, read
    in one transaction (one consistent view, whoever else is writing)."""
    tables = shared_tables(table_names(conn))
    conn.execute("BEGIN")  # one read transaction over every table
    session = apsw.Session(conn, "main")
    try:
        for table in tables:
            session.diff(snapshot_schema, table)
        return session.changeset()
    finally:
        session.close()
        conn.execute("COMMIT")


# --- applying ------------------------------------------------------------------------------


@dataclass
class Conflict:
    """A field two people changed: which version was kept and what the other said."""

    table: str
    pk: str
    kept_device: int
    kept_at: str
    other_device: int
    other_at: str
    other_values: dict

    @property
    def id(self) -> str:
        key = f"{self.table}|{self.pk}|{self.other_device}|{self.other_at}"
        return hashlib.sha1(key.encode()).hexdigest()[:20]


@dataclass
class Applied:
    rows: int = 0
    kept_theirs: int = 0
    kept_ours: int = 0
    duplicates: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def _clock(at: object, device: object) -> tuple[str, int]:
    """A (time, device) pair from a row of sync_clock: the later one wins, then the higher."""
    return str(at), int(cast(int, device))


def _pk_text(change: apsw.TableChange) -> str:
    values = change.old if change.op != "INSERT" else change.new
    assert values is not None
    return "|".join(str(values[i]) for i in sorted(change.pk_columns))


def _column_names(conn: apsw.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def _incoming_clocks(changeset: bytes) -> dict[tuple[str, str], tuple[str, int]]:
    """The times this change set carries for each row it changes."""
    clocks: dict[tuple[str, str], tuple[str, int]] = {}
    for change in apsw.Changeset.iter(changeset):
        if change.name != "sync_clock" or change.op == "DELETE":
            continue
        old, new = change.old or (), change.new or ()
        tbl = new[0] if new and new[0] is not _NO_CHANGE else old[0]
        pk = new[1] if new and new[1] is not _NO_CHANGE else old[1]
        at, device = new[2], new[3]
        if at is _NO_CHANGE or device is _NO_CHANGE:
            continue
        clocks[(str(tbl), str(pk))] = _clock(at, device)
    return clocks


def _local_clocks(conn: apsw.Connection) -> dict[tuple[str, str], tuple[str, int]]:
    return {
        (tbl, pk): (at, device)
        for tbl, pk, at, device in conn.execute("SELECT tbl, pk, at, device FROM sync_clock")
    }


def apply(
    conn: apsw.Connection, changeset: bytes, incoming_device: int, local_device: int
) -> Applied:
    """Apply another laptop's change set in the caller's transaction; returns what happened
    (the caller writes the conflicts and its record of the file in the same transaction)."""
    incoming = _incoming_clocks(changeset)
    local = _local_clocks(conn)
    columns: dict[str, list[str]] = {}
    outcome = Applied()

    def handler(reason: int, change: apsw.TableChange) -> int:
        table = change.name
        if reason == apsw.SQLITE_CHANGESET_FOREIGN_KEY:
            return apsw.SQLITE_CHANGESET_OMIT  # a parent another change set will bring
        if change.op == "INSERT" and reason == apsw.SQLITE_CHANGESET_CONFLICT:
            if table == "sync_clock":  # one row's time from two laptops: the later stays
                current, new = change.conflict, change.new
                assert current is not None and new is not None
                if _clock(new[2], new[3]) > _clock(current[2], current[3]):
                    return apsw.SQLITE_CHANGESET_REPLACE
            outcome.duplicates += 1
            return apsw.SQLITE_CHANGESET_OMIT
        if change.op != "UPDATE" or reason != apsw.SQLITE_CHANGESET_DATA:
            return apsw.SQLITE_CHANGESET_OMIT  # gone here, or a duplicate by another key
        current, old, new = change.conflict, change.old, change.new
        assert current is not None and old is not None and new is not None
        if table == "sync_clock":
            merged = [c if n is _NO_CHANGE else n for c, n in zip(current, new, strict=True)]
            later = _clock(merged[2], merged[3]) > _clock(current[2], current[3])
            return apsw.SQLITE_CHANGESET_REPLACE if later else apsw.SQLITE_CHANGESET_OMIT
        pk = _pk_text(change)
        theirs = incoming.get((table, pk)) or ("", incoming_device)
        ours = local.get((table, pk)) or ("", local_device)
        theirs_win = theirs > ours  # the later change; at the same moment, the higher device
        if POLICIES.get(table) == Policy.TEXT:
            names = columns.setdefault(table, _column_names(conn, table))
            # The fields both changed, as the losing side had them: the same on every laptop.
            both = [
                i
                for i, n in enumerate(new)
                if n is not _NO_CHANGE and old[i] is not _NO_CHANGE and old[i] != current[i]
            ]
            loser = current if theirs_win else new
            kept, other = (theirs, ours) if theirs_win else (ours, theirs)
            outcome.conflicts.append(
                Conflict(
                    table,
                    pk,
                    kept_device=kept[1],
                    kept_at=kept[0],
                    other_device=other[1],
                    other_at=other[0],
                    other_values={names[i]: loser[i] for i in both},
                )
            )
        if theirs_win:
            outcome.kept_theirs += 1
            return apsw.SQLITE_CHANGESET_REPLACE
        outcome.kept_ours += 1
        return apsw.SQLITE_CHANGESET_OMIT

    apsw.Changeset.apply(changeset, conn, conflict=handler)
    outcome.rows = sum(1 for _ in apsw.Changeset.iter(changeset))
    return outcome


def record_conflicts(conn: apsw.Connection, conflicts: list[Conflict]) -> None:
    """Keep the other version of each conflict (the same row on every laptop)."""
    for c in conflicts:
        conn.execute(
            "INSERT INTO sync_conflicts (id, tbl, pk, kept_device, kept_at, other_device, "
            "other_at, other_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                c.id,
                c.table,
                c.pk,
                c.kept_device,
                c.kept_at,
                c.other_device,
                c.other_at,
                json.dumps(c.other_values, default=str),
            ),
        )

"""Connections and transactions: the pragmas every workspace connection uses, and the one way
a writer starts (BEGIN IMMEDIATE, waiting politely for another process's write to finish).

A transaction that reads before it writes and starts deferred fails at once with "database is
locked" when another connection wrote in between (the busy timeout cannot help it); starting
every write with BEGIN IMMEDIATE makes it wait its turn instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from app.errors import WorkspaceLocked

# How long a writer waits for another process's write (an import of a big file) to finish.
BUSY_TIMEOUT_MS = 30_000


def connect(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection with the pragmas every workspace connection uses (workers open their own)."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """`db.atomic()`, except that a transaction of its own starts with BEGIN IMMEDIATE, so it
    waits for another writer rather than failing half-way; nested use joins the outer one."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise WorkspaceLocked(
                "The workspace is busy: another Crisis Desk window, import or pull has been "
                "writing to it for a while. Try again when it has finished; nothing was lost."
            ) from None
        raise
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()

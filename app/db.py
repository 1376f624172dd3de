"""Connections, transactions and the hold a process keeps on a workspace.

- Every connection comes from here, with the same pragmas, and is registered while open: on
  POSIX, closing ANY descriptor of a file drops every lock this process holds on it (SQLite's
  "How To Corrupt" §2.2), so code that wants to read the file's bytes itself must first ask
  `has_open_connections(path)`.
- A writer starts with BEGIN IMMEDIATE and waits its turn: a deferred transaction that reads
  before it writes fails at once with "database is locked" when another connection wrote in
  between (the busy timeout cannot help it).
- Every process that opens a workspace holds a shared lock on a sidecar file `<name>-lock`
  while it is open; restore and the demo rebuild take it exclusively, so they never replace a
  file under a process that is still writing to it.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import portalocker
from sqlite_utils import Database
from sqlite_utils.db import Table

from app.errors import UserError, WorkspaceLocked, os_error_sentence

# How long a writer waits for another process's write (an import of a big file) to finish.
BUSY_TIMEOUT_MS = 30_000
# How long opening a workspace waits for a restore in another process to finish.
HOLD_TIMEOUT_S = 30.0

_registry_guard = threading.RLock()
_open_files: Counter[tuple[int, int]] = Counter()


def _file_key(path: Path | str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class _TrackedConnection(sqlite3.Connection):
    """A connection that keeps the registry of files this process has open up to date."""

    _key: tuple[int, int] | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            with _registry_guard:
                if self._key is not None and _open_files[self._key] > 0:
                    _open_files[self._key] -= 1
                self._key = None


def _register(conn: _TrackedConnection, path: Path | str) -> None:
    with _registry_guard:
        conn._key = _file_key(path)
        if conn._key is not None:
            _open_files[conn._key] += 1


def has_open_connections(path: Path | str) -> bool:
    """Whether this process holds a SQLite connection on the file at `path`."""
    key = _file_key(path)
    with _registry_guard:
        return key is not None and _open_files[key] > 0


@contextmanager
def first_open_guard() -> Iterator[None]:
    """Held while a file's bytes are looked at and its first connection is made, so another
    thread of this process cannot connect in between and then lose its locks."""
    with _registry_guard:
        yield


def connect(path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A read-write connection with the pragmas every workspace connection uses."""
    conn = sqlite3.connect(
        str(path),
        timeout=busy_timeout_ms / 1000,
        check_same_thread=False,
        factory=_TrackedConnection,
    )
    _register(conn, path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def connect_readonly(path: Path | str, *, busy_timeout_ms: int = 5000) -> sqlite3.Connection:
    """A read-only connection (inspection, backups): it never creates or changes the file."""
    conn = sqlite3.connect(
        f"file:{quote(str(path))}?mode=ro",
        uri=True,
        timeout=busy_timeout_ms / 1000,
        check_same_thread=False,
        factory=_TrackedConnection,
    )
    _register(conn, path)
    return conn


def _begin_immediate(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise WorkspaceLocked(
                "The workspace is busy: another Crisis Desk window, import or pull has been "
                "writing to it for a while. Try again when it has finished; nothing was lost."
            ) from None
        raise


class WorkspaceDatabase(Database):
    """sqlite-utils' Database, except that every transaction of its own starts with BEGIN
    IMMEDIATE, so a transaction that reads before it writes waits for another process's write
    instead of failing at once; a nested one is a savepoint of the outer one.

    In a shared workspace (`device` set) new rows of the shared tables take ids this laptop
    alone hands out (`id % stride == device`), so two laptops never make the same id."""

    device: int | None = None
    stride: int = 1
    interleaved: frozenset[str] = frozenset()

    def table(self, table_name: str, **kwargs) -> Table:
        if self.device is not None and table_name in self.interleaved:
            kwargs.setdefault("strict", self.strict)
            return DeviceTable(self, table_name, **kwargs)
        return super().table(table_name, **kwargs)

    def new_ids(self, table: str) -> Iterator[int] | None:
        """This laptop's next ids for `table` (call inside the write transaction), or None when
        the workspace is not shared and SQLite's own ids are used."""
        if self.device is None or table not in self.interleaved:
            return None
        (top,) = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM [{table}]").fetchone()
        return itertools.count((top // self.stride + 1) * self.stride + self.device, self.stride)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        _begin_immediate(self.conn)
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise
        self.conn.commit()


class DeviceTable(Table):
    """A table whose new rows take this laptop's ids (see WorkspaceDatabase)."""

    db: WorkspaceDatabase

    def insert_all(self, records, *args, **kwargs):
        if kwargs.get("upsert"):
            return super().insert_all(records, *args, **kwargs)
        with self.db.atomic():
            ids = self.db.new_ids(self.name)
            if ids is None:
                return super().insert_all(records, *args, **kwargs)
            given = ({**r, "id": next(ids)} if r.get("id") is None else r for r in records)
            return super().insert_all(given, *args, **kwargs)


def device_ids(db: Database, table: str) -> Iterator[int] | None:
    """This laptop's next ids for a raw INSERT into `table` in a shared workspace (None: let
    SQLite choose). Call it inside the write transaction."""
    return db.new_ids(table) if isinstance(db, WorkspaceDatabase) else None


def open_database(conn: sqlite3.Connection) -> WorkspaceDatabase:
    # sqlite-utils' own single writes go through Python's implicit transactions; these start
    # IMMEDIATE too, for the same reason.
    conn.isolation_level = "IMMEDIATE"
    return WorkspaceDatabase(conn)


def write_transaction(db: Database):
    """One transaction for a multi-row change (all of it or none of it), joining an outer one."""
    if isinstance(db, WorkspaceDatabase):
        return db.atomic()
    return WorkspaceDatabase.atomic(db)  # type: ignore[arg-type]


# --- the hold on a workspace -------------------------------------------------------------


def lock_path(workspace: Path | str) -> Path:
    workspace = Path(workspace)
    return workspace.with_name(workspace.name + "-lock")


class WorkspaceHold:
    """This process's lock on a workspace: shared while it is open, exclusive to replace it.

    A BSD `flock` (LockFileEx on Windows) on a sidecar file, never on the database itself, so
    taking or dropping it cannot disturb SQLite's own locks.
    """

    def __init__(self, workspace: Path | str):
        self.workspace = Path(workspace)
        self.path = lock_path(self.workspace)
        self._handle = None

    def _open(self):
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise UserError(
                os_error_sentence(exc, self.workspace.parent, doing="use the folder")
            ) from None
        return os.fdopen(fd, "r+b")

    def _take(self, flags, timeout: float) -> bool:
        handle = self._open()
        deadline = time.monotonic() + timeout
        while True:
            try:
                portalocker.lock(handle, flags | portalocker.LockFlags.NON_BLOCKING)
            except (portalocker.AlreadyLocked, portalocker.LockException):
                if time.monotonic() >= deadline:
                    handle.close()
                    return False
                time.sleep(0.05)
                continue
            self._handle = handle
            return True

    def share(self, timeout: float = HOLD_TIMEOUT_S) -> None:
        """Hold the workspace open; waits while another process restores it."""
        if not self._take(portalocker.LockFlags.SHARED, timeout):
            raise WorkspaceLocked(
                f"The workspace {self.workspace} is being restored or rebuilt by another "
                "Crisis Desk process; try again when it has finished."
            )

    def take_exclusively(self, timeout: float = 0.0) -> bool:
        """Whether no other process (or other store of this one) has the workspace open."""
        return self._take(portalocker.LockFlags.EXCLUSIVE, timeout)

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            try:
                portalocker.unlock(handle)
            finally:
                handle.close()


@contextmanager
def exclusive_hold(workspace: Path | str, *, doing: str) -> Iterator[WorkspaceHold]:
    """Take the workspace for a replacement (restore, demo rebuild) or refuse in one sentence."""
    hold = WorkspaceHold(workspace)
    if not hold.take_exclusively(timeout=1.0):
        raise WorkspaceLocked(
            f"Cannot {doing} {workspace} while another Crisis Desk window, pull, import or "
            "backup has it open: close Crisis Desk elsewhere and let running pulls finish, "
            "then try again."
        )
    try:
        yield hold
    finally:
        hold.release()


def new_id(primary_key: object) -> int:
    """The id SQLite gave the row just inserted (sqlite-utils types `last_pk` loosely)."""
    assert isinstance(primary_key, int), primary_key
    return primary_key

"""The workspace store: one SQLite file per workspace, opened safely, migrated, with repositories.

`open_store` refuses, with a one-line reason and without touching a byte, any file that is
not a Crisis Desk workspace, is damaged, is from a newer version, or cannot be written.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from app.business.repository import BusinessRepository, SettingsRepository
from app.contacts.repository import ContactRepository
from app.db import (
    WorkspaceHold,
    connect,
    connect_readonly,
    first_open_guard,
    has_open_connections,
    open_database,
)
from app.debriefs.repository import DebriefRepository
from app.errors import UserError, os_error_sentence, sqlite_error_sentence
from app.incidents.plan_facts import facts_from_plan
from app.incidents.repository import IncidentRepository
from app.mentions.batches import ImportBatchRepository
from app.mentions.detection.repository import DetectionRepository
from app.mentions.evidence import EvidenceRepository
from app.mentions.repository import MentionRepository
from app.mentions.spikes import current_sensitivity
from app.mentions.watches import WatchRepository
from app.migrations import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS
from app.plan.repository import PlanRepository
from app.sharing.local import prepare as prepare_sharing
from app.sharing.local import read_config as read_sharing_config
from app.sources.repository import SourceRepository
from app.statements.repository import StatementRepository
from app.timeutil import Clock, utc_now

SQLITE_MAGIC = b"SQLite format 3\x00"


class WorkspaceError(UserError):
    """A workspace file cannot be used; the message is one plain sentence for the owner."""


@dataclass(frozen=True)
class WorkspaceFacts:
    """What a read-only look at a workspace file found."""

    path: Path
    empty: bool
    schema_version: int
    applied: tuple[str, ...]


def readonly_connection(path: Path) -> sqlite3.Connection:
    return connect_readonly(path)


def _is_readonly(path: Path) -> bool:
    # Root passes os.access even for a 0444 file, so the mode bits are checked too.
    mode = path.stat().st_mode
    return not os.access(path, os.W_OK) or not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _check_header(path: Path) -> None:
    """Reject non-SQLite and truncated files from the header alone, before SQLite opens them.

    Only called when this process has no connection on the file: reading it with a plain
    open() and closing that descriptor would drop every SQLite lock the process holds on it.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise WorkspaceError(os_error_sentence(exc, path, doing="read")) from None
    if not header.startswith(SQLITE_MAGIC[:15]):
        raise WorkspaceError(f"{path} is not a Crisis Desk workspace (it is not a database file).")
    if len(header) < 100 or header[15:16] != b"\x00":
        raise WorkspaceError(f"{path} is damaged: the file is cut short. Restore it from a backup.")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    wal = path.with_name(path.name + "-wal")
    # With a write-ahead log the file may be legitimately short: a checkpoint that ran out of
    # disk has written the new header but not yet the pages, which the log still holds.
    if wal.exists() and wal.stat().st_size > 0:
        return
    if page_count and valid_for == change_counter and path.stat().st_size < page_count * page_size:
        raise WorkspaceError(
            f"{path} is damaged: the file is shorter than it should be "
            f"({path.stat().st_size} of {page_count * page_size} bytes). Restore it from a backup."
        )


def inspect_workspace(path: Path, *, full_check: bool = False) -> WorkspaceFacts:
    """Look at a workspace file read-only and say whether this version can use it."""
    path = Path(path)
    try:
        if not path.exists() or path.stat().st_size == 0:
            return WorkspaceFacts(path, True, 0, ())
    except OSError as exc:
        raise WorkspaceError(os_error_sentence(exc, path, doing="read")) from None
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder; give the path of a workspace file.")
    with first_open_guard():
        if not has_open_connections(path):
            _check_header(path)
        try:
            with closing(readonly_connection(path)) as conn:
                if full_check:  # the whole file, page by page: for restores, not every open
                    problems = [
                        row[0] for row in conn.execute("PRAGMA integrity_check").fetchmany(3)
                    ]
                    if problems != ["ok"]:
                        raise WorkspaceError(
                            f"{path} is damaged ({problems[0]}). Restore it from a backup."
                        )
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                tables = [
                    r[0]
                    for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                ]
                applied: tuple[str, ...] = ()
                if "_sqlite_migrations" in tables:
                    applied = tuple(
                        r[0]
                        for r in conn.execute(
                            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? "
                            "ORDER BY rowid",
                            [MIGRATION_SET],
                        )
                    )
        except sqlite3.Error as exc:
            raise WorkspaceError(sqlite_error_sentence(exc, path)) from None
    if not tables and app_id == 0:
        return WorkspaceFacts(path, True, 0, ())
    if app_id != APPLICATION_ID:
        raise WorkspaceError(
            f"{path} is a database of another program, not a Crisis Desk workspace."
        )
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if unknown:
        raise WorkspaceError(
            f"{path} was saved by a newer version of Crisis Desk (it has '{unknown[0]}'); "
            "update Crisis Desk to open it."
        )
    return WorkspaceFacts(path, False, len(applied), applied)


def create_private_file(path: Path) -> None:
    """Create the workspace file readable by its owner only (0600), before SQLite opens it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise WorkspaceError(os_error_sentence(exc, path, doing="create")) from None
    os.close(fd)


class Store:
    """An open workspace: the database and one repository per domain."""

    def __init__(
        self,
        path: Path,
        db: Database,
        clock: Clock = utc_now,
        hold: WorkspaceHold | None = None,
        *,
        owns_connection: bool = True,
    ):
        self.path = path
        self.db = db
        self.clock = clock
        self._hold = hold
        self._owns_connection = owns_connection
        # The one place repositories are built and handed their collaborators: each owns its
        # tables, and asks a sibling (never its tables) for anything else.
        self.settings = SettingsRepository(db)
        self.business = BusinessRepository(db, clock)
        self.plan = PlanRepository(db, self.settings, clock)
        self.contacts = ContactRepository(db, clock)
        self.sources = SourceRepository(db, clock, settings=self.settings)
        self.mentions = MentionRepository(db, clock, day_zone=self.business.day_zone)
        self.evidence = EvidenceRepository(db, clock, mentions=self.mentions)
        self.watches = WatchRepository(db, clock, mentions=self.mentions)
        self.detection = DetectionRepository(
            db, clock, mentions=self.mentions, watches=self.watches, settings=self.settings
        )
        self.batches = ImportBatchRepository(
            db, clock, mentions=self.mentions, evidence=self.evidence
        )
        sharing = read_sharing_config(self.settings)
        self.incidents = IncidentRepository(
            db,
            clock,
            mentions=self.mentions,
            facts=lambda: facts_from_plan(self.plan, self.contacts),
            person=lambda: sharing.person if sharing else "",
        )
        self.statements = StatementRepository(
            db,
            clock,
            incidents=self.incidents,
            plan=self.plan,
            contacts=self.contacts,
            business=self.business,
        )
        self.debriefs = DebriefRepository(
            db,
            clock,
            incidents=self.incidents,
            mentions=self.mentions,
            plan=self.plan,
            contacts=self.contacts,
            sensitivity=lambda: current_sensitivity(self.settings),
            choose_setting=self.detection.choose,
        )
        if sharing is not None and owns_connection:
            prepare_sharing(db, sharing)  # type: ignore[arg-type]

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def counts(self) -> dict[str, int]:
        """Rows per user table (internal and full-text index tables left out)."""
        names = [
            n
            for n in self.db.table_names()
            if not n.startswith(("_", "sqlite_")) and "_fts" not in n
        ]
        return {name: self.db[name].count for name in sorted(names)}

    def with_clock(self, clock: Clock) -> Store:
        """The same open workspace seen through another clock (the demo's story told minute by
        minute); closing the view leaves the workspace open."""
        return Store(self.path, self.db, clock, owns_connection=False)

    closed = False  # set once closed: late work of a window going away (a focus-out save)
    # asks this instead of failing on a closed connection

    def close(self) -> None:
        if not self._owns_connection:
            return
        self.closed = True
        try:
            self.db.close()
        finally:
            if self._hold is not None:
                self._hold.release()
                self._hold = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(
    path: str | os.PathLike,
    *,
    clock: Clock = utc_now,
    create: bool = True,
    hold: bool = True,
) -> Store:
    """Open (creating if allowed) and migrate the workspace at `path`.

    The store holds the workspace (a shared lock beside it) until it is closed, so a restore
    in another process refuses rather than replacing the file under it. `hold=False` is for
    private temporary copies only.
    """
    path = Path(path)
    workspace_hold = WorkspaceHold(path) if hold else None
    if workspace_hold is not None:
        if not path.exists() and not create:
            raise WorkspaceError(f"There is no workspace at {path}.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(os_error_sentence(exc, path.parent, doing="create")) from None
        workspace_hold.share()
    try:
        return _open_held(path, clock, create, workspace_hold)
    except BaseException:
        if workspace_hold is not None:
            workspace_hold.release()
        raise


def _open_held(path: Path, clock: Clock, create: bool, hold: WorkspaceHold | None) -> Store:
    facts = inspect_workspace(path)
    if not path.exists():
        if not create:
            raise WorkspaceError(f"There is no workspace at {path}.")
        create_private_file(path)
    elif _is_readonly(path):
        raise WorkspaceError(
            f"{path} is read-only; make it writable or copy it to a folder you can write to."
        )
    pending = facts.empty or facts.schema_version < len(MIGRATION_NAMES)
    conn = None
    try:
        conn = connect(path)
        db = open_database(conn)
        if pending:
            MIGRATIONS.apply(db)
            db.execute(f"PRAGMA user_version = {len(MIGRATION_NAMES)}")
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise WorkspaceError(sqlite_error_sentence(exc, path)) from None
    return Store(path, db, clock, hold)

"""Backup and restore of a whole workspace, safe while the app (or another process) writes.

Backups use SQLite's online backup API, so the copy is one consistent snapshot. A restore is
checked first (integrity, that it is a workspace, not newer than this version), written to a
temporary file beside the target, migrated, and only then moved into place.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from app.store import (
    WorkspaceError,
    create_private_file,
    inspect_workspace,
    open_store,
    readonly_connection,
)


def _copy_database(source: Path, target: Path) -> None:
    create_private_file(target)
    with closing(readonly_connection(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.execute("PRAGMA busy_timeout = 5000")
        src.backup(dst)  # one step: a single consistent snapshot, even with a busy writer


def _temporary_beside(target: Path) -> Path:
    temp = target.with_name(f".{target.name}.partial")
    for leftover in (temp, *_sidecars(temp)):
        leftover.unlink(missing_ok=True)
    return temp


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def backup_workspace(source: Path, destination: Path, *, force: bool = False) -> None:
    """Write a consistent copy of the workspace at `source` to `destination`."""
    source, destination = Path(source), Path(destination)
    if inspect_workspace(source).empty:
        raise WorkspaceError(f"There is no workspace at {source} to back up.")
    if destination.exists() and not force:
        raise WorkspaceError(f"{destination} already exists; choose another name or add --force.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    temp = _temporary_beside(destination)
    try:
        _copy_database(source, temp)
        with closing(sqlite3.connect(temp)) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        os.replace(temp, destination)
    finally:
        temp.unlink(missing_ok=True)


def restore_workspace(backup: Path, target: Path, *, force: bool = False) -> Path | None:
    """Replace (or create) the workspace at `target` with the checked contents of `backup`.

    When a workspace is replaced, a safety copy of it is kept beside it first; its path is
    returned so the user can be told where it is.
    """
    backup, target = Path(backup), Path(target)
    if not backup.exists():
        raise WorkspaceError(f"There is no backup file at {backup}.")
    facts = inspect_workspace(backup, full_check=True)
    if facts.empty:
        raise WorkspaceError(f"{backup} is empty; it is not a Crisis Desk backup.")
    if not inspect_workspace(target).empty and not force:
        raise WorkspaceError(
            f"{target} already holds a workspace; restore to a new path or add --force "
            "to replace it."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    safety_copy = None
    if not inspect_workspace(target).empty:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        safety_copy = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        backup_workspace(target, safety_copy, force=True)
    temp = _temporary_beside(target)
    try:
        _copy_database(backup, temp)
        open_store(temp).close()  # brings an older backup up to the current schema
        if target.exists():
            # Empty the target's write-ahead log so no stale page is replayed over the new file.
            with closing(sqlite3.connect(target)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(temp, target)
        for sidecar in _sidecars(target):
            sidecar.unlink(missing_ok=True)
    finally:
        for leftover in (temp, *_sidecars(temp)):
            leftover.unlink(missing_ok=True)
    return safety_copy

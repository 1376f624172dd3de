"""Backup and restore of a whole workspace, safe while the app (or another process) writes.

A backup uses SQLite's online backup API from a read-only connection, so the copy is one
consistent snapshot; it is written under a temporary name unique to this run and renamed.

A restore takes the workspace exclusively (every process that has it open holds a shared lock
beside it), so it refuses rather than replacing the file under a window, a pull or an import
that would go on writing into the old one. The backup is checked (whole-file integrity, that it
is a workspace, not newer, and that its schema holds nothing our migrations did not make),
copied beside the target, migrated, and only then renamed into place. The workspace it replaces
is kept first as a safety copy whose name no other restore can take.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from app.db import WorkspaceHold, connect_readonly, exclusive_hold
from app.errors import UserError, os_error_sentence, sqlite_error_sentence
from app.files import temporary_beside
from app.migrations import foreign_schema_objects
from app.store import WorkspaceError, create_private_file, inspect_workspace, open_store


def _sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + tail) for tail in ("-wal", "-shm", "-journal"))


def _remove_with_sidecars(path: Path) -> None:
    for leftover in (path, *_sidecars(path)):
        leftover.unlink(missing_ok=True)


def _copy_database(source: Path, target: Path) -> None:
    """One consistent snapshot of `source` into the new file `target`, as one self-contained
    file (no write-ahead log)."""
    create_private_file(target)
    try:
        with (
            closing(connect_readonly(source, busy_timeout_ms=30_000)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)  # one step: a single consistent snapshot, even with a busy writer
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise WorkspaceError(sqlite_error_sentence(exc, source)) from None
    except OSError as exc:
        raise UserError(os_error_sentence(exc, target)) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def backup_workspace(source: Path, destination: Path, *, force: bool = False) -> None:
    """Write a consistent copy of the workspace at `source` to `destination`."""
    source, destination = Path(source), Path(destination)
    if _same_file(source, destination) or source.resolve() == destination.resolve():
        raise WorkspaceError("Choose another file for the backup than the workspace itself.")
    if inspect_workspace(source).empty:
        raise WorkspaceError(f"There is no workspace at {source} to back up.")
    if destination.exists() and not force:
        raise WorkspaceError(f"{destination} already exists; choose another name or add --force.")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(os_error_sentence(exc, destination.parent, doing="create")) from None
    hold = WorkspaceHold(source)
    hold.share()  # a restore of the source waits until this copy is whole
    temp = temporary_beside(destination)
    try:
        _copy_database(source, temp)
        os.replace(temp, destination)
    except OSError as exc:
        raise UserError(os_error_sentence(exc, destination)) from None
    finally:
        hold.release()
        _remove_with_sidecars(temp)


def _safety_copy_name(target: Path) -> Path:
    """A name beside `target` that no earlier or concurrent restore has taken."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        candidate = target.with_name(f"{target.stem}.before-restore-{stamp}{suffix}{target.suffix}")
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        except OSError as exc:
            raise UserError(os_error_sentence(exc, candidate, doing="create")) from None
        candidate.unlink()  # reserved by name; the copy is written under a temporary name
        return candidate
    raise WorkspaceError(f"Too many safety copies beside {target}; move some of them away.")


def _check_schema(temp: Path, backup: Path) -> None:
    with closing(connect_readonly(temp)) as conn:
        foreign = foreign_schema_objects(conn)
    if foreign:
        raise WorkspaceError(
            f"{backup} holds {foreign[0]}; it was not restored, because a changed schema could "
            "alter your data behind your back."
        )


def restore_workspace(backup: Path, target: Path, *, force: bool = False) -> Path | None:
    """Replace (or create) the workspace at `target` with the checked contents of `backup`.

    When a workspace is replaced, a safety copy of it is kept beside it first; its path is
    returned so the user can be told where it is.
    """
    backup, target = Path(backup), Path(target)
    if not backup.exists():
        raise WorkspaceError(f"There is no backup file at {backup}.")
    if _same_file(backup, target):
        raise WorkspaceError("That file is the workspace itself; choose a backup file.")
    facts = inspect_workspace(backup, full_check=True)
    if facts.empty:
        raise WorkspaceError(f"{backup} is empty; it is not a Crisis Desk backup.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(os_error_sentence(exc, target.parent, doing="create")) from None
    with exclusive_hold(target, doing="restore a backup into"):
        replacing = not inspect_workspace(target).empty
        if replacing and not force:
            raise WorkspaceError(
                f"{target} already holds a workspace; restore to a new path or add --force "
                "to replace it."
            )
        temp = temporary_beside(target)
        safety_copy = None
        try:
            _copy_database(backup, temp)
            open_store(temp, hold=False).close()  # brings an older backup up to our schema
            _check_schema(temp, backup)
            if replacing:
                safety_copy = _safety_copy_name(target)
                safety_temp = temporary_beside(safety_copy)
                try:
                    _copy_database(target, safety_temp)
                    os.replace(safety_temp, safety_copy)
                finally:
                    _remove_with_sidecars(safety_temp)
                # Empty the target's write-ahead log so no stale page is replayed over the new
                # file; nobody else has it open (we hold it exclusively).
                with closing(sqlite3.connect(target)) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            os.replace(temp, target)
            for sidecar in _sidecars(target):
                sidecar.unlink(missing_ok=True)
        except OSError as exc:
            raise UserError(os_error_sentence(exc, target)) from None
        except sqlite3.Error as exc:
            raise WorkspaceError(sqlite_error_sentence(exc, target)) from None
        finally:
            _remove_with_sidecars(temp)
    return safety_copy

"""The sandbox: a private copy of the workspace a drill plays in, so nothing of the drill reaches
the real one.

The copy is made with SQLite's online backup API (one consistent snapshot even while the window
writes) over a connection that only reads, into a folder of its own under the user data folder,
created readable by the owner only. It is an ordinary connection, not a read-only one: a
read-only connection cannot remove the write-ahead log files it creates, and would leave an
empty `-wal` and `-shm` beside the workspace. The plan,
contacts and sources come as they are; pulls are switched off in the copy, and the copy says in
its settings that it is a drill's. Closing the sandbox removes the folder. A sandbox left behind
by a crash is removed by the next drill once nobody holds it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import time
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path

from app.db import WorkspaceHold, connect
from app.drills.model import SANDBOX_FOLDER, SANDBOX_SETTING, DrillError
from app.errors import UserError, os_error_sentence, sqlite_error_sentence
from app.paths import data_dir
from app.store import Store, create_private_file, inspect_workspace, open_store
from app.timeutil import Clock, to_iso

LEFT_BEHIND_AFTER_S = 3600  # a sandbox this old that nobody holds is a crash's leftover


def sandbox_root() -> Path:
    return data_dir() / SANDBOX_FOLDER


def copy_workspace(source: Path, target: Path) -> None:
    """One consistent snapshot of `source` into the new file `target` (SQLite's backup API)."""
    create_private_file(target)
    hold = WorkspaceHold(source)
    hold.share()  # a restore of the real workspace waits until the copy is whole
    try:
        with (
            closing(connect(source)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise UserError(sqlite_error_sentence(exc, source)) from None
    except OSError as exc:
        raise UserError(os_error_sentence(exc, target)) from None
    finally:
        hold.release()


class Sandbox:
    """A drill's copy of a workspace, open with the drill's clock until `close()` removes it."""

    def __init__(self, folder: Path, store: Store, source: Path):
        self.folder = folder
        self.store = store
        self.source = source

    @property
    def path(self) -> Path:
        return self.store.path

    @classmethod
    def create(
        cls,
        workspace: str | os.PathLike,
        clock: Clock,
        *,
        title: str = "",
        root: Path | None = None,
    ) -> Sandbox:
        source = Path(workspace)
        if inspect_workspace(source).empty:
            raise DrillError(
                f"There is no workspace at {source}; run 'crisisdesk demo' or open the app."
            )
        root = root or sandbox_root()
        remove_left_behind(root)
        folder = root / f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
        try:
            folder.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise UserError(os_error_sentence(exc, folder, doing="create")) from None
        try:
            copy = folder / "sandbox.db"
            copy_workspace(source, copy)
            store = open_store(copy, clock=clock)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        try:
            store.sources.set_paused(True)  # a drill never pulls
            store.settings.set(
                SANDBOX_SETTING,
                json.dumps({"title": title, "workspace": str(source), "at": to_iso(clock())}),
            )
        except BaseException:
            store.close()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cls(folder, store, source)

    def close(self) -> bool:
        """Close the copy and remove its folder; False when another process (a window opened
        on the copy) still holds it: it is left for the next drill to sweep away."""
        self.store.close()
        hold = WorkspaceHold(self.store.path)
        if not hold.take_exclusively():
            return False
        try:
            shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            hold.release()
        return True

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def is_sandbox(store: Store) -> bool:
    """Whether `store` is a drill's copy (the window shows the drill band on it)."""
    return store.settings.get(SANDBOX_SETTING) is not None


def real_workspace(store: Store) -> Path:
    """The workspace a store stands for: the real one a drill's copy was made from, or the
    store's own file (where its list of drills lives)."""
    marked = store.settings.get(SANDBOX_SETTING)
    if marked:
        try:
            workspace = json.loads(marked).get("workspace")
        except (ValueError, AttributeError):
            workspace = None
        if workspace:
            return Path(workspace)
    return store.path


def remove_left_behind(root: Path) -> int:
    """Remove sandboxes a crash left behind: old, and held by nobody. Returns how many."""
    removed = 0
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        copy = folder / "sandbox.db"
        try:
            if not folder.is_dir() or time.time() - folder.stat().st_mtime < LEFT_BEHIND_AFTER_S:
                continue
        except OSError:
            continue
        hold = WorkspaceHold(copy)
        with suppress(UserError):
            if hold.take_exclusively():
                try:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
                finally:
                    hold.release()
    return removed

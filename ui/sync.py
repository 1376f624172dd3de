"""Sync rounds while the app runs: every few minutes when the workspace is shared, and on demand.

A round runs as its own process (`crisisdesk sync --json`): it opens the workspace with APSW's
own SQLite, which must never share a process with the window's connections on the same file.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from app.store import Store

SYNC_EVERY_MS = 5 * 60_000


def sync_command(workspace: str) -> tuple[str, list[str]]:
    """How to run `crisisdesk sync` from here: the frozen program itself, or this Python."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--db", workspace, "sync", "--json"]
    return sys.executable, ["-m", "app", "--db", workspace, "sync", "--json"]


class SyncScheduler(QObject):
    """Runs sync rounds; `synced(dict)` after each, `failed(str)` with the round's sentence."""

    synced = Signal(dict)
    failed = Signal(str)

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.process: QProcess | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_EVERY_MS)
        self.timer.timeout.connect(self.sync_now)
        # The first round soon after opening; a child timer, so stop() cancels it too.
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.setInterval(3000)
        self.first.timeout.connect(self.sync_now)

    def set_store(self, store: Store) -> None:
        self.store = store

    def start(self) -> None:
        self.timer.start()
        self.first.start()

    def stop(self) -> None:
        self.timer.stop()
        self.first.stop()

    @property
    def running(self) -> bool:
        return self.process is not None

    def sync_now(self) -> bool:
        if self.process is not None:
            return False
        program, arguments = sync_command(str(self.store.path))
        process = QProcess(self)
        process.finished.connect(lambda code, _status: self._done(process, code))
        process.errorOccurred.connect(lambda error: self._not_started(process, error))
        self.process = process
        process.start(program, arguments)
        return True

    def wait(self, milliseconds: int = 30_000) -> None:
        """For closing the window: let a running round finish (it is one transaction a file)."""
        if self.process is not None:
            self.process.waitForFinished(milliseconds)

    def _not_started(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart or self.process is not process:
            return  # a crash ends with `finished` too, and is reported there
        self.process = None
        process.deleteLater()
        self.failed.emit("Crisis Desk could not start its sync; try again, or restart it.")

    def _done(self, process: QProcess, code: int) -> None:
        self.process = None
        out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        process.deleteLater()
        if code == 0:
            try:
                self.synced.emit(json.loads(out))
                return
            except ValueError:
                pass
        sentence = err.strip().removeprefix("crisisdesk: ") or "The sync did not finish."
        self.failed.emit(sentence.splitlines()[0])

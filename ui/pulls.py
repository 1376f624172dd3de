"""Pulls while the app runs: every source on its own interval, each in a worker with its own
connection, never two pulls of one source at once, nothing while pulls are paused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.secrets import SecretStore
from app.sources.pulling import PullOutcome, pull_source, score_new
from app.store import Store, open_store
from ui import workers

CHECK_EVERY_MS = 30_000


def _pull_in_own_connection(path: Path, name: str, secrets: SecretStore, clock) -> PullOutcome:
    with open_store(path, clock=clock) as store:
        outcome = pull_source(store, name, secrets)
        score_new(store, [outcome])
        return outcome


class PullScheduler(QObject):
    finished = Signal(object)  # PullOutcome

    def __init__(self, store: Store, secrets: SecretStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.secrets = secrets
        self.running: dict[str, workers.Worker] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.pull_due)

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(2000, self.pull_due)

    def stop(self) -> None:
        self.timer.stop()

    def set_store(self, store: Store) -> None:
        self.store = store

    def pull_due(self) -> None:
        if self.store.sources.paused():
            return
        for source in self.store.sources.due(self.store.clock()):
            self.pull(source.name)

    def pull(self, name: str) -> bool:
        if name in self.running:
            return False
        worker = workers.Worker(
            _pull_in_own_connection, self.store.path, name, self.secrets, self.store.clock
        )
        worker.signals.finished.connect(lambda outcome, n=name: self._done(n, outcome))
        worker.signals.failed.connect(
            lambda message, n=name: self._done(n, PullOutcome(n, error=message))
        )
        self.running[name] = worker
        workers.start(worker)
        return True

    def _done(self, name: str, outcome: PullOutcome) -> None:
        self.running.pop(name, None)
        self.finished.emit(outcome)

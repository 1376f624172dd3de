"""Pulls while the app runs: every source on its own interval, each an op with its own store,
never two pulls of one source at once, nothing while pulls are paused."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.secrets import SecretStore
from app.sources.pulling import PullOutcome, pull_source, score_new
from app.store import Store
from ui.ops import Op, StoreOp

CHECK_EVERY_MS = 30_000


class PullScheduler(QObject):
    finished = Signal(object)  # PullOutcome

    def __init__(self, store: Store, secrets: SecretStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.secrets = secrets
        self.running: dict[str, Op] = {}
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
        if not self.timer.isActive() or self.store.sources.paused():
            return
        for source in self.store.sources.due(self.store.clock()):
            self.pull(source.name)

    def pull(self, name: str) -> bool:
        if name in self.running:
            return False
        secrets = self.secrets

        def pull_and_score(store: Store, _job) -> PullOutcome:
            outcome = pull_source(store, name, secrets)
            score_new(store, [outcome])
            return outcome

        self.running[name] = (
            StoreOp(
                self,
                self.store.path,
                pull_and_score,
                title=f"Pull {name}",
                clock=self.store.clock,
                changes=lambda outcome: {"mentions"} if outcome.new else (),
            )
            .on_finished(lambda: self.running.pop(name, None))
            .success(self.finished.emit)
            .on_failure(lambda sentence: self.finished.emit(PullOutcome(name, error=sentence)))
            .run_in_background()
        )
        return True

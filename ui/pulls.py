"""Pulls while the app runs: every source on its own interval, each an op with its own store,
never two pulls of one source at once, nothing while pulls are paused; and the spike alarm's
live re-check after every pull and every minute (windows slide and spikes end with no pull)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.secrets import SecretStore
from app.sources.pulling import PullOutcome, pull_source, score_new
from app.store import Store
from ui.ops import Op, StoreOp

CHECK_EVERY_MS = 30_000
RECHECK_EVERY_MS = 60_000


class PullScheduler(QObject):
    finished = Signal(object)  # PullOutcome
    alerts = Signal(object)  # list[Alert] not yet shown on the desktop (this or another process)

    def __init__(self, store: Store, secrets: SecretStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.secrets = secrets
        self.running: dict[str, Op] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.pull_due)
        self.checking: Op | None = None
        self._check_again = False
        self.detection_timer = QTimer(self)
        self.detection_timer.setInterval(RECHECK_EVERY_MS)
        self.detection_timer.timeout.connect(self.recheck)

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(2000, self.pull_due)

    def stop(self) -> None:
        self.timer.stop()

    def set_store(self, store: Store) -> None:
        self.store = store
        self.detection_timer.start()

    def recheck(self) -> None:
        """The live alarm, watch and reach alerts, in the background; what it raised (and what
        a cron pull raised meanwhile) comes out of `alerts`."""
        if self.checking is not None:
            self._check_again = True
            return
        self._check_again = False

        def look(store: Store, _job):
            store.detection.recheck()
            return store.detection.unnotified()

        self.checking = (
            StoreOp(self, self.store.path, look, title="Spike alarm", clock=self.store.clock)
            .quietly()
            .on_finished(self._recheck_finished)
            .success(self._raised)
            .run_in_background()
        )

    def _recheck_finished(self) -> None:
        self.checking = None
        if self._check_again:
            self.recheck()

    def _raised(self, alerts) -> None:
        if alerts:
            self.alerts.emit(alerts)

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
            if outcome.new:
                store.detection.recheck()  # after every pull: windows, watch queries, reach
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
            .on_finished(lambda: (self.running.pop(name, None), self.recheck()))
            .success(self.finished.emit)
            .on_failure(lambda sentence: self.finished.emit(PullOutcome(name, error=sentence)))
            .run_in_background()
        )
        return True

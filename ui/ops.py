"""Background work: the one way a long job runs off the GUI thread, in the manner of Anki's
CollectionOp/QueryOp.

    StoreOp(page, store.path, add_all, clock=store.clock, title="Import contacts",
            changes={"contacts"})
        .with_progress("Adding contacts", unit="contacts")
        .success(lambda count: show_status(page, f"Imported {number(count)} contacts."))
        .run_in_background()

- The function runs in a QRunnable on the global thread pool. A `StoreOp` opens its own store
  there (a SQLite connection belongs to the thread that made it) and closes it after: the
  function gets `(store, job)` and never the window's store or a widget. An `Op` is for work on
  files or the network and gets `(job)`; a `QueryOp` is a `StoreOp` that only reads.
- `job.progress(done, total)` reports progress; the op shows it in its own progress dialog with
  numbers ("12,400 of 50,000 mentions") and Cancel (`with_progress`), or hands it to
  `on_progress` (a status bar, a dialog's own bar). Cancel sets a flag that `job.cancelled()`
  reads and `job.check()` turns into `Cancelled`.
- On the GUI thread, `on_finished` callbacks run first whatever happened; then `Cancelled` is
  ignored (or `on_cancelled` says so); a `UserError`'s sentence is shown in a message box (or
  given to `on_failure`, or put in the status bar with `quietly()`); anything else is logged by
  `app.logs.log_unexpected` (its type and place, never its message) and shown as
  `describe_failure`'s sentence. On success the window is told which domains changed
  (`changes`: "mentions", "contacts", ...) so pages refresh themselves, then `success` runs.
- Only the progress dialog's Cancel button cancels. Closing its window (or Escape) only hides
  it: the work goes on and its outcome is reported as above, so an export the owner still
  waits for never ends in silence. A cancelled op the owner started says so in the status bar.
- When the object that started an op is gone (a page rebuilt, a dialog closed), its callbacks
  are skipped; a failure of work the owner asked for is still said, in the main window.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QWidget,
)
from shiboken6 import isValid

from app.errors import Cancelled, UserError, describe_failure
from app.logs import log_unexpected
from app.store import Store, open_store
from app.timeutil import Clock, utc_now
from ui.format import number
from ui.widgets import plain, show_status

PROGRESS_EVERY_S = 0.05  # at most ~20 progress updates a second reach the GUI thread
_running: set[Op] = set()


@runtime_checkable
class Announcer(Protocol):
    """The window: told which domains an op changed, it lets its pages refresh themselves."""

    def announce(self, domains: set[str]) -> None: ...


class Job:
    """What the function gets in the worker: a way to report progress and the Cancel flag."""

    def __init__(self, signals: _Signals, stop: threading.Event):
        self._signals = signals
        self._stop = stop
        self._last = 0.0

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < PROGRESS_EVERY_S:
            return
        self._last = now
        self._signals.progress.emit(done, total)

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        """Raise `Cancelled` when the owner pressed Cancel."""
        if self._stop.is_set():
            raise Cancelled()


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(str, object)  # "succeeded" | "failed" | "cancelled", the result or sentence


class _Task(QRunnable):
    def __init__(self, op: Op):
        super().__init__()  # the pool deletes it once run() has returned (autoDelete)
        self.call = op._call
        self.signals = op._signals
        self.job = Job(op._signals, op._stop)
        self.where = f"ui.ops: {getattr(op.fn, '__qualname__', 'op')}"
        self.workspace = op.workspace

    def run(self) -> None:
        try:
            result = self.call(self.job)
        except Cancelled:
            self.signals.done.emit("cancelled", None)
        except UserError as exc:
            self.signals.done.emit("failed", str(exc))
        except Exception as exc:
            log_unexpected(exc, self.where)
            self.signals.done.emit("failed", describe_failure(exc, self.workspace))
        else:
            self.signals.done.emit("succeeded", result)


Changes = Iterable[str] | Callable[[Any], Iterable[str]]


class Op(QObject):
    """`fn(job)` off the GUI thread; see the module docstring."""

    def __init__(
        self,
        host: QObject,
        fn: Callable[..., Any],
        *,
        title: str,
        changes: Changes = (),
    ):
        super().__init__()  # no Qt parent: the op lives until its outcome is delivered
        self.host = host
        self.fn = fn
        self.title = title
        self.workspace: Path | None = None
        self.changes = changes
        self.running = False
        self.outcome = ""
        self._stop = threading.Event()
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._task: _Task | None = None
        self._label: str | None = None
        self._unit = ""
        self._cancellable = True
        self._delay_ms = 400
        self._dialog: _ProgressDialog | None = None
        self._progress: Callable[[int, int], None] | None = None
        self._finished: list[Callable[[], None]] = []
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[str], None] | None = None
        self._cancelled: Callable[[], None] | None = None
        self._quiet = False
        self._loop: QEventLoop | None = None

    # --- what happens ------------------------------------------------------------------

    def with_progress(
        self, label: str, unit: str = "", cancellable: bool = True, delay_ms: int = 400
    ) -> Op:
        """Show a progress dialog ("Adding contacts: 120 of 400 contacts") after `delay_ms`."""
        self._label, self._unit = label, unit
        self._cancellable, self._delay_ms = cancellable, delay_ms
        return self

    def on_progress(self, callback: Callable[[int, int], None]) -> Op:
        """Give progress to `callback(done, total)` on the GUI thread instead of a dialog."""
        self._progress = callback
        return self

    def on_finished(self, callback: Callable[[], None]) -> Op:
        """Run first, whatever the outcome (forget the op, take back what it held)."""
        self._finished.append(callback)
        return self

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[str], None]) -> Op:
        """Show the one-sentence failure here instead of in a message box."""
        self._failure = callback
        return self

    def on_cancelled(self, callback: Callable[[], None]) -> Op:
        self._cancelled = callback
        return self

    def quietly(self) -> Op:
        """Work the owner did not ask for (a chart, the mood): a failure goes to the status bar."""
        self._quiet = True
        return self

    # --- running -----------------------------------------------------------------------

    def run_in_background(self) -> Op:
        if self._label is not None:
            self._dialog = self._make_dialog()
        self._task = _Task(self)
        self.running = True
        _running.add(self)
        start(self)
        return self

    def cancel(self) -> None:
        self._stop.set()

    def wait(self) -> None:
        """Return when the op has finished and its callbacks have run. The window keeps
        painting meanwhile (a local event loop); for work the window cannot go on without."""
        if not self.running:
            return
        self._loop = QEventLoop()
        self._loop.exec()
        self._loop = None

    def _call(self, job: Job) -> Any:  # in the worker
        return self.fn(job)

    # --- on the GUI thread -------------------------------------------------------------

    def _make_dialog(self) -> _ProgressDialog:
        dialog = _ProgressDialog(
            plain(self._label or ""),
            "Cancel" if self._cancellable else None,
            0,
            0,
            _widget_of(self.host),
        )
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(self._delay_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        return dialog

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if not self.running or not isValid(self.host):
            return
        if self._progress is not None:
            self._progress(done, total)
        dialog = self._dialog
        if dialog is not None and isValid(dialog):
            unit = f" {self._unit}" if self._unit else ""
            dialog.setLabelText(plain(f"{self._label}: {number(done)} of {number(total)}{unit}"))
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))

    @Slot(str, object)
    def _on_done(self, outcome: str, value: Any) -> None:
        if not self.running:
            return
        try:
            self._deliver(outcome, value)
        finally:
            if self._loop is not None:
                self._loop.quit()

    def _deliver(self, outcome: str, value: Any) -> None:
        self.running = False
        self.outcome = outcome
        self._task = None
        _running.discard(self)
        self._close_dialog()
        if not isValid(self.host):
            if outcome == "failed" and not self._quiet:
                QMessageBox.warning(_main_window(), self.title, plain(value))
            return
        for callback in self._finished:
            callback()
        if outcome == "succeeded":
            changes = self.changes(value) if callable(self.changes) else self.changes
            if changes:
                _announce(self.host, set(changes))
            if self._success is not None:
                self._success(value)
        elif outcome == "failed":
            self._show_failure(value)
        elif self._cancelled is not None:
            self._cancelled()
        elif self._label is not None:  # work the owner started and stopped: say it stopped
            show_status(self.host, f"{self.title}: cancelled.", 8000)

    def _close_dialog(self) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is not None and isValid(dialog):
            dialog.canceled.disconnect(self.cancel)  # our own close is not the owner's Cancel
            dialog.finish()
            dialog.deleteLater()

    def _show_failure(self, sentence: str) -> None:
        if self._failure is not None:
            self._failure(sentence)
        elif self._quiet:
            show_status(self.host, sentence, 15000)
        else:
            QMessageBox.warning(_widget_of(self.host), self.title, plain(sentence))


class _ProgressDialog(QProgressDialog):
    """Its Cancel button cancels; closing its window or Escape only hides it. Once its job is
    done it never shows again: Qt's own timer would otherwise show it, at 100% and modal, over
    the dialog the job's result opened (its deletion waits for that dialog to close)."""

    done = False

    def finish(self) -> None:
        self.done = True
        self.reset()  # stops Qt's timer that shows a slow job's progress
        self.hide()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt override)
        if visible and self.done:
            return
        super().setVisible(visible)

    def closeEvent(self, event):  # noqa: N802 (Qt override)
        event.ignore()
        self.hide()

    def reject(self) -> None:
        self.hide()


def _main_window() -> QWidget | None:
    """Where a failure is said when whatever started the op is gone."""
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()),
        QApplication.activeWindow(),
    )


class StoreOp(Op):
    """`fn(store, job)` on a store of its own, opened in the worker and closed after."""

    def __init__(
        self,
        host: QObject,
        workspace: Path,
        fn: Callable[[Store, Job], Any],
        *,
        title: str,
        clock: Clock = utc_now,
        changes: Changes = (),
    ):
        super().__init__(host, fn, title=title, changes=changes)
        self.workspace = Path(workspace)
        self.clock = clock

    def _call(self, job: Job) -> Any:  # in the worker
        with open_store(self.workspace, clock=self.clock, create=False) as store:
            return self.fn(store, job)


class QueryOp(StoreOp):
    """A `StoreOp` that only reads (a chart, an overview): it changes nothing."""

    def __init__(
        self,
        host: QObject,
        workspace: Path,
        fn: Callable[[Store, Job], Any],
        *,
        title: str,
        clock: Clock = utc_now,
    ):
        super().__init__(host, workspace, fn, title=title, clock=clock)


def start(op: Op) -> None:
    """Hand `op` to the thread pool (the one place, so a test can step in)."""
    QThreadPool.globalInstance().start(op._task)


def running(within: QObject | None = None) -> list[Op]:
    """The ops not finished yet; `within` a window: those it (or a page of it) started."""
    return [op for op in _running if within is None or _belongs(op.host, within)]


def cancel_all(within: QObject | None = None) -> None:
    for op in running(within):
        op.cancel()


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Deliver every op's outcome (an op's success may start the next one); False on timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    pool = QThreadPool.globalInstance()
    while _running and time.monotonic() < deadline:
        pool.waitForDone(50)
        QCoreApplication.processEvents()
    return not _running


def _widget_of(obj: QObject | None) -> QWidget | None:
    while obj is not None and not isinstance(obj, QWidget):
        obj = obj.parent()
    return obj


def _belongs(obj: QObject | None, ancestor: QObject) -> bool:
    while obj is not None and isValid(obj):
        if obj is ancestor:
            return True
        obj = obj.parent()
    return False


def _announce(obj: QObject | None, domains: set[str]) -> None:
    while obj is not None:
        if isinstance(obj, Announcer):
            obj.announce(domains)
            return
        obj = obj.parent()

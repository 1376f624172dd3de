"""Background work: run an `app` function off the GUI thread, with progress and cancel.

The function receives `progress(done, total)` and `cancelled()` keyword arguments when it
accepts them. A worker never touches a widget; it only emits signals.
"""

from __future__ import annotations

import inspect
import sqlite3
import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import describe_failure


class WorkerSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class Worker(QRunnable):
    def __init__(self, fn: Callable, *args, **kwargs):
        super().__init__()
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        params = inspect.signature(fn).parameters
        if "progress" in params:
            self.kwargs["progress"] = lambda done, total: self.signals.progress.emit(done, total)
        if "cancelled" in params:
            self.kwargs["cancelled"] = self._cancel.is_set

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # reported to the user by the page that started the work
            if isinstance(exc, OSError | sqlite3.Error):  # "[Errno 28] ..." is not a sentence
                message = describe_failure(exc)
            else:
                message = str(exc) or exc.__class__.__name__
            traceback.print_exc()
            self.signals.failed.emit(message)
        else:
            self.signals.finished.emit(result)


def start(worker: Worker) -> Worker:
    QThreadPool.globalInstance().start(worker)
    return worker

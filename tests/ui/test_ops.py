"""The one way background work runs (ui/ops.py): its own store in the worker, progress with
Cancel, Cancel quiet, a failure always said in one sentence, what changed announced."""

import sqlite3
import threading
import time

import pytest
from PySide6.QtCore import QMetaObject
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton
from shiboken6 import isValid

from app.errors import Cancelled, UserError
from app.onboarding import start_empty
from ui import ops
from ui.ops import Op, StoreOp


@pytest.fixture
def window(make_window, monkeypatch):
    win = make_window(prepare=start_empty)
    win.warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: win.warnings.append(a[1:3]))
    return win


def test_a_store_op_works_on_a_store_of_its_own_and_announces_what_changed(qtbot, window):
    seen, results, announced = {}, [], []
    window.changed.connect(announced.append)

    def write(store, job):
        seen["store"], seen["thread"] = store, threading.current_thread()
        job.progress(1, 1)
        store.settings.set("written_by", "an op")
        return 7

    StoreOp(
        window, window.store.path, write, title="Write", clock=window.clock, changes={"contacts"}
    ).success(results.append).run_in_background()
    qtbot.waitUntil(lambda: results == [7], timeout=10000)
    assert announced == [{"contacts"}]
    assert seen["store"] is not window.store
    assert seen["thread"] is not threading.main_thread()
    assert window.store.settings.get("written_by") == "an op"
    with pytest.raises(sqlite3.ProgrammingError):  # closed once the work was done
        seen["store"].settings.get("written_by")


def test_cancel_is_quiet_and_an_unexpected_failure_is_logged_by_type_and_said_in_a_sentence(
    qtbot, window, monkeypatch
):
    logged, quiet = [], []
    monkeypatch.setattr(ops, "log_unexpected", lambda exc, where="": logged.append((exc, where)))

    def stopped(job):
        raise Cancelled()

    def broken(job):
        raise KeyError("token-8f3a")

    first = Op(window, stopped, title="Stop").on_cancelled(lambda: quiet.append(True))
    second = Op(window, broken, title="Broken")
    first.run_in_background()
    second.run_in_background()
    qtbot.waitUntil(lambda: not first.running and not second.running, timeout=10000)
    assert quiet == [True] and first.outcome == "cancelled"
    assert [type(exc) for exc, _ in logged] == [KeyError]
    assert logged[0][1].endswith("broken")
    ((title, sentence),) = window.warnings
    assert title == "Broken" and "KeyError" in sentence and "token-8f3a" not in sentence


def test_closing_the_progress_window_does_not_cancel_and_the_outcome_is_still_said(qtbot, window):
    closed = threading.Event()

    def write(job):
        job.progress(3, 10)
        closed.wait(10)
        time.sleep(0.05)
        if job.cancelled():
            raise Cancelled()
        raise UserError("The disk is full: nothing was written.")

    op = Op(window, write, title="Export").with_progress("Writing", unit="pages", delay_ms=0)
    op.run_in_background()
    (dialog,) = window.findChildren(QProgressDialog)
    qtbot.waitUntil(lambda: "3 of 10 pages" in dialog.labelText(), timeout=10000)
    dialog.close()  # the owner closes the progress window: the work goes on, not a cancel
    closed.set()
    qtbot.waitUntil(lambda: not op.running, timeout=10000)
    assert op.outcome == "failed"
    assert window.warnings == [("Export", "The disk is full: nothing was written.")]


def test_cancel_button_stops_and_says_so(qtbot, window):
    def write(job):
        job.progress(1, 10)
        while not job.cancelled():
            time.sleep(0.01)
        job.check()

    op = Op(window, write, title="Export debrief").with_progress("Writing", delay_ms=0)
    op.run_in_background()
    (dialog,) = window.findChildren(QProgressDialog)
    qtbot.waitUntil(lambda: "1 of 10" in dialog.labelText(), timeout=10000)
    (cancel,) = dialog.findChildren(QPushButton)
    cancel.click()
    qtbot.waitUntil(lambda: not op.running, timeout=10000)
    assert op.outcome == "cancelled"
    assert "Export debrief: cancelled." in window.statusBar().currentMessage()


def test_a_failure_of_work_whose_dialog_is_gone_is_said_in_the_window(qtbot, window):
    from PySide6.QtWidgets import QDialog

    host = QDialog(window)
    release = threading.Event()

    def write(job):
        release.wait(10)
        raise UserError("The disk is full: nothing was written.")

    op = Op(host, write, title="Export debrief").with_progress("Writing", delay_ms=0)
    op.run_in_background()
    host.deleteLater()
    qtbot.waitUntil(lambda: not isValid(host), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: not op.running, timeout=10000)
    assert window.warnings == [("Export debrief", "The disk is full: nothing was written.")]


def test_an_op_whose_page_is_gone_calls_nobody(qtbot, window):
    called = []
    page = window.pages["contacts"]
    release = threading.Event()
    op = Op(page, lambda job: release.wait(10), title="Slow").success(called.append)
    op.run_in_background()
    window.load_store(window.store)  # every page is rebuilt, the old ones deleted
    qtbot.wait(50)
    release.set()
    qtbot.waitUntil(lambda: not ops.running(), timeout=10000)
    assert called == [] and window.warnings == []


def test_a_quick_job_s_progress_window_never_appears_after_it_is_done(qtbot, window):
    """A job done before its progress window showed: that window must not pop up later (at
    100%, window-modal, over the review dialog the job's result opened) when Qt's own timer
    for it fires (QProgressDialog starts one for 4 s when it is made)."""
    shown_later = []

    def look_a_while(_value):
        # What a review dialog's exec() does: a loop of its own, while the progress window
        # (closed, its deletion deferred) still exists; its timer is fired here at once.
        for dialog in window.findChildren(QProgressDialog):
            QMetaObject.invokeMethod(dialog, "forceShow")
        qtbot.wait(50)
        shown_later.extend(
            d for d in window.findChildren(QProgressDialog) if isValid(d) and d.isVisible()
        )

    op = Op(window, lambda job: job.progress(5, 5), title="Read").with_progress(
        "Reading contacts", "contacts"
    )
    op.success(look_a_while).run_in_background()
    op.wait()
    assert shown_later == []

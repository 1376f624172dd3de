"""Importing real exports through the window: a date column found by its values, a file with no
date column that needs a choice, and the import history that undoes a wrong import after
asking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.business.model import BusinessProfile
from app.onboarding import start_empty
from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def prepare(store) -> None:
    store.business.save(BusinessProfile(name="Hearth & Crumb"))
    start_empty(store)


@pytest.fixture
def inbox(qtbot, make_window):
    window = make_window(prepare=prepare)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    return window.pages["inbox"]


def run_import(qtbot, dialog) -> None:
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result_summary is not None or bool(dialog.error), timeout=20000)


def test_an_unknown_date_column_is_proposed_by_its_values(qtbot, inbox):
    inbox.import_file(EXPORTS / "538_ahca_polls.csv")
    dialog = inbox.import_dialog
    assert dialog.combos["posted_at"].currentText() == "Start"
    assert "Found by what the columns hold: Posted at from “Start”" in dialog.hint.text()
    assert not dialog.no_date.isVisible()
    run_import(qtbot, dialog)
    assert dialog.result_summary.imported == 15
    assert "month first" in dialog.report.toPlainText()
    dialog.accept()
    qtbot.waitUntil(lambda: inbox.sentiment_worker is None, timeout=10000)
    dates = {m.posted_at.year for m in inbox.store.mentions.search("", 50)}
    assert dates == {2017}


def test_no_date_column_needs_a_choice(qtbot, inbox):
    inbox.import_file(EXPORTS / "538_twitter-ratio_BarackObama.csv")
    dialog = inbox.import_dialog
    dialog.combos["posted_at"].setCurrentIndex(0)  # "(not in this file)"
    assert dialog.no_date.isVisible()
    assert "every mention would be dated now" in dialog.no_date.text()
    dialog.import_button.click()
    assert "No date column" in dialog.status.text() and dialog.result_summary is None
    assert inbox.store.mentions.total() == 0
    dialog.undated.setChecked(True)
    run_import(qtbot, dialog)
    assert dialog.result_summary.imported == 3207
    assert "dated with the time of this import" in dialog.report.toPlainText()
    dialog.accept()
    qtbot.waitUntil(lambda: inbox.sentiment_worker is None, timeout=20000)


def test_the_import_history_undoes_a_wrong_import_after_asking(qtbot, inbox, monkeypatch):
    inbox.import_file(EXPORTS / "twarc_flat.jsonl")
    dialog = inbox.import_dialog
    run_import(qtbot, dialog)
    dialog.accept()
    qtbot.waitUntil(lambda: inbox.sentiment_worker is None, timeout=10000)
    kept = dialog.result_summary.added_ids[0]
    inbox.store.mentions.set_status([kept], "escalated")
    history = inbox.open_import_history()
    assert history.table.rowCount() == 1 and history.table.item(0, 3).text() == "twarc_flat.jsonl"
    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    history.undo_button.click()
    assert "leave the Inbox" in asked[0] and "1 mention you have already worked on" in asked[0]
    qtbot.waitUntil(lambda: history.last_undo is not None, timeout=10000)
    assert "removed 99 mentions; kept 1 mention" in history.status.text()
    assert inbox.store.mentions.total() == 1
    assert "99 removed" in history.table.item(0, 7).text()
    assert not history.undo_button.isEnabled()
    history.reject()

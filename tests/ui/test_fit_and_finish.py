"""Fit and finish, driven as the owner would: the business time zone, the tasks row, the
inbox's reading pane and counts, people's phones, the Dashboard's honesty, the plan's
durations and diffs, contacts from a phone, Ctrl+K, the shortcuts sheet, the status bar."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401
from ui.dialogs.business import BusinessProfileDialog


def test_the_business_profile_has_a_time_zone(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))

    def fill(dialog: BusinessProfileDialog):
        assert dialog.timezone.accessibleName() == "Time zone"
        dialog.timezone.setCurrentText("Mars/Olympus")
        dialog.accept()  # refused: not a zone
        assert said and "Mars/Olympus" in said[0] and not dialog.result()
        dialog.timezone.setCurrentText("Europe/London")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BusinessProfileDialog, "exec", fill)
    window.edit_business()
    assert window.store.business.get().timezone == "Europe/London"

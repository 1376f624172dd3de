"""The incident room's short dialogs: change the level (with a reason) and record an update
published elsewhere."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit

from app.levels import level_label
from ui.dialogs.base import dialog_layout, save_cancel_buttons


def _form_dialog(dialog: QDialog, title: str, rows, ok_text: str) -> None:
    """A short form (caption, widget) with Save/Cancel; Ctrl+Enter saves."""
    layout = dialog_layout(dialog, title, 420)
    form = QFormLayout()
    for caption, widget in rows:
        form.addRow(caption, widget)
    layout.addLayout(form)
    layout.addWidget(save_cancel_buttons(dialog, ok_text))


class ChangeLevelDialog(QDialog):
    def __init__(self, current: int, parent=None):
        super().__init__(parent)
        self.level = QComboBox()
        for number in range(1, 5):
            self.level.addItem(level_label(number), number)
        self.level.setCurrentIndex(current - 1)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("What changed? e.g. a journalist called")
        _form_dialog(
            self, "Change level", [("New level", self.level), ("Why", self.reason)], "Change level"
        )


class RecordUpdateDialog(QDialog):
    """Record an update you published elsewhere: it goes on the timeline and restarts the clock."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Update 2: kitchen inspected")
        self.channel = QComboBox()
        self.channel.setEditable(True)
        self.channel.addItems(["website", "Instagram", "Facebook", "X", "email", "phone message"])
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… (optional)")
        _form_dialog(
            self,
            "Record a published update",
            [("Update", self.title), ("Where", self.channel), ("Link", self.url)],
            "Record",
        )

"""The incident room's short dialogs: change the level (with a reason), record an update
published elsewhere, and resolve or close (with what is still open)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit

from app.levels import level_label
from ui.dialogs.base import KeepsTyping, dialog_layout, save_cancel_buttons
from ui.widgets import label


def _form_dialog(dialog: QDialog, title: str, rows, ok_text: str) -> None:
    """A short form (caption, widget) with Save/Cancel; Ctrl+Enter saves."""
    layout = dialog_layout(dialog, title, 420)
    form = QFormLayout()
    for caption, widget in rows:
        form.addRow(caption, widget)
    layout.addLayout(form)
    layout.addWidget(save_cancel_buttons(dialog, ok_text))
    if isinstance(dialog, KeepsTyping):
        dialog.remember_typing()


class ChangeLevelDialog(KeepsTyping, QDialog):
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


class RecordUpdateDialog(KeepsTyping, QDialog):
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


class EndIncidentDialog(KeepsTyping, QDialog):
    """Resolving or closing ends something: say what is still open, ask what ended it, and
    say that it can be taken back."""

    def __init__(self, title: str, ending: str, open_lines: list[str], parent=None):
        super().__init__(parent)
        verb = "Resolve" if ending == "resolved" else "Close"
        layout = dialog_layout(self, f"{verb} incident", 520)
        layout.addWidget(label(f"{verb} “{title}”?", "SectionTitle"))
        if open_lines:
            layout.addWidget(label("Still open:", wrap=False))
            for line in open_lines:
                bullet = label(f"•  {line}")
                bullet.setAccessibleName(line)
                layout.addWidget(bullet)
        else:
            layout.addWidget(label("Everyone is reached and every task is done.", "Muted"))
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setAccessibleName("What ended it")
        self.reason.setPlaceholderText(
            "e.g. The inspector cleared the kitchen"
            if ending == "resolved"
            else "e.g. Debrief held; lessons added to the plan"
        )
        form.addRow("What ended it" if ending == "resolved" else "Why close it now", self.reason)
        layout.addLayout(form)
        layout.addWidget(
            label(
                "The update countdown stops and the crisis bar goes. You can undo this right "
                "after, or reopen the incident later by choosing another status.",
                "Muted",
            )
        )
        buttons = save_cancel_buttons(self, f"{verb} incident")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        layout.addWidget(buttons)
        self.remember_typing()

    def accept(self) -> None:
        if self.reason.text().strip():
            super().accept()

"""Help: the keyboard shortcuts sheet and the About box."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app import __version__
from ui.widgets import label

# (keys, what they do); pages add their own rows as they land.
SHORTCUTS: list[tuple[str, str]] = [
    ("Ctrl+1 … Ctrl+7", "Go to Dashboard, Plan, Contacts, Inbox, Incidents, Statements, Debriefs"),
    ("Ctrl+K", "Quick search: find any page or command by typing"),
    ("Ctrl+N", "New item on the current page"),
    ("Ctrl+Enter", "Save or approve in an editor"),
    ("Ctrl+S", "Plan: save your changes as a new revision (Ctrl+Enter works too)"),
    ("Ctrl+N", "Plan: add a role, channel or playbook on the open tab; Contacts: add a person"),
    ("Enter / double-click", "Contacts: edit the selected person"),
    ("Ctrl+O", "Open another workspace"),
    ("Ctrl+Shift+S", "Sources: feeds and social accounts that fill your inbox"),
    ("Ctrl+Shift+B", "Back up this workspace"),
    ("j / k", "Inbox: next / previous mention"),
    ("e / r / d", "Inbox: escalate / needs a reply (and write it) / replied"),
    ("i / h / u", "Inbox: ignore with a reason / hide for a guideline / back to new"),
    ("1 … 4", "Inbox: severity Watch, Concern, Serious, Critical"),
    ("t", "Inbox: add a tag"),
    ("Enter", "Inbox: write the reply to the mention"),
    ("Shift/Ctrl + click, Shift+↑↓", "Inbox: select several mentions for bulk triage"),
    ("F1", "This list of shortcuts"),
    ("Ctrl+Q", "Quit"),
]


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            label("Everything in Crisis Desk can be reached from the keyboard.", "Muted")
        )
        table = QTableWidget(len(SHORTCUTS), 2)
        table.setHorizontalHeaderLabels(["Keys", "What it does"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        for row, (keys, what) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(what))
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_about(parent) -> None:
    QMessageBox.about(
        parent,
        "About Crisis Desk",
        f"<h3>Crisis Desk {__version__}</h3>"
        "<p>Gets a small business through a social-media crisis: plan ahead, see it coming, "
        "decide fast, say the right thing, and learn from it afterwards.</p>"
        "<p>Everything stays on this computer. Passwords and tokens live only in your "
        "system's keyring.</p>",
    )

"""Saving the plan: what changed, a one-line summary and who saves it (remembered for the
next save, and for the revisions other pages make, such as deleting a contact)."""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QTextBrowser

from app.store import Store
from ui.dialogs.base import dialog_layout, save_cancel_buttons
from ui.widgets import label

AUTHOR_KEY = "plan_author"


def remembered_author(store: Store) -> str:
    """The name given at the last save of the plan ("" before the first)."""
    return store.settings.get(AUTHOR_KEY) or ""


def plan_author(store: Store) -> str:
    """Who saves the plan: the name given last time, else the computer's user name."""
    return remembered_author(store) or getpass.getuser()


def remember_plan_author(store: Store, author: str) -> None:
    if author:
        store.settings.set(AUTHOR_KEY, author)


class SaveRevisionDialog(QDialog):
    """Save: what changed, a one-line summary and your name (remembered)."""

    def __init__(self, changes: list[str], summary: str, author: str, parent=None):
        super().__init__(parent)
        layout = dialog_layout(self, "Save the plan", 560)
        layout.addWidget(
            label("Each save is kept as a revision you can compare and restore.", "Muted")
        )
        changes_view = QTextBrowser()
        changes_view.setAccessibleName("What changed")
        changes_view.setPlainText("\n".join(f"• {c}" for c in changes) or "No changes.")
        changes_view.setMaximumHeight(180)
        layout.addWidget(label("What changed", "SectionTitle"))
        layout.addWidget(changes_view)
        form = QFormLayout()
        self.summary = QLineEdit(summary)
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("e.g. New spokesperson; faster updates at level 3")
        self.author = QLineEdit(author)
        self.author.setAccessibleName("Your name")
        form.addRow("Summary", self.summary)
        form.addRow("Your name", self.author)
        layout.addLayout(form)
        layout.addWidget(save_cancel_buttons(self))
        self.summary.selectAll()
        self.summary.setFocus()

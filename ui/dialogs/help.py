"""Help: the keyboard shortcuts sheet and the About box."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
)

from app import __version__
from ui.widgets import label

# What each key does, by where it works; each key once per place.
SHORTCUTS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere",
        [
            (
                "Ctrl+1 … Ctrl+7",
                "Dashboard, Plan, Contacts, Inbox, Incidents, Statements, Debriefs",
            ),
            ("Ctrl+K", "Quick search: pages, commands, incidents, statements, people, mentions"),
            (
                "Ctrl+N",
                "New on this page: a mention, a contact, an incident, a statement, a debrief; "
                "on the Plan, a role, channel or playbook on the open tab",
            ),
            ("Ctrl+O", "Open another workspace"),
            ("Ctrl+Shift+N", "New workspace"),
            ("Ctrl+Shift+S", "Sources: feeds and social accounts that fill your inbox"),
            ("Ctrl+Shift+B", "Back up this workspace"),
            ("Ctrl+Shift+D", "Run a drill: rehearse a crisis in a sealed copy"),
            ("Ctrl+Shift+P", "Pause or resume the drill clock"),
            ("F5", "Sync now, when the workspace is shared with your team"),
            ("F1", "This list"),
            ("Ctrl+Q", "Quit (unsaved work is asked about first)"),
        ],
    ),
    (
        "Editors",
        [
            ("Ctrl+S", "Plan: save as a new revision. Statements: save a version"),
            ("Ctrl+Enter", "Plan: save. Statements: approve. Dialogs: save or confirm"),
            ("Esc", "Close a dialog without saving (typed text is asked about)"),
        ],
    ),
    (
        "Inbox",
        [
            ("j / k", "Next / previous mention"),
            ("e / r / d", "Escalate / needs a reply (and write it) / replied"),
            ("i / h / u", "Ignore with a reason / hide for a guideline / back to new"),
            ("1 … 4", "Severity: Watch, Concern, Serious, Critical"),
            ("t", "Add a tag"),
            ("a", "Assign to a person of your team (see them under “My queue”)"),
            ("Enter", "Write the reply to the mention"),
            ("Shift/Ctrl + click, Shift+↑↓", "Select several mentions for bulk triage"),
        ],
    ),
    (
        "Lists",
        [
            ("Enter / double-click", "Contacts: edit the person. Debriefs: start or resume"),
            ("↑ ↓ in Quick search", "Choose a result; Enter opens it"),
        ],
    ),
]


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(place, keys, what) for every row of the sheet."""
    return [(place, keys, what) for place, rows in SHORTCUTS for keys, what in rows]


class ShortcutsDialog(QDialog):
    """Every shortcut, grouped by where it works, all of it visible at once."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            label("Everything in Crisis Desk can be reached from the keyboard.", "Muted")
        )
        self.sheet = QTextBrowser()
        self.sheet.setAccessibleName("Keyboard shortcuts")
        self.sheet.setOpenLinks(False)
        self.sheet.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.sheet.setHtml(self._html())
        layout.addWidget(self.sheet, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fit()

    @staticmethod
    def _html() -> str:
        parts = ['<table cellspacing="0" cellpadding="2" width="100%">']
        for place, rows in SHORTCUTS:
            parts.append(f'<tr><td colspan="2"><h3 style="margin:8px 0 0 0">{place}</h3></td></tr>')
            for keys, what in rows:
                parts.append(
                    f'<tr><td width="34%"><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>'
                )
        parts.append("</table>")
        return "".join(parts)

    def _fit(self) -> None:
        """As tall as the sheet (up to the screen), so nothing is cut off or scrolled: the
        style sheet's font and padding are known once polished, so measure after that."""
        self.sheet.setFixedWidth(760)
        self.ensurePolished()
        self.sheet.ensurePolished()
        screen = self.screen().availableGeometry().height() if self.screen() else 800
        for _ in range(3):  # a vanishing scroll bar widens the text: settle in a step or two
            self.layout().activate()
            document = self.sheet.document()
            document.setTextWidth(self.sheet.viewport().width())
            chrome = self.sheet.height() - self.sheet.viewport().height()
            needed = int(document.size().height() + 0.5) + chrome
            self.sheet.setFixedHeight(min(needed, screen - 140))

    def showEvent(self, event):  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._fit()


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

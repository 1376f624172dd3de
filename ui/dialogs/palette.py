"""Ctrl+K: type a few letters and press Enter. It finds pages, commands and each page's own
actions ("Inbox: Import mentions"), and what the workspace holds: incidents, statements,
contacts and mentions, each opened where it lives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from ui.widgets import icon, label, plain

SEARCH_DELAY_MS = 150


@dataclass(frozen=True)
class Found:
    """One line of the palette: what it says, its icon, and what Enter does."""

    text: str
    icon: QIcon | str  # an icon, or the name of one in the set
    run: Callable[[], None]
    detail: str = ""


def _icon(value: QIcon | str) -> QIcon:
    return icon(value) if isinstance(value, str) else value


class CommandPaletteDialog(QDialog):
    def __init__(
        self,
        actions: list[QAction],
        parent=None,
        commands: Callable[[], list[Found]] | None = None,
        content: Callable[[str], list[Found]] | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Quick search")
        self.resize(640, 460)
        self.actions = [a for a in actions if a.text() and a.isEnabled()]
        self.commands = commands() if commands else []
        self.content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            "Find a page, a command, an incident, a statement, a person or a mention"
        )
        self.query.setAccessibleName("Quick search")
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setAccessibleName("What matches")
        self.results.setUniformItemSizes(True)
        self.hint = label("", "Muted")
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._search_content)
        self.query.textChanged.connect(self._typed)
        self.query.returnPressed.connect(self._run_current)
        self.results.itemActivated.connect(lambda _item: self._run_current())
        self._filter("")

    # --- what matches ---------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        self._filter(text)
        self.timer.start()

    def _filter(self, text: str) -> None:
        """Commands and page actions at once, as the owner types."""
        words = text.lower().split()
        self.results.clear()
        for action in self.actions:
            name = action.text().replace("&", "")
            if all(word in name.lower() for word in words):
                shortcut = action.shortcut().toString()
                self._add(name, action.icon(), action.trigger, shortcut)
        for found in self.commands:
            if words and all(word in found.text.lower() for word in words):
                self._add(found.text, _icon(found.icon), found.run, found.detail)
        self._select_first()
        self.hint.setText("" if text.strip() else "Type to find anything in this workspace.")

    def _search_content(self) -> None:
        """The workspace's content, a moment after typing stops (it asks the store)."""
        text = self.query.text().strip()
        if self.content is None or len(text) < 2:
            return
        found = self.content(text)
        for item in found:
            self._add(item.text, _icon(item.icon), item.run, item.detail)
        self._select_first()
        if not self.results.count():
            self.hint.setText(f"Nothing matches “{text}”.")

    def _add(self, text: str, item_icon: QIcon, run: Callable[[], None], detail: str) -> None:
        item = QListWidgetItem(item_icon, f"{text}    {detail}" if detail else text)
        item.setToolTip(plain(text))
        item.setData(Qt.ItemDataRole.UserRole, run)
        self.results.addItem(item)

    def _select_first(self) -> None:
        if self.results.count() and self.results.currentRow() < 0:
            self.results.setCurrentRow(0)

    # --- keys -----------------------------------------------------------------------------

    def keyPressEvent(self, event):  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return
        super().keyPressEvent(event)

    def _run_current(self) -> None:
        if self.timer.isActive():  # Enter before the content search ran: run it now
            self.timer.stop()
            self._search_content()
        item = self.results.currentItem()
        if item is None:
            return
        run = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
        run()

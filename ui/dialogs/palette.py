"""Ctrl+K: type a few letters of any page or command and press Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from ui.widgets import plain


class CommandPaletteDialog(QDialog):
    def __init__(self, actions: list[QAction], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Go to…")
        self.resize(520, 380)
        self.actions = [a for a in actions if a.text() and a.isEnabled()]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        self.query = QLineEdit()
        self.query.setPlaceholderText("Type a page or a command, e.g. “inbox” or “backup”")
        self.query.setAccessibleName("Search commands")
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Matching commands")
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        self.query.textChanged.connect(self._filter)
        self.query.returnPressed.connect(self._run_current)
        self.results.itemActivated.connect(lambda _item: self._run_current())
        self._filter("")

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        self.results.clear()
        for action in self.actions:
            name = action.text().replace("&", "")
            if all(word in name.lower() for word in words):
                item = QListWidgetItem(action.icon(), name)
                shortcut = action.shortcut().toString()
                if shortcut:
                    item.setToolTip(plain(shortcut))
                item.setData(Qt.ItemDataRole.UserRole, action)
                self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def keyPressEvent(self, event):  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return
        super().keyPressEvent(event)

    def _run_current(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        action: QAction = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
        action.trigger()

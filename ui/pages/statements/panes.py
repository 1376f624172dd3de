"""Two tabs of the statement editor: the checklist to tick (or to set a step aside, with the
reason) before approval, and each channel's own wording, with its length limit and a shorter,
linked version for the channels that need one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.statements.checker import CHANNEL_LIMITS
from app.statements.model import CHANNELS, Statement, StatementError
from app.statements.templates import short_version
from app.text import markdown_to_plain
from ui import theme
from ui.format import number, time_of_day
from ui.widgets import button, label, plain, wrap_list


class ChecklistPane(QWidget):
    """Tick each step before it goes out; a step that does not apply is set aside, with the
    reason, which approval accepts (and keeps)."""

    changed = Signal()

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.statement: Statement | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Tick each before it goes out. A step that does not apply this time can be set "
                "aside with the reason.",
                "Muted",
            )
        )
        self.checklist = QListWidget()
        wrap_list(self.checklist)
        self.checklist.setSpacing(2)
        self.checklist.setAccessibleName("Checklist")
        self.checklist.itemChanged.connect(self._ticked)
        layout.addWidget(self.checklist, 1)
        self.set_aside_button = button(
            "Set aside with a reason…",
            "mdi6.debug-step-over",
            "This step does not apply to this statement: say why",
        )
        self.set_aside_button.clicked.connect(self.set_aside)
        layout.addWidget(self.set_aside_button, 0, Qt.AlignmentFlag.AlignLeft)

    def load(self, statement: Statement) -> None:
        self.statement = statement
        muted = QColor(theme.current().muted)
        self.checklist.blockSignals(True)
        self.checklist.clear()
        for entry in self.store.statements.checklist(statement.id):
            item = QListWidgetItem(entry.item)
            item.setData(Qt.ItemDataRole.UserRole, entry.item)
            if entry.set_aside:
                item.setText(f"{entry.item}\nSet aside: {entry.set_aside}")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                item.setForeground(muted)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                done = entry.done_at is not None
                item.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
                if done:
                    item.setToolTip(plain(f"Ticked at {time_of_day(entry.done_at)}"))
            self.checklist.addItem(item)
        self.checklist.blockSignals(False)

    def open_items(self) -> list[str]:
        if self.statement is None:
            return []
        return [e.item for e in self.store.statements.checklist(self.statement.id) if e.open]

    def _ticked(self, item: QListWidgetItem) -> None:
        if self.statement is None:
            return
        self.store.statements.tick(
            self.statement.id,
            item.data(Qt.ItemDataRole.UserRole),
            item.checkState() == Qt.CheckState.Checked,
        )
        self.changed.emit()

    def set_aside(self) -> None:
        item = self.checklist.currentItem()
        if item is None or self.statement is None:
            return
        step = item.data(Qt.ItemDataRole.UserRole)
        reason, ok = QInputDialog.getText(
            self, "Set a step aside", f"Why does “{step}” not apply to this statement?"
        )
        if not ok:
            return
        try:
            self.store.statements.dismiss_checklist_item(self.statement.id, step, reason)
        except StatementError as exc:
            QMessageBox.information(self, "Set a step aside", plain(str(exc)))
            return
        self.changed.emit()


class ChannelsPane(QWidget):
    """Each channel's own wording: the main text (as plain text where the channel has no
    Markdown) or the owner's shorter version, with the channel's length limit."""

    def __init__(self, store, body: Callable[[], str], parent=None):
        super().__init__(parent)
        self.store = store
        self.body = body  # the text in the editor now, saved or not
        self.statement: Statement | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.channel = QComboBox()
        for key, name in CHANNELS.items():
            self.channel.addItem(name, key)
        self.channel.setAccessibleName("Channel")
        self.channel.currentIndexChanged.connect(self.show_channel)
        self.channel_count = label("", wrap=False)
        row.addWidget(self.channel)
        row.addStretch(1)
        row.addWidget(self.channel_count)
        layout.addLayout(row)
        self.too_long = label("", "Muted")
        self.too_long.setVisible(False)
        layout.addWidget(self.too_long)
        self.channel_text = QPlainTextEdit()
        self.channel_text.setAccessibleName("Text for this channel")
        self.channel_text.textChanged.connect(self._typed)
        layout.addWidget(self.channel_text, 1)
        buttons = QHBoxLayout()
        copy = button(
            "Copy", "mdi6.content-copy", "Copy this channel's text to paste where it goes"
        )
        copy.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.channel_text.toPlainText())
        )
        self.shorten_button = button(
            "Short version with a link",
            "mdi6.link-variant",
            "The first sentences that fit, and a link to your update page",
        )
        self.shorten_button.clicked.connect(self.shorten)
        reset = button("Use the main text", "mdi6.restore", "Drop this channel's own wording")
        reset.clicked.connect(self.reset)
        for widget in (copy, self.shorten_button, reset):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def load(self, statement: Statement) -> None:
        self.statement = statement
        self.show_channel()

    def show_channel(self) -> None:
        if self.statement is None:
            return
        key = self.channel.currentData()
        own = self.store.statements.get(self.statement.id).variants.get(key)
        preview = Statement(**{**vars(self.statement), "body": self.body()})
        self.channel_text.blockSignals(True)
        self.channel_text.setPlainText(own or preview.text_for(key))
        self.channel_text.blockSignals(False)
        self.count()

    def count(self) -> None:
        key = self.channel.currentData()
        count = len(self.channel_text.toPlainText())
        limit = CHANNEL_LIMITS.get(key)
        over = limit is not None and count > limit
        of_limit = f" / {number(limit)}" if limit else ""
        self.channel_count.setText(f"{number(count)}{of_limit} characters")
        colour = theme.current().negative if over else theme.current().muted
        self.channel_count.setStyleSheet(
            f"color: {colour}; font-weight: {'600' if over else '400'};"
        )
        self.shorten_button.setVisible(limit is not None)
        self.too_long.setVisible(over)
        if over:
            self.too_long.setText(
                f"Too long for {self.channel.currentText()}: it can only be recorded as "
                "published there once it fits. Shorten it here, or use a short version with a "
                "link to your update page."
            )

    def _typed(self) -> None:
        if self.statement is not None:
            self.store.statements.set_variant(
                self.statement.id, self.channel.currentData(), self.channel_text.toPlainText()
            )
        self.count()

    def shorten(self) -> None:
        if self.statement is None:
            return
        limit = CHANNEL_LIMITS.get(self.channel.currentData())
        if limit is None:
            return
        link = self.store.statements.template_values(self.statement.incident_id)["landing_page"]
        self.channel_text.setPlainText(short_version(markdown_to_plain(self.body()), limit, link))

    def reset(self) -> None:
        if self.statement is not None:
            self.store.statements.set_variant(self.statement.id, self.channel.currentData(), "")
            self.show_channel()

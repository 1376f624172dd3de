"""Two editors the plan needs: a duration in minutes that reads as people say it ("1 day",
"1 h 30 min"), and a checklist edited as a list of steps, not as lines of text."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.basic import button, wrap_list
from ui.widgets.icons import icon

_PART = re.compile(
    r"(\d+)\s*(days|day|d|hours|hour|hrs|hr|h|minutes|minute|mins|min|m)?(?=\d|\s|$)", re.I
)
DAY, HOUR = 24 * 60, 60


def minutes_text(value: int) -> str:
    """90 -> "1 h 30 min", 60 -> "1 h", 1440 -> "1 day", 2880 -> "2 days"."""
    days, rest = divmod(value, DAY)
    hours, minutes = divmod(rest, HOUR)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def parse_minutes(text: str) -> int | None:
    """ "90", "90 min", "1 h 30", "1h30m", "2 days" -> minutes; None when it is not one."""
    text = text.strip().lower()
    if not text:
        return None
    total, seen, last_unit = 0, False, ""
    position = 0
    for match in _PART.finditer(text):
        if text[position : match.start()].strip():
            return None  # words between the numbers that are not units
        position = match.end()
        number, unit = int(match.group(1)), (match.group(2) or "").lower()
        if not unit:  # a bare number: minutes, or the minutes after "1 h"
            unit = "m" if last_unit in ("", "h") else ""
            if not unit:
                return None
        seen = True
        last_unit = unit[0]
        total += number * {"d": DAY, "h": HOUR, "m": 1}[unit[0]]
    if text[position:].strip():
        return None
    return total if seen else None


class DurationSpinBox(QSpinBox):
    """Minutes, shown and typed as people say them; the arrows step by sensible amounts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(1, 7 * DAY)
        self.setToolTip("Type “45 min”, “2 h” or “1 day”, or use the arrows.")
        self.setAccelerated(True)

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt override)
        return minutes_text(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802 (Qt override)
        found = parse_minutes(text)
        return self.value() if found is None else found

    def validate(self, text: str, position: int):  # noqa: ANN201 (Qt override)
        found = parse_minutes(text)
        if found is None:
            return QValidator.State.Intermediate, text, position
        if self.minimum() <= found <= self.maximum():
            return QValidator.State.Acceptable, text, position
        return QValidator.State.Intermediate, text, position

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt override)
        """5 minutes at a time under an hour, then 15, then hours, then days."""
        value = self.value()
        for _ in range(abs(steps)):
            probe = value if steps > 0 else value - 1
            size = 5 if probe < HOUR else 15 if probe < 4 * HOUR else HOUR if probe < DAY else DAY
            value += size if steps > 0 else -size
        self.setValue(max(self.minimum(), min(self.maximum(), value)))


class StepsEditor(QWidget):
    """A checklist as a list of steps: type a new one under the list and press Enter; edit a
    step in place (double-click or F2); drag to reorder; remove the chosen one."""

    changed = Signal()

    def __init__(self, noun: str = "step", parent: QWidget | None = None):
        super().__init__(parent)
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.list = QListWidget()
        self.list.setObjectName("Steps")  # each step a row with a rule under it (style.qss)
        self.list.setAccessibleName(f"{noun.capitalize()}s")
        wrap_list(self.list)
        self.list.setSpacing(1)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.itemChanged.connect(lambda _item: self._emit())
        self.list.model().rowsMoved.connect(lambda *_: self._emit())
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(f"Add a {noun}: type it and press Enter")
        self.entry.setAccessibleName(f"New {noun}")
        self.entry.returnPressed.connect(self.add_step)
        self.remove_button = button("Remove", "mdi6.delete-outline", f"Remove the chosen {noun}")
        self.remove_button.clicked.connect(self.remove_step)
        row.addWidget(self.entry, 1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)

    def steps(self) -> list[str]:
        texts = (self.list.item(i).text().strip() for i in range(self.list.count()))
        return [text for text in texts if text]

    def set_steps(self, steps: list[str]) -> None:
        self._loading = True
        self.list.clear()
        for step in steps:
            self._item(step)
        self._loading = False

    def _item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(icon("mdi6.checkbox-blank-outline", role="muted"), text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
        self.list.addItem(item)
        return item

    def add_step(self) -> None:
        text = " ".join(self.entry.text().split())
        if not text:
            return
        self._loading = True
        self._item(text)
        self._loading = False
        self.entry.clear()
        self._emit()

    def remove_step(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._emit()

    def _emit(self) -> None:
        if not self._loading:
            self.changed.emit()

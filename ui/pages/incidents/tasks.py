"""The room's "Tasks" tab: the tasks now, and beside them the corrective actions that fix the
cause; each a list to tick, with a row to add one (what, owner, due)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.incidents.model import Incident, IncidentError
from ui import theme
from ui.format import when
from ui.pages.incidents.tab import RoomTab
from ui.widgets import button, label, plain, tree


class TaskList(QWidget):
    """One kind of task: "task" (due in an hour by default) or "corrective" (in a week)."""

    def __init__(self, tab: RoomTab, caption: str, kind: str, placeholder: str, due_in: timedelta):
        super().__init__()
        self.tab = tab
        self.kind = kind
        self.due_in = due_in
        self.empty_text = f"Nothing yet. Type {placeholder.lower()[:-1]} below and press Enter."
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(label(caption, "SectionTitle"))
        self.tree = tree(["Done", "What", "Owner", "Due"], caption, stretch=1)
        self.tree.itemChanged.connect(self._ticked)
        box.addWidget(self.tree, 1)
        # Adding one: what, on a line of its own with its button; then who and by when.
        row = QHBoxLayout()
        row.setSpacing(8)
        details = QHBoxLayout()
        details.setSpacing(8)
        self.what = QLineEdit()
        self.what.setPlaceholderText(placeholder)
        self.what.setAccessibleName(f"New {kind}")
        self.what.setMinimumWidth(220)
        self.owner = QComboBox()
        self.owner.setEditable(True)
        self.owner.setAccessibleName("Owner")
        self.owner.lineEdit().setPlaceholderText("Who does it")
        self.owner.setMinimumWidth(150)
        self.due = QDateTimeEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("ddd dd MMM HH:mm")
        self.due.setAccessibleName("Due")
        self.due.setMinimumWidth(self.due.sizeHint().width() + 12)
        add = button("Add", "mdi6.plus", f"Add this {kind.replace('corrective', 'action')}")
        add.clicked.connect(self.add)
        self.what.returnPressed.connect(add.click)
        row.addWidget(self.what, 1)
        row.addWidget(add)
        for caption_text, widget in (("Owner", self.owner), ("Due", self.due)):
            details.addWidget(label(caption_text, wrap=False))
            details.addWidget(widget)
        details.addStretch(1)
        box.addLayout(row)
        box.addLayout(details)

    def load(self, incident: Incident, owners: list[str]) -> None:
        now = self.tab.clock()
        self.tree.blockSignals(True)
        self.tree.clear()
        for task in self.tab.store.incidents.tasks(incident.id, self.kind):
            item = QTreeWidgetItem(["", task.title, task.owner, when(task.due_at)])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Checked if task.done_at else Qt.CheckState.Unchecked
            )
            item.setData(0, Qt.ItemDataRole.UserRole, task.id)
            if incident.is_open and task.overdue(now):
                item.setForeground(3, QColor(theme.current().negative))
                item.setText(3, f"{when(task.due_at)} — overdue")
            self.tree.addTopLevelItem(item)
        if not self.tree.topLevelItemCount():
            empty = QTreeWidgetItem(["", self.empty_text])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(empty)
        self.tree.blockSignals(False)
        current = self.owner.currentText()
        self.owner.clear()
        self.owner.addItems(owners)
        self.owner.setCurrentText(current)
        self.due.setDateTime(QDateTime(now.astimezone() + self.due_in))

    def _ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0 or item.data(0, Qt.ItemDataRole.UserRole) is None:
            return
        self.tab.store.incidents.complete_task(
            item.data(0, Qt.ItemDataRole.UserRole), item.checkState(0) == Qt.CheckState.Checked
        )
        # After this signal returns: the refresh makes the list again, deleting this item.
        QTimer.singleShot(0, self.tab, self.tab.changed.emit)

    def add(self) -> None:
        incident = self.tab.incident
        if incident is None:
            return
        try:
            self.tab.store.incidents.add_task(
                incident.id,
                self.what.text(),
                self.owner.currentText().strip(),
                self.due.dateTime().toPython().astimezone(),
                self.kind,
            )
        except IncidentError as exc:
            QMessageBox.information(self, "Tasks", plain(str(exc)))
            return
        self.what.clear()
        self.tab.changed.emit()


class TasksTab(RoomTab):
    def __init__(self, store, clock, parent=None):
        super().__init__(store, clock, parent)
        layout = QVBoxLayout(self)  # one above the other: each gets the room's full width
        layout.setSpacing(16)
        self.tasks = TaskList(self, "Tasks now", "task", "What needs doing?", timedelta(hours=1))
        self.corrective = TaskList(
            self,
            "Corrective actions (fix the cause)",
            "corrective",
            "What fixes the cause?",
            timedelta(days=7),
        )
        layout.addWidget(self.tasks, 1)
        layout.addWidget(self.corrective, 1)

    def unsent(self) -> list[str]:
        lists = ((self.tasks, "a task"), (self.corrective, "a corrective action"))
        return [what for task_list, what in lists if task_list.what.text().strip()]

    def add_unsent(self) -> None:
        for task_list in (self.tasks, self.corrective):
            if task_list.what.text().strip():
                task_list.add()

    def drop_unsent(self) -> None:
        for task_list in (self.tasks, self.corrective):
            task_list.what.clear()

    def load(self, incident: Incident) -> None:
        super().load(incident)
        owners = [c.name for c in self.store.contacts.all()]
        for task_list in (self.tasks, self.corrective):
            task_list.load(incident, owners)

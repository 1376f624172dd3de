"""Writing a lesson and the change it proposes to the plan: the debrief wizard's lessons step and
the drill score's "Change my plan" use the same form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.debriefs.model import CHANGE_KINDS
from app.store import Store
from ui.widgets.basic import button
from ui.widgets.editors import DurationSpinBox


class EntryLine(QLineEdit):
    """A line whose Enter adds what was typed, and does not also press a wizard's Next or a
    dialog's default button."""

    def keyPressEvent(self, event):  # noqa: N802 (Qt override)
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class LessonEditor(QWidget):
    """A lesson in the owner's words and, if it has one, the change to the plan it proposes;
    Add (or Enter) emits `added(text, change)` — `change` is {} for "no change"."""

    added = Signal(str, dict)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.lesson_text = EntryLine()
        self.lesson_text.setPlaceholderText("e.g. Tell the shop managers at level 2 as well")
        self.lesson_text.setAccessibleName("Lesson")
        self.change_kind = QComboBox()
        self.change_kind.addItem("No change to the plan", "")
        for key, text in CHANGE_KINDS.items():
            self.change_kind.addItem(text, key)
        self.change_kind.setAccessibleName("Change to the plan")
        self.change_level = QSpinBox()
        self.change_level.setRange(1, 4)
        self.change_level.setPrefix("Level ")
        self.change_minutes = DurationSpinBox()  # "45 min", "2 h", as the plan shows them
        self.change_minutes.setRange(1, 24 * 60)
        self.change_minutes.setValue(30)
        self.change_contact = QComboBox()
        for contact in store.contacts.all():
            self.change_contact.addItem(contact.name, contact.id)
        self.change_playbook = QComboBox()
        for key, playbook in store.incidents.plan_facts().playbooks.items():
            self.change_playbook.addItem(playbook.name, key)
        self.change_step = QLineEdit()
        self.change_step.setPlaceholderText("The step to add to the first hour")
        details = QHBoxLayout()
        for widget in (
            self.change_level,
            self.change_minutes,
            self.change_contact,
            self.change_playbook,
            self.change_step,
        ):
            details.addWidget(widget)
        self.change_kind.currentIndexChanged.connect(self._kind_shown)
        self.add_button = button("Add lesson", "mdi6.plus")
        self.add_button.clicked.connect(self._add)
        self.lesson_text.returnPressed.connect(self.add_button.click)
        form.addRow("Lesson", self.lesson_text)
        form.addRow("Change", self.change_kind)
        form.addRow("", details)
        form.addRow("", self.add_button)
        self._kind_shown()

    def _kind_shown(self) -> None:
        kind = self.change_kind.currentData()
        self.change_level.setVisible(
            kind in ("cadence", "first_update", "notify_within", "call_tree")
        )
        self.change_minutes.setVisible(kind in ("cadence", "first_update", "notify_within"))
        self.change_contact.setVisible(kind == "call_tree")
        self.change_playbook.setVisible(kind == "first_hour")
        self.change_step.setVisible(kind == "first_hour")

    def change(self) -> dict:
        """The change the form proposes ({} for none, or when a detail it needs is missing)."""
        kind = self.change_kind.currentData()
        if kind in ("cadence", "first_update", "notify_within"):
            return {
                "kind": kind,
                "level": self.change_level.value(),
                "value": self.change_minutes.value(),
            }
        if kind == "call_tree" and self.change_contact.currentData() is not None:
            return {
                "kind": kind,
                "level": self.change_level.value(),
                "contact_id": self.change_contact.currentData(),
            }
        if kind == "first_hour" and self.change_step.text().strip():
            return {
                "kind": kind,
                "playbook": self.change_playbook.currentData(),
                "value": self.change_step.text().strip(),
            }
        return {}

    def _add(self) -> None:
        text = self.lesson_text.text().strip()
        if not text:
            return
        change = self.change()
        self.lesson_text.clear()
        self.change_step.clear()
        self.added.emit(text, change)

"""The room's "Checklists" tab: the playbook's first-hour steps and the crisis channels'
activation steps, ticked as they are done (the time is recorded). For a review bomb or
misinformation, a link under the playbook looks for coordinated posts."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout

from app.incidents.model import Incident
from ui.dialogs.clusters import PLAYBOOKS
from ui.format import time_of_day
from ui.pages.incidents.tab import RoomTab
from ui.widgets import label, link_button, plain, wrap_list


class ChecklistsTab(RoomTab):
    find_coordinated = Signal()  # "Look for coordinated posts": the window opens them

    def __init__(self, store, clock, parent=None):
        super().__init__(store, clock, parent)
        layout = QHBoxLayout(self)
        layout.setSpacing(16)
        self.first_hour, first_column = self._column(
            layout, "First hour (from the playbook)", "First-hour"
        )
        self.coordinated = link_button(
            "Look for coordinated posts",
            "Near-identical posts from many accounts in a short time, to export for an appeal "
            "to the platform or review site",
        )
        self.coordinated.clicked.connect(self.find_coordinated.emit)
        self.coordinated.setVisible(False)
        first_column.addWidget(self.coordinated, 0, Qt.AlignmentFlag.AlignLeft)
        self.channels, _ = self._column(layout, "Crisis channels", "Channel activation")

    def _column(
        self, layout: QHBoxLayout, caption: str, name: str
    ) -> tuple[QListWidget, QVBoxLayout]:
        column = QVBoxLayout()
        column.addWidget(label(caption, "SectionTitle"))
        widget = QListWidget()
        wrap_list(widget)
        widget.setSpacing(2)
        widget.setAccessibleName(f"{name} checklist")
        widget.itemChanged.connect(self._item_ticked)
        column.addWidget(widget, 1)
        layout.addLayout(column, 1)
        return widget, column

    def load(self, incident: Incident) -> None:
        super().load(incident)
        self.coordinated.setVisible(incident.crisis_type in PLAYBOOKS)
        for widget, which in ((self.first_hour, "first-hour"), (self.channels, "channels")):
            widget.blockSignals(True)
            widget.clear()
            for entry in self.store.incidents.checklist(incident.id, which):
                item = QListWidgetItem(entry.text)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if entry.done_at else Qt.CheckState.Unchecked
                )
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                if entry.done_at:
                    item.setToolTip(plain(f"Done at {time_of_day(entry.done_at)}"))
                widget.addItem(item)
            if not widget.count():
                empty = QListWidgetItem("Nothing here: the plan has no checklist for this.")
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                widget.addItem(empty)
            widget.blockSignals(False)

    def _item_ticked(self, item: QListWidgetItem) -> None:
        item_id = item.data(Qt.ItemDataRole.UserRole)
        if item_id is None:
            return
        self.store.incidents.tick(item_id, item.checkState() == Qt.CheckState.Checked)
        # After this signal returns: the refresh makes the list again, deleting this item.
        QTimer.singleShot(0, self, self.changed.emit)

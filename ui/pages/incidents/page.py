"""The Incidents page: every incident on the left, open ones first; the room of the one chosen
on the right. The screen the owner lives in during the bad hours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from app.attention import DRILL_PAGE
from app.incidents.model import OPEN_STATUSES, Incident
from app.store import Store
from app.timeutil import Clock
from ui import theme
from ui.dialogs.declare import DeclareIncidentDialog
from ui.format import when
from ui.pages.base import Page
from ui.pages.incidents.room import IncidentRoom
from ui.widgets import (
    button,
    icon,
    label,
    level_colour,
    plain,
    primary_button,
    select_by_id,
    wrap_list,
)


class IncidentsPage(Page):
    title = "Incidents"
    subtitle = "Declare, assess, tell the right people, and update on time."

    shows = frozenset({"incidents"})

    def __init__(self, store: Store, clock: Clock, parent=None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        declare = primary_button("Declare incident", "mdi6.alert-octagon-outline", "Ctrl+N")
        declare.clicked.connect(lambda: self.declare())
        self.actions.addWidget(declare)
        split = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName("Incidents")
        self.list.setFixedWidth(230)
        wrap_list(self.list)
        self.list.setSpacing(2)
        self.list.currentItemChanged.connect(self._selected)
        left_layout.addWidget(self.list, 1)
        split.addWidget(left)
        self.room = IncidentRoom(store, clock)
        self.room.changed.connect(self._room_changed)
        self.room.checklists_tab.find_coordinated.connect(lambda: self.navigate.emit("clusters"))
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addWidget(label("No incidents.", "BigQuiet"))
        empty_layout.addWidget(
            label(
                "When something goes wrong, declare an incident here, from a spike in the Inbox, "
                "or from mentions you select. Crisis Desk then tells you who to call, how fast, "
                "and when your next update is due. On a quiet day, run a 20-minute drill.",
                "Muted",
            )
        )
        drill = button(
            "Run a drill…",
            "mdi6.run-fast",
            "Rehearse a pretend crisis in a sealed copy of your workspace (Ctrl+Shift+D); "
            "nothing real is touched",
        )
        drill.clicked.connect(lambda: self.navigate.emit(DRILL_PAGE))
        empty_layout.addWidget(drill, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)
        split.addWidget(self.empty)
        split.addWidget(self.room)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 1)
        split.setSizes([260, 900, 900])
        self.body.addWidget(split, 1)
        self.refresh()

    def refresh(self, domains: set[str] | None = None) -> None:
        current = self.room.incident.id if self.room.incident else None
        incidents = self.store.incidents.all()
        incidents.sort(key=lambda i: (i.status not in OPEN_STATUSES, -i.declared_at.timestamp()))
        self.list.blockSignals(True)
        self.list.clear()
        for incident in incidents:
            item = QListWidgetItem(f"{incident.title}\n{incident.level_label} · {incident.status}")
            item.setData(Qt.ItemDataRole.UserRole, incident.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, incident.level if incident.is_open else 0)
            item.setToolTip(plain(f"Declared {when(incident.declared_at)}"))
            self.list.addItem(item)
        self._colour_list()
        self.list.blockSignals(False)
        has_any = bool(incidents)
        self.empty.setVisible(not has_any)
        self.room.setVisible(has_any)
        self.list.parentWidget().setVisible(has_any)
        if has_any:
            ids = [i.id for i in incidents]
            self.show_incident(current if current in ids else ids[0])

    def _colour_list(self) -> None:
        """Open incidents in their level's colour, the others muted."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            level = item.data(Qt.ItemDataRole.UserRole + 1)
            item.setForeground(QColor(level_colour(level) if level else theme.current().muted))

    def restyle(self) -> None:
        self._colour_list()
        if self.room.incident is not None:
            self.room.chip.set_level(self.room.incident.level)  # the chip's colours
        self.room.refresh_countdown()

    def show_incident(self, incident_id: int) -> None:
        select_by_id(self.list, incident_id)
        self.room.load(incident_id)

    def _selected(self, item, _previous=None) -> None:
        if item is None:
            return
        chosen = item.data(Qt.ItemDataRole.UserRole)  # the list may be rebuilt meanwhile
        if self.room.incident is not None and not self.room.confirm_leave():
            select_by_id(self.list, self.room.incident.id)  # stay on the one being written
            return
        self.show_incident(chosen)

    def confirm_leave(self) -> bool:
        return self.room.incident is None or self.room.confirm_leave()

    def refresh_countdown(self) -> None:
        self.room.refresh_countdown()

    def _room_changed(self) -> None:
        self.refresh()
        self.report_changes("incidents")

    def new_item(self) -> None:
        self.declare()

    def commands(self):
        """Ctrl+K: declaring, and what the room offers for the incident shown."""
        found = super().commands()
        room = self.room
        if room.incident is not None:
            for widget in (room.update_button, room.level_button):
                if widget.isEnabled():
                    found.append((widget.text(), widget.icon(), widget.click))
            found.append(
                (
                    "Export the timeline…",
                    icon("mdi6.language-markdown-outline"),
                    room.export_timeline,
                )
            )
        return found

    def declare(self, mention_ids=None, title: str = "", origin: str = "manual") -> Incident | None:
        dialog = DeclareIncidentDialog(
            self.store,
            mention_ids=mention_ids,
            title=title,
            origin=origin,
            parent=self,
        )
        if not dialog.exec() or dialog.incident is None:
            return None
        self.refresh()
        self.show_incident(dialog.incident.id)
        self.report_changes("incidents", "mentions")
        return dialog.incident

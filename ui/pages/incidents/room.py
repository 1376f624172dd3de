"""The incident room: one incident — its level, status and update countdown above, and a tab
each for the people to reach, the checklists, the assessment, the tasks and corrective actions,
the timeline and the incident's mentions."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from app.incidents.model import STATUSES, Incident, IncidentError
from app.store import Store
from app.timeutil import Clock
from ui import theme
from ui.dialogs import ask
from ui.dialogs.ask import join_words
from ui.dialogs.incidents import ChangeLevelDialog, EndIncidentDialog, RecordUpdateDialog
from ui.format import countdown
from ui.pages.incidents.assessment import AssessmentTab
from ui.pages.incidents.checklists import ChecklistsTab
from ui.pages.incidents.mentions import MentionsTab
from ui.pages.incidents.people import PeopleTab
from ui.pages.incidents.tab import RoomTab
from ui.pages.incidents.tasks import TasksTab
from ui.pages.incidents.timeline import TimelineTab
from ui.widgets import LevelChip, button, label, plain, primary_button


class IncidentRoom(QWidget):
    """One incident. Emits `changed` after anything it writes, so lists and bars refresh."""

    changed = Signal()

    def __init__(self, store: Store, clock: Clock, parent=None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.incident: Incident | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 0, 0, 0)
        outer.setSpacing(12)

        top = QHBoxLayout()
        top.setSpacing(12)
        self.chip = LevelChip(1)
        self.title = label("", "SectionTitle")
        top.addWidget(self.chip)
        top.addWidget(self.title, 1)
        outer.addLayout(top)

        controls = QHBoxLayout()
        controls.setSpacing(8)
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(status.capitalize(), status)
        self.status.setAccessibleName("Status")
        self.status.setToolTip(
            "Investigating → identified → monitoring → resolved; closed after the debrief"
        )
        self.status.activated.connect(self._status_chosen)
        self.countdown = label("")
        self.countdown.setAccessibleName("Next update")
        self.level_button = button(
            "Change level…", "mdi6.stairs", "Escalate or de-escalate, with a reason"
        )
        self.level_button.clicked.connect(self.change_level)
        self.update_button = primary_button(
            "Record update…",
            "mdi6.bullhorn-outline",
            "You published an update: restart the countdown",
        )
        self.update_button.clicked.connect(self.record_update)
        controls.addWidget(label("Status"))
        controls.addWidget(self.status)
        controls.addWidget(self.level_button)
        controls.addSpacing(12)
        controls.addWidget(self.countdown, 1)
        controls.addWidget(self.update_button)
        outer.addLayout(controls)

        self.people_tab = PeopleTab(store, clock)
        self.checklists_tab = ChecklistsTab(store, clock)
        self.assessment_tab = AssessmentTab(store, clock)
        self.tasks_tab = TasksTab(store, clock)
        self.timeline_tab = TimelineTab(store, clock)
        self.mentions_tab = MentionsTab(store, clock)
        self.tabs = QTabWidget()
        self.room_tabs: list[RoomTab] = []
        for tab, caption in (
            (self.people_tab, "People to reach"),
            (self.checklists_tab, "Checklists"),
            (self.assessment_tab, "Assessment"),
            (self.tasks_tab, "Tasks"),
            (self.timeline_tab, "Timeline"),
            (self.mentions_tab, "Mentions"),
        ):
            tab.changed.connect(self._after_change)
            self.tabs.addTab(tab, caption)
            self.room_tabs.append(tab)
        outer.addWidget(self.tabs, 1)
        # The lists the owner works in, by the names the room has always had.
        self.people = self.people_tab.people
        self.first_hour = self.checklists_tab.first_hour
        self.channels = self.checklists_tab.channels
        self.timeline = self.timeline_tab.timeline
        self.note = self.timeline_tab.note

    # --- loading -------------------------------------------------------------------------

    def load(self, incident_id: int) -> None:
        self.incident = incident = self.store.incidents.get(incident_id)
        self.chip.set_level(incident.level)
        self.title.setText(incident.title)
        self.status.setCurrentIndex(STATUSES.index(incident.status))
        # Updates and level changes belong to an open incident; reopen it by its status first.
        for control in (self.update_button, self.level_button):
            control.setEnabled(incident.is_open)
        self.refresh_countdown()
        for tab in self.room_tabs:
            tab.load(incident)

    def confirm_leave(self) -> bool:
        """Before another incident, another page or closing: keep everything typed here."""
        for tab in self.room_tabs:
            tab.flush()
        pending = [what for tab in self.room_tabs for what in tab.unsent()]
        if not pending:
            return True
        answer = ask.choose(
            self,
            "Typed but not added",
            f"You typed {join_words(pending)} but did not add it yet.",
            [("add", "Add it now"), ("discard", "Discard it"), ("cancel", "Stay here")],
            default="add",
        )
        if answer == "cancel":
            return False
        for tab in self.room_tabs:
            tab.add_unsent() if answer == "add" else tab.drop_unsent()
        return True

    def refresh_countdown(self) -> None:
        if self.incident is None:
            return
        text, overdue = countdown(self.incident, self.clock())
        colour = theme.current().negative if overdue else theme.current().text
        self.countdown.setText(text)
        self.countdown.setStyleSheet(f"color: {colour}; font-weight: 600;")

    # --- actions -------------------------------------------------------------------------

    def _after_change(self) -> None:
        self.load(self.incident.id)
        self.changed.emit()

    def _status_chosen(self) -> None:
        incident = self.incident
        status = self.status.currentData()
        if incident is None or status == incident.status:
            return
        reason = ""
        if status in ("resolved", "closed"):
            ends = self.store.incidents.open_ends(incident.id, self.clock())
            debrief = self.store.debriefs.for_incident(incident.id)
            ends = replace(ends, debrief_done=debrief is not None and debrief.status == "complete")
            dialog = EndIncidentDialog(incident.title, status, ends.lines(status), self)
            if not dialog.exec():
                self.status.setCurrentIndex(STATUSES.index(incident.status))
                return
            reason = dialog.reason.text()
        self.store.incidents.set_status(incident.id, status, reason)
        self._after_change()

    def change_level(self) -> None:
        dialog = ChangeLevelDialog(self.incident.level, self)
        if not dialog.exec():
            return
        try:
            self.store.incidents.change_level(
                self.incident.id,
                dialog.level.currentData(),
                dialog.reason.text(),
            )
        except IncidentError as exc:
            QMessageBox.information(self, "Change level", plain(str(exc)))
            return
        self._after_change()

    def record_update(self) -> None:
        dialog = RecordUpdateDialog(self)
        if not dialog.exec() or not dialog.title.text().strip():
            return
        self.store.incidents.record_published_update(
            self.incident.id,
            dialog.title.text().strip(),
            dialog.channel.currentText(),
            dialog.url.text().strip(),
        )
        self._after_change()

    def save_eml(self) -> None:
        self.people_tab.save_eml()

    def export_timeline(self) -> None:
        self.timeline_tab.export_timeline()

"""The Debriefs page: every resolved incident and its debrief (none yet, draft, complete), the
corrective actions still open across all of them, and the drills held with their scores (kept
beside the workspace, never counted with the real incidents)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from app.drills.repository import DrillRecords
from app.drills.sandbox import real_workspace
from app.timeutil import from_iso
from ui.dialogs import exports
from ui.dialogs.drills import DrillScoreDialog, record_document
from ui.format import date
from ui.pages.base import Page
from ui.widgets import button, label, primary_button, tree
from ui.wizards.debrief import DebriefWizard, export_debrief_pdf


class DebriefsPage(Page):
    title = "Debriefs"
    subtitle = "Learn from it afterwards, without blame; track the fixes until they are done."

    shows = frozenset({"incidents", "debriefs", "drills"})

    def __init__(self, store, clock, parent=None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.export_button = button(
            "Export PDF…", "mdi6.file-pdf-box", "The selected debrief's report"
        )
        self.export_button.clicked.connect(self.export_selected)
        self.open_button = primary_button("Start or resume debrief", "mdi6.school-outline", "Enter")
        self.open_button.clicked.connect(self.open_selected)
        self.actions.addWidget(self.export_button)  # beside the page's verb, not alone below
        self.actions.addWidget(self.open_button)
        self.body.addWidget(label("Resolved incidents", "SectionTitle"))
        self.incidents = tree(
            ["Incident", "Resolved", "Debrief", "Lessons"],
            "Resolved incidents and their debriefs",
            stretch=0,
        )
        self.incidents.itemActivated.connect(lambda *_: self.open_selected())
        self.body.addWidget(self.incidents, 1)
        self.empty = label(
            "No resolved incidents yet. When an incident is resolved, review it here within five "
            "working days: what happened, the figures, what went well and not, and what to "
            "change in your plan.",
            "Muted",
        )
        self.body.addWidget(self.empty)
        self.body.addWidget(label("Corrective actions still open", "SectionTitle"))
        self.actions_tree = tree(
            ["Done", "Action", "Owner", "Due", "From"], "Open corrective actions", stretch=1
        )
        self.actions_tree.itemChanged.connect(self._action_ticked)
        self.body.addWidget(self.actions_tree, 1)
        self._build_drills()
        self.refresh()

    def refresh(self, domains: set[str] | None = None) -> None:
        self.incidents.clear()
        now = self.clock()
        owed = {i.id for i in self.store.debriefs.owed(now)}
        resolved = [i for i in self.store.incidents.all() if i.status in ("resolved", "closed")]
        for incident in resolved:
            debrief = self.store.debriefs.for_incident(incident.id)
            state = (
                "not started"
                if debrief is None
                else (
                    "complete"
                    if debrief.status == "complete"
                    else f"draft, step {debrief.step + 1} of 7"
                )
            )
            if incident.id in owed:
                state += " · overdue"
            lessons = str(len(debrief.lessons)) if debrief else ""
            item = QTreeWidgetItem(
                [incident.title, date(incident.resolved_at, weekday=True), state, lessons]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, incident.id)
            self.incidents.addTopLevelItem(item)
        if resolved:
            self.incidents.setCurrentItem(self.incidents.topLevelItem(0))
        self.empty.setVisible(not resolved)
        self.incidents.setVisible(bool(resolved))
        self.open_button.setEnabled(bool(resolved))
        self.export_button.setEnabled(bool(resolved))
        self.actions_tree.blockSignals(True)
        self.actions_tree.clear()
        for action in self.store.incidents.open_corrective_actions():
            due = date(from_iso(action["due_at"])) if action["due_at"] else ""
            item = QTreeWidgetItem(
                ["", action["title"], action["owner"] or "", due, action["incident_title"]]
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, action["id"])
            self.actions_tree.addTopLevelItem(item)
        if not self.actions_tree.topLevelItemCount():
            self.actions_tree.addTopLevelItem(QTreeWidgetItem(["", "None open. Well done."]))
        self.actions_tree.blockSignals(False)
        self._refresh_drills()

    # --- drills ---------------------------------------------------------------------------

    def _build_drills(self) -> None:
        self.body.addWidget(label("Drills", "SectionTitle"))
        self.drills = tree(
            ["Drill", "Held", "Speed", "Score"], "Drills and their scores", stretch=0
        )
        self.drills.setToolTip("Open a drill to see its score (Enter)")
        self.drills.itemActivated.connect(lambda item, _c: self.open_drill(item))
        self.body.addWidget(self.drills, 1)
        self.no_drills = label(
            "No drill yet. Rehearse on a quiet day: Drill → Run a drill… (Ctrl+Shift+D). "
            "Drills are kept here with their scores, apart from your real incidents.",
            "Muted",
        )
        self.body.addWidget(self.no_drills)
        self.drill_dialog: DrillScoreDialog | None = None

    def _refresh_drills(self) -> None:
        self.drills.clear()
        self.drill_records = DrillRecords(real_workspace(self.store)).all()
        for index, record in enumerate(self.drill_records):
            title = record.title + (" (autopilot)" if record.auto else "")
            item = QTreeWidgetItem(
                [title, date(record.held_at, weekday=True), f"{record.speed:g}×", record.summary]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.drills.addTopLevelItem(item)
        self.drills.setVisible(bool(self.drill_records))
        self.no_drills.setVisible(not self.drill_records)

    def open_drill(self, item: QTreeWidgetItem | None = None) -> DrillScoreDialog | None:
        item = item or self.drills.currentItem()
        if item is None:
            return None
        record = self.drill_records[item.data(0, Qt.ItemDataRole.UserRole)]
        self.drill_dialog = DrillScoreDialog(record_document(record), self, store=self.store)
        self.drill_dialog.open()
        return self.drill_dialog

    def _selected_incident(self) -> int | None:
        item = self.incidents.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def open_selected(self) -> DebriefWizard | None:
        incident_id = self._selected_incident()
        if incident_id is None:
            return None
        debrief = self.store.debriefs.start(self.store.incidents.get(incident_id))
        wizard = DebriefWizard(self.store, debrief, self)
        wizard.finished.connect(self._wizard_finished)
        wizard.open()
        return wizard

    def _wizard_finished(self, _result: int) -> None:
        self.refresh()
        self.report_changes("debriefs", "incidents", "plan")

    def export_selected(self) -> None:
        incident_id = self._selected_incident()
        if incident_id is None:
            return
        debrief = self.store.debriefs.start(self.store.incidents.get(incident_id))
        title = self.store.incidents.get(incident_id).title
        path = exports.save_path(
            self, "Export debrief", f"Debrief - {title}.pdf", "PDF (*.pdf)", ".pdf"
        )
        if path is not None:
            export_debrief_pdf(self, self.store, debrief.id, path)

    def _action_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        task_id = item.data(0, Qt.ItemDataRole.UserRole)
        if column == 0 and task_id:
            self.store.incidents.complete_task(task_id, item.checkState(0) == Qt.CheckState.Checked)
            self.refresh()
            self.report_changes("incidents")

    def new_item(self) -> None:
        self.open_selected()

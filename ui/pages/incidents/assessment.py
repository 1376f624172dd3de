"""The room's "Assessment" tab: what you know and what you do not, kept up to date as facts
come in, and whether the root cause is confirmed; saved with its button (Ctrl+S)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QPlainTextEdit, QVBoxLayout

from app.incidents.model import ASSESSMENT_FIELDS, Incident
from ui.pages.incidents.tab import RoomTab
from ui.widgets import label, primary_button, show_status


class AssessmentTab(RoomTab):
    def __init__(self, store, clock, parent=None):
        super().__init__(store, clock, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Write down what you know and what you do not; keep it up to date "
                "as facts come in.",
                "Muted",
            )
        )
        form = QFormLayout()
        self.sheet: dict[str, QPlainTextEdit] = {}
        for key, caption in ASSESSMENT_FIELDS:
            box = QPlainTextEdit()
            box.setTabChangesFocus(True)
            box.setFixedHeight(54)
            box.setAccessibleName(caption)
            form.addRow(caption, box)
            self.sheet[key] = box
        self.root_confirmed = QCheckBox("The root cause is confirmed (not just a guess)")
        form.addRow("", self.root_confirmed)
        layout.addLayout(form)
        save = primary_button("Save assessment", "mdi6.content-save-outline", "Ctrl+S")
        save.setShortcut("Ctrl+S")
        save.clicked.connect(self.save_assessment)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

    def load(self, incident: Incident) -> None:
        super().load(incident)
        for key, box in self.sheet.items():
            box.setPlainText(incident.assessment.get(key, ""))
        self.root_confirmed.setChecked(bool(incident.assessment.get("root_cause_confirmed")))

    def save_assessment(self) -> None:
        if self.incident is None:
            return
        sheet = {key: box.toPlainText().strip() for key, box in self.sheet.items()}
        sheet["root_cause_confirmed"] = self.root_confirmed.isChecked()
        self.store.incidents.save_assessment(
            self.incident.id, sheet, self.incident.impact, self.incident.reach
        )
        show_status(self, "Assessment saved.", 4000)
        self.incident = self.store.incidents.get(self.incident.id)

"""The room's "Assessment" tab: what you know and what you do not, kept up to date as facts
come in, and whether the root cause is confirmed.

It saves itself: a second after typing stops, when a box loses focus, and before anything
reloads the tab (another incident, another page, closing the window), so nothing typed here is
ever lost. Ctrl+S saves at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QPlainTextEdit, QVBoxLayout

from app.incidents.model import ASSESSMENT_FIELDS, Incident
from ui.format import time_with_seconds
from ui.pages.incidents.tab import RoomTab
from ui.widgets import label

AUTOSAVE_MS = 1000


class AssessmentTab(RoomTab):
    def __init__(self, store, clock, parent=None):
        super().__init__(store, clock, parent)
        self._loading = False
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(
            label(
                "Write down what you know and what you do not; keep it up to date "
                "as facts come in. It is saved as you type.",
                "Muted",
            ),
            1,
        )
        self.saved_note = label("", "Muted", wrap=False)
        self.saved_note.setAccessibleName("Saved")
        top.addWidget(self.saved_note, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        form = QFormLayout()
        self.sheet: dict[str, QPlainTextEdit] = {}
        for key, caption in ASSESSMENT_FIELDS:
            box = QPlainTextEdit()
            box.setTabChangesFocus(True)
            box.setFixedHeight(54)
            box.setAccessibleName(caption)
            box.textChanged.connect(self._typed)
            box.installEventFilter(self)
            form.addRow(caption, box)
            self.sheet[key] = box
        self.root_confirmed = QCheckBox("The root cause is confirmed (not just a guess)")
        self.root_confirmed.toggled.connect(self._typed)
        form.addRow("", self.root_confirmed)
        layout.addLayout(form)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)
        save_now = QShortcut(QKeySequence("Ctrl+S"), self)
        save_now.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_now.activated.connect(self.flush)

    def load(self, incident: Incident) -> None:
        self.flush()  # whatever was typed for the incident shown until now is kept first
        super().load(incident)
        self._loading = True
        try:
            for key, box in self.sheet.items():
                text = incident.assessment.get(key, "")
                if box.toPlainText() != text:
                    box.setPlainText(text)
            self.root_confirmed.setChecked(bool(incident.assessment.get("root_cause_confirmed")))
        finally:
            self._loading = False

    def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
        if event.type() == event.Type.FocusOut and watched in self.sheet.values():
            self.flush()
        return super().eventFilter(watched, event)

    def _typed(self, *_args) -> None:
        if not self._loading and self.incident is not None:
            self.timer.start()
            self.saved_note.setText("Editing…")

    def _sheet(self) -> dict:
        sheet: dict = {key: box.toPlainText().strip() for key, box in self.sheet.items()}
        sheet["root_cause_confirmed"] = self.root_confirmed.isChecked()
        return sheet

    def is_dirty(self) -> bool:
        if self.incident is None:
            return False
        saved = self.incident.assessment
        stored: dict = {key: (saved.get(key) or "").strip() for key, _ in ASSESSMENT_FIELDS}
        stored["root_cause_confirmed"] = bool(saved.get("root_cause_confirmed"))
        return self._sheet() != stored

    def flush(self) -> None:
        """Save what was typed, if anything changed since the last save."""
        self.timer.stop()
        if self.store.closed or not self.is_dirty():  # closed: the window is going away
            return
        incident = self.incident
        assert incident is not None
        self.store.incidents.save_assessment(
            incident.id, self._sheet(), incident.impact, incident.reach
        )
        self.incident = self.store.incidents.get(incident.id)
        self.saved_note.setText("Saved " + time_with_seconds(self.store.clock()))

    # The old button's name: tests and the room call it to save at once.
    save_assessment = flush

"""The room's "Timeline" tab: everything that happened, filtered by kind, with notes added by
hand and an export to Markdown."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.incidents.model import Incident, IncidentError
from app.incidents.timeline import timeline_markdown
from ui.dialogs import exports
from ui.format import when
from ui.pages.incidents.tab import RoomTab
from ui.widgets import button, label, plain, tree

TIMELINE_FILTERS = (
    ("Everything", None),
    ("Level and status", ("declared", "severity", "status")),
    ("People reached", ("reached",)),
    ("Tasks and actions", ("task", "task-done", "action", "action-done", "checklist")),
    ("Statements", ("statement-approved", "statement-published")),
    ("Notes", ("note",)),
)


class TimelineTab(RoomTab):
    def __init__(self, store, clock, parent=None):
        super().__init__(store, clock, parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.timeline_filter = QComboBox()
        for caption, kinds in TIMELINE_FILTERS:
            self.timeline_filter.addItem(caption, kinds)
        self.timeline_filter.setAccessibleName("Show")
        self.timeline_filter.currentIndexChanged.connect(self._fill)
        export = button(
            "Export Markdown…", "mdi6.language-markdown-outline", "Save the timeline as Markdown"
        )
        export.clicked.connect(self.export_timeline)
        row.addWidget(label("Show"))
        row.addWidget(self.timeline_filter)
        row.addStretch(1)
        row.addWidget(export)
        layout.addLayout(row)
        self.timeline = tree(["When", "What happened"], "Timeline")
        self.timeline.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.timeline, 1)
        note_row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText(
            "Add a note to the timeline, e.g. “Council inspector booked for 14:00”"
        )
        self.note.setAccessibleName("Note")
        add = button("Add note", "mdi6.note-plus-outline")
        add.clicked.connect(self.add_note)
        self.note.returnPressed.connect(add.click)
        note_row.addWidget(self.note, 1)
        note_row.addWidget(add)
        layout.addLayout(note_row)

    def load(self, incident: Incident) -> None:
        super().load(incident)
        self._fill()

    def _fill(self) -> None:
        if self.incident is None:
            return
        kinds = self.timeline_filter.currentData()
        self.timeline.clear()
        for event in self.store.incidents.timeline(self.incident.id, kinds):
            item = QTreeWidgetItem([when(event.at), event.text])
            item.setToolTip(1, plain(event.text))
            self.timeline.addTopLevelItem(item)

    def unsent(self) -> list[str]:
        return ["a note for the timeline"] if self.note.text().strip() else []

    def add_unsent(self) -> None:
        if self.note.text().strip():
            self.add_note()

    def drop_unsent(self) -> None:
        self.note.clear()

    def add_note(self) -> None:
        if self.incident is None:
            return
        try:
            self.store.incidents.add_note(self.incident.id, self.note.text())
        except IncidentError:
            return
        self.note.clear()
        self.changed.emit()

    def export_timeline(self) -> None:
        if self.incident is None:
            return
        path = exports.save_path(
            self,
            "Export timeline",
            f"{self.incident.title} - timeline.md",
            "Markdown (*.md)",
            ".md",
        )
        if path is None:
            return
        text = timeline_markdown(self.incident, self.store.incidents.timeline(self.incident.id))
        if self.write_export(path, text, "Export timeline"):
            exports.done(self, path, "Exported the timeline as Markdown.")

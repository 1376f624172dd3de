"""The slim bar across every page while an incident is open: its level (colour and word), its
title, the update countdown (red when overdue) and a button to the incident room."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout

from app.incidents.model import Incident
from ui import theme
from ui.format import countdown
from ui.widgets.basic import LevelChip, button, level_colour, plain_label


class CrisisBar(QFrame):
    open_room = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CrisisBar")
        self.incident: Incident | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 16, 6)
        row.setSpacing(12)
        self.chip = LevelChip(1)
        self.title = plain_label("")
        self.title.setStyleSheet("font-weight: 600;")
        self.more = plain_label("")
        self.countdown = plain_label("")
        self.countdown.setAccessibleName("Next update")
        self.go = button("Incident room", "mdi6.arrow-right", "Open the incident room")
        self.go.clicked.connect(lambda: self.incident and self.open_room.emit(self.incident.id))
        row.addWidget(self.chip)
        row.addWidget(self.title, 1)
        row.addWidget(self.more)
        row.addWidget(self.countdown)
        row.addWidget(self.go)
        self.hide()

    def show_incidents(self, incidents: list[Incident], now) -> None:
        """The most severe open incident leads; the others are counted."""
        if not incidents:
            self.incident = None
            self.hide()
            return
        lead = sorted(incidents, key=lambda i: (-i.level, i.declared_at))[0]
        self.incident = lead
        self.chip.set_level(lead.level)
        self.title.setText(lead.title)
        others = len(incidents) - 1
        self.more.setText(f"+{others} more open" if others else "")
        text, overdue = countdown(lead, now)
        self.countdown.setText(text)
        colour = level_colour(4) if overdue else theme.current().text
        self.countdown.setStyleSheet(f"color: {colour}; font-weight: 600;")
        c = theme.current()
        self.setStyleSheet(
            f"#CrisisBar {{ background: {c.surface}; border-bottom: 1px solid {c.border}; "
            f"border-left: 6px solid {level_colour(lead.level)}; }}"
        )
        self.show()

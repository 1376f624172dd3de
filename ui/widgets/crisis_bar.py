"""The slim bar across every page while an incident is open: its level (colour and word), its
title, the update countdown (red when overdue) and a button to the incident room.

When the last open incident is resolved or closed, the bar does not vanish under the owner's
eyes (the page would jump): it says so, with Undo, until the owner dismisses it or moves on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout

from app.incidents.model import Incident
from ui import theme
from ui.format import countdown, time_of_day
from ui.widgets.basic import LevelChip, button, level_colour, plain_label
from ui.widgets.icons import IconBadge


class CrisisBar(QFrame):
    open_room = Signal(int)
    undo_end = Signal(object)  # the incident as it was before it ended

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CrisisBar")
        self.incident: Incident | None = None
        self.ended: Incident | None = None  # shown in the "ended" state, with Undo
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 16, 6)
        row.setSpacing(12)
        self.chip = LevelChip(1)
        self.done_badge = IconBadge("mdi6.check-circle-outline", role="accent", size=20)
        self.title = plain_label("")
        self.title.setStyleSheet("font-weight: 600;")
        self.more = plain_label("")
        self.countdown = plain_label("")
        self.countdown.setAccessibleName("Next update")
        self.go = button("Incident room", "mdi6.arrow-right", "Open the incident room")
        self.go.clicked.connect(lambda: self.incident and self.open_room.emit(self.incident.id))
        self.undo = button("Undo", "mdi6.undo", "Reopen it as it was, countdown included")
        self.undo.clicked.connect(self._undo)
        self.dismiss = button("Dismiss", "mdi6.close", "Hide this bar")
        self.dismiss.clicked.connect(self.dismiss_ended)
        row.addWidget(self.chip)
        row.addWidget(self.done_badge)
        row.addWidget(self.title, 1)
        row.addWidget(self.more)
        row.addWidget(self.countdown)
        row.addWidget(self.go)
        row.addWidget(self.undo)
        row.addWidget(self.dismiss)
        self.hide()

    def show_incidents(self, incidents: list[Incident], now) -> None:
        """The most severe open incident leads; the others are counted."""
        if not incidents:
            self.incident = None
            if self.ended is None:
                self.hide()
            return
        self.ended = None
        lead = sorted(incidents, key=lambda i: (-i.level, i.declared_at))[0]
        self.incident = lead
        self._mode(ended=False)
        self.chip.set_level(lead.level)
        self.title.setText(lead.title)
        others = len(incidents) - 1
        self.more.setText(f"+{others} more open" if others else "")
        text, overdue = countdown(lead, now)
        self.countdown.setText(text)
        colour = theme.current().negative if overdue else theme.current().text
        self.countdown.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self._frame(level_colour(lead.level))
        self.show()

    def show_ended(self, before: Incident, status: str, now) -> None:
        """The incident the bar showed has just been resolved or closed."""
        self.incident = None
        self.ended = before
        self._mode(ended=True)
        self.title.setText(f"“{before.title}” {status} at {time_of_day(now)}.")
        self.more.setText("No incident is open now.")
        self._frame(theme.current().accent)
        self.show()

    def dismiss_ended(self) -> None:
        if self.ended is not None:
            self.ended = None
            if self.incident is None:
                self.hide()

    def _undo(self) -> None:
        before, self.ended = self.ended, None
        if before is not None:
            self.undo_end.emit(before)

    def _mode(self, ended: bool) -> None:
        for widget in (self.chip, self.countdown, self.go):
            widget.setVisible(not ended)
        for widget in (self.done_badge, self.undo, self.dismiss):
            widget.setVisible(ended)

    def _frame(self, colour: str) -> None:
        c = theme.current()
        self.setStyleSheet(
            f"#CrisisBar {{ background: {c.surface}; border-bottom: 1px solid {c.border}; "
            f"border-left: 6px solid {colour}; }}"
        )

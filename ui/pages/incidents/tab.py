"""What every tab of the incident room is: it shows one incident and says when it wrote."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import UserError
from app.files import write_atomic
from app.incidents.model import Incident
from app.store import Store
from app.timeutil import Clock
from ui.widgets import plain


class RoomTab(QWidget):
    """A tab of the room. `load(incident)` shows it; `changed` follows anything it writes, so
    the room reloads and the lists and bars outside follow."""

    changed = Signal()

    def __init__(self, store: Store, clock: Clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.incident: Incident | None = None

    def load(self, incident: Incident) -> None:
        self.incident = incident

    # --- nothing typed is lost -------------------------------------------------------------

    def flush(self) -> None:
        """Save what this tab keeps by itself (the assessment); called before it is left."""

    def unsent(self) -> list[str]:
        """What was typed but not added yet ("a note for the timeline"), to ask about."""
        return []

    def add_unsent(self) -> None:
        """Add what was typed but not added yet, as its button would."""

    def drop_unsent(self) -> None:
        """Clear what was typed but not added yet (the owner chose to discard it)."""

    def write_export(self, name, data: str | bytes, title: str) -> bool:
        """Write an export whole or not at all; a failure is said in one sentence."""
        try:
            write_atomic(name, data)
        except UserError as exc:
            QMessageBox.warning(self, title, plain(str(exc)))
            return False
        return True

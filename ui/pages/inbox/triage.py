"""The Inbox's keyboard triage and bulk actions: j/k move, e escalate, r reply, i ignore, h hide,
1-4 severity, t tag, a assign to a person of the team, u back to new, d replied; each applies to
every selected mention, and the right-click menu assigns them, declares an incident from them
or attaches them to one.

`TriageActions` is a part of `InboxPage`: it expects the page's `table`, `model`, `reading`,
`store` and `say`.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from app.levels import LEVEL_NAMES
from app.mentions.model import TriageError
from app.sharing.local import team
from ui.dialogs.mentions import ask_reason, ask_tag
from ui.widgets import plain

TRIAGE_WORDS = {
    "escalate": "{many} escalated.",
    "reply": "{many} needs a reply: write it on the right.",
    "replied": "{many} marked as replied.",
    "new": "{many} back to new.",
    "ignore": "{many} ignored; find it again under Ignored.",
    "hide": "{many} hidden; find it again under Hidden, and put it back with u.",
    "tag": "{many} tagged.",
}


class TriageActions:
    """The keys on the table and what they do to the selected mentions."""

    def _keys(self) -> None:
        bindings = {
            "J": lambda: self.move(1),
            "K": lambda: self.move(-1),
            "E": lambda: self.triage("escalate"),
            "R": lambda: self.triage("reply"),
            "I": lambda: self.triage("ignore"),
            "H": lambda: self.triage("hide"),
            "U": lambda: self.triage("new"),
            "D": lambda: self.triage("replied"),
            "T": lambda: self.triage("tag"),
            "A": lambda: self.assign(),
            "Return": lambda: self.reading.reply.setFocus(),
        }
        for level in LEVEL_NAMES:
            bindings[str(level)] = lambda level=level: self.set_severity(level)
        self.shortcuts = []
        for key, action in bindings.items():
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(action)
            self.shortcuts.append(shortcut)

    def move(self, step: int) -> None:
        if not self.model.total:
            return
        current = self.table.currentIndex().row()
        row = max(0, min(self.model.total - 1, (current if current >= 0 else -1) + step))
        self.select_row(row)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def selected_rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        current = self.table.currentIndex().row()
        return rows or ([current] if current >= 0 else [])

    def selected_ids(self, rows: list[int]) -> list[int]:
        return [m.id for m in (self.model.mention_at(r) for r in rows) if m is not None]

    def triage(self, action: str) -> None:
        """Apply a triage step to the selected mentions (all of them: bulk actions)."""
        rows = self.selected_rows()
        ids = self.selected_ids(rows)
        if not ids:
            return
        many = f"{len(ids)} mentions" if len(ids) > 1 else "the mention"
        try:
            if action == "escalate":
                self.store.mentions.set_status(ids, "escalated")
            elif action == "reply":
                self.store.mentions.set_status(ids, "needs_reply")
            elif action == "replied":
                self.store.mentions.set_status(ids, "replied")
            elif action == "new":
                self.store.mentions.set_status(ids, "new")
            elif action in ("ignore", "hide"):
                reason = ask_reason(self, action, many)
                if not reason:
                    return
                self.store.mentions.set_status(
                    ids, "ignored" if action == "ignore" else "hidden", reason
                )
            elif action == "tag":
                tag = ask_tag(self, self.store.mentions.known_tags())
                if not tag:
                    return
                self.store.mentions.add_tag(ids, tag)
        except TriageError as exc:
            QMessageBox.information(self, "Inbox", plain(str(exc)))
            return
        self.model.refresh_rows(rows)
        self.update_count()
        self.say(TRIAGE_WORDS[action].format(many=many.capitalize()))
        if action == "reply":
            self._current_changed()
            self.reading.reply.setFocus()
        elif action in ("escalate", "ignore", "hide", "replied") and len(rows) == 1:
            self.move(1)  # on to the next one, as in any inbox
        else:
            self._current_changed()

    def _incident_menu(self, position) -> None:
        """Right-click: declare an incident from the selected mentions, or attach them."""
        ids = self.selected_ids(self.selected_rows())
        if not ids:
            return
        menu = QMenu(self)
        many = f"{len(ids)} mentions" if len(ids) > 1 else "this mention"
        assign = menu.addMenu("Assign to")
        for name in team(self.store):
            assign.addAction(name, lambda name=name: self.assign(name))
        assign.addAction("Someone else… (A)", lambda: self.assign())
        assign.addSeparator()
        assign.addAction("No one", lambda: self.assign(""))
        menu.addAction(f"Declare incident from {many}…", lambda: self.declare_with.emit(ids))
        attach = menu.addMenu("Attach to incident")
        open_incidents = self.store.incidents.all(open_only=True)
        for incident in open_incidents:
            attach.addAction(
                f"{incident.title} ({incident.level_label})",
                lambda incident_id=incident.id: self.attach_to(incident_id, ids),
            )
        attach.setEnabled(bool(open_incidents))
        menu.exec(self.table.viewport().mapToGlobal(position))

    def assign(self, name: str | None = None) -> None:
        """Give the selected mentions to a person of the team ("" takes them off anyone's
        queue); without a name, ask for one."""
        rows = self.selected_rows()
        ids = self.selected_ids(rows)
        if not ids:
            return
        many = f"{len(ids)} mentions" if len(ids) > 1 else "the mention"
        if name is None:
            name, ok = QInputDialog.getItem(
                self, "Assign", f"Who takes {many}?", team(self.store), 0, True
            )
            if not ok or not name.strip():
                return
        self.store.mentions.set_assignee(ids, name)
        self.model.refresh_rows(rows)
        self.update_count()
        self._current_changed()
        self.say(f"{many.capitalize()} assigned to {name.strip()}." if name.strip()
                 else f"{many.capitalize()} assigned to no one.")  # fmt: skip

    def attach_to(self, incident_id: int, ids: list[int]) -> None:
        added = self.store.incidents.attach_mentions(incident_id, ids)
        self.model.refresh_rows(self.selected_rows())
        self.say(f"Attached {added} mention{'s' if added != 1 else ''} to the incident.")

    def set_severity(self, level: int | None) -> None:
        rows = self.selected_rows()
        ids = self.selected_ids(rows)
        if ids:
            self.store.mentions.set_severity(ids, level)
            self.model.refresh_rows(rows)
            self.update_count()
            self._current_changed()

    def _current_changed(self, *_args) -> None:
        rows = self.selected_rows()
        if len(rows) > 1:  # several chosen: the pane offers what applies to all of them
            self.reading.show_many(len(rows))
            return
        row = self.table.currentIndex().row()
        mention = self.model.mention_at(row) if row >= 0 else None
        self.reading.show_mention(mention)

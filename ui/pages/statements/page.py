"""The Statements page: every statement on the left, the editor on the right; a new one starts
from a template filled in from the plan and the incident, and text a crash left unsaved is
offered back."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.statements.model import Statement
from app.statements.templates import fill_variables, template_text
from ui.dialogs.statements import NewStatementDialog
from ui.format import time_on_day
from ui.pages.base import Page
from ui.pages.statements.editor import StatementEditor
from ui.widgets import (
    button,
    label,
    plain,
    primary_button,
    select_by_id,
    wrap_list,
)


def _list_text(statement: Statement) -> str:
    return f"{statement.title}\n{statement.stage_label} · {statement.status_label}"


class StatementsPage(Page):
    title = "Statements"
    subtitle = "Say the right thing, approved before it goes out."

    shows = frozenset({"statements"})

    def __init__(self, store, clock, parent=None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        new = primary_button("New statement", "mdi6.file-document-edit-outline", "Ctrl+N")
        new.clicked.connect(lambda: self.new_item())
        self.actions.addWidget(new)
        split = QSplitter()
        self.list = QListWidget()
        self.list.setFixedWidth(200)
        wrap_list(self.list)
        self.list.setSpacing(2)
        self.list.setAccessibleName("Statements")
        self.list.currentItemChanged.connect(self._selected)
        split.addWidget(self.list)
        self.editor = StatementEditor(store)
        self.editor.changed.connect(self._editor_changed)
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addWidget(label("No statements yet.", "BigQuiet"))
        empty_layout.addWidget(
            label(
                "Start from a template: a holding statement in the first hour, an apology, "
                "updates, a resolution, an FAQ for staff or a memo. It is filled in from your "
                "plan and the incident, checked as you type, and approved before it goes out.",
                "Muted",
            )
        )
        start = button("Write a holding statement", "mdi6.file-document-edit-outline")
        start.clicked.connect(lambda: self.new_item("holding"))
        empty_layout.addWidget(start, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)
        split.addWidget(self.empty)
        split.addWidget(self.editor)
        split.setStretchFactor(2, 1)
        self.body.addWidget(split, 1)
        self._recovery_offered = False
        self.refresh()

    def refresh(self, domains: set[str] | None = None) -> None:
        current = self.editor.statement.id if self.editor.statement else None
        statements = self.store.statements.all()
        self.list.blockSignals(True)
        self.list.clear()
        for statement in statements:
            item = QListWidgetItem(_list_text(statement))
            item.setData(Qt.ItemDataRole.UserRole, statement.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        has_any = bool(statements)
        self.empty.setVisible(not has_any)
        self.editor.setVisible(has_any)
        self.list.setVisible(has_any)
        if has_any:
            ids = [s.id for s in statements]
            self.show_statement(current if current in ids else ids[0])
        if not self._recovery_offered:
            self._recovery_offered = True
            QTimer.singleShot(0, self.offer_recoveries)

    def restyle(self) -> None:
        self.editor.restyle()

    def show_statement(self, statement_id: int) -> None:
        select_by_id(self.list, statement_id)
        self.editor.load(statement_id)

    def _selected(self, item, _previous=None) -> None:
        if item is not None:
            self.editor.load(item.data(Qt.ItemDataRole.UserRole))
            self.refresh_list_only()

    def refresh_list_only(self) -> None:
        """Titles and states may have changed; the list's order and members have not."""
        by_id = {statement.id: statement for statement in self.store.statements.all()}
        for row in range(self.list.count()):
            item = self.list.item(row)
            statement = by_id.get(item.data(Qt.ItemDataRole.UserRole))
            if statement is not None:
                item.setText(_list_text(statement))

    def _editor_changed(self) -> None:
        self.refresh_list_only()
        self.report_changes("statements", "incidents")

    def new_item(self, stage: str | None = None, incident_id: int | None = None) -> int | None:
        dialog = NewStatementDialog(self.store, incident_id, self)
        if stage:
            dialog.stage.setCurrentIndex(dialog.stage.findData(stage))
        if not dialog.exec():
            return None
        stage = dialog.stage.currentData()
        incident = dialog.incident.currentData()
        text, _problems = fill_variables(
            template_text(stage), self.store.statements.template_values(incident, self.clock())
        )
        statement_id = self.store.statements.create(dialog.title.text(), stage, text, incident)
        self.refresh()
        self.show_statement(statement_id)
        self.editor.editor.setFocus()
        return statement_id

    def commands(self):
        """Ctrl+K: a new statement, and what the editor offers for the one shown."""
        found = super().commands()
        editor = self.editor
        if editor.statement is not None:
            for widget in (
                editor.save_button,
                editor.approve_button,
                editor.publish_button,
                editor.landing_button,
            ):
                if widget.isEnabled() and not widget.isHidden():
                    found.append((widget.text(), widget.icon(), widget.click))
        return found

    def offer_recoveries(self) -> None:
        if self.retired:
            return
        recoveries = self.store.statements.recoveries()
        for recovery in recoveries:
            kept_at = time_on_day(recovery.saved_at)
            answer = QMessageBox.question(
                self,
                "Recovered text",
                plain(
                    f"Crisis Desk closed before your last changes to “{recovery.title}” were "
                    f"saved. They were kept at {kept_at}. Restore them?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.store.statements.save(
                    recovery.statement_id, recovery.body, note="Recovered after Crisis Desk closed"
                )
            else:
                self.store.statements.discard_autosave(recovery.statement_id)
        if recoveries and self.editor.statement is not None:
            self.editor.load(self.editor.statement.id)

    def confirm_leave(self) -> bool:
        self.editor.flush()
        return True

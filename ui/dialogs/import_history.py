"""The import history: every import and every pull that brought mentions, newest first, with
Undo for a wrong one. Undo asks first, says what stays (mentions you already worked on), runs in
the background and is recorded in the history."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
)

from app.mentions.batches import Batch, UndoResult
from app.store import Store
from app.text import plural
from ui.dialogs.base import dialog_layout
from ui.format import number, when
from ui.ops import Op, StoreOp
from ui.widgets import label, plain, plain_label

COLUMNS = ["#", "When", "What", "From", "New", "Already there", "Rejected", "Undone"]


class ImportHistoryDialog(QDialog):
    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.worker: Op | None = None
        self.last_undo: UndoResult | None = None
        self.batches: list[Batch] = []
        layout = dialog_layout(self, "Import history", 720)
        self.resize(860, 480)
        layout.addWidget(
            label(
                "Every import and every pull that brought mentions. Undo takes a wrong import "
                "back out of the Inbox; mentions you have already worked on stay.",
                "Muted",
            )
        )
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Imports and pulls")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.empty = plain_label(
            "No imports yet. Import an export with “Import mentions”, or set up a source."
        )
        layout.addWidget(self.empty)
        self.status = plain_label("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.undo_button = self.buttons.addButton(
            "Undo import…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.undo_button.setAccessibleName("Undo the selected import")
        self.undo_button.clicked.connect(self.ask_undo)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.refresh()

    def refresh(self) -> None:
        self.batches = self.store.batches.all()
        self.table.setRowCount(len(self.batches))
        for row, b in enumerate(self.batches):
            undone = ""
            if b.undone_at is not None:
                undone = f"{when(b.undone_at)}: {plural(b.undo_removed, 'removed', 'removed')}"
                if b.undo_kept:
                    undone += f", {number(len(b.undo_kept))} kept"
            values = [
                str(b.id),
                when(b.started_at),
                "Import" if b.kind == "import" else "Pull",
                b.label,
                number(b.imported),
                number(b.duplicates),
                number(b.rejected),
                undone,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(plain("\n".join([b.detail, *b.notes]).strip()))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.empty.setVisible(not self.batches)
        self.table.setVisible(bool(self.batches))
        if self.batches and not self.table.selectedItems():
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> Batch | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not rows:
            return None
        return self.batches[min(rows)]

    def _selection_changed(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(batch is not None and not batch.undone and self.worker is None)

    def question(self, batch: Batch) -> str:
        kept = self.store.batches.touched(batch.id)
        what = "import" if batch.kind == "import" else "pull"
        text = (
            f"Undo {what} {batch.id} ({batch.label})? Its {plural(batch.imported, 'mention')} "
            "leave the Inbox."
        )
        if kept:
            text += (
                f" {plural(len(kept), 'mention')} you have already worked on (triaged, tagged, "
                "replied to, attached to an incident or kept evidence for) will stay."
            )
        return text + " The undo is recorded in this history; you can import the file again."

    def ask_undo(self) -> None:
        batch = self.selected()
        if batch is None or batch.undone:
            return
        answer = QMessageBox.question(
            self,
            "Undo import",
            plain(self.question(batch)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.undo(batch.id)

    def undo(self, batch_id: int) -> None:
        """Undo without asking (after the question, and in tests)."""
        self.undo_button.setEnabled(False)
        self.status.setText("Undoing…")

        def run(store: Store, _job) -> UndoResult:
            return store.batches.undo(batch_id)

        self.worker = (
            StoreOp(
                self,
                self.store.path,
                run,
                title="Undo import",
                clock=self.store.clock,
                changes={"mentions"},
            )
            .on_finished(self._forget_worker)
            .success(self._undone)
            .on_failure(self.status.setText)
            .run_in_background()
        )

    def _forget_worker(self) -> None:
        self.worker = None
        self.refresh()

    def _undone(self, result: UndoResult) -> None:
        self.last_undo = result
        self.status.setText(result.summary())

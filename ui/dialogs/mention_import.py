"""Import an export file: a preview, which column is which (remembered for next time), then the
import in the background with numbers and Cancel. Cancelling leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.mentions.importers import (
    FIELDS,
    ImportResult,
    MentionImportError,
    import_mentions,
    preview,
)
from app.store import Store
from ui.format import number
from ui.ops import Op, StoreOp
from ui.widgets import label, plain_label

NONE = "(not in this file)"
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with BOM)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
}


class ImportMentionsDialog(QDialog):
    """Raises MentionImportError from the constructor when the file cannot even be previewed;
    the page shows that message instead of the dialog."""

    def __init__(self, store: Store, path: Path, parent=None):
        super().__init__(parent)
        self.store = store
        self.path = Path(path)
        self.worker: Op | None = None
        self.result_summary: ImportResult | None = None
        self.error = ""
        self.setWindowTitle(f"Import mentions from {self.path.name}")
        self.resize(900, 620)
        records, rows, guessed = preview(self.path)
        remembered = store.mentions.remembered_mapping(records.signature)
        mapping = guessed.fields
        origin = f"looks like a {guessed.preset} export" if guessed.preset != "generic" else ""
        found = [
            f"{FIELDS[name].replace(' (required)', '')} from “{guessed.fields[name]}” ({why})"
            for name, why in guessed.by_content.items()
        ]
        if remembered:
            mapping = {k: v for k, v in remembered.items() if v in records.columns}
            origin = "uses the columns you chose last time"
            found = []
        self.columns = records.columns

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        kind = records.format.upper()
        encoding = ENCODING_NAMES.get(records.encoding, records.encoding)
        facts = f"{kind}, {encoding}"
        if records.delimiter:
            facts += {",": ", comma-separated", ";": ", semicolon-separated"}.get(
                records.delimiter, ", tab-separated" if records.delimiter == "\t" else ""
            )
        self.facts = label(f"{self.path.name}: {facts}" + (f"; it {origin}." if origin else "."))
        layout.addWidget(self.facts)
        if records.decision.replaced:
            layout.addWidget(plain_label(records.decision.note()))
        hint = "Check which column holds what. The text and a date are needed."
        if found:
            hint += " Found by what the columns hold: " + "; ".join(found) + "."
        self.hint = plain_label(hint)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("Muted")
        layout.addWidget(self.hint)

        form = QFormLayout()
        form.setSpacing(6)
        self.combos: dict[str, QComboBox] = {}
        for field_name, caption in FIELDS.items():
            combo = QComboBox()
            combo.addItems([NONE, *records.columns])
            combo.setAccessibleName(caption)
            chosen = mapping.get(field_name)
            if chosen in records.columns:
                combo.setCurrentText(chosen)
            self.combos[field_name] = combo
        pairs = list(self.combos.items())
        grid = QHBoxLayout()
        for half in (pairs[: (len(pairs) + 1) // 2], pairs[(len(pairs) + 1) // 2 :]):
            column = QFormLayout()
            column.setSpacing(6)
            for field_name, combo in half:
                column.addRow(FIELDS[field_name], combo)
            grid.addLayout(column, 1)
        layout.addLayout(grid)
        # Never date a mention "now" without the owner saying so.
        self.no_date = plain_label(
            "No date column: every mention would be dated now, and the chart and the spike "
            "alarm would show them all at this moment. Choose the column that holds the date, "
            "or accept the time of the import."
        )
        self.no_date.setWordWrap(True)
        bold = self.no_date.font()
        bold.setBold(True)
        self.no_date.setFont(bold)
        self.undated = QCheckBox("Date mentions without a date with the time of this import")
        self.undated.setAccessibleName("Date mentions without a date with the time of this import")
        layout.addWidget(self.no_date)
        layout.addWidget(self.undated)
        self.combos["posted_at"].currentTextChanged.connect(self._date_column_changed)
        self._date_column_changed()

        self.table = QTableWidget(len(rows), len(records.columns))
        self.table.setHorizontalHeaderLabels(records.columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("The first rows of the file")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(140)
        for r, record in enumerate(rows):
            for c, column in enumerate(records.columns):
                value = record.get(column, "") if isinstance(record, dict) else ""
                self.table.setItem(r, c, QTableWidgetItem(" ".join(str(value or "").split())))
        layout.addWidget(self.table, 1)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setAccessibleName("Import progress")
        self.status = plain_label("")
        self.status.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setVisible(False)
        self.report.setAccessibleName("Rows that were not imported")
        layout.addWidget(self.report)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("Primary")
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel_or_close)
        layout.addWidget(self.buttons)

    def mapping(self) -> dict[str, str]:
        return {
            name: combo.currentText() if combo.currentText() != NONE else ""
            for name, combo in self.combos.items()
        }

    def _date_column_changed(self, *_args) -> None:
        missing = self.combos["posted_at"].currentText() == NONE
        self.no_date.setVisible(missing)
        self.undated.setText(
            "Date every mention with the time of this import"
            if missing
            else "Date rows whose date is blank with the time of this import"
        )

    def start(self) -> None:
        if self.result_summary is not None:
            self.accept()
            return
        mapping = self.mapping()
        if not mapping["text"]:
            self.status.setText("Choose the column that holds the text of each mention.")
            self.combos["text"].setFocus()
            return
        undated = self.undated.isChecked()
        if not mapping["posted_at"] and not undated:
            self.status.setText(
                "No date column: every mention would be dated now. Choose the column that "
                "holds the date, or tick “Date every mention with the time of this import”."
            )
            self.combos["posted_at"].setFocus()
            return
        for combo in self.combos.values():
            combo.setEnabled(False)
        self.undated.setEnabled(False)
        self.import_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText("Reading the file…")
        file = self.path

        def import_file(store: Store, job) -> ImportResult:
            return import_mentions(
                store,
                file,
                mapping=mapping,
                undated=undated,
                progress=job.progress,
                cancelled=job.cancelled,
            )

        self.worker = (
            StoreOp(
                self,
                self.store.path,
                import_file,
                title="Import mentions",
                clock=self.store.clock,
                changes={"mentions"},
            )
            .on_progress(self._on_progress)
            .on_finished(self._forget_worker)
            .success(self._on_finished)
            .on_failure(self._on_failed)
            .on_cancelled(self._on_cancelled)
            .run_in_background()
        )

    def _forget_worker(self) -> None:
        self.worker = None

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"{number(done)} of {number(total)} mentions")

    def _on_finished(self, result: ImportResult) -> None:
        self.result_summary = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(
            f"{result.summary()} You can undo this import from the Inbox's import history."
        )
        report = list(result.notes)
        if result.rejected:
            lines = [str(r) for r in result.rejected]
            if result.rejected_count > len(lines):
                lines.append(f"… and {number(result.rejected_count - len(lines))} more")
            report += ["", "Not imported:", *lines]
        if report:
            self.report.setPlainText("\n".join(report).strip())
            self.report.setVisible(True)
        self.import_button.setText("Done")
        self.import_button.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setVisible(False)

    def _on_failed(self, message: str) -> None:
        self.error = message
        self._ready_again(f"Nothing was imported. {message}")

    def _on_cancelled(self) -> None:
        self._ready_again("The import was cancelled; nothing was added.")

    def _ready_again(self, status: str) -> None:
        self.progress.setVisible(False)
        self.status.setText(status)
        for combo in self.combos.values():
            combo.setEnabled(True)
        self.undated.setEnabled(True)
        self.import_button.setEnabled(True)

    def cancel_or_close(self) -> None:
        if self.worker is not None:
            self.status.setText("Cancelling… nothing will be kept.")
            self.worker.cancel()
            return
        self.reject()

    def closeEvent(self, event):  # noqa: N802 (Qt override)
        if self.worker is not None:
            self.worker.cancel()
            event.ignore()
            return
        super().closeEvent(event)


def open_import_dialog(store: Store, path: Path, parent=None) -> ImportMentionsDialog | str:
    """The dialog, or the one-line reason the file cannot be imported."""
    try:
        return ImportMentionsDialog(store, path, parent)
    except MentionImportError as exc:
        return str(exc)

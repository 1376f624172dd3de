"""Contact dialogs: add or edit one person, map CSV columns, and review an import before it runs."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QWidget,
)

from app.contacts.csv_files import CSV_FIELDS, CsvTable
from app.contacts.importing import ImportPreview
from app.contacts.model import Contact, clean_contact, parse_phone
from ui.dialogs.base import KeepsTyping, dialog_layout, save_cancel_buttons
from ui.format import counted, number
from ui.widgets import label, plain, plain_label

COMMON_TIMEZONES = (
    "",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Asia/Singapore",
)


class ContactDialog(KeepsTyping, QDialog):
    """Add or edit one person. Lists (phones, emails, handles) are one per line."""

    def __init__(self, contact: Contact | None, groups: list[str], parent=None):
        super().__init__(parent)
        self.original = contact or Contact(name="")
        layout = dialog_layout(self, "Edit contact" if contact else "Add contact", 560)
        form = QFormLayout()
        form.setSpacing(8)
        c = self.original
        self.name = QLineEdit(c.name)
        self.name.setPlaceholderText("e.g. Maya Okafor")
        self.kind = QComboBox()
        self.kind.addItem("Internal (your team)", "internal")
        self.kind.addItem("External (adviser, supplier, press…)", "external")
        self.kind.setCurrentIndex(max(0, self.kind.findData(c.kind)))
        self.role = QLineEdit(c.role)
        self.role.setPlaceholderText("e.g. Shop manager, solicitor, reporter")
        self.organisation = QLineEdit(c.organisation)
        self.phones = self._lines([p.text() for p in c.phones], "mobile: +44 7700 900123")
        self.emails = self._lines(c.emails, "name@example.com")
        self.social = self._lines(c.social, "@handle")
        self.groups = QLineEdit(", ".join(c.groups))
        self.groups.setPlaceholderText("e.g. Crisis team, Advisers (comma between groups)")
        completer = QCompleter(groups, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.groups.setCompleter(completer)
        self.availability = QLineEdit(c.availability)
        self.availability.setPlaceholderText("e.g. 07:00–16:00 weekdays; any time for level 4")
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(COMMON_TIMEZONES)
        self.timezone.setCurrentText(c.timezone)
        self.notes = QPlainTextEdit(c.notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(64)
        for caption, widget in (
            ("Name", self.name),
            ("Internal or external", self.kind),
            ("Role", self.role),
            ("Organisation", self.organisation),
            ("Phones", self.phones),
            ("Emails", self.emails),
            ("Social handles", self.social),
            ("Groups", self.groups),
            ("Availability", self.availability),
            ("Time zone", self.timezone),
            ("Notes", self.notes),
        ):
            widget.setAccessibleName(caption)
            form.addRow(caption, widget)
        layout.addLayout(form)
        layout.addWidget(label("Phones, emails and handles: one per line.", "Muted"))
        layout.addWidget(save_cancel_buttons(self))
        self.remember_typing()

    @staticmethod
    def _lines(values: list[str], hint: str) -> QPlainTextEdit:
        widget = QPlainTextEdit("\n".join(values))
        widget.setPlaceholderText(hint)
        widget.setTabChangesFocus(True)
        widget.setFixedHeight(54)
        return widget

    def contact(self) -> Contact:
        def lines(widget: QPlainTextEdit) -> list[str]:
            return [line.strip() for line in widget.toPlainText().splitlines() if line.strip()]

        return Contact(
            id=self.original.id,
            name=self.name.text(),
            kind=self.kind.currentData(),
            role=self.role.text(),
            organisation=self.organisation.text(),
            phones=[p for p in (parse_phone(line) for line in lines(self.phones)) if p],
            emails=lines(self.emails),
            social=lines(self.social),
            groups=[g.strip() for g in self.groups.text().split(",") if g.strip()],
            availability=self.availability.text(),
            timezone=self.timezone.currentText(),
            notes=self.notes.toPlainText(),
        )

    def accept(self) -> None:
        try:
            clean_contact(self.contact())
        except ValueError:
            QMessageBox.information(self, self.windowTitle(), "Type the person's name.")
            self.name.setFocus()
            return
        super().accept()


class CsvMappingDialog(QDialog):
    """Which column holds what: a guess from the headers, shown over the first rows."""

    PREVIEW_ROWS = 8

    def __init__(self, table: CsvTable, mapping: list[str], file_name: str, parent=None):
        super().__init__(parent)
        layout = dialog_layout(self, "Import contacts from CSV", 760)
        self.resize(820, 700)
        layout.addWidget(
            label(
                f"{file_name}: {counted(len(table.rows), 'row')}. Check what each column holds; "
                "columns set to “(ignore)” are left out. Several columns can be phones or emails.",
                "Muted",
            )
        )
        self.combos: list[QComboBox] = []
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.addWidget(label("Column in the file", "SectionTitle"), 0, 0)
        grid.addWidget(label("Holds", "SectionTitle"), 0, 1)
        grid.addWidget(label("First row", "SectionTitle"), 0, 2)
        first = table.rows[0][1] if table.rows else []
        for index, header in enumerate(table.headers):
            combo = QComboBox()
            combo.setAccessibleName(f"Column {header or index + 1} holds")
            for value, text in CSV_FIELDS.items():
                combo.addItem(text, value)
            combo.setCurrentIndex(
                max(0, combo.findData(mapping[index] if index < len(mapping) else ""))
            )
            self.combos.append(combo)
            grid.addWidget(plain_label(header or f"(column {index + 1})"), index + 1, 0)
            grid.addWidget(combo, index + 1, 1)
            sample = first[index] if index < len(first) else ""
            grid.addWidget(label(sample[:60], "Muted", wrap=False), index + 1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        scroll.setMinimumHeight(min(300, 50 + 38 * len(table.headers)))
        layout.addWidget(scroll)

        preview = QTableWidget(min(self.PREVIEW_ROWS, len(table.rows)), len(table.headers))
        preview.setAccessibleName("First rows of the file")
        preview.setHorizontalHeaderLabels(table.headers)
        preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        preview.verticalHeader().hide()
        preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, (_line, values) in enumerate(table.rows[: self.PREVIEW_ROWS]):
            for column, value in enumerate(values[: len(table.headers)]):
                preview.setItem(row, column, QTableWidgetItem(value[:80]))
        preview.setMinimumHeight(150)
        preview.setMaximumHeight(240)
        layout.addWidget(label("The first rows", "SectionTitle"))
        layout.addWidget(preview)
        layout.addWidget(save_cancel_buttons(self, "Continue"))

    def mapping(self) -> list[str]:
        return [combo.currentData() for combo in self.combos]

    def accept(self) -> None:
        if not any(m in ("name", "first_name", "last_name") for m in self.mapping()):
            QMessageBox.information(
                self,
                self.windowTitle(),
                "Choose which column holds the name (or first and last name).",
            )
            return
        super().accept()


KIND_WORDS = {"internal": "Team", "external": "Outside"}


class ImportReviewDialog(QDialog):
    """Before anything is added: how many are new, which are already there, which cannot be used."""

    def __init__(self, preview: ImportPreview, file_name: str, parent=None):
        super().__init__(parent)
        layout = dialog_layout(self, "Import contacts", 620)
        new, dups, bad = len(preview.new), len(preview.duplicates), len(preview.rejected)
        layout.addWidget(label(f"{file_name}", "SectionTitle"))
        said = [f"{number(new)} new contact{'s' if new != 1 else ''} to add."]
        if dups:
            said.append(
                f"{number(dups)} already in your contacts (same email or phone) will be skipped."
            )
        if bad:
            said.append(f"{number(bad)} row{'s' if bad != 1 else ''} cannot be used.")
        layout.addWidget(label(" ".join(said)))
        self.preview = preview
        if preview.new:
            layout.addWidget(
                label(
                    "Team or Outside is guessed from each person's role and organisation: "
                    "double-click it to change it.",
                    "Muted",
                )
            )
            self.people = QTableWidget(min(len(preview.new), 500), 5)
            self.people.setAccessibleName("New contacts")
            self.people.setHorizontalHeaderLabels(["Name", "Role", "Phone", "Email", "Kind"])
            self.people.verticalHeader().hide()
            self.people.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            self.people.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
            header = self.people.horizontalHeader()
            # Names are read whole; the role (with the organisation) gives up room first.
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            self.people.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            for row, contact in enumerate(preview.new[:500]):
                role = " · ".join(x for x in (contact.role, contact.organisation) if x)
                for column, text in enumerate(
                    [contact.name, role, contact.first_phone, ", ".join(contact.emails[:1]), ""]
                ):
                    item = QTableWidgetItem(text)
                    item.setToolTip(plain(text))
                    self.people.setItem(row, column, item)
                self._show_kind(row)
            self.people.cellDoubleClicked.connect(self._toggle_kind)
            self.people.setMinimumHeight(min(60 + 30 * len(preview.new), 260))
            layout.addWidget(self.people, 1)
            if len(preview.new) > 500:
                layout.addWidget(label(f"… and {number(len(preview.new) - 500)} more.", "Muted"))
        details = []
        for problem in preview.rejected[:500]:
            details.append(f"✗ {problem.where}: {problem.reason}")
        for where, contact, why in preview.duplicates[:500]:
            details.append(f"= {where} ({contact.name}): {why}")
        if len(preview.rejected) + len(preview.duplicates) > 1000:
            details.append("… and more; the command line import lists them all.")
        if details:
            view = QTextBrowser()
            view.setAccessibleName("Rows left out")
            view.setPlainText("\n".join(details))
            view.setMinimumHeight(180)
            layout.addWidget(view)
        buttons = save_cancel_buttons(self, f"Import {counted(new, 'contact')}")
        self.resize(860, self.sizeHint().height())
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(new > 0)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.import_button.setObjectName("Primary")
        layout.addWidget(buttons)

    def _show_kind(self, row: int) -> None:
        self.people.item(row, 4).setText(KIND_WORDS[self.preview.new[row].kind])

    def _toggle_kind(self, row: int, _column: int) -> None:
        contact = self.preview.new[row]
        kind = "internal" if contact.kind == "external" else "external"
        self.preview.new[row] = replace(contact, kind=kind)
        self._show_kind(row)

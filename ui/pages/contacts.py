"""The Contacts page: the people you would call, searchable as you type, in groups; import and
export (CSV, vCard); and the call tree — who calls whom when an escalation level fires."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.contacts.csv_files import contacts_from_csv, contacts_to_csv, guess_mapping, read_csv
from app.contacts.importing import commit_import, looks_like_vcard, preview_import, read_file
from app.contacts.model import CallTreeLink, ContactImportError
from app.contacts.vcard import contacts_to_vcard, parse_vcards
from app.errors import UserError
from app.files import write_atomic
from app.levels import LEVEL_NAMES
from app.plan.model import contact_usages
from app.plan.repository import delete_contact
from app.store import Store
from ui.dialogs import exports
from ui.dialogs.contacts import ContactDialog, CsvMappingDialog, ImportReviewDialog
from ui.dialogs.plan import remembered_author
from ui.format import number
from ui.models.contacts import ContactTableModel
from ui.ops import Op, StoreOp
from ui.pages.base import Page
from ui.widgets import (
    Card,
    button,
    icon,
    label,
    level_colour,
    plain,
    primary_button,
    show_status,
    spacer,
)

ALL_GROUPS = "All groups"


class CallTreeEditor(QWidget):
    """One level at a time: the tree of calls, and a row to add someone under someone."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        top = QHBoxLayout()
        self.level = QComboBox()
        self.level.setAccessibleName("Escalation level")
        for level in (4, 3, 2, 1):
            self.level.addItem(
                icon("mdi6.circle", level_colour(level)),
                f"Level {level} · {LEVEL_NAMES[level]}",
                level,
            )
        self.level.currentIndexChanged.connect(self.reload)
        top.addWidget(label("When this level fires:", wrap=False))
        top.addWidget(self.level)
        top.addStretch(1)
        layout.addLayout(top)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Call tree")
        self.tree.setHeaderLabels(["Who", "Role", "Phone"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setRootIsDecorated(True)
        self.tree.setStyleSheet("QTreeView::item { padding: 5px 2px; }")
        self.tree.setToolTip("Double-click someone to add the next people under them")
        self.tree.itemDoubleClicked.connect(self._call_under)
        layout.addWidget(self.tree, 1)
        self.empty_hint = label(
            "Nobody is in the call tree for this level yet. Add the first person to call, then "
            "who they call.",
            "Muted",
        )
        layout.addWidget(self.empty_hint)

        add = QHBoxLayout()
        self.person = QComboBox()
        self.person.setAccessibleName("Person to call")
        self.caller = QComboBox()
        self.caller.setAccessibleName("Called by")
        self.add_button = button("Add to call tree", "mdi6.phone-plus-outline")
        self.remove_button = button(
            "Remove", "mdi6.delete-outline", "Their calls move up to whoever called them"
        )
        self.add_button.clicked.connect(self.add_person)
        self.remove_button.clicked.connect(self.remove_selected)
        add.addWidget(label("Call", wrap=False))
        add.addWidget(self.person, 2)
        add.addWidget(label("called by", wrap=False))
        add.addWidget(self.caller, 2)
        add.addWidget(self.add_button)
        add.addWidget(self.remove_button)
        layout.addLayout(add)

    def current_level(self) -> int:
        return self.level.currentData()

    def reload(self) -> None:
        level = self.current_level()
        contacts = {c.id: c for c in self.store.contacts.all()}
        order = self.store.contacts.call_order(level)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for _depth, callee, caller in order:
            person = contacts.get(callee)
            if person is None:
                continue
            item = QTreeWidgetItem([person.name, person.role, person.first_phone])
            item.setData(0, Qt.ItemDataRole.UserRole, callee)
            parent = items.get(caller)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[callee] = item
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.empty_hint.setVisible(not order)
        in_tree = [callee for _d, callee, _c in order]
        # The next person to add comes up by itself, and "called by" stays as it was, so a
        # team goes in under one caller at one click each.
        self.person.clear()
        for contact in sorted(contacts.values(), key=lambda c: c.name.lower()):
            if contact.id not in in_tree:
                self.person.addItem(contact.name, contact.id)
        chosen_caller = self.caller.currentData()
        self.caller.clear()
        self.caller.addItem("nobody — they are called first", None)
        for callee in in_tree:
            if callee in contacts:
                self.caller.addItem(contacts[callee].name, callee)
        self.caller.setCurrentIndex(max(0, self.caller.findData(chosen_caller)))
        self.add_button.setEnabled(self.person.count() > 0)
        self.remove_button.setEnabled(bool(order))

    def _call_under(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        """Double-click someone in the tree: the next people added are called by them."""
        index = self.caller.findData(item.data(0, Qt.ItemDataRole.UserRole))
        if index >= 0:
            self.caller.setCurrentIndex(index)
            self.person.setFocus()

    def _links(self) -> list[CallTreeLink]:
        return self.store.contacts.call_tree(self.current_level())

    def add_person(self) -> None:
        callee = self.person.currentData()
        if callee is None:
            return
        level = self.current_level()
        links = [*self._links(), CallTreeLink(level, callee, self.caller.currentData())]
        self.store.contacts.set_call_tree(level, links)
        self.reload()
        self.changed.emit()

    def remove_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        removed = item.data(0, Qt.ItemDataRole.UserRole)
        level = self.current_level()
        links = self._links()
        caller_of_removed = next((lk.caller_id for lk in links if lk.callee_id == removed), None)
        kept = [
            CallTreeLink(
                level, lk.callee_id, caller_of_removed if lk.caller_id == removed else lk.caller_id
            )
            for lk in links
            if lk.callee_id != removed
        ]
        self.store.contacts.set_call_tree(level, kept)
        self.reload()
        self.changed.emit()


class ContactsPage(Page):
    title = "Contacts"
    subtitle = "The people you would call, and who calls whom."

    shows = frozenset({"contacts"})

    def __init__(self, store: Store, clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.import_button = button("Import…", "mdi6.import", "Add people from a vCard or CSV file")
        self.export_button = button("Export…", "mdi6.export", "Save your contacts as vCard or CSV")
        export_menu = QMenu(self)
        export_menu.addAction("vCard (.vcf) — phones and mail programs", lambda: self.export("vcf"))
        export_menu.addAction("CSV — spreadsheets", lambda: self.export("csv"))
        self.export_button.setMenu(export_menu)
        self.add_button = primary_button(
            "Add contact", "mdi6.account-plus-outline", "Add a person (Ctrl+N)"
        )
        for widget in (self.import_button, self.export_button, self.add_button):
            self.actions.addWidget(widget)
        self.import_button.clicked.connect(self.import_dialog)
        self.add_button.clicked.connect(self.new_item)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.body.addWidget(self.tabs, 1)

        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.setContentsMargins(0, 12, 0, 0)
        people_layout.setSpacing(10)
        self.stack = QStackedWidget()
        people_layout.addWidget(self.stack, 1)

        empty_host = QWidget()
        empty_layout = QVBoxLayout(empty_host)
        empty_layout.setContentsMargins(0, 0, 0, 0)
        card = Card()
        card.body.addWidget(label("No contacts yet", "CardTitle"))
        card.body.addWidget(
            label(
                "Add the people you would call on a bad day: your managers, your lawyer, your "
                "insurer, your PR help, the local press. Or bring them in from your phone or "
                "email program as a vCard or CSV file.",
                "Muted",
            )
        )
        for who in (
            "Your team: whoever decides, speaks, runs the accounts and the shop floor",
            "Advisers: lawyer, insurer's claims line, PR help, IT or website support",
            "Outside: your environmental health or licensing officer, key suppliers, local press",
        ):
            card.body.addWidget(label(f"•  {who}"))
        row = QHBoxLayout()
        first = button("Add contact", "mdi6.account-plus-outline")
        first.clicked.connect(self.new_item)
        from_file = button("Import from a file…", "mdi6.import")
        from_file.clicked.connect(self.import_dialog)
        row.addWidget(first)
        row.addWidget(from_file)
        row.addStretch(1)
        card.body.addLayout(row)
        empty_layout.addWidget(card)
        empty_layout.addWidget(spacer(), 1)
        self.stack.addWidget(empty_host)

        list_host = QWidget()
        list_layout = QVBoxLayout(list_host)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(10)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names, roles, phones, emails…")
        self.search.setAccessibleName("Search contacts")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.group = QComboBox()
        self.group.setAccessibleName("Group")
        self.group.currentIndexChanged.connect(self.apply_filter)
        self.edit_button = button("Edit…", "mdi6.pencil-outline")
        self.delete_button = button("Delete…", "mdi6.delete-outline")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.count_label = label("", "Muted", wrap=False)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.group, 1)
        filters.addWidget(self.count_label)
        filters.addStretch(0)
        filters.addWidget(self.edit_button)
        filters.addWidget(self.delete_button)
        list_layout.addLayout(filters)
        self.model = ContactTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setAccessibleName("Contacts")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in ((0, 160), (1, 190), (2, 170), (3, 140), (5, 130)):
            self.table.setColumnWidth(column, width)
        # Double-click and Enter both "activate" a row: one signal, one editor.
        self.table.activated.connect(lambda _i: self.edit_selected())
        list_layout.addWidget(self.table, 1)
        self.no_match = label("Nobody matches. Clear the search or choose “All groups”.", "Muted")
        list_layout.addWidget(self.no_match)
        self.stack.addWidget(list_host)
        self.tabs.addTab(people, icon("mdi6.account-group-outline"), "People")

        self.call_tree = CallTreeEditor(store)
        self.tabs.addTab(self.call_tree, icon("mdi6.sitemap-outline"), "Call tree")
        self._worker: Op | None = None
        self.refresh()

    # --- list ----------------------------------------------------------------------------

    def refresh(self, domains: set[str] | None = None) -> None:
        groups = self.store.contacts.groups()
        chosen = self.group.currentText()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(ALL_GROUPS)
        self.group.addItems(groups)
        self.group.setCurrentIndex(max(0, self.group.findText(chosen)))
        self.group.blockSignals(False)
        self.apply_filter()
        self.call_tree.reload()

    def apply_filter(self) -> None:
        group = self.group.currentText()
        group = None if group in ("", ALL_GROUPS) else group
        total = self.store.contacts.count()
        shown = self.store.contacts.search(self.search.text(), group)
        self.model.set_contacts(shown)
        self.stack.setCurrentIndex(1 if total else 0)
        self.count_label.setText(f"{len(shown)} of {total}")
        self.no_match.setVisible(bool(total) and not shown)
        has = bool(shown)
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.export_button.setEnabled(bool(total))
        if has and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def selected_contact(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.contact_at(self.proxy.mapToSource(rows[0]).row())

    # --- add, edit, delete ---------------------------------------------------------------

    def new_item(self) -> None:
        self._edit(None)

    def edit_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None:
            self._edit(contact)

    def _edit(self, contact) -> None:
        dialog = ContactDialog(contact, self.store.contacts.groups(), self)
        if not dialog.exec():
            return
        saved = self.store.contacts.save(dialog.contact())
        self.refresh()
        self._select(saved.id)

    def show_contact(self, contact_id: int) -> None:
        """Show this person (Ctrl+K): on the People tab, the search cleared, their row chosen."""
        self.tabs.setCurrentIndex(0)
        if self.search.text() or self.group.currentIndex() > 0:
            self.search.clear()
            self.group.setCurrentIndex(0)
        self._select(contact_id)

    def _select(self, contact_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole) == contact_id:
                self.table.selectRow(row)
                return

    def delete_selected(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            return
        used = contact_usages(self.store.plan.get_current(), contact.id)
        levels = sorted(
            {
                lk.level
                for lk in self.store.contacts.call_tree()
                if contact.id in (lk.callee_id, lk.caller_id)
            },
            reverse=True,
        )
        text = f"Delete {contact.name} from your contacts?"
        if used:
            text += (
                "\n\nYour plan uses them: "
                + "; ".join(used)
                + ". Those places will say “not assigned yet” (saved as a new plan revision)."
            )
        if levels:
            text += (
                "\n\nThey are in the call tree for " + ", ".join(f"level {n}" for n in levels) + "."
            )
        answer = QMessageBox.question(
            self,
            "Delete contact",
            plain(text),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        delete_contact(self.store, contact.id, remembered_author(self.store))
        self.refresh()
        show_status(self, f"Deleted {contact.name}.")

    # --- export --------------------------------------------------------------------------

    def export(self, kind: str) -> None:
        filters = "vCard (*.vcf)" if kind == "vcf" else "CSV (*.csv)"
        path = exports.save_path(self, "Export contacts", f"contacts.{kind}", filters, f".{kind}")
        if path is None:
            return
        contacts = self.store.contacts.all()
        text = contacts_to_vcard(contacts) if kind == "vcf" else contacts_to_csv(contacts)
        try:
            write_atomic(path, text)  # whole or not at all: a full disk leaves no half file
        except UserError as exc:
            QMessageBox.warning(self, "Export contacts", plain(str(exc)))
            return
        exports.done(self, path, f"Exported {number(len(contacts))} contacts.")

    # --- import --------------------------------------------------------------------------

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Import contacts",
            str(Path.home()),
            "Contacts (*.vcf *.vcard *.csv *.txt);;All files (*)",
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Parse (vCard in the background), show what will happen, then add in one go."""
        try:
            text = read_file(path)
        except ContactImportError as exc:
            QMessageBox.warning(self, "Import contacts", plain(str(exc)))
            return
        if looks_like_vcard(text):

            def read_cards(job):
                return parse_vcards(text, progress=job.progress, cancelled=job.cancelled)

            op = Op(self, read_cards, title="Import contacts")
            self._run(op.success(lambda parsed: self._review(parsed, path)), "Reading contacts")
            return
        try:
            table = read_csv(text)
        except ContactImportError as exc:
            QMessageBox.warning(self, "Import contacts", plain(str(exc)))
            return
        dialog = CsvMappingDialog(table, guess_mapping(table.headers), path.name, self)
        if not dialog.exec():
            return
        try:
            parsed = contacts_from_csv(table, dialog.mapping())
        except ContactImportError as exc:
            QMessageBox.warning(self, "Import contacts", plain(str(exc)))
            return
        self._review(parsed, path)

    def _review(self, parsed, path: Path) -> None:
        business = self.store.business.get()
        preview = preview_import(self.store.contacts, parsed, business.name if business else "")
        review = ImportReviewDialog(preview, path.name, self)
        if not review.exec() or not preview.new:
            return
        new = preview.new

        def add_all(store: Store, job) -> int:
            return commit_import(
                store.contacts, new, progress=job.progress, cancelled=job.cancelled
            )

        op = StoreOp(
            self,
            self.store.path,
            add_all,
            title="Import contacts",
            clock=self.store.clock,
            changes={"contacts"},
        ).success(
            lambda count: show_status(self, f"Imported {number(count)} contacts from {path.name}.")
        )
        self._run(op, "Adding contacts")

    def _run(self, op: Op, label: str) -> Op:
        """Run `op` with a progress dialog; Cancel leaves nothing behind and says so."""
        self._worker = op
        op.with_progress(label, unit="contacts").on_finished(self._forget_worker).on_cancelled(
            lambda: show_status(self, "Import cancelled; nothing was added.")
        )
        return op.run_in_background()

    def _forget_worker(self) -> None:
        self._worker = None

    def is_busy(self) -> bool:
        return self._worker is not None

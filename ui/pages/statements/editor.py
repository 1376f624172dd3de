"""The statement editor: write in Markdown and see it as readers will; the checker reads it as
you type; tick the checklist; each channel's own wording; versions to compare and restore;
approval by the role the plan names; and where it went out.

Typing autosaves into a separate slot every two seconds and when focus leaves the editor, so a
crash or a power cut loses at most a few seconds; Ctrl+S saves a version."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.files import write_atomic
from app.statements.checker import (
    WHOLE_TEXT_RULES,
    Finding,
    check_statement,
    insert_suggestion,
)
from app.statements.landing import landing_page_html, public_title
from app.statements.model import CHANNELS, VARIABLE_HELP, Statement, StatementError
from app.statements.templates import diff_lines, unfilled_variables
from app.text import safe_html
from ui import theme
from ui.dialogs import exports
from ui.dialogs.statements import ApproveDialog, LandingPageDialog, PublishDialog
from ui.format import time_with_seconds, when
from ui.pages.statements.panes import ChannelsPane, ChecklistPane
from ui.widgets import (
    button,
    label,
    plain,
    plain_label,
    primary_button,
    wrap_list,
)

AUTOSAVE_MS = 2000
CHECK_DELAY_MS = 500


class StatementEditor(QWidget):
    changed = Signal()

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.statement: Statement | None = None
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 0, 0, 0)
        outer.setSpacing(10)

        self.title = QLineEdit()
        self.title.setAccessibleName("Statement title")
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        outer.addWidget(self.title)
        self.status = label("", "Muted")
        self.status.setAccessibleName("Status")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        self.autosave_note = label("", "Muted", wrap=False)  # "Autosaved 14:05:09"
        status_row.addWidget(self.autosave_note)
        outer.addLayout(status_row)

        actions = QHBoxLayout()
        self.save_button = button("Save version", "mdi6.content-save-outline", "Ctrl+S")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save_version)
        self.review_button = button("Send for review", "mdi6.account-eye-outline")
        self.review_button.clicked.connect(self.send_for_review)
        self.approve_button = primary_button("Approve", "mdi6.check-decagram-outline", "Ctrl+Enter")
        self.approve_button.setShortcut("Ctrl+Return")
        self.approve_button.clicked.connect(self.approve)
        self.withdraw_button = button(
            "Withdraw approval", "mdi6.undo", "Back to a draft before it goes out"
        )
        self.withdraw_button.clicked.connect(self.withdraw_approval)
        self.publish_button = button("Record publishing…", "mdi6.bullhorn-outline")
        self.publish_button.clicked.connect(self.publish)
        self.landing_button = button(
            "Landing page…",
            "mdi6.web",
            "A page for your customers with every published update",
        )
        self.landing_button.clicked.connect(self.landing_page)
        actions.addWidget(self.save_button)
        actions.addWidget(self.review_button)
        actions.addWidget(self.approve_button)
        actions.addWidget(self.withdraw_button)
        actions.addWidget(self.publish_button)
        actions.addWidget(self.landing_button)
        actions.addStretch(1)
        outer.addLayout(actions)

        self.variables = plain_label("")
        self.variables.setWordWrap(True)
        self.variables.setAccessibleName("Still to fill in")
        outer.addWidget(self.variables)

        split = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Statement text (Markdown)")
        self.editor.setPlaceholderText(
            "Write here. **bold**, *italic*, - lists and [links](https://…) work."
        )
        self.editor.textChanged.connect(self._typed)
        self.editor.installEventFilter(self)
        left_layout.addWidget(self.editor, 1)
        self.counts = label("", "Muted")
        left_layout.addWidget(self.counts)
        split.addWidget(left)

        self.tabs = QTabWidget()
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName("Preview")
        self.tabs.addTab(self.preview, "Preview")
        self.tabs.addTab(self._checker_tab(), "Checker")
        self.checklist_pane = ChecklistPane(store)
        self.checklist_pane.changed.connect(self._checklist_changed)
        self.checklist = self.checklist_pane.checklist
        self.tabs.addTab(self.checklist_pane, "Checklist")
        self.channels_pane = ChannelsPane(store, self.editor.toPlainText)
        self.channel = self.channels_pane.channel
        self.channel_text = self.channels_pane.channel_text
        self.channel_count = self.channels_pane.channel_count
        self.tabs.addTab(self.channels_pane, "Channels")
        self.tabs.addTab(self._versions_tab(), "Versions")
        split.addWidget(self.tabs)
        left.setMinimumWidth(280)
        self.tabs.setMinimumWidth(440)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self._refresh_reading)

    # --- tabs ----------------------------------------------------------------------------

    def _checker_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.grade = label("", "Muted")
        layout.addWidget(self.grade)
        self.findings = QListWidget()
        wrap_list(self.findings)
        self.findings.setSpacing(3)
        self.findings.setAccessibleName("Checker findings")
        layout.addWidget(self.findings, 1)
        dismiss = button(
            "Dismiss with a reason…",
            "mdi6.close-circle-outline",
            "The checker helps; you decide. Say why this finding does not apply.",
        )
        dismiss.clicked.connect(self.dismiss_finding)
        row = QHBoxLayout()
        row.addWidget(dismiss)
        self.insert_button = button(
            "Insert suggested sentence",
            "mdi6.text-box-plus-outline",
            "Add the sentence the checker suggests for what is missing; it reads the draft again",
        )
        self.insert_button.setEnabled(False)
        self.insert_button.clicked.connect(self.insert_suggested)
        row.addWidget(self.insert_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.findings.currentItemChanged.connect(self._finding_chosen)
        return tab

    def _versions_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.versions = QListWidget()
        self.versions.setAccessibleName("Versions")
        self.versions.currentRowChanged.connect(self._show_diff)
        layout.addWidget(self.versions, 1)
        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)
        self.diff.setAccessibleName("What changed")
        layout.addWidget(self.diff, 2)
        restore = button("Restore this version", "mdi6.backup-restore")
        restore.clicked.connect(self.restore_version)
        layout.addWidget(restore, 0, Qt.AlignmentFlag.AlignLeft)
        return tab

    # --- loading -------------------------------------------------------------------------

    def load(self, statement_id: int) -> None:
        self.flush()
        self._loading = True
        self.statement = self.store.statements.get(statement_id)
        s = self.statement
        self.title.setText(s.title)
        self.editor.setPlainText(s.body)
        self._loading = False
        self._refresh_status()
        self.checklist_pane.load(s)
        self._fill_versions()
        self.channels_pane.load(s)
        self._refresh_reading()
        self.autosave_note.setText("")

    def _refresh_status(self) -> None:
        s = self.statement
        text = f"{s.stage_label} · {s.status_label} · version {s.version}"
        if s.approved_by:
            text += f" · approved by {s.approved_by} ({s.approved_role})"
        self.status.setText(text)
        self.review_button.setEnabled(s.status == "draft")
        self.approve_button.setEnabled(s.status in ("draft", "review"))
        self.approve_button.setVisible(s.status != "approved")
        self.withdraw_button.setVisible(s.status == "approved")
        self.publish_button.setEnabled(s.status in ("approved", "published"))
        self.landing_button.setEnabled(s.incident_id is not None)

    def _fill_versions(self) -> None:
        self.versions.blockSignals(True)
        self.versions.clear()
        for version in self.store.statements.versions(self.statement.id):
            saved = when(version.saved_at)
            item = QListWidgetItem(f"Version {version.number} · {saved}  {version.note}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, version.number)
            self.versions.addItem(item)
        self.versions.blockSignals(False)
        self.diff.setPlainText("Choose a version to see what changed from it to the text now.")

    # --- typing, autosave, reading -------------------------------------------------------

    def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
        if watched is self.editor and event.type() == event.Type.FocusOut:
            self.autosave()
        return super().eventFilter(watched, event)

    def _typed(self) -> None:
        if self._loading or self.statement is None:
            return
        self.autosave_timer.start()
        self.check_timer.start()
        self.autosave_note.setText("Editing…")

    def autosave(self) -> None:
        if self.statement is None or self.store.closed:  # the window is going away
            return
        text = self.editor.toPlainText()
        if text != self.statement.body:
            self.store.statements.autosave(self.statement.id, text)
            self.autosave_note.setText("Autosaved " + time_with_seconds(self.store.clock()))

    def flush(self) -> None:
        """Before leaving this statement: keep what was typed as a version, never drop it."""
        if self.statement is None:
            return
        self.autosave_timer.stop()
        text, title = self.editor.toPlainText(), self.title.text()
        if text != self.statement.body or (title.strip() and title.strip() != self.statement.title):
            self.store.statements.save(
                self.statement.id, text, title, note="Saved when you moved on"
            )
            self.statement = self.store.statements.get(self.statement.id)  # what is saved now

    def _refresh_reading(self) -> None:
        if self.statement is None:
            return
        text = self.editor.toPlainText()
        self.preview.setHtml(safe_html(text))
        result = check_statement(
            text,
            dismissed=self.store.statements.get(self.statement.id).dismissed,
            context=self.store.statements.check_context(self.statement.incident_id),
        )
        self.counts.setText(f"{result.words} words · {result.characters} characters")
        self.grade.setText(
            f"Reading grade {result.grade:g} (aim for 8 or below) · "
            f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"
        )
        chosen = self.findings.currentItem()
        chosen_key = chosen.data(Qt.ItemDataRole.UserRole) if chosen else None
        self.findings.clear()
        for finding in result.findings:
            item = QListWidgetItem(self._finding_text(finding))
            item.setData(Qt.ItemDataRole.UserRole, finding.key)
            item.setData(Qt.ItemDataRole.UserRole + 1, finding.suggestion)
            self.findings.addItem(item)
            if finding.key == chosen_key:
                self.findings.setCurrentItem(item)
        self._finding_chosen(self.findings.currentItem())
        if not result.findings:
            self.findings.addItem(
                "No findings: it acknowledges, apologizes, cares, acts, and says what comes next."
            )
        left = unfilled_variables(text)
        self.variables.setText(
            "Still to fill in before it can be approved:\n"
            + "\n".join(f"{{{{{n}}}}}: {VARIABLE_HELP.get(n) or 'type it in'}" for n in left)
            if left
            else ""
        )
        self.variables.setVisible(bool(left))
        self.variables.setStyleSheet(f"color: {theme.current().warning};")
        self.channels_pane.show_channel()

    def restyle(self) -> None:
        if self.statement is not None:
            self.channels_pane.count()
            self.checklist_pane.load(self.statement)
            self.variables.setStyleSheet(f"color: {theme.current().warning};")

    # --- actions -------------------------------------------------------------------------

    def save_version(self) -> None:
        if self.statement is None:
            return
        saved = self.store.statements.save(
            self.statement.id, self.editor.toPlainText(), self.title.text()
        )
        self._after_change("Saved a new version." if saved else "No changes to save.")

    def _after_change(self, message: str = "") -> None:
        self.load(self.statement.id)
        if message:
            self.autosave_note.setText(message)
        self.changed.emit()

    def send_for_review(self) -> None:
        self.flush()
        self.store.statements.submit_for_review(self.statement.id)
        role, _person = self.store.statements.approver_role()
        self._after_change(f"Sent for review: your plan says the {role} approves it.")

    def approve(self) -> None:
        if self.statement is None or not self.approve_button.isEnabled():
            return
        self.flush()
        statement = self.store.statements.get(self.statement.id)
        left = unfilled_variables(statement.body)
        if left:  # nothing is approved with a blank in it: say what to fill in first
            QMessageBox.information(
                self,
                "Approve statement",
                plain(
                    "Fill in "
                    + ", ".join(f"{{{{{name}}}}}" for name in left)
                    + " first: the public would read the blank."
                ),
            )
            return
        role, person = self.store.statements.approver_role()
        findings = check_statement(statement.body, dismissed=statement.dismissed).findings
        dialog = ApproveDialog(
            statement, role, person, self.checklist_pane.open_items(), len(findings), self
        )
        if not dialog.exec():
            return
        try:
            for item, reason in dialog.set_aside().items():
                self.store.statements.dismiss_checklist_item(statement.id, item, reason)
            self.store.statements.approve(statement.id, dialog.approver.text(), role)
        except StatementError as exc:
            QMessageBox.information(self, "Approve statement", plain(str(exc)))
            self._after_change()
            return
        self._after_change("Approved.")

    def withdraw_approval(self) -> None:
        if self.statement is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            "Withdraw approval",
            "It goes back to a draft and needs approving again. Why? (optional)",
        )
        if not ok:
            return
        self.store.statements.withdraw_approval(self.statement.id, reason)
        self._after_change("Approval withdrawn: it is a draft again.")

    def publish(self) -> None:
        statement = self.store.statements.get(self.statement.id)
        too_long = {
            key: why
            for key in CHANNELS
            if (why := self.store.statements.too_long_for(statement, key))
        }
        dialog = PublishDialog(statement, too_long, self)
        if not dialog.exec() or not dialog.chosen():
            return
        try:
            for channel in dialog.chosen():
                self.store.statements.publish(statement.id, channel, dialog.url.text().strip())
        except StatementError as exc:
            QMessageBox.information(self, "Record publishing", plain(str(exc)))
        self._after_change("Recorded. It is on the incident's timeline.")

    def landing_page(self) -> None:
        incident_id = self.statement.incident_id if self.statement else None
        if incident_id is None:
            return
        incident = self.store.incidents.get(incident_id)
        published = []
        for publication in self.store.statements.publications(incident_id=incident_id):
            title = self.store.statements.get(publication.statement_id).title
            if title not in published:
                published.append(title)
        business = self.store.business.get()
        suggestion = public_title(self.store, incident_id) if not incident.public_title else ""
        dialog = LandingPageDialog(
            incident.title,
            incident.public_title,
            suggestion or "A headline for customers",
            published,
            self,
        )
        if not dialog.exec():
            return
        self.store.incidents.set_public_title(incident_id, dialog.title())
        name = f"{business.name if business else 'Update'} - update page.html"
        path = exports.save_path(self, "Save the landing page", name, "Web page (*.html)", ".html")
        if path is None:
            return
        try:
            write_atomic(path, landing_page_html(self.store, incident_id))
        except UserError as exc:
            QMessageBox.warning(self, "Landing page", plain(str(exc)))
            return
        exports.done(self, path, "Saved the landing page.")

    def _checklist_changed(self) -> None:
        self.statement = self.store.statements.get(self.statement.id)
        self.checklist_pane.load(self.statement)

    @staticmethod
    def _finding_text(finding: Finding) -> str:
        about = finding.sentence or (
            "the whole statement" if finding.rule in WHOLE_TEXT_RULES else "missing"
        )
        lines = [f"{finding.rule}: {about}", finding.why]
        if finding.detail:
            lines.append(f"Found: {finding.detail}" if finding.sentence else finding.detail)
        if finding.suggestion:
            lines.append(f"Suggested: “{finding.suggestion}”")
        return "\n".join(lines)

    def _finding_chosen(self, item: QListWidgetItem | None) -> None:
        suggestion = item.data(Qt.ItemDataRole.UserRole + 1) if item is not None else ""
        self.insert_button.setEnabled(bool(suggestion))
        self.insert_button.setToolTip(
            plain(f"Add: “{suggestion}”") if suggestion else "Choose a missing element first"
        )

    def insert_suggested(self) -> None:
        """Add the chosen finding's sentence to the draft (one step Undo takes back) and read
        the draft again at once."""
        item = self.findings.currentItem()
        suggestion = item.data(Qt.ItemDataRole.UserRole + 1) if item is not None else ""
        if not suggestion or self.statement is None:
            return
        updated = insert_suggestion(self.editor.toPlainText(), suggestion)
        cursor = self.editor.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(updated)
        self.editor.setTextCursor(cursor)
        self.check_timer.stop()
        self._refresh_reading()
        self.autosave()

    def dismiss_finding(self) -> None:
        item = self.findings.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item else None
        if not key:
            return
        reason, ok = QInputDialog.getText(self, "Dismiss finding", "Why does it not apply here?")
        if ok and reason.strip():
            self.store.statements.dismiss_finding(self.statement.id, key, reason)
            self._refresh_reading()

    def _show_diff(self, row: int) -> None:
        if row < 0 or self.statement is None:
            return
        number = self.versions.item(row).data(Qt.ItemDataRole.UserRole)
        version = next(
            v for v in self.store.statements.versions(self.statement.id) if v.number == number
        )
        lines = diff_lines(version.body, self.editor.toPlainText())
        self.diff.setPlainText("\n".join(lines) or "The same as the text now.")

    def restore_version(self) -> None:
        item = self.versions.currentItem()
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        version = next(
            v for v in self.store.statements.versions(self.statement.id) if v.number == number
        )
        self.store.statements.save(
            self.statement.id, version.body, note=f"Restored version {number}"
        )
        self._after_change(f"Restored version {number} as a new version.")

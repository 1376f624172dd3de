"""The statement editor: write in Markdown and see it as readers will; the checker reads it as
you type; tick the checklist; each channel's own wording; versions to compare and restore;
approval by the role the plan names; and where it went out.

Typing autosaves into a separate slot every two seconds and when focus leaves the editor, so a
crash or a power cut loses at most a few seconds; Ctrl+S saves a version."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
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

from app.statements.checker import (
    CHANNEL_LIMITS,
    WHOLE_TEXT_RULES,
    Finding,
    check_statement,
    insert_suggestion,
)
from app.statements.model import CHANNELS, Statement, StatementError
from app.statements.templates import diff_lines, stage_checklist, unfilled_variables
from app.text import safe_html
from ui import theme
from ui.dialogs.statements import PublishDialog
from ui.format import number, time_with_seconds, when
from ui.widgets import (
    button,
    label,
    level_colour,
    plain,
    plain_label,
    primary_button,
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
        outer.addWidget(self.status)

        actions = QHBoxLayout()
        self.save_button = button("Save version", "mdi6.content-save-outline", "Ctrl+S")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save_version)
        self.review_button = button("Send for review", "mdi6.account-eye-outline")
        self.review_button.clicked.connect(self.send_for_review)
        self.approve_button = primary_button("Approve", "mdi6.check-decagram-outline", "Ctrl+Enter")
        self.approve_button.setShortcut("Ctrl+Return")
        self.approve_button.clicked.connect(self.approve)
        self.publish_button = button("Record publishing…", "mdi6.bullhorn-outline")
        self.publish_button.clicked.connect(self.publish)
        self.autosave_note = label("", "Muted")
        actions.addWidget(self.save_button)
        actions.addWidget(self.review_button)
        actions.addWidget(self.approve_button)
        actions.addWidget(self.publish_button)
        actions.addStretch(1)
        actions.addWidget(self.autosave_note)
        outer.addLayout(actions)

        self.variables = plain_label("")
        self.variables.setWordWrap(True)
        self.variables.setStyleSheet(f"color: {level_colour(2)};")
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
        self.tabs.addTab(self._checklist_tab(), "Checklist")
        self.tabs.addTab(self._channels_tab(), "Channels")
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
        self.findings.setWordWrap(True)
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

    def _checklist_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(label("Tick each before it goes out.", "Muted"))
        self.checklist = QListWidget()
        self.checklist.setWordWrap(True)
        self.checklist.setAccessibleName("Checklist")
        self.checklist.itemChanged.connect(self._ticked)
        layout.addWidget(self.checklist, 1)
        return tab

    def _channels_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.channel = QComboBox()
        for key, name in CHANNELS.items():
            self.channel.addItem(name, key)
        self.channel.setAccessibleName("Channel")
        self.channel.currentIndexChanged.connect(self._show_channel)
        self.channel_count = label("")
        row.addWidget(self.channel)
        row.addStretch(1)
        row.addWidget(self.channel_count)
        layout.addLayout(row)
        self.channel_text = QPlainTextEdit()
        self.channel_text.setAccessibleName("Text for this channel")
        self.channel_text.textChanged.connect(self._channel_typed)
        layout.addWidget(self.channel_text, 1)
        buttons = QHBoxLayout()
        copy = button(
            "Copy", "mdi6.content-copy", "Copy this channel's text to paste where it goes"
        )
        copy.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.channel_text.toPlainText())
        )
        reset = button("Use the main text", "mdi6.restore", "Drop this channel's own wording")
        reset.clicked.connect(self._reset_channel)
        buttons.addWidget(copy)
        buttons.addWidget(reset)
        buttons.addStretch(1)
        layout.addLayout(buttons)
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
        self._fill_checklist()
        self._fill_versions()
        self._show_channel()
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
        self.publish_button.setEnabled(s.status in ("approved", "published"))

    def _fill_checklist(self) -> None:
        has_legal = False
        plan = self.store.plan.get_current()
        if plan:
            has_legal = any(r.key == "legal" for r in plan.roles)
        self.checklist.blockSignals(True)
        self.checklist.clear()
        for text in stage_checklist(self.statement.stage, has_legal):
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            done = text in self.statement.checklist
            item.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
            self.checklist.addItem(item)
        self.checklist.blockSignals(False)

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
        if self.statement is None:
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
            "Still to fill in: " + ", ".join(f"{{{{{n}}}}}" for n in left) if left else ""
        )
        self.variables.setVisible(bool(left))
        self._show_channel()

    # --- channels ------------------------------------------------------------------------

    def _show_channel(self) -> None:
        if self.statement is None:
            return
        key = self.channel.currentData()
        own = self.store.statements.get(self.statement.id).variants.get(key)
        preview = Statement(**{**vars(self.statement), "body": self.editor.toPlainText()})
        self.channel_text.blockSignals(True)
        self.channel_text.setPlainText(own or preview.text_for(key))
        self.channel_text.blockSignals(False)
        self._count_channel()

    def restyle(self) -> None:
        if self.statement is not None:
            self._count_channel()

    def _count_channel(self) -> None:
        key = self.channel.currentData()
        count = len(self.channel_text.toPlainText())
        limit = CHANNEL_LIMITS.get(key)
        over = limit is not None and count > limit
        of_limit = f" / {number(limit)}" if limit else ""
        self.channel_count.setText(f"{number(count)}{of_limit} characters")
        colour = level_colour(4) if over else theme.current().muted
        self.channel_count.setStyleSheet(
            f"color: {colour}; font-weight: {'600' if over else '400'};"
        )

    def _channel_typed(self) -> None:
        if self.statement is not None:
            self.store.statements.set_variant(
                self.statement.id, self.channel.currentData(), self.channel_text.toPlainText()
            )
        self._count_channel()

    def _reset_channel(self) -> None:
        self.store.statements.set_variant(self.statement.id, self.channel.currentData(), "")
        self._show_channel()

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
        role, person = self.store.statements.approver_role()
        name, ok = QInputDialog.getText(
            self,
            "Approve statement",
            f"Your plan says the {role} approves statements. Who is approving this version?",
            text=person,
        )
        if not ok:
            return
        try:
            self.store.statements.approve(self.statement.id, name, role)
        except StatementError as exc:
            QMessageBox.information(self, "Approve statement", plain(str(exc)))
            return
        self._after_change("Approved.")

    def publish(self) -> None:
        dialog = PublishDialog(self.statement, self)
        if not dialog.exec() or not dialog.chosen():
            return
        for channel in dialog.chosen():
            self.store.statements.publish(self.statement.id, channel, dialog.url.text().strip())
        self._after_change("Recorded. It is on the incident's timeline.")

    def _ticked(self, item: QListWidgetItem) -> None:
        self.store.statements.tick(
            self.statement.id, item.text(), item.checkState() == Qt.CheckState.Checked
        )
        self.statement = self.store.statements.get(self.statement.id)

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

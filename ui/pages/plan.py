"""The Plan page: edit roles, the escalation ladder, channels and playbooks in place; save each
change as a revision; compare and restore revisions; print the binder.

Edits go into a draft copy of the plan; the page is "dirty" exactly when the draft differs from
the saved plan, so leaving the page or closing the window with unsaved edits always asks.
"""

from __future__ import annotations

import copy
import getpass
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.plan.repository import (
    CHANNEL_KINDS,
    Channel,
    Plan,
    Playbook,
    Revision,
    Role,
    diff_plans,
    new_key,
    plan_to_json,
    replace_contact,
    template_plan,
)
from app.store import Store
from ui import theme
from ui.dialogs.base import dialog_layout, save_cancel_buttons
from ui.pages.base import Page
from ui.widgets import Card, button, icon, label, plain, primary_button, show_status, spacer

AUTHOR_KEY = "plan_author"


def level_colour(level: int) -> str:
    return getattr(theme.current(), f"level{level}", theme.current().text)


# --- a generic master-detail editor for one section of the plan -----------------------------


@dataclass(frozen=True)
class FieldSpec:
    attr: str
    caption: str
    kind: str  # line | text | lines | contact | minutes | roles | choice
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()


class SectionEditor(QWidget):
    """A list of items on the left, the selected item's fields on the right, edited in place."""

    changed = Signal()
    renamed = Signal(str, str)  # old name, new name

    def __init__(
        self,
        noun: str,
        items: Callable[[], list],
        specs: list[FieldSpec],
        title_of: Callable[[object], str],
        make_new: Callable[[], object] | None = None,
        colour_of: Callable[[object], str | None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.noun = noun
        self.items = items
        self.specs = specs
        self.title_of = title_of
        self.make_new = make_new
        self.colour_of = colour_of
        self.contacts: list[tuple[int, str]] = []
        self.role_names: Callable[[], list[str]] = list
        self._loading = False

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.list = QListWidget()
        self.list.setAccessibleName(f"{noun.capitalize()}s")
        self.list.setMinimumWidth(220)
        self.list.setMaximumWidth(300)
        self.list.currentRowChanged.connect(self._show_current)
        left.addWidget(self.list, 1)
        if make_new is not None:
            buttons = QHBoxLayout()
            self.add_button = button(f"Add {noun}", "mdi6.plus", f"Add a {noun} (Ctrl+N)")
            self.remove_button = button("Remove", "mdi6.delete-outline", f"Remove this {noun}")
            self.add_button.clicked.connect(self.add_item)
            self.remove_button.clicked.connect(self.remove_item)
            buttons.addWidget(self.add_button)
            buttons.addWidget(self.remove_button)
            buttons.addStretch(1)
            left.addLayout(buttons)
        row.addLayout(left)

        self.form_host = QWidget()
        column = QVBoxLayout(self.form_host)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.widgets: dict[str, QWidget] = {}
        for spec in specs:
            widget = self._make_widget(spec)
            widget.setAccessibleName(spec.caption)
            self.widgets[spec.attr] = widget
            form.addRow(spec.caption, widget)
        row.addWidget(self.form_host, 1)

    # --- widgets -------------------------------------------------------------------------

    def _make_widget(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "line":
            widget = QLineEdit()
            widget.setPlaceholderText(spec.hint)
            widget.textEdited.connect(lambda _t, s=spec: self._store(s))
        elif spec.kind in ("text", "lines"):
            widget = QPlainTextEdit()
            widget.setPlaceholderText(spec.hint)
            widget.setTabChangesFocus(True)
            widget.setMinimumHeight(90 if spec.kind == "text" else 150)
            widget.setMaximumHeight(150 if spec.kind == "text" else 230)
            widget.textChanged.connect(lambda s=spec: self._store(s))
        elif spec.kind in ("contact", "choice"):
            widget = QComboBox()
            widget.currentIndexChanged.connect(lambda _i, s=spec: self._store(s))
            for value, text in spec.choices:
                widget.addItem(text, value)
        elif spec.kind == "minutes":
            widget = QSpinBox()
            widget.setRange(1, 10080)
            widget.setSuffix(" min")
            # Arrow keys and the wheel step it; the tiny arrow buttons render badly under the
            # style sheet (and NoButtons hides the text), so they are given no width.
            widget.setStyleSheet(
                "QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }"
            )
            widget.setToolTip("Minutes. Type a number, or use the arrow keys.")
            widget.setSingleStep(5)
            widget.setMaximumWidth(140)
            widget.valueChanged.connect(lambda _v, s=spec: self._store(s))
        elif spec.kind == "roles":
            widget = QListWidget()
            widget.setMaximumHeight(130)
            widget.itemChanged.connect(lambda _i, s=spec: self._store(s))
        else:  # pragma: no cover - a programming error
            raise ValueError(spec.kind)
        if spec.hint and not isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setToolTip(plain(spec.hint))
        return widget

    def set_contacts(self, contacts: list[tuple[int, str]]) -> None:
        self.contacts = contacts
        for spec in self.specs:
            if spec.kind != "contact":
                continue
            combo: QComboBox = self.widgets[spec.attr]
            self._loading = True
            combo.clear()
            combo.addItem("Nobody yet", None)
            for contact_id, name in contacts:
                combo.addItem(name, contact_id)
            self._loading = False
        self._show_current(self.list.currentRow())

    # --- items ---------------------------------------------------------------------------

    def reload(self, keep_row: int | None = None) -> None:
        row = self.list.currentRow() if keep_row is None else keep_row
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.items():
            entry = QListWidgetItem(self.title_of(item))
            entry.setSizeHint(QSize(0, 34))
            if self.colour_of and (colour := self.colour_of(item)):
                entry.setIcon(icon("mdi6.circle", colour))
            self.list.addItem(entry)
        self.list.blockSignals(False)
        count = self.list.count()
        self.list.setCurrentRow(min(max(row, 0), count - 1) if count else -1)
        self._show_current(self.list.currentRow())

    def current(self):
        items = self.items()
        row = self.list.currentRow()
        return items[row] if 0 <= row < len(items) else None

    def add_item(self) -> None:
        if self.make_new is None:
            return
        self.items().append(self.make_new())
        self.reload(keep_row=len(self.items()) - 1)
        first = self.widgets[self.specs[0].attr]
        first.setFocus()
        if isinstance(first, QLineEdit):
            first.selectAll()
        self.changed.emit()

    def remove_item(self) -> None:
        item = self.current()
        if item is None:
            return
        answer = QMessageBox.question(
            self,
            f"Remove {self.noun}",
            plain(
                f"Remove “{self.title_of(item)}” from the plan?\n\n"
                "Nothing is lost for good: earlier revisions keep it until you save."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.list.currentRow()
        del self.items()[row]
        self.reload(keep_row=row)
        self.changed.emit()

    # --- binding -------------------------------------------------------------------------

    def _show_current(self, _row: int) -> None:
        item = self.current()
        self.form_host.setEnabled(item is not None)
        if item is None:
            return
        self._loading = True
        try:
            for spec in self.specs:
                self._load(spec, item)
        finally:
            self._loading = False

    def _load(self, spec: FieldSpec, item) -> None:
        widget = self.widgets[spec.attr]
        value = getattr(item, spec.attr)
        if spec.kind == "line":
            widget.setText(value)
        elif spec.kind == "text":
            widget.setPlainText(value)
        elif spec.kind == "lines":
            widget.setPlainText("\n".join(value))
        elif spec.kind in ("contact", "choice"):
            index = widget.findData(value)
            if index < 0 and spec.kind == "contact":
                index = 0
            widget.setCurrentIndex(max(index, 0))
        elif spec.kind == "minutes":
            widget.setValue(int(value))
        elif spec.kind == "roles":
            widget.clear()
            names = self.role_names()
            for name in [*names, *[n for n in value if n not in names]]:
                entry = QListWidgetItem(name)
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(
                    Qt.CheckState.Checked if name in value else Qt.CheckState.Unchecked
                )
                widget.addItem(entry)

    def _store(self, spec: FieldSpec) -> None:
        if self._loading:
            return
        item = self.current()
        if item is None:
            return
        widget = self.widgets[spec.attr]
        if spec.kind == "line":
            value = widget.text()
        elif spec.kind == "text":
            value = widget.toPlainText()
        elif spec.kind == "lines":
            value = [line.strip() for line in widget.toPlainText().splitlines() if line.strip()]
        elif spec.kind in ("contact", "choice"):
            value = widget.currentData()
        elif spec.kind == "minutes":
            value = widget.value()
        else:  # roles
            value = [
                widget.item(i).text()
                for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked
            ]
        before = getattr(item, spec.attr)
        setattr(item, spec.attr, value)
        if spec.attr == "name" and before != value:
            self.renamed.emit(before, value)
        entry = self.list.currentItem()
        if entry is not None:
            entry.setText(self.title_of(item))
        self.changed.emit()


# --- dialogs --------------------------------------------------------------------------------


class SaveRevisionDialog(QDialog):
    """Save: what changed, a one-line summary and your name (remembered)."""

    def __init__(self, changes: list[str], summary: str, author: str, parent=None):
        super().__init__(parent)
        layout = dialog_layout(self, "Save the plan", 560)
        layout.addWidget(
            label("Each save is kept as a revision you can compare and restore.", "Muted")
        )
        changes_view = QTextBrowser()
        changes_view.setAccessibleName("What changed")
        changes_view.setPlainText("\n".join(f"• {c}" for c in changes) or "No changes.")
        changes_view.setMaximumHeight(180)
        layout.addWidget(label("What changed", "SectionTitle"))
        layout.addWidget(changes_view)
        form = QFormLayout()
        self.summary = QLineEdit(summary)
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("e.g. New spokesperson; faster updates at level 3")
        self.author = QLineEdit(author)
        self.author.setAccessibleName("Your name")
        form.addRow("Summary", self.summary)
        form.addRow("Your name", self.author)
        layout.addLayout(form)
        layout.addWidget(save_cancel_buttons(self))
        self.summary.selectAll()
        self.summary.setFocus()


# --- the page -------------------------------------------------------------------------------


class PlanPage(Page):
    title = "Plan"
    subtitle = "Who does what, how fast, and what to say."

    shows = frozenset({"plan", "contacts"})

    def __init__(self, store: Store, clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.saved: Plan | None = None
        self.draft: Plan | None = None

        self.review_button = button(
            "Mark as reviewed today",
            "mdi6.check-decagram-outline",
            "You read the plan and it is right",
        )
        self.export_button = button(
            "Export binder (PDF)…",
            "mdi6.file-pdf-box",
            "The whole plan on paper, for the day everything else is down",
        )
        self.save_button = primary_button(
            "Save plan", "mdi6.content-save-outline", "Save as a new revision (Ctrl+S)"
        )
        for widget in (self.review_button, self.export_button, self.save_button):
            self.actions.addWidget(widget)
        self.review_button.clicked.connect(self.mark_reviewed)
        self.export_button.clicked.connect(self.export_binder)
        self.save_button.clicked.connect(self.save)

        self.empty = Card()
        self.empty.body.addWidget(label("You have no crisis plan yet", "CardTitle"))
        self.empty.body.addWidget(
            label(
                "Start from the template: six roles, a four-level escalation ladder with update "
                "times from published runbooks, your channels with activation checklists, and "
                "playbooks for seven kinds of crisis. Then make it yours: name your people and "
                "change anything that does not fit.",
                "Muted",
            )
        )
        template = template_plan()
        for heading, words in (
            ("Roles", ", ".join(r.name for r in template.roles)),
            ("Escalation ladder", "  ·  ".join(lvl.title for lvl in template.ladder)),
            ("Channels", ", ".join(c.name for c in template.channels)),
            ("Playbooks", ", ".join(p.name for p in template.playbooks)),
        ):
            self.empty.body.addWidget(label(f"<b>{heading}</b>: {escape(words)}", rich=True))
        self.start_button = primary_button(
            "Start from the template plan", "mdi6.clipboard-check-outline"
        )
        self.start_button.clicked.connect(self.start_from_template)
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addStretch(1)
        self.empty.body.addLayout(row)
        self.body.addWidget(self.empty)
        self.empty_spacer = spacer()
        self.body.addWidget(self.empty_spacer, 1)

        self.status_label = label("", "Muted")
        self.body.addWidget(self.status_label)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.body.addWidget(self.tabs, 1)
        self._build_sections()

        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # only while the page shows
            shortcut.activated.connect(self.save)
        self.refresh()

    # --- building ------------------------------------------------------------------------

    def _build_sections(self) -> None:
        self.roles_editor = SectionEditor(
            "role",
            lambda: self.draft.roles if self.draft else [],
            [
                FieldSpec("name", "Role", "line", "e.g. Spokesperson"),
                FieldSpec(
                    "responsibilities",
                    "Responsibilities",
                    "text",
                    "What this person does in a crisis",
                ),
                FieldSpec("primary_id", "Primary", "contact"),
                FieldSpec("backup_id", "Backup", "contact"),
            ],
            lambda r: r.name or "(new role)",
            lambda: Role(new_key("role", {r.key for r in self.draft.roles}), "New role"),
        )
        self.ladder_editor = SectionEditor(
            "level",
            lambda: self.draft.ladder if self.draft else [],
            [
                FieldSpec("name", "Name", "line"),
                FieldSpec("trigger", "When (trigger)", "text", "What has to happen for this level"),
                FieldSpec("notify", "Who is told", "roles", "Tick the roles to tell"),
                FieldSpec("notify_within_min", "Tell them within", "minutes"),
                FieldSpec("first_update_min", "First public update within", "minutes"),
                FieldSpec("cadence_min", "Then update every", "minutes"),
            ],
            lambda lvl: lvl.title,
            None,
            lambda lvl: level_colour(lvl.level),
        )
        self.ladder_editor.role_names = lambda: [r.name for r in self.draft.roles]
        self.channels_editor = SectionEditor(
            "channel",
            lambda: self.draft.channels if self.draft else [],
            [
                FieldSpec("name", "Channel", "line", "e.g. Customer hotline"),
                FieldSpec("kind", "Kind", "choice", choices=tuple(CHANNEL_KINDS.items())),
                FieldSpec("detail", "Details", "text", "Number, address, link or accounts"),
                FieldSpec("owner_id", "Owner", "contact"),
                FieldSpec("checklist", "Activation checklist", "lines", "One step per line"),
            ],
            lambda c: c.name or "(new channel)",
            lambda: Channel(
                new_key("channel", {c.key for c in self.draft.channels}), "other", "New channel"
            ),
        )
        self.playbooks_editor = SectionEditor(
            "playbook",
            lambda: self.draft.playbooks if self.draft else [],
            [
                FieldSpec("name", "Crisis type", "line"),
                FieldSpec("strategy", "Response strategy", "text"),
                FieldSpec("first_hour", "First-hour checklist", "lines", "One step per line"),
                FieldSpec(
                    "holding_statement",
                    "Holding statement",
                    "text",
                    "Use {{business}}, {{date}}, {{next_update}} … for what you fill in on the day",
                ),
            ],
            lambda p: p.name or "(new playbook)",
            lambda: Playbook(
                new_key("playbook", {p.key for p in self.draft.playbooks}), "New crisis type"
            ),
        )
        self.editors = [
            self.roles_editor,
            self.ladder_editor,
            self.channels_editor,
            self.playbooks_editor,
        ]
        for editor, (text, icon_name) in zip(
            self.editors,
            (
                ("Roles", "mdi6.account-tie-outline"),
                ("Escalation ladder", "mdi6.stairs"),
                ("Channels", "mdi6.bullhorn-outline"),
                ("Playbooks", "mdi6.book-open-outline"),
            ),
            strict=True,
        ):
            editor.changed.connect(self._on_changed)
            self.tabs.addTab(editor, icon(icon_name), text)
        self.tabs.currentChanged.connect(self._on_tab)
        self.roles_editor.renamed.connect(self._on_role_renamed)
        self.roles_editor.changed.connect(self._drop_removed_roles)

        revisions = QWidget()
        row = QHBoxLayout(revisions)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(16)
        left = QVBoxLayout()
        self.revision_list = QListWidget()
        self.revision_list.setAccessibleName("Revisions")
        self.revision_list.setMinimumWidth(300)
        self.revision_list.setMaximumWidth(380)
        self.revision_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.revision_list.setWordWrap(True)
        self.revision_list.setSpacing(3)
        self.revision_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.revision_list.currentRowChanged.connect(self._show_revision)
        left.addWidget(self.revision_list, 1)
        row.addLayout(left)
        right = QVBoxLayout()
        self.revision_title = label("", "SectionTitle")
        right.addWidget(self.revision_title)
        buttons = QHBoxLayout()
        self.compare_button = button("Compare with current", "mdi6.compare-horizontal")
        self.restore_button = button("Restore this revision", "mdi6.restore")
        self.compare_button.clicked.connect(self.compare_with_current)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        self.diff_view = QTextBrowser()
        self.diff_view.setAccessibleName("Changes")
        right.addWidget(self.diff_view, 1)
        row.addLayout(right, 1)
        self.tabs.addTab(revisions, icon("mdi6.history"), "Revisions")
        self.revisions: list[Revision] = []

    # --- state ---------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return (
            self.draft is not None
            and self.saved is not None
            and plan_to_json(self.draft) != plan_to_json(self.saved)
        )

    def refresh(self, domains: set[str] | None = None) -> None:
        names = self.store.contacts.names()
        if not self.is_dirty():
            self.saved = self.store.plan.get_current()
            self.draft = copy.deepcopy(self.saved)
        else:  # keep the edits; drop people deleted meanwhile
            for contact_id in self.draft.contact_ids() - set(names):
                self.draft = replace_contact(self.draft, contact_id, None)
        has_plan = self.saved is not None
        self.empty.setVisible(not has_plan)
        self.empty_spacer.setVisible(not has_plan)
        self.tabs.setVisible(has_plan)
        for widget in (self.review_button, self.export_button, self.save_button):
            widget.setVisible(has_plan)
        if not has_plan:
            self._update_subtitle()
            return
        contacts = sorted(names.items(), key=lambda kv: kv[1].lower())
        for editor in self.editors:
            editor.reload()
            editor.set_contacts(contacts)
        self._reload_revisions()
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        """The status line: which revision, by whom, when reviewed, and unsaved changes."""
        self.status_label.setVisible(self.saved is not None)
        if self.saved is None:
            return
        parts = []
        if self.revisions:
            latest = self.revisions[0]
            by = f" by {escape(latest.author)}" if latest.author else ""
            parts.append(
                f"Revision {latest.number}, saved {latest.created_at.astimezone():%d %b %Y}{by}"
            )
        reviewed = self.store.plan.last_reviewed()
        if reviewed:
            parts.append(f"last reviewed {reviewed.astimezone():%d %b %Y}")
        if self.is_dirty():
            parts.append(f'<b style="color:{theme.current().level3}">Unsaved changes</b>')
        self.status_label.setText("  ·  ".join(parts))
        self.save_button.setEnabled(self.is_dirty())

    def _on_changed(self) -> None:
        self._update_subtitle()

    def _on_role_renamed(self, old: str, new: str) -> None:
        """The ladder names roles: a renamed role keeps being told."""
        for level in self.draft.ladder:
            level.notify = [new if name == old else name for name in level.notify]

    def _drop_removed_roles(self) -> None:
        names = {r.name for r in self.draft.roles}
        for level in self.draft.ladder:
            level.notify = [name for name in level.notify if name in names]

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.ladder_editor:
            self.ladder_editor.reload()  # role names may have changed

    def new_item(self) -> None:
        editor = self.tabs.currentWidget()
        if self.draft is not None and isinstance(editor, SectionEditor):
            editor.add_item()

    # --- actions -------------------------------------------------------------------------

    def start_from_template(self) -> None:
        self.store.plan.seed_template()
        self.refresh()

    def _author(self) -> str:
        return self.store.settings.get(AUTHOR_KEY) or getpass.getuser()

    def save(self) -> bool:
        """Save the draft as a new revision; True when saved (or nothing to save)."""
        if not self.is_dirty():
            return True
        names = self.store.contacts.names()
        changes = [d.line() for d in diff_plans(self.saved, self.draft, names)]
        suggestion = changes[0] if len(changes) == 1 else f"{len(changes)} changes: {changes[0]}"
        dialog = SaveRevisionDialog(changes, suggestion[:120], self._author(), self)
        if not dialog.exec():
            return False
        author = dialog.author.text().strip()
        try:
            self.store.plan.save(self.draft, dialog.summary.text(), author)
        except ValueError as exc:
            QMessageBox.warning(self, "Save the plan", plain(str(exc)))
            return False
        if author:
            self.store.settings.set(AUTHOR_KEY, author)
        self.saved = None
        self.draft = None
        self.refresh()
        return True

    def confirm_leave(self) -> bool:
        """Asked before the window leaves this page or closes: never lose a plan edit."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes to the plan",
            "You changed the plan but did not save it. Save the changes as a new revision?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.draft = copy.deepcopy(self.saved)
            self.refresh()
            return True
        return False

    def mark_reviewed(self) -> None:
        self.store.plan.mark_reviewed()
        self._update_subtitle()
        show_status(
            self, "Marked as reviewed today. The Dashboard reminds you again in six months."
        )

    def export_binder(self) -> None:
        from app.errors import UserError, describe_failure
        from ui.pdf import write_plan_binder

        business = self.store.business.get()
        stem = (business.name if business else "crisis plan").replace("/", "-")
        suggestion = self.store.path.parent / f"{stem} - plan binder.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export plan binder", str(suggestion), "PDF (*.pdf)"
        )
        if not name:
            return
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        note = (
            " Your unsaved changes are not in it: save first to include them."
            if self.is_dirty()
            else ""
        )
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = write_plan_binder(self.store, Path(name), self.clock())
        except (UserError, OSError) as exc:  # a full disk is a UserError (DiskFull), not a PdfError
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Export plan binder", plain(describe_failure(exc)))
            return
        QApplication.restoreOverrideCursor()
        show_status(self, f"Wrote the plan binder ({pages} pages) to {name}.{note}")

    # --- revisions -----------------------------------------------------------------------

    def _reload_revisions(self) -> None:
        self.revisions = self.store.plan.revisions()
        self.revision_list.blockSignals(True)
        self.revision_list.clear()
        for revision in self.revisions:
            by = f" · {revision.author}" if revision.author else ""
            entry = QListWidgetItem(
                f"Revision {revision.number} · "
                f"{revision.created_at.astimezone():%d %b %Y %H:%M}{by}\n{revision.summary}",
            )
            entry.setToolTip(plain(revision.summary))
            self.revision_list.addItem(entry)
        self.revision_list.blockSignals(False)
        if self.revisions:
            self.revision_list.setCurrentRow(0)
            self._show_revision(0)

    def selected_revision(self) -> Revision | None:
        row = self.revision_list.currentRow()
        return self.revisions[row] if 0 <= row < len(self.revisions) else None

    def _show_diff(self, title: str, old: Plan | None, new: Plan) -> None:
        self.revision_title.setText(title)
        if old is None:
            self.diff_view.setHtml("<p>The first revision: the plan as it was started.</p>")
            return
        lines = diff_plans(old, new, self.store.contacts.names())
        if not lines:
            self.diff_view.setHtml("<p>No differences.</p>")
            return
        c = theme.current()
        marks = {
            "added": ("+", c.positive),
            "removed": ("−", c.negative),
            "changed": ("~", c.level2),
        }
        html, section = [], None
        for line in lines:
            if line.section != section:
                section = line.section
                html.append(f"<h3>{section}</h3>")
            sign, colour = marks[line.kind]
            html.append(
                f'<p><b style="color:{colour}">{sign}</b> <b>{escape(line.item)}</b>: '
                f"{escape(line.text)}</p>"
            )
        self.diff_view.setHtml("".join(html))

    def _show_revision(self, row: int) -> None:
        revision = self.selected_revision()
        enabled = revision is not None
        self.compare_button.setEnabled(enabled)
        self.restore_button.setEnabled(enabled and row > 0)
        if revision is None:
            return
        previous = self.revisions[row + 1].plan if row + 1 < len(self.revisions) else None
        self._show_diff(
            f"Changes in revision {revision.number}: {revision.summary}", previous, revision.plan
        )

    def compare_with_current(self) -> None:
        revision = self.selected_revision()
        if revision is None:
            return
        current = self.draft if self.draft is not None else self.saved
        what = "your unsaved plan" if self.is_dirty() else "the current plan"
        self._show_diff(f"From revision {revision.number} to {what}", revision.plan, current)

    def restore_selected(self) -> None:
        revision = self.selected_revision()
        if revision is None:
            return
        lost = "\n\nYour unsaved changes will be dropped." if self.is_dirty() else ""
        answer = QMessageBox.question(
            self,
            "Restore this revision",
            plain(
                f"Make revision {revision.number} ({revision.summary}) the current plan again?\n\n"
                f"It is saved as a new revision; nothing in between is deleted.{lost}"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.store.plan.restore(revision.id, self._author())
        self.saved = self.draft = None
        self.refresh()
        show_status(self, f"Restored revision {revision.number}.")

"""The Plan page: edit roles, the escalation ladder, channels and playbooks in place
(`sections`); save each change as a revision; compare and restore revisions (`revisions`);
print the binder.

Edits go into a draft copy of the plan; the page is "dirty" exactly when the draft differs from
the saved plan, so leaving the page or closing the window with unsaved edits always asks, and
nothing else (a refresh, a change of colour scheme) touches the draft.
"""

from __future__ import annotations

import copy
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from app.errors import UserError, describe_failure
from app.plan.diff import diff_plans
from app.plan.model import Plan, plan_to_json, replace_contact, template_plan
from app.store import Store
from ui import theme
from ui.dialogs import exports
from ui.dialogs.plan import SaveRevisionDialog, plan_author, remember_plan_author
from ui.format import date
from ui.pages.base import Page
from ui.pages.plan.revisions import RevisionsTab
from ui.pages.plan.sections import (
    SectionEditor,
    channels_editor,
    ladder_editor,
    playbooks_editor,
    roles_editor,
)
from ui.pdf import write_plan_binder
from ui.widgets import (
    Card,
    button,
    icon,
    label,
    plain,
    primary_button,
    show_status,
    spacer,
)


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
        self.roles_editor = roles_editor(lambda: self.draft)
        self.ladder_editor = ladder_editor(lambda: self.draft)
        self.channels_editor = channels_editor(lambda: self.draft)
        self.playbooks_editor = playbooks_editor(lambda: self.draft)
        if self.playbooks_editor.coordinated is not None:
            self.playbooks_editor.coordinated.clicked.connect(
                lambda: self.navigate.emit("clusters")
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
        self.revisions_tab = RevisionsTab(store)
        self.revisions_tab.compare_button.clicked.connect(self.compare_with_current)
        self.revisions_tab.restore_button.clicked.connect(self.restore_selected)
        self.tabs.addTab(self.revisions_tab, icon("mdi6.history"), "Revisions")
        # The revisions' parts, by the names the page has always had.
        self.revision_list = self.revisions_tab.revision_list
        self.revision_title = self.revisions_tab.revision_title
        self.compare_button = self.revisions_tab.compare_button
        self.restore_button = self.revisions_tab.restore_button
        self.diff_view = self.revisions_tab.diff_view

        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # only while the page shows
            shortcut.activated.connect(self.save)
        self.refresh()

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
        self.revisions_tab.reload()
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        """The status line: which revision, by whom, when reviewed, and unsaved changes."""
        self.status_label.setVisible(self.saved is not None)
        if self.saved is None:
            return
        parts = []
        if self.revisions_tab.revisions:
            latest = self.revisions_tab.revisions[0]
            by = f" by {latest.author}" if latest.author else ""
            parts.append(f"Revision {latest.number}, saved {date(latest.created_at)}{by}")
        reviewed = self.store.plan.last_reviewed()
        if reviewed:
            parts.append(f"last reviewed {date(reviewed)}")
        if self.is_dirty():
            parts.append("Unsaved changes")
        self.status_label.setText("  ·  ".join(parts))  # plain text: names are shown as typed
        self.status_label.setStyleSheet(
            f"color: {theme.current().text}; font-weight: 600;" if self.is_dirty() else ""
        )
        self.save_button.setEnabled(self.is_dirty())

    def restyle(self) -> None:
        self._update_subtitle()

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

    def save(self) -> bool:
        """Save the draft as a new revision; True when saved (or nothing to save)."""
        if not self.is_dirty():
            return True
        names = self.store.contacts.names()
        changes = [d.line() for d in diff_plans(self.saved, self.draft, names)]
        suggestion = changes[0] if len(changes) == 1 else f"{len(changes)} changes: {changes[0]}"
        dialog = SaveRevisionDialog(changes, suggestion[:120], plan_author(self.store), self)
        if not dialog.exec():
            return False
        author = dialog.author.text().strip()
        try:
            self.store.plan.save(self.draft, dialog.summary.text(), author)
        except ValueError as exc:
            QMessageBox.warning(self, "Save the plan", plain(str(exc)))
            return False
        remember_plan_author(self.store, author)
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
        business = self.store.business.get()
        stem = business.name if business else "crisis plan"
        path = exports.save_path(
            self, "Export plan binder", f"{stem} - plan binder.pdf", "PDF (*.pdf)", ".pdf"
        )
        if path is None:
            return
        note = (
            " Your unsaved changes are not in it: save first to include them."
            if self.is_dirty()
            else ""
        )
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = write_plan_binder(self.store, path, self.clock())
        except (UserError, OSError) as exc:  # a full disk is a UserError (DiskFull), not a PdfError
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Export plan binder", plain(describe_failure(exc)))
            return
        QApplication.restoreOverrideCursor()
        exports.done(self, path, f"Wrote the plan binder ({pages} pages).{note}")

    # --- revisions -----------------------------------------------------------------------

    def compare_with_current(self) -> None:
        revision = self.revisions_tab.selected_revision()
        if revision is None:
            return
        current = self.draft if self.draft is not None else self.saved
        what = "your unsaved plan" if self.is_dirty() else "the current plan"
        self.revisions_tab.show_diff(
            f"From revision {revision.number} to {what}", revision.plan, current
        )

    def restore_selected(self) -> None:
        revision = self.revisions_tab.selected_revision()
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
        self.store.plan.restore(revision.id, plan_author(self.store))
        self.saved = self.draft = None
        self.refresh()
        show_status(self, f"Restored revision {revision.number}.")

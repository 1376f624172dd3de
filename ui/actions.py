"""The main window's commands: every QAction (text, shortcut, icon) and the menus that hold
them, and what the commands do that is not the window's own business of showing pages: the
command palette, sources, the business profile, opening, backing up and restoring workspaces.

`WindowCommands` is a part of `MainWindow`; it expects the window's `store`, `settings`,
`clock`, `pages`, `pulls` and `go_to`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from app.backup import backup_workspace, restore_workspace
from app.demo.workspace import build_demo
from app.mentions.search import QueryError
from app.paths import demo_workspace
from app.store import WorkspaceError, inspect_workspace, open_store
from ui import ops
from ui.dialogs import exports
from ui.dialogs.business import BusinessProfileDialog
from ui.dialogs.clusters import ClustersDialog
from ui.dialogs.help import ShortcutsDialog, show_about
from ui.dialogs.palette import CommandPaletteDialog, Found
from ui.dialogs.sources import SourcesDialog
from ui.format import file_stamp
from ui.page_specs import PAGE_SPECS
from ui.pages.base import Page
from ui.widgets import icon, plain

RECENT_MAX = 8


class WindowCommands:
    # --- actions and menus ---------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, icon_name=None, tip="") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        action.setStatusTip(plain(tip))
        action.setToolTip(plain(tip or text))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.page_actions = {
            spec.key: self._action(
                f"Go to {spec.label}",
                lambda _=False, key=spec.key: self.go_to(key),
                f"Ctrl+{number}",
                spec.icon,
            )
            for number, spec in enumerate(PAGE_SPECS, start=1)
        }
        a = self._action
        self.act_palette = a("Quick Search…", self.open_palette, "Ctrl+K", "mdi6.magnify")
        self.act_new_item = a("New Item on This Page", self.new_item, "Ctrl+N", "mdi6.plus")
        self.act_open = a(
            "Open Workspace…", self.open_workspace_dialog, "Ctrl+O", "mdi6.folder-open-outline"
        )
        self.act_new_ws = a(
            "New Workspace…", self.new_workspace_dialog, "Ctrl+Shift+N", "mdi6.file-outline"
        )
        self.act_demo = a("Open Demo Workspace", self.open_demo, None, "mdi6.storefront-outline")
        self.act_sources = a(
            "Sources…",
            self.open_sources,
            "Ctrl+Shift+S",
            "mdi6.rss",
            "Feeds and social accounts that fill your inbox",
        )
        self.act_business = a(
            "Business Profile…", self.edit_business, None, "mdi6.storefront-outline"
        )
        self.act_import = a(
            "Import Mentions…", self.import_mentions, None, "mdi6.inbox-arrow-down-outline"
        )
        self.act_clusters = a(
            "Coordinated Posts…",
            lambda: self.open_clusters(),
            None,
            "mdi6.account-group-outline",
            "Near-identical posts from many accounts: a review bomb or a copy-and-paste campaign",
        )
        self.act_backup = a(
            "Back Up Workspace…", self.backup_dialog, "Ctrl+Shift+B", "mdi6.content-save-outline"
        )
        self.act_restore = a(
            "Restore from Backup…", self.restore_dialog, None, "mdi6.backup-restore"
        )
        self.act_share = a(
            "Share with Your Team…",
            self.open_share_dialog,
            None,
            "mdi6.account-multiple-plus-outline",
            "Work on this workspace with your team through a folder you already share",
        )
        self.act_join = a(
            "Join a Shared Workspace…",
            self.join_workspace_dialog,
            None,
            "mdi6.account-multiple-outline",
            "Get your own copy of a teammate's workspace with their invitation code",
        )
        self.act_sync = a(
            "Sync Now",
            self.sync_now,
            "F5",
            "mdi6.sync",
            "Send your changes to your team and take theirs (sharing must be on)",
        )
        self.act_quit = a("Quit", self.close, "Ctrl+Q")
        self.act_shortcuts = a(
            "Keyboard Shortcuts", self.show_shortcuts, "F1", "mdi6.keyboard-outline"
        )
        self.act_about = a(
            "About Crisis Desk", lambda: show_about(self), None, "mdi6.information-outline"
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setIcon(icon("mdi6.history"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        for action in (
            self.act_new_ws,
            self.act_open,
            self.recent_menu.menuAction(),
            self.act_demo,
            None,
            self.act_new_item,
            self.act_sources,
            self.act_business,
            self.act_import,
            self.act_clusters,
            None,
            self.act_share,
            self.act_join,
            self.act_sync,
            None,
            self.act_backup,
            self.act_restore,
            None,
            self.act_quit,
        ):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        view_menu = bar.addMenu("&View")
        for action in self.page_actions.values():
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.act_palette)
        theme_menu = view_menu.addMenu("Appearance")
        group = QActionGroup(self)
        chosen = self.settings.value("appearance", "system")
        for mode, text in (("system", "Follow System"), ("light", "Light"), ("dark", "Dark")):
            action = QAction(text, self, checkable=True)
            action.setChecked(mode == chosen)
            action.triggered.connect(lambda _=False, m=mode: self.set_appearance(m))
            group.addAction(action)
            theme_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

    def all_actions(self) -> list[QAction]:
        return [
            *self.page_actions.values(),
            self.act_new_item,
            self.act_sources,
            self.act_business,
            self.act_import,
            self.act_clusters,
            self.act_open,
            self.act_new_ws,
            self.act_demo,
            self.act_share,
            self.act_join,
            self.act_sync,
            self.act_backup,
            self.act_restore,
            self.act_shortcuts,
            self.act_about,
            *self.drill_actions(),
        ]

    def open_palette(self) -> None:
        CommandPaletteDialog(
            self.all_actions(), self, commands=self.page_commands, content=self.find_content
        ).exec()

    def page_commands(self) -> list[Found]:
        """Every page's own actions, named with the page: "Inbox: Import mentions"."""
        found = []
        for spec in PAGE_SPECS:
            page = self.pages.get(spec.key)
            if page is None:
                continue
            for text, button_icon, run in page.commands():

                def go(key=spec.key, run=run):
                    self.go_to(key)
                    if self.current_page_key() == key:
                        run()

                found.append(Found(f"{spec.label}: {text}", button_icon, go))
        return found

    def find_content(self, text: str) -> list[Found]:
        """Incidents, statements, contacts and mentions that match `text`, five of each."""
        words = text.lower().split()
        found: list[Found] = []

        def matches(*fields: str) -> bool:
            haystack = " ".join(fields).lower()
            return all(word in haystack for word in words)

        incidents = [i for i in self.store.incidents.all() if matches(i.title, i.public_title)]
        for incident in incidents[:5]:
            found.append(
                Found(
                    f"Incident: {incident.title}",
                    "mdi6.alert-octagon-outline",
                    lambda i=incident.id: self.open_incident(i),
                    f"{incident.level_label} · {incident.status}",
                )
            )
        statements = [s for s in self.store.statements.all() if matches(s.title, s.body)]
        for statement in statements[:5]:
            found.append(
                Found(
                    f"Statement: {statement.title}",
                    "mdi6.message-text-outline",
                    lambda s=statement.id: self._show_on("statements", "show_statement", s),
                    statement.status_label,
                )
            )
        for contact in self.store.contacts.search(text)[:5]:
            found.append(
                Found(
                    f"Contact: {contact.name}",
                    "mdi6.account-outline",
                    lambda c=contact.id: self._show_on("contacts", "show_contact", c),
                    " · ".join(x for x in (contact.role, contact.first_phone) if x),
                )
            )
        try:
            mentions = self.store.mentions.search(text, limit=5)
        except QueryError:  # half a query ("from:"): only the other kinds
            mentions = []
        for mention in mentions:
            words_of = " ".join(mention.text.split())
            found.append(
                Found(
                    f"Mention: {words_of[:70]}{'…' if len(words_of) > 70 else ''}",
                    "mdi6.comment-text-outline",
                    lambda m=mention.id: self._show_on("inbox", "show_mention_id", m, text),
                    f"{mention.author} · {mention.source}",
                )
            )
        return found

    def _show_on(self, key: str, method: str, *args) -> None:
        self.go_to(key)
        if self.current_page_key() == key:
            getattr(self.pages[key], method)(*args)

    def new_item(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, Page):
            page.new_item()

    def import_mentions(self) -> None:
        self.go_to("inbox")
        self.pages["inbox"].choose_import_file()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    def set_appearance(self, mode: str) -> None:
        self.settings.setValue("appearance", mode)
        self.follow_appearance()

    # --- sources and the business -------------------------------------------------------

    def open_sources(self) -> None:
        if self.sources_dialog is None:
            self.sources_dialog = SourcesDialog(self.store, self.secrets, self.pulls.pull, self)
        self.sources_dialog.show()
        self.sources_dialog.raise_()
        self.sources_dialog.activateWindow()

    def open_clusters(self, period: str = "24h") -> ClustersDialog:
        """The coordinated-posts window (the Inbox, the review-bombing and misinformation
        playbooks, Ctrl+K); one at a time, beside the window, so the Inbox stays usable."""
        dialog = self.clusters_dialog
        if dialog is None or dialog.store is not self.store:
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            dialog = self.clusters_dialog = ClustersDialog(self.store, self, period)
            dialog.show_mentions.connect(lambda query: self.go_to(f"search:{query}"))
        elif not dialog.isVisible():
            dialog.find()  # mentions may have come in since it was last open
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def edit_business(self) -> None:
        dialog = BusinessProfileDialog(self.store.business.get(), parent=self)
        if dialog.exec():
            self.store.business.save(dialog.profile())
            self._update_labels()
            self.go_to(self.current_page_key() or "dashboard")

    # --- workspaces ----------------------------------------------------------------------

    def open_demo(self) -> None:
        path = demo_workspace()
        try:
            if inspect_workspace(path).empty:
                with open_store(path) as demo:
                    build_demo(demo)
        except (WorkspaceError, ValueError) as exc:
            QMessageBox.warning(self, "Cannot open the demo", plain(str(exc)))
            return
        self.switch_to(path)

    def recent_workspaces(self) -> list[Path]:
        """The workspaces opened lately, newest first, those still there."""
        saved = self.settings.value("recent/workspaces", []) or []
        if isinstance(saved, str):  # QSettings gives one value back as a plain string
            saved = [saved]
        return [Path(p) for p in saved if Path(p).exists()]

    def remember_recent(self, path: Path) -> None:
        paths = [str(path)] + [str(p) for p in self.recent_workspaces() if p != path]
        self.settings.setValue("recent/workspaces", paths[:RECENT_MAX])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        others = [p for p in self.recent_workspaces() if p != self.store.path]
        for number, path in enumerate(others, start=1):
            action = self.recent_menu.addAction(f"&{number}  {path.name}   ({path.parent})")
            action.setToolTip(plain(str(path)))
            action.triggered.connect(lambda _=False, p=path: self.switch_to(p))
        if not others:
            self.recent_menu.addAction("No other workspace opened yet").setEnabled(False)

    def open_workspace_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", str(self.store.path.parent), "Workspaces (*.db);;All files (*)"
        )
        if name:
            self.switch_to(Path(name))

    def new_workspace_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "New workspace", str(self.store.path.parent / "workspace.db"), "Workspaces (*.db)"
        )
        if not name:
            return
        if not inspect_workspace(Path(name)).empty:
            QMessageBox.information(
                self,
                "New workspace",
                plain(f"{name} already holds a workspace; choose another name."),
            )
            return
        self.switch_to(Path(name))

    def backup_dialog(self) -> None:
        stamp = file_stamp(self.clock())
        path = exports.save_path(
            self,
            "Back up workspace",
            f"{self.store.path.stem}-backup-{stamp}.db",
            "Backups (*.db)",
            ".db",
        )
        if path is None:
            return
        source = self.store.path
        ops.Op(
            self, lambda _job: backup_workspace(source, path, force=True), title="Back up"
        ).with_progress("Backing up the workspace…", cancellable=False).success(
            lambda _r: exports.done(self, path, "Backed up the workspace.")
        ).run_in_background()

    def restore_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Restore from backup",
            str(self.store.path.parent),
            "Backups (*.db);;All files (*)",
        )
        if not name:
            return
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            plain(
                f"Replace everything in this workspace with the backup {Path(name).name}?\n\n"
                "A copy of the workspace as it is now is kept beside it first."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes or not self.confirm_leave():
            return
        backup, target = Path(name), self.store.path
        # A restore replaces the file, and refuses while anyone (this window and its own
        # pulls and ops included) still has it open: let go of it, then take it back,
        # whatever the restore did. Meanwhile the window shows the op's progress.
        was_pulling = self.pulls.timer.isActive()
        self.let_go_of_store()

        def restored(safety: Path | None) -> None:
            note = f" The previous workspace was kept as {safety.name}." if safety else ""
            self.statusBar().showMessage(f"Restored from {backup.name}.{note}", 10000)

        ops.Op(
            self,
            lambda _job: restore_workspace(backup, target, force=True),
            title="Restore from backup",
        ).with_progress("Restoring the backup…", cancellable=False, delay_ms=0).on_finished(
            lambda: self.take_back_store(target, was_pulling)
        ).success(restored).run_in_background().wait()

"""The main window: sidebar navigation, pages, menus, status bar; and the two entry points
the command line uses (`run_gui`, `render_screenshot`)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.backup import backup_workspace, restore_workspace
from app.demo.workspace import build_demo
from app.files import atomic_target
from app.onboarding import needs_welcome, start_empty, start_from_template
from app.paths import config_dir, demo_workspace
from app.secrets import SecretStore
from app.store import Store, WorkspaceError, inspect_workspace, open_store
from app.timeutil import Clock, utc_now
from ui import ops, theme
from ui.crisis_bar import CrisisBar
from ui.dialogs.business import BusinessProfileDialog
from ui.dialogs.help import ShortcutsDialog, show_about
from ui.dialogs.palette import CommandPaletteDialog
from ui.dialogs.sources import SourcesDialog
from ui.format import file_stamp
from ui.pages.base import Page
from ui.pages.contacts import ContactsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.debriefs import DebriefsPage
from ui.pages.inbox import InboxPage
from ui.pages.incidents import IncidentsPage, countdown_text
from ui.pages.plan import PlanPage
from ui.pages.statements import StatementsPage
from ui.pages.welcome import WelcomePage
from ui.pulls import PullScheduler
from ui.widgets import icon, plain, plain_label


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    icon: str
    build: Callable[[MainWindow], Page]


PAGE_SPECS: list[PageSpec] = [
    PageSpec(
        "dashboard",
        "Dashboard",
        "mdi6.view-dashboard-outline",
        lambda w: DashboardPage(w.store, w.clock),
    ),
    PageSpec(
        "plan",
        "Plan",
        "mdi6.clipboard-text-outline",
        lambda w: PlanPage(w.store, w.clock),
    ),
    PageSpec(
        "contacts",
        "Contacts",
        "mdi6.account-group-outline",
        lambda w: ContactsPage(w.store, w.clock),
    ),
    PageSpec("inbox", "Inbox", "mdi6.inbox-outline", lambda w: InboxPage(w.store, w.clock)),
    PageSpec(
        "incidents",
        "Incidents",
        "mdi6.alert-octagon-outline",
        lambda w: IncidentsPage(w.store, w.clock),
    ),
    PageSpec(
        "statements",
        "Statements",
        "mdi6.message-text-outline",
        lambda w: StatementsPage(w.store, w.clock),
    ),
    PageSpec(
        "debriefs",
        "Debriefs",
        "mdi6.school-outline",
        lambda w: DebriefsPage(w.store, w.clock),
    ),
]
PAGE_KEYS = [spec.key for spec in PAGE_SPECS]


def _badge(item: QListWidgetItem, name: str, text: str) -> None:
    item.setText(f"{name}   {text}" if text else name)


def app_settings() -> QSettings:
    """Window state and preferences; an INI file in the config folder, never secrets."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "crisisdesk.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    changed = Signal(object)  # set[str]: the domains a page or an op just changed

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        clock: Clock = utc_now,
        secrets: SecretStore | None = None,
        auto_pull: bool = False,
    ):
        super().__init__()
        self.store = store
        self.settings = settings
        self.clock = clock
        self.secrets = secrets or SecretStore()
        self.pulls = PullScheduler(store, self.secrets, self)
        self.pulls.finished.connect(self._on_pull_finished)
        self.sources_dialog: SourcesDialog | None = None
        self.notified: set = set()
        self.tray: QSystemTrayIcon | None = None
        self.last_notification: tuple[str, str] | None = None
        self.incident_timer = QTimer(self)
        self.incident_timer.setInterval(30_000)
        self.incident_timer.timeout.connect(self.refresh_incident_state)
        self.incident_timer.start()
        self.pages: dict[str, Page] = {}
        self.setWindowTitle("Crisis Desk")
        self.setMinimumSize(QSize(960, 640))

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        side = QWidget()
        side.setObjectName("SidePanel")
        side.setFixedWidth(220)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 8)
        side_layout.setSpacing(0)
        self.app_title = plain_label("Crisis Desk")
        self.app_title.setObjectName("AppTitle")
        self.business_label = plain_label("")
        self.business_label.setObjectName("AppSubtitle")
        self.business_label.setWordWrap(True)
        side_layout.addWidget(self.app_title)
        side_layout.addWidget(self.business_label)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("Sidebar")
        self.sidebar.setAccessibleName("Pages")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        side_layout.addWidget(self.sidebar, 1)
        row.addWidget(side)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.crisis_bar = CrisisBar()
        self.crisis_bar.open_room.connect(self.open_incident)
        right.addWidget(self.crisis_bar)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        row.addLayout(right, 1)
        self.setCentralWidget(central)

        self.workspace_label = plain_label()
        self.statusBar().addPermanentWidget(self.workspace_label)
        self.statusBar().setSizeGripEnabled(False)

        self._build_actions()
        self._build_menus()
        # Selection, not the current row: focusing the list sets a current row by itself.
        self.sidebar.itemSelectionChanged.connect(self._on_sidebar_selection)
        self.changed.connect(self._follow_changes)
        self.load_store(store)
        self._restore_window_state()
        if auto_pull:
            self.pulls.start()

    # --- pages ---------------------------------------------------------------------------

    def load_store(self, store: Store) -> None:
        """Show `store` (a workspace just opened): rebuild every page from it."""
        self.store = store
        self.pulls.set_store(store)
        self._drop_pages()
        self.sidebar.blockSignals(True)
        for spec in PAGE_SPECS:
            page = spec.build(self)
            page.navigate.connect(self.go_to)
            page.changed.connect(self.announce)
            page.declare_spike.connect(self.declare_from_spike)
            page.declare_with.connect(
                lambda ids: self.declare_incident(mention_ids=ids, origin="mentions")
            )
            self.changed.connect(page.follow_changes)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(spec.icon), spec.label)
            item.setSizeHint(QSize(200, 40))
            item.setToolTip(
                plain(f"{spec.label} ({self.page_actions[spec.key].shortcut().toString()})")
            )
            self.sidebar.addItem(item)
            page.badge.connect(lambda text, i=item, name=spec.label: _badge(i, name, text))
            _badge(item, spec.label, page.badge_text())
        welcome = WelcomePage()
        welcome.chosen.connect(self._on_welcome_choice)
        self.pages["welcome"] = welcome
        self.stack.addWidget(welcome)
        self.sidebar.blockSignals(False)
        self._update_labels()
        self.notified.clear()
        self.refresh_incident_state()
        if needs_welcome(store):
            self.go_to("welcome")
        else:
            self.go_to(self.settings.value("window/page", "dashboard"))

    def announce(self, domains: set[str]) -> None:
        """A page or an op changed `domains`: the pages that show them refresh themselves."""
        self.changed.emit(set(domains))

    def _follow_changes(self, _domains: set[str]) -> None:
        if self.pages:  # not while the window has let go of its store
            self.refresh_incident_state()

    def _drop_pages(self) -> None:
        if self.sources_dialog is not None:
            self.sources_dialog.close()
            self.sources_dialog = None
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.sidebar.blockSignals(True)
        self.sidebar.clear()
        self.sidebar.blockSignals(False)
        self.pages = {}

    def confirm_leave(self) -> bool:
        """Ask every page that holds unsaved work before it goes."""
        return all(page.confirm_leave() for page in self.pages.values())

    def go_to(self, key: str) -> None:
        if key == "business":
            self.edit_business()
            return
        if key.startswith("incident:"):
            self.open_incident(int(key.split(":", 1)[1]))
            return
        if key not in self.pages:
            key = "dashboard"
        page = self.pages[key]
        current = self.stack.currentWidget()
        if current is not page and isinstance(current, Page) and not current.confirm_leave():
            self._select_sidebar_row(self.current_page_key())
            return
        page.refresh()
        self.stack.setCurrentWidget(page)
        self._select_sidebar_row(key)
        if key in PAGE_KEYS:
            self.settings.setValue("window/page", key)

    def _select_sidebar_row(self, key: str) -> None:
        self.sidebar.blockSignals(True)
        if key in PAGE_KEYS:
            self.sidebar.setCurrentRow(PAGE_KEYS.index(key))
        else:
            self.sidebar.clearSelection()
        self.sidebar.blockSignals(False)

    def open_incident(self, incident_id: int) -> None:
        self.go_to("incidents")
        self.pages["incidents"].show_incident(incident_id)

    def declare_incident(self, mention_ids=None, title: str = "", origin: str = "manual"):
        """Open the declare dialog (from a spike banner, selected mentions, or by hand)."""
        self.go_to("incidents")
        return self.pages["incidents"].declare(mention_ids=mention_ids, title=title, origin=origin)

    def declare_from_spike(self, spike) -> None:
        """The spike banner's "Declare incident": its mentions come along; once declared, the
        spike is marked so the alarm stops."""
        from app.mentions.repository import MentionFilter
        from app.mentions.spikes import record_spike
        from app.timeutil import to_iso

        ids = self.store.mentions.ids_matching(
            MentionFilter(""), to_iso(spike.start), to_iso(spike.end)
        )
        if self.declare_incident(mention_ids=ids, origin="spike") is not None:
            record_spike(self.store, spike, "declared")
            self.announce({"spikes"})

    def refresh_incident_state(self) -> None:
        """Every 30 s and after each change: the crisis bar, countdowns and due notifications."""
        now = self.clock()
        open_incidents = self.store.incidents.all(open_only=True)
        self.crisis_bar.show_incidents(open_incidents, now)
        incidents_page = self.pages.get("incidents")
        if isinstance(incidents_page, IncidentsPage):
            incidents_page.refresh_countdown()
        for incident in open_incidents:
            due_in = incident.update_due_in(now)
            if due_in is None:
                continue
            state = (
                "overdue"
                if due_in.total_seconds() < 0
                else "due"
                if due_in.total_seconds() <= 300
                else ""
            )
            key = (incident.id, state, incident.next_update_due_at)
            if state and key not in self.notified:
                self.notified.add(key)
                text, _ = countdown_text(incident, now)
                self.notify(f"{incident.level_label}: {incident.title}", text)

    def notify(self, title: str, text: str) -> None:
        """A tray notification where the desktop has a tray; the status bar always."""
        self.last_notification = (title, text)
        self.statusBar().showMessage(f"{title} — {text}", 15000)
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(icon("mdi6.alert-octagon-outline"), self)
                self.tray.show()
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 15000)

    def current_page_key(self) -> str:
        current = self.stack.currentWidget()
        return next((key for key, page in self.pages.items() if page is current), "")

    def _on_sidebar_selection(self) -> None:
        rows = [index.row() for index in self.sidebar.selectedIndexes()]
        if rows and 0 <= rows[0] < len(PAGE_KEYS):
            self.go_to(PAGE_KEYS[rows[0]])

    def _update_labels(self) -> None:
        business = self.store.business.get()
        self.business_label.setText(business.name if business else "No business set yet")
        self.workspace_label.setText(
            f"Workspace: {self.store.path}  ·  schema {self.store.schema_version}"
        )
        self.setWindowTitle(f"{business.name} — Crisis Desk" if business else "Crisis Desk")

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
        self.act_backup = a(
            "Back Up Workspace…", self.backup_dialog, "Ctrl+Shift+B", "mdi6.content-save-outline"
        )
        self.act_restore = a(
            "Restore from Backup…", self.restore_dialog, None, "mdi6.backup-restore"
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
        for action in (
            self.act_new_ws,
            self.act_open,
            self.act_demo,
            None,
            self.act_new_item,
            self.act_sources,
            self.act_business,
            self.act_import,
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
            self.act_open,
            self.act_new_ws,
            self.act_demo,
            self.act_backup,
            self.act_restore,
            self.act_shortcuts,
            self.act_about,
        ]

    def open_palette(self) -> None:
        CommandPaletteDialog(self.all_actions(), self).exec()

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
        apply_appearance(mode)
        if self.confirm_leave():  # icons are drawn in the palette's colours: rebuild the pages
            self.load_store(self.store)

    # --- sources -------------------------------------------------------------------------

    def open_sources(self) -> None:
        if self.sources_dialog is None:
            self.sources_dialog = SourcesDialog(self.store, self.secrets, self.pulls.pull, self)
        self.sources_dialog.show()
        self.sources_dialog.raise_()
        self.sources_dialog.activateWindow()

    def _on_pull_finished(self, outcome) -> None:
        if outcome.error:
            self.statusBar().showMessage(f"{outcome.name}: {outcome.error}", 10000)
        elif not outcome.skipped:
            self.statusBar().showMessage(
                f"{outcome.name}: {outcome.new} new mentions, {outcome.duplicates} already here.",
                8000,
            )
        if self.sources_dialog is not None:
            self.sources_dialog.pull_finished()

    # --- workspace -----------------------------------------------------------------------

    def edit_business(self) -> None:
        dialog = BusinessProfileDialog(self.store.business.get(), parent=self)
        if dialog.exec():
            self.store.business.save(dialog.profile())
            self._update_labels()
            self.go_to(self.current_page_key() or "dashboard")

    def _on_welcome_choice(self, choice: str) -> None:
        if choice == "template":
            dialog = BusinessProfileDialog(
                self.store.business.get(),
                intro="Tell us about your business; the template plan is written around it. "
                "You can change any of this later.",
                parent=self,
            )
            if not dialog.exec():
                return
            start_from_template(self.store, dialog.profile())
            self._update_labels()
            self.go_to("dashboard")
        elif choice == "demo":
            start_empty(self.store)
            self.open_demo()
        else:
            start_empty(self.store)
            self.go_to("dashboard")

    def switch_to(self, path: Path) -> bool:
        """Open the workspace at `path` in this window; keep the current one if it cannot."""
        if not self.confirm_leave():
            return False
        try:
            store = open_store(path)
        except WorkspaceError as exc:
            QMessageBox.warning(self, "Cannot open workspace", plain(str(exc)))
            return False
        self.store.close()
        self.load_store(store)
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

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
        suggestion = self.store.path.with_name(f"{self.store.path.stem}-backup-{stamp}.db")
        name, _ = QFileDialog.getSaveFileName(
            self, "Back up workspace", str(suggestion), "Backups (*.db)"
        )
        if not name:
            return
        source = self.store.path
        ops.Op(
            self, lambda _job: backup_workspace(source, Path(name), force=True), title="Back up"
        ).with_progress("Backing up the workspace…", cancellable=False).success(
            lambda _r: self.statusBar().showMessage(f"Backed up to {name}", 8000)
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

    def let_go_of_store(self) -> None:
        """Stop everything that reads the workspace, wait for running ops, drop the pages and
        close the store (before a restore replaces the file)."""
        self.pulls.stop()
        for timer in self.findChildren(QTimer):
            timer.stop()
        ops.cancel_all(within=self)
        ops.wait_for_all(30_000)
        self._drop_pages()
        self.store.close()

    def take_back_store(self, path: Path, pull: bool) -> None:
        self.load_store(open_store(path, clock=self.clock))
        self.incident_timer.start()
        if pull:
            self.pulls.start()

    # --- window state --------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event):  # noqa: N802 (Qt override)
        if not self.confirm_leave():
            event.ignore()
            return
        self.pulls.stop()
        for timer in self.findChildren(QTimer):  # nothing may touch the store after it closes
            timer.stop()
        ops.cancel_all(within=self)
        ops.wait_for_all(10_000)  # deliver what the ops reported while the store is open
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        self.store.close()
        super().closeEvent(event)


def apply_appearance(mode: str) -> None:
    app = QApplication.instance()
    theme.apply_theme(app, mode)


def _make_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Crisis Desk")
    app.setOrganizationName("CrisisDesk")
    app.setApplicationVersion(__version__)
    return app


def run_gui(path: Path) -> int:
    app = _make_application()
    settings = app_settings()
    mode = settings.value("appearance", "system")
    apply_appearance(mode)
    try:
        store = open_store(path)
    except WorkspaceError as exc:
        QMessageBox.critical(None, "Cannot open workspace", plain(str(exc)))
        print(f"crisisdesk: {exc}", file=sys.stderr)
        return 1
    window = MainWindow(store, settings, auto_pull=True)

    def follow_system(_scheme) -> None:
        if settings.value("appearance", "system") == "system":
            apply_appearance("system")
            window.load_store(window.store)

    QGuiApplication.styleHints().colorSchemeChanged.connect(follow_system)
    window.show()
    return app.exec()


def render_screenshot(
    path: Path, page: str, output: Path, size: tuple[int, int], mode: str
) -> None:
    """Render the real main window on `page` offscreen and save it as a PNG."""
    app = _make_application()
    apply_appearance(mode)
    with tempfile.TemporaryDirectory() as scratch:
        # Screenshots leave no window state behind: their settings live in a scratch folder.
        settings = QSettings(str(Path(scratch) / "screenshot.ini"), QSettings.Format.IniFormat)
        window = MainWindow(open_store(path), settings)
        window.resize(*size)
        window.show()
        window.go_to(page)
        app.processEvents()
        ops.wait_for_all(60_000)  # charts are computed in the background
        picture = window.grab()
        window.close()
        window.deleteLater()
        # Delete it now: a live hidden window would be re-styled with every later theme change.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(output) as temp:  # whole or not at all, like every file we write
        if not picture.save(str(temp), "PNG"):
            raise WorkspaceError(f"Could not write {output}.")

"""The main window: the sidebar and its pages, the crisis bar, the status bar; the workspace it
shows (opened, let go of for a restore, taken back) and what it tells its pages (changes, the
colour scheme); and the two entry points the command line uses (`run_gui`,
`render_screenshot`). Its commands and menus are in `ui.actions`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
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
from app.attention import DRILL_PAGE
from app.files import atomic_target
from app.mentions.model import MentionFilter
from app.mentions.spikes import record_spike
from app.onboarding import WELCOME_KEY, needs_welcome, start_empty, start_from_template
from app.paths import config_dir
from app.secrets import SecretStore
from app.store import Store, WorkspaceError, open_store
from app.timeutil import Clock, to_iso, utc_now
from ui import ops, theme
from ui.actions import WindowCommands
from ui.dialogs.business import BusinessProfileDialog
from ui.dialogs.clusters import ClustersDialog
from ui.dialogs.sources import SourcesDialog
from ui.drill_mode import DrillCommands
from ui.format import countdown
from ui.page_specs import PAGE_KEYS, PAGE_SPECS
from ui.pages.base import Page
from ui.pages.incidents import IncidentsPage
from ui.pages.welcome import WelcomePage
from ui.pulls import PullScheduler
from ui.team import TeamSharing
from ui.widgets import icon, plain, plain_label
from ui.widgets.crisis_bar import CrisisBar
from ui.widgets.drill_band import DrillBand
from ui.widgets.style import IconStyle, install_icon_style
from ui.widgets.wheel import install_wheel_guard


def _badge(item: QListWidgetItem, name: str, text: str) -> None:
    item.setText(f"{name}   {text}" if text else name)


def app_settings() -> QSettings:
    """Window state and preferences; an INI file in the config folder, never secrets."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "crisisdesk.ini"), QSettings.Format.IniFormat)


class MainWindow(TeamSharing, DrillCommands, WindowCommands, QMainWindow):
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
        install_wheel_guard()  # no combo box or spin box changes under a scrolling wheel
        install_icon_style()  # message boxes and file dialogs in the one icon set
        self.store = store
        self.settings = settings
        self.clock = clock
        self.secrets = secrets or SecretStore()
        self.pulls = PullScheduler(store, self.secrets, self)
        self.pulls.finished.connect(self._on_pull_finished)
        self.pulls.alerts.connect(self._on_alerts)
        self.sources_dialog: SourcesDialog | None = None
        self.clusters_dialog: ClustersDialog | None = None
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
        self.drill_band = DrillBand()  # above everything while a drill runs: "EXERCISE"
        right.addWidget(self.drill_band)
        self.crisis_bar = CrisisBar()
        self.crisis_bar.open_room.connect(self.open_incident)
        self.crisis_bar.undo_end.connect(self.undo_end)
        right.addWidget(self.crisis_bar)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        row.addLayout(right, 1)
        self.setCentralWidget(central)

        self.demo_label = plain_label("Demo workspace: a made-up bakery, nothing here is real")
        self.demo_label.setObjectName("DemoMark")
        self.demo_label.setAccessibleName("Demo workspace")
        self.statusBar().addPermanentWidget(self.demo_label)
        self.workspace_label = plain_label()
        self.statusBar().addPermanentWidget(self.workspace_label)
        self.statusBar().setSizeGripEnabled(False)
        self._build_sharing()

        self._build_actions()
        self._build_menus()
        self._build_drill_actions()
        self._build_drill_menu()
        # Selection, not the current row: focusing the list sets a current row by itself.
        self.sidebar.itemSelectionChanged.connect(self._on_sidebar_selection)
        self.changed.connect(self._follow_changes)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.load_store(store)
        self._restore_window_state()
        if auto_pull:
            self.pulls.start()

    # --- pages ---------------------------------------------------------------------------

    def load_store(self, store: Store, remember: bool = True) -> None:
        """Show `store` (a workspace just opened, or a drill's copy): rebuild every page from
        it. A drill's copy, and the workspace it gives back, are not "opened lately"."""
        self.store = store
        self.pulls.set_store(store)
        if remember:
            self.remember_recent(store.path)
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
        self.show_sandbox_band()
        self.notified.clear()
        self.crisis_bar.incident = self.crisis_bar.ended = None  # another workspace
        self.refresh_incident_state()
        if needs_welcome(store):
            self.go_to("welcome")
        else:
            self.go_to(self.settings.value("window/page", "dashboard"))
        self.follow_sharing()

    def announce(self, domains: set[str]) -> None:
        """A page or an op changed `domains`: the pages that show them refresh themselves."""
        self.changed.emit(set(domains))

    def _follow_changes(self, domains: set[str]) -> None:
        if self.pages:  # not while the window has let go of its store
            self.refresh_incident_state()
            if domains & {"mentions", "sentiment"}:  # an import, a pull, scoring, an undo
                self.pulls.recheck()

    def _drop_pages(self) -> None:
        if self.sources_dialog is not None:
            self.sources_dialog.close()
            self.sources_dialog = None
        if self.clusters_dialog is not None:
            self.clusters_dialog.close()
            self.clusters_dialog.deleteLater()
            self.clusters_dialog = None
        while self.stack.count():
            widget = self.stack.widget(0)
            if isinstance(widget, Page):
                widget.retired = True  # its store is about to close: late timers do nothing
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
        if key == DRILL_PAGE:
            self.open_drill_dialog()
            return
        if key == "clusters":  # "Look for coordinated posts" (the Inbox, a playbook)
            self.open_clusters()
            return
        if key.startswith("incident:"):
            self.open_incident(int(key.split(":", 1)[1]))
            return
        if key.startswith("search:"):  # an alert's "Show": the Inbox, searching for it
            self.go_to("inbox")
            inbox = self.pages.get("inbox")
            if inbox is not None and self.current_page_key() == "inbox":
                inbox.search_for(key.split(":", 1)[1])
            return
        if key not in self.pages:
            key = "dashboard"
        page = self.pages[key]
        current = self.stack.currentWidget()
        if current is not page and isinstance(current, Page) and not current.confirm_leave():
            self._select_sidebar_row(self.current_page_key())
            return
        if page is not current:
            self.crisis_bar.dismiss_ended()  # a new page: nothing under the bar can jump now
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
        before = self.crisis_bar.incident
        if before is not None and not open_incidents:
            # The last open incident just ended: the bar says so (with Undo) instead of
            # vanishing, so the page under it does not jump.
            self.crisis_bar.show_ended(before, self.store.incidents.get(before.id).status, now)
        else:
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
                text, _ = countdown(incident, now)
                self.notify(f"{incident.level_label}: {incident.title}", text)

    def undo_end(self, before) -> None:
        """The crisis bar's Undo: the incident goes back to the status and the update deadline
        it had before it was resolved or closed (the timeline keeps both steps)."""
        self.store.incidents.set_status(
            before.id,
            before.status,
            "undone",
            next_update_due_at=before.next_update_due_at,
        )
        self.announce({"incidents"})
        self.statusBar().showMessage(f"“{before.title}” is open again.", 8000)

    def notify(self, title: str, text: str) -> None:
        """A tray notification where the desktop has a tray; the status bar always."""
        if self.drill_run is not None:  # a drill's spike or deadline is never taken for real
            title = f"EXERCISE — {title}"
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

    def is_demo(self) -> bool:
        return self.store.settings.get(WELCOME_KEY) == "demo"

    def _update_labels(self) -> None:
        business = self.store.business.get()
        demo = self.is_demo()
        name = business.name if business else "No business set yet"
        self.business_label.setText(f"{name}\nDemo workspace" if demo else name)
        self.workspace_label.setText(f"Workspace: {self.store.path.name}")
        self.workspace_label.setToolTip(plain(str(self.store.path)))
        self.demo_label.setVisible(demo)
        title = f"{business.name} — Crisis Desk" if business else "Crisis Desk"
        self.setWindowTitle(f"Demo: {title}" if demo else title)

    # --- sources, the welcome, the workspace ---------------------------------------------

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

    def _on_alerts(self, alerts) -> None:
        """Spike, all-clear, watch and reach alerts: on the desktop once each, and the pages
        that show them (banner, Dashboard) refresh."""
        if not self.pages:
            return
        for alert in alerts[-3:]:  # a backlog from a night of cron pulls: the newest three
            self.notify(alert.title, alert.detail)
        self.store.detection.mark_notified([a.id for a in alerts if a.id is not None])
        self.announce({"spikes"})

    # --- workspace -----------------------------------------------------------------------

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
        elif choice == "join":
            self.join_workspace_dialog()
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
        self.leave_sharing()
        self.store.close()
        self.load_store(store)
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def let_go_of_store(self) -> None:
        """Stop everything that reads the workspace, wait for running ops, drop the pages and
        close the store (before a restore replaces the file)."""
        self.leave_sharing()
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

    # --- light and dark ----------------------------------------------------------------

    def follow_appearance(self) -> None:
        """Apply the chosen appearance (light, dark, or the system's) and recolour the pages in
        place: nothing is rebuilt, so nothing typed is lost and nothing needs asking."""
        apply_appearance(self.settings.value("appearance", "system"))
        self.restyle()

    def _system_scheme_changed(self, _scheme) -> None:
        if self.settings.value("appearance", "system") == "system":
            self.follow_appearance()

    def restyle(self) -> None:
        """The palette, the style sheet and the icons follow by themselves; the few colours
        set in code are set again."""
        for page in self.pages.values():
            page.restyle()
        self.drill_band.restyle()
        if self.pages:
            self.refresh_incident_state()  # the crisis bar's colours

    # --- window state --------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event):  # noqa: N802 (Qt override)
        if not self.leave_drill_before_closing() or not self.confirm_leave():
            event.ignore()
            return
        self.leave_sharing()
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
    theme.use_style(IconStyle)  # Fusion with the one icon set, from the first window on
    install_wheel_guard()
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
    window.show()
    return app.exec()


def _play_drill(window: MainWindow, scenario_path: Path, page: str, minutes: float):
    """Start the drill on a manual clock and let the autopilot play; for "score", to the end
    (the score dialog is returned, to be drawn over the window)."""
    from app.drills.scenario import read_scenario

    scenario = read_scenario(scenario_path, window.playbooks())
    window.begin_drill(scenario, 10, manual=True, keep=False)
    if page != "score":
        window.autoplay_to(minutes)
        return None
    window.autoplay_to(scenario.duration.total_seconds() / 60)
    if window.drill_run is not None:
        window.end_drill(ask=False, show_score=False)
    document = window.last_drill_score.as_dict(with_events=False)
    dialog = window.show_drill_score({**document, "kept": False})
    QApplication.processEvents()
    return dialog


def _draw_over(picture, dialog) -> None:
    from PySide6.QtGui import QColor, QPainter

    shot = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))  # the window dimmed behind it
    x = (picture.width() - shot.width()) // 2
    y = max(0, (picture.height() - shot.height()) // 2)
    painter.drawPixmap(x, y, shot)
    painter.end()
    dialog.close()


def render_screenshot(
    path: Path,
    page: str,
    output: Path,
    size: tuple[int, int],
    mode: str,
    drill: Path | None = None,
    drill_minutes: float = 12,
) -> None:
    """Render the real main window on `page` offscreen and save it as a PNG. With `drill` (a
    scenario file), the window shows that drill with the autopilot at T+`drill_minutes`; the
    page "score" shows the drill played to its end and its score. Nothing is kept."""
    app = _make_application()
    apply_appearance(mode)
    with tempfile.TemporaryDirectory() as scratch:
        # Screenshots leave no window state behind: their settings live in a scratch folder.
        settings = QSettings(str(Path(scratch) / "screenshot.ini"), QSettings.Format.IniFormat)
        settings.setValue("appearance", mode)
        window = MainWindow(open_store(path), settings)
        window.resize(*size)
        window.show()
        score = None
        if drill is not None:
            score = _play_drill(window, drill, page, drill_minutes)
        window.go_to("dashboard" if page == "score" else page)
        app.processEvents()
        ops.wait_for_all(60_000)  # charts are computed in the background
        for _ in range(3):  # boxes that grew for their wrapped words: the layout settles
            app.processEvents()
        picture = window.grab()
        if score is not None:  # the score dialog over the window, as the owner sees it
            _draw_over(picture, score)
        if window.drill_run is not None:
            window.end_drill(ask=False, show_score=False)
        window.close()
        window.deleteLater()
        # Delete it now: a live hidden window would be re-styled with every later theme change.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(output) as temp:  # whole or not at all, like every file we write
        if not picture.save(str(temp), "PNG"):
            raise WorkspaceError(f"Could not write {output}.")

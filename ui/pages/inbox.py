"""The Inbox: what people are saying, searched, triaged from the keyboard, answered.

The table is a `MentionTableModel` (a page at a time from the store, never the whole table).
Triage never deletes: it changes a status, and ignoring or hiding asks for the reason. Keys on
the table: j/k move, e escalate, r reply, i ignore, h hide, 1-4 severity, t tag, u back to new.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QSystemTrayIcon,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.mentions.repository import (
    GUIDELINES,
    IGNORE_REASONS,
    SEVERITIES,
    STATUSES,
    Mention,
    MentionFilter,
    TriageError,
)
from app.mentions.search import QueryError, describe, parse_query
from app.mentions.sentiment import score_pending
from app.mentions.spikes import (
    SENSITIVITIES,
    SETTING_KEY,
    Overview,
    Spike,
    current_sensitivity,
    overview,
    recent_spikes,
    record_spike,
)
from app.store import Store
from app.text import safe_web_url
from ui import theme
from ui.charts import MentionChart, points_from
from ui.dialogs.mention_import import open_import_dialog
from ui.dialogs.mentions import AddMentionDialog, ReasonDialog, TagDialog
from ui.format import number
from ui.models.mentions import SENTIMENT_WORDS, MentionTableModel, local_time
from ui.ops import Op, QueryOp, StoreOp
from ui.pages.base import Page
from ui.widgets import (
    Card,
    button,
    icon,
    label,
    link_button,
    open_web_link,
    plain,
    plain_label,
    primary_button,
    show_status,
    spacer,
)

# The status tabs: what each shows.
VIEWS: dict[str, tuple[str, ...]] = {
    "To do (new, needs reply, escalated)": ("new", "needs_reply", "escalated"),
    "Everything": (),
    **{label_: (status,) for status, label_ in STATUSES.items()},
}


class SpikeBanner(QFrame):
    """ "Mentions spiked at 14:00 — 5× the usual", with Declare incident; on the Dashboard too."""

    changed = Signal()
    show_mentions = Signal(str)
    declare_requested = Signal(object)  # the spike: the window opens the declare dialog

    def __init__(self, store: Store, clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.spike: Spike | None = None
        self.recent: list[Spike] | None = None
        self.setObjectName("SpikeBanner")
        colours = theme.current()
        self.setStyleSheet(
            f"#SpikeBanner {{ background: {colours.surface}; border: 1px solid "
            f"{colours.negative}; border-left: 4px solid {colours.negative}; border-radius: 8px; }}"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(12)
        badge = plain_label()
        badge.setPixmap(icon("mdi6.trending-up", colours.negative).pixmap(24, 24))
        row.addWidget(badge)
        words = QVBoxLayout()
        words.setSpacing(2)
        self.headline = label("", "CardTitle")
        self.detail = label("", "Muted")
        words.addWidget(self.headline)
        words.addWidget(self.detail)
        row.addLayout(words, 1)
        self.show_button = link_button("Show them")
        self.show_button.clicked.connect(self._show)
        self.declare_button = primary_button("Declare incident", "mdi6.alert-octagon-outline")
        self.declare_button.clicked.connect(self.declare)
        self.dismiss_button = button("Not a crisis")
        self.dismiss_button.setToolTip("Hide this alarm; the mentions stay in the inbox")
        self.dismiss_button.clicked.connect(self.dismiss)
        for widget in (self.show_button, self.dismiss_button, self.declare_button):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setVisible(False)

    def refresh(self, recent: list[Spike] | None = None) -> Spike | None:
        """Show the newest recent spike the owner has not dismissed; returns it. `recent`
        comes from a background overview; without it the spikes are found here."""
        if recent is not None:
            self.recent = recent
        elif self.recent is None:
            self.recent = recent_spikes(self.store, self.clock())
        spikes = [
            s
            for s in self.recent
            if s.end > self.clock() - timedelta(hours=72)
            and self.store.mentions.spike_status(_iso(s.start)) not in ("dismissed", "declared")
        ]
        self.spike = spikes[-1] if spikes else None
        self.setVisible(self.spike is not None)
        if self.spike is None:
            return None
        spike = self.spike
        self.headline.setText(spike.headline(self.clock()))
        status = self.store.mentions.spike_status(_iso(spike.start))
        detail = (
            f"{spike.explanation()}; {spike.count:,} mentions from {local_time(spike.start)}, "
            f"{spike.negative_share:.0%} negative."
        )
        if status == "awaiting incident":
            detail += " You chose to declare an incident for it; it is not declared yet."
        self.detail.setText(detail)
        return spike

    def _show(self) -> None:
        if self.spike is not None:
            start, end = self.spike.start, self.spike.end
            self.show_mentions.emit(f"date:{start:%Y-%m-%dT%H:%M}..{end:%Y-%m-%dT%H:%M}")

    def declare(self) -> None:
        if self.spike is not None:
            self.declare_requested.emit(self.spike)

    def dismiss(self) -> None:
        if self.spike is not None:
            record_spike(self.store, self.spike, "dismissed")
            self.refresh()
            self.changed.emit()


def _iso(moment: datetime) -> str:
    from app.timeutil import to_iso

    return to_iso(moment)


_tray: QSystemTrayIcon | None = None
_tray_clicked = None


def _on_tray_click() -> None:
    if _tray_clicked is not None:
        _tray_clicked()


def notify_spike(store: Store, spike: Spike, on_click=None) -> bool:
    """A tray notification, once per spike, where the desktop has a tray; clicking it calls
    `on_click` (the pages open the Inbox, where "Declare incident" is)."""
    global _tray, _tray_clicked
    key = f"spike_notified:{_iso(spike.start)}"
    if store.settings.get(key) or not QSystemTrayIcon.isSystemTrayAvailable():
        return False
    if _tray is None:
        _tray = QSystemTrayIcon(icon("mdi6.bell-ring-outline"))
        _tray.messageClicked.connect(_on_tray_click)
        _tray.show()
    _tray_clicked = on_click
    _tray.showMessage(
        "Crisis Desk: mentions are spiking",
        spike.headline() + ". Open the Inbox to look, or declare an incident.",
        QSystemTrayIcon.MessageIcon.Warning,
    )
    store.settings.set(key, "1")
    return True


class ReadingPane(QScrollArea):
    """One mention in full: who, where, when, the words, evidence, and the reply draft."""

    def __init__(self, page: InboxPage):
        super().__init__()
        self.page = page
        self.mention: Mention | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(300)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 0, 4, 0)
        layout.setSpacing(8)
        self.meta = label("", "Muted")
        self.chips = label("", rich=True)  # colours are ours; every word in it is escaped
        self.text = QTextBrowser()
        self.text.setAccessibleName("The mention")
        self.text.setOpenExternalLinks(False)
        self.text.setMinimumHeight(60)
        self.text.setMaximumHeight(110)
        layout.addWidget(self.meta)
        layout.addWidget(self.chips)
        layout.addWidget(self.text, 2)

        actions = QHBoxLayout()
        actions.setSpacing(6)
        more = QHBoxLayout()
        more.setSpacing(6)
        self.triage_buttons = {}
        for key, text, icon_name, tip in (
            ("reply", "Reply", "mdi6.reply-outline", "Needs a reply (r)"),
            ("escalate", "Escalate", "mdi6.alert-outline", "Escalate (e)"),
            ("ignore", "Ignore", "mdi6.check", "Ignore, with a reason (i)"),
            ("hide", "Hide", "mdi6.eye-off-outline", "Hide: breaks a guideline (h)"),
            ("tag", "Tag", "mdi6.tag-outline", "Add a tag (t)"),
        ):
            widget = button(text, icon_name, tip)
            widget.clicked.connect(lambda _=False, k=key: page.triage(k))
            self.triage_buttons[key] = widget
            (more if key in ("hide", "tag") else actions).addWidget(widget)
        self.severity = QComboBox()
        self.severity.setAccessibleName("Severity")
        self.severity.addItem("Severity…", None)
        for level, word in SEVERITIES.items():
            self.severity.addItem(f"{level} {word}", level)
        self.severity.activated.connect(lambda i: page.set_severity(self.severity.itemData(i)))
        more.addWidget(self.severity)
        more.addStretch(1)
        actions.addStretch(1)
        layout.addLayout(actions)
        layout.addLayout(more)

        reply_row = QHBoxLayout()
        reply_row.addWidget(label("Your reply draft (nothing is sent)", "Muted"), 1)
        self.counter = label("", "Muted", wrap=False)
        reply_row.addWidget(self.counter)
        layout.addLayout(reply_row)
        self.reply = QPlainTextEdit()
        self.reply.setAccessibleName("Reply draft")
        self.reply.setPlaceholderText("Write a reply; copy it and paste it where the post is.")
        self.reply.setTabChangesFocus(True)
        self.reply.setMinimumHeight(60)
        self.reply.textChanged.connect(self._draft_changed)
        layout.addWidget(self.reply, 1)
        row = QHBoxLayout()
        self.copy_button = button("Copy", "mdi6.content-copy", "Copy the reply")
        self.copy_button.clicked.connect(self.copy_reply)
        self.open_button = button("Open post", "mdi6.open-in-new")
        self.open_button.clicked.connect(self.open_post)
        self.attach_button = button("Evidence…", "mdi6.paperclip")
        self.attach_button.setToolTip("Keep a screenshot or file as proof, inside the workspace")
        self.attach_button.clicked.connect(self.attach)
        for widget in (self.copy_button, self.open_button, self.attach_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.evidence = QListWidget()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setMaximumHeight(70)
        self.evidence.currentItemChanged.connect(self._show_evidence)
        self.preview = plain_label()
        self.preview.setVisible(False)
        layout.addWidget(self.evidence)
        layout.addWidget(self.preview)
        self.empty = label("Choose a mention to read it here.", "Muted")
        layout.addWidget(self.empty)
        self.setWidget(body)
        self.show_mention(None)

    def show_mention(self, mention: Mention | None) -> None:
        self.save_draft()
        self.mention = mention
        visible = mention is not None
        for widget in (
            self.meta,
            self.chips,
            self.text,
            self.reply,
            self.copy_button,
            self.open_button,
            self.attach_button,
            self.counter,
            self.severity,
            *self.triage_buttons.values(),
        ):
            widget.setVisible(visible)
        self.empty.setVisible(not visible)
        self.evidence.setVisible(False)
        self.preview.setVisible(False)
        if mention is None:
            return
        followers = f" · {mention.author_followers:,} followers" if mention.author_followers else ""
        self.meta.setText(
            f"{mention.author} · {mention.source} · {local_time(mention.posted_at)}{followers}"
        )
        self.chips.setText(self._chips(mention))
        self.text.setPlainText(mention.text)
        self.reply.blockSignals(True)
        self.reply.setPlainText(mention.reply_draft)
        self.reply.blockSignals(False)
        self._update_counter()
        web = safe_web_url(mention.url)
        self.open_button.setEnabled(web is not None)
        self.open_button.setToolTip(
            plain(f"Open {web} in your browser")
            if web
            else "This mention has no web address (http or https) to open"
            if not mention.url
            else "Not opened: this mention's address is not a web link (http or https)"
        )
        index = self.severity.findData(mention.severity)
        self.severity.setCurrentIndex(max(0, index))
        self.evidence.clear()
        for item in self.page.store.mentions.evidence(mention.id):
            entry = QListWidgetItem(
                icon("mdi6.paperclip"), f"{item.filename} ({item.size:,} bytes)"
            )
            entry.setData(Qt.ItemDataRole.UserRole, (item.id, item.media_type))
            self.evidence.addItem(entry)
        self.evidence.setVisible(self.evidence.count() > 0)

    def _chips(self, m: Mention) -> str:
        colours = theme.current()
        parts = []
        if m.sentiment:
            colour = getattr(colours, m.sentiment)
            parts.append(f"<span style='color:{colour}'>{SENTIMENT_WORDS[m.sentiment]}</span>")
        parts.append(f"<b>{escape(m.status_label)}</b>")
        if m.severity:
            colour = getattr(colours, f"level{m.severity}")
            parts.append(
                f"<span style='color:{colour}'>Level {m.severity} · {SEVERITIES[m.severity]}</span>"
            )
        parts.extend(f"#{escape(tag)}" for tag in m.tags)
        return " &nbsp;·&nbsp; ".join(parts)

    def _draft_changed(self) -> None:
        # Saved at every change (a small write), so closing the window never loses a draft.
        self._update_counter()
        self.save_draft()

    def _update_counter(self) -> None:
        if self.mention is None:
            return
        used, limit = len(self.reply.toPlainText()), self.mention.reply_limit()
        colour = theme.current().negative if used > limit else theme.current().muted
        self.counter.setStyleSheet(f"color: {colour}")
        self.counter.setText(f"{used:,} / {limit:,}")
        self.counter.setToolTip(plain(f"{self.mention.source} allows {limit:,} characters"))

    def save_draft(self) -> None:
        if self.mention is None:
            return
        text = self.reply.toPlainText()
        if text != self.mention.reply_draft:
            self.page.store.mentions.set_reply_draft(self.mention.id, text)
            self.mention.reply_draft = text

    def copy_reply(self) -> None:
        self.save_draft()
        QGuiApplication.clipboard().setText(self.reply.toPlainText())
        self.page.say("Reply copied. Paste it where the post is, then mark it Replied.")

    def open_post(self) -> None:
        if self.mention is not None:
            open_web_link(self.mention.url)

    def attach(self) -> None:
        if self.mention is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Attach evidence", str(Path.home()))
        if name:
            self.attach_file(Path(name))

    def attach_file(self, path: Path) -> None:
        try:
            self.page.store.mentions.add_evidence_file(self.mention.id, path)
        except (TriageError, OSError) as exc:
            QMessageBox.warning(self, "Attach evidence", plain(str(exc)))
            return
        self.show_mention(self.mention)
        self.page.say(f"{path.name} is kept with the mention, inside this workspace.")

    def _show_evidence(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.preview.setVisible(False)
            return
        evidence_id, media_type = item.data(Qt.ItemDataRole.UserRole)
        if not media_type.startswith("image/"):
            self.preview.setVisible(False)
            return
        pixmap = QPixmap()
        pixmap.loadFromData(self.page.store.mentions.evidence_content(evidence_id))
        self.preview.setPixmap(
            pixmap.scaledToWidth(
                min(360, pixmap.width()), Qt.TransformationMode.SmoothTransformation
            )
        )
        self.preview.setVisible(not pixmap.isNull())


class InboxPage(Page):
    title = "Inbox"
    subtitle = "What people are saying about you, in one place."

    shows = frozenset({"mentions", "spikes", "sentiment"})

    def __init__(self, store: Store, clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.sentiment_worker: Op | None = None
        self.overview_worker: Op | None = None
        self._overview_again = False
        self.import_dialog = None
        self.setAcceptDrops(True)

        add = button(
            "Add mention", "mdi6.plus", "Add what no feed reaches: a post, a call (Ctrl+N)"
        )
        add.clicked.connect(self.new_item)
        save = button("Watch this search", "mdi6.star-outline", "Save the search in the sidebar")
        save.clicked.connect(self.save_search)
        self.import_button = primary_button(
            "Import mentions", "mdi6.inbox-arrow-down-outline", "CSV, JSON or NDJSON export"
        )
        self.import_button.clicked.connect(self.choose_import_file)
        for widget in (add, save, self.import_button):
            self.actions.addWidget(widget)

        self.banner = SpikeBanner(store, clock)
        self.banner.show_mentions.connect(self.search_for)
        self.banner.declare_requested.connect(self.declare_spike.emit)
        self.banner.changed.connect(lambda: self.report_changes("spikes"))
        self.body.addWidget(self.banner)

        self.search_bar = QWidget()
        row = QHBoxLayout(self.search_bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.search = QLineEdit()
        self.search.setAccessibleName("Search mentions")
        self.search.setPlaceholderText(
            'Search: sick OR ill -refund  "food poisoning"  from:handle  source:tiktok  '
            "sentiment:negative  last:24h"
        )
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("mdi6.magnify"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.returnPressed.connect(self.apply_filter)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.view = QComboBox()
        self.view.setAccessibleName("Show")
        self.view.addItems(list(VIEWS))
        self.view.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.view.currentIndexChanged.connect(lambda _i: self.apply_filter())
        row.addWidget(self.search, 1)
        row.addWidget(self.view)
        self.body.addWidget(self.search_bar)

        self.hint = label("", "Muted")
        self.watch_row = QHBoxLayout()
        self.watch_row.setSpacing(12)
        hints = QHBoxLayout()
        hints.addWidget(self.hint, 1)
        hints.addLayout(self.watch_row)
        self.body.addLayout(hints)

        self.chart = MentionChart()
        self.chart.setFixedHeight(100)
        chart_row = QHBoxLayout()
        chart_row.addWidget(self.chart, 1)
        self.sensitivity = QComboBox()
        self.sensitivity.setAccessibleName("Spike alarm sensitivity")
        self.sensitivity.setToolTip(
            "How big a jump the spike alarm waits for. Sensitive warns early and more often; "
            "strict only for a big jump."
        )
        for key in SENSITIVITIES:
            self.sensitivity.addItem(f"Alarm: {key}", key)
        self.sensitivity.setCurrentIndex(self.sensitivity.findData(current_sensitivity(store)))
        self.sensitivity.activated.connect(self._sensitivity_chosen)
        chart_row.addWidget(self.sensitivity, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(chart_row)

        self.model = MentionTableModel(store.mentions, self)
        self.table = QTableView()
        self.table.setAccessibleName("Mentions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._incident_menu)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        for column, width in enumerate((100, 124, 300, 92, 110)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.reading = ReadingPane(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.reading)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([620, 380])
        self.body.addWidget(self.splitter, 1)
        self.empty = Card()
        self.empty.body.addWidget(label("No mentions yet", "CardTitle"))
        self.empty.body.addWidget(
            label(
                "Import an export from your listening tool (CSV, JSON or NDJSON; you can also "
                "drop the file on this page), or add what you saw or heard by hand: a post in "
                "a local group, a review, a phone call.",
                "Muted",
            )
        )
        first = QHBoxLayout()
        start_import = button("Import mentions…", "mdi6.inbox-arrow-down-outline")
        start_import.clicked.connect(self.choose_import_file)
        start_add = button("Add mention", "mdi6.plus")
        start_add.clicked.connect(self.new_item)
        first.addWidget(start_import)
        first.addWidget(start_add)
        first.addStretch(1)
        self.empty.body.addLayout(first)
        self.body.addWidget(self.empty)
        self.empty_space = spacer()
        self.body.addWidget(self.empty_space, 1)
        self._keys()
        self.refresh()

    # --- keyboard triage ---------------------------------------------------------------

    def _keys(self) -> None:
        bindings = {
            "J": lambda: self.move(1),
            "K": lambda: self.move(-1),
            "E": lambda: self.triage("escalate"),
            "R": lambda: self.triage("reply"),
            "I": lambda: self.triage("ignore"),
            "H": lambda: self.triage("hide"),
            "U": lambda: self.triage("new"),
            "D": lambda: self.triage("replied"),
            "T": lambda: self.triage("tag"),
            "Return": lambda: self.reading.reply.setFocus(),
        }
        for level in SEVERITIES:
            bindings[str(level)] = lambda level=level: self.set_severity(level)
        self.shortcuts = []
        for key, action in bindings.items():
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(action)
            self.shortcuts.append(shortcut)

    def move(self, step: int) -> None:
        if not self.model.total:
            return
        current = self.table.currentIndex().row()
        row = max(0, min(self.model.total - 1, (current if current >= 0 else -1) + step))
        self.select_row(row)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def selected_rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        current = self.table.currentIndex().row()
        return rows or ([current] if current >= 0 else [])

    def selected_ids(self, rows: list[int]) -> list[int]:
        return [m.id for m in (self.model.mention_at(r) for r in rows) if m is not None]

    def triage(self, action: str) -> None:
        """Apply a triage step to the selected mentions (all of them: bulk actions)."""
        rows = self.selected_rows()
        ids = self.selected_ids(rows)
        if not ids:
            return
        many = f"{len(ids)} mentions" if len(ids) > 1 else "the mention"
        try:
            if action == "escalate":
                self.store.mentions.set_status(ids, "escalated")
            elif action == "reply":
                self.store.mentions.set_status(ids, "needs_reply")
            elif action == "replied":
                self.store.mentions.set_status(ids, "replied")
            elif action == "new":
                self.store.mentions.set_status(ids, "new")
            elif action in ("ignore", "hide"):
                reason = ask_reason(self, action, many)
                if not reason:
                    return
                self.store.mentions.set_status(
                    ids, "ignored" if action == "ignore" else "hidden", reason
                )
            elif action == "tag":
                tag = ask_tag(self, self.store.mentions.known_tags())
                if not tag:
                    return
                self.store.mentions.add_tag(ids, tag)
        except TriageError as exc:
            QMessageBox.information(self, "Inbox", plain(str(exc)))
            return
        self.model.refresh_rows(rows)
        self.say(TRIAGE_WORDS[action].format(many=many.capitalize()))
        if action == "reply":
            self._current_changed()
            self.reading.reply.setFocus()
        elif action in ("escalate", "ignore", "hide", "replied") and len(rows) == 1:
            self.move(1)  # on to the next one, as in any inbox
        else:
            self._current_changed()

    def _incident_menu(self, position) -> None:
        """Right-click: declare an incident from the selected mentions, or attach them."""
        ids = self.selected_ids(self.selected_rows())
        if not ids:
            return
        menu = QMenu(self)
        many = f"{len(ids)} mentions" if len(ids) > 1 else "this mention"
        menu.addAction(f"Declare incident from {many}…", lambda: self.declare_with.emit(ids))
        attach = menu.addMenu("Attach to incident")
        open_incidents = self.store.incidents.all(open_only=True)
        for incident in open_incidents:
            attach.addAction(
                f"{incident.title} ({incident.level_label})",
                lambda incident_id=incident.id: self.attach_to(incident_id, ids),
            )
        attach.setEnabled(bool(open_incidents))
        menu.exec(self.table.viewport().mapToGlobal(position))

    def attach_to(self, incident_id: int, ids: list[int]) -> None:
        added = self.store.incidents.attach_mentions(incident_id, ids)
        self.model.refresh_rows(self.selected_rows())
        self.say(f"Attached {added} mention{'s' if added != 1 else ''} to the incident.")

    def set_severity(self, level: int | None) -> None:
        rows = self.selected_rows()
        ids = self.selected_ids(rows)
        if ids:
            self.store.mentions.set_severity(ids, level)
            self.model.refresh_rows(rows)
            self._current_changed()

    def _current_changed(self, *_args) -> None:
        row = self.table.currentIndex().row()
        mention = self.model.mention_at(row) if row >= 0 else None
        self.reading.show_mention(mention)

    # --- what is shown -----------------------------------------------------------------

    def filter(self) -> MentionFilter:
        return MentionFilter(self.search.text(), VIEWS[self.view.currentText()])

    def apply_filter(self) -> bool:
        self._search_timer.stop()
        self.reading.save_draft()
        flt = self.filter()
        try:
            self.model.set_filter(flt)
        except QueryError as exc:
            self.hint.setText(str(exc))
            self.hint.setStyleSheet(f"color: {theme.current().negative}")
            return False
        self.hint.setStyleSheet("")
        means = describe(parse_query(flt.query)) if flt.query.strip() else ""
        count = self.model.count_text()
        self.hint.setText(f"{count} matching {means}" if means else f"{count} to show")
        has_any = self.store.mentions.any()
        for widget in (self.splitter, self.search_bar, self.hint):
            widget.setVisible(has_any)
        self.empty.setVisible(not has_any)
        self.empty_space.setVisible(not has_any)
        if self.model.total:
            self.select_row(0)
        else:
            self.reading.show_mention(None)
        return True

    def search_for(self, query: str) -> None:
        self.search.setText(query)
        self.view.setCurrentText("Everything")
        self.apply_filter()

    def refresh(self, domains: set[str] | None = None) -> None:
        if domains is not None and "mentions" not in domains:
            if "sentiment" in domains:  # scored in the background: the same rows, new words
                self.model.refresh_visible()
                self.refresh_chart()
                self._current_changed()
            if "spikes" in domains:
                self.banner.refresh()
            return
        total = self.store.mentions.total()
        self.subtitle_label.setText(
            f"What people are saying about you: {total:,} mentions."
            if total
            else "What people are saying about you, in one place."
        )
        self.apply_filter()
        self.refresh_watch_queries()
        if self.banner.recent is not None:  # a spike declared or dismissed meanwhile
            self.banner.refresh()
        self.refresh_chart()
        self.start_sentiment()

    def refresh_chart(self) -> None:
        """The chart and the spike banner read every hour of the last two weeks: on a
        million mentions that takes a moment, so it happens in the background."""
        if self.overview_worker is not None:
            self._overview_again = True
            return
        self._overview_again = False
        now, sensitivity = self.clock(), current_sensitivity(self.store)
        self.overview_worker = (
            QueryOp(
                self,
                self.store.path,
                lambda store, _job: overview(store, now, sensitivity=sensitivity),
                title="Mentions per hour",
                clock=self.store.clock,
            )
            .quietly()
            .on_finished(self._overview_finished)
            .success(self._show_overview)
            .run_in_background()
        )

    def _overview_finished(self) -> None:
        self.overview_worker = None
        if self._overview_again and self.isVisible():
            self.refresh_chart()  # asked again meanwhile: this result is already old

    def _show_overview(self, result: Overview) -> None:
        if not self.isVisible() or self.overview_worker is not None:
            return  # another page is shown (refresh() runs on return), or a newer one comes
        self.chart.set_points(points_from(result.hours))
        self.chart.setVisible(bool(result.hours))
        self.sensitivity.setVisible(bool(result.hours))
        spike = self.banner.refresh(result.spikes)
        if spike is not None:
            notify_spike(self.store, spike, self._show_from_tray)

    def _show_from_tray(self) -> None:
        self.window().showNormal()
        self.window().activateWindow()
        self.navigate.emit("inbox")

    def _sensitivity_chosen(self, index: int) -> None:
        self.store.settings.set(SETTING_KEY, self.sensitivity.itemData(index))
        self.refresh_chart()

    def refresh_watch_queries(self) -> None:
        from ui.widgets import clear_layout

        clear_layout(self.watch_row)
        searches = self.store.mentions.saved_searches()
        unread = 0
        for saved in searches:
            unread += saved.unread
            text = f"{saved.name} · {saved.unread:,} new" if saved.unread else saved.name
            link = link_button(text, f"Watch query: {saved.query}")
            link.clicked.connect(lambda _=False, s=saved: self.open_watch_query(s.id, s.query))
            self.watch_row.addWidget(link)
        self._badge = f"{unread:,}" if unread else ""
        self.badge.emit(self._badge)

    def badge_text(self) -> str:
        return self._badge

    def open_watch_query(self, search_id: int, query: str) -> None:
        self.store.mentions.mark_seen(search_id)
        self.search_for(query)
        self.refresh_watch_queries()

    def save_search(self) -> None:
        query = self.search.text().strip()
        if not query:
            self.say("Type a search first, then save it to watch it.")
            return
        name, ok = QInputDialog.getText(self, "Watch this search", "A short name for it:")
        if not ok or not name.strip():
            return
        try:
            search_id = self.store.mentions.save_search(name, query)
        except (QueryError, TriageError) as exc:
            QMessageBox.information(self, "Watch this search", plain(str(exc)))
            return
        self.store.mentions.mark_seen(search_id)
        self.refresh_watch_queries()
        self.say(f"Watching “{name.strip()}”: new matches are counted in the sidebar.")

    def say(self, text: str) -> None:
        show_status(self, text, 6000)

    # --- sentiment in the background ---------------------------------------------------

    def start_sentiment(self) -> None:
        if self.sentiment_worker is not None or not self.store.mentions.unscored_count():
            return
        self.sentiment_worker = (
            StoreOp(
                self,
                self.store.path,
                lambda store, job: score_pending(
                    store, progress=job.progress, cancelled=job.cancelled
                ),
                title="Reading the mood",
                clock=self.store.clock,
                changes={"sentiment"},
            )
            .quietly()
            .on_progress(self._sentiment_progress)
            .on_finished(self._sentiment_finished)
            .run_in_background()
        )

    def _sentiment_progress(self, done: int, total: int) -> None:
        self.say(f"Reading the mood: {number(done)} of {number(total)} mentions")

    def _sentiment_finished(self) -> None:
        self.sentiment_worker = None

    # --- adding ------------------------------------------------------------------------

    def new_item(self) -> None:
        dialog = AddMentionDialog(self.clock(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        result = self.store.mentions.add_many(dialog.mentions())
        note = f" ({result.duplicates} already here)" if result.duplicates else ""
        self.say(f"Added {result.added} mention{'s' if result.added != 1 else ''}{note}.")
        self.refresh()

    def choose_import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Import mentions",
            str(Path.home()),
            "Exports (*.csv *.tsv *.txt *.json *.ndjson *.jsonl);;All files (*)",
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        dialog = open_import_dialog(self.store, path, self)
        if isinstance(dialog, str):
            QMessageBox.warning(
                self, "Import mentions", plain(f"{path.name} cannot be imported: {dialog}")
            )
            return
        self.import_dialog = dialog
        dialog.finished.connect(lambda _r: self._import_closed(dialog))
        dialog.open()

    def _import_closed(self, dialog) -> None:
        self.import_dialog = None
        if dialog.result_summary is not None:  # the import's op has refreshed the page
            self.say(dialog.result_summary.summary())

    def dragEnterEvent(self, event):  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802 (Qt override)
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.import_file(Path(urls[0].toLocalFile()))


TRIAGE_WORDS = {
    "escalate": "{many} escalated.",
    "reply": "{many} needs a reply: write it on the right.",
    "replied": "{many} marked as replied.",
    "new": "{many} back to new.",
    "ignore": "{many} ignored; find it again under Ignored.",
    "hide": "{many} hidden; find it again under Hidden, and put it back with u.",
    "tag": "{many} tagged.",
}


def ask_reason(parent, action: str, many: str) -> str:
    """The reason to ignore, or the guideline broken to hide; "" when the owner cancels."""
    if action == "hide":
        dialog = ReasonDialog(
            "Hide",
            f"Which community guideline does {many} break?",
            GUIDELINES,
            "Hide",
            parent,
        )
    else:
        dialog = ReasonDialog(
            "Ignore", f"Why are you ignoring {many}?", IGNORE_REASONS, "Ignore", parent
        )
    return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else ""


def ask_tag(parent, known: list[str]) -> str:
    dialog = TagDialog(known, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else ""

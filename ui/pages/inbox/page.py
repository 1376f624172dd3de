"""The Inbox page: what people are saying, searched, charted, triaged from the keyboard
(`triage`), read and answered (`reading`).

The table is a `MentionTableModel` (a page at a time from the store, never the whole table).
Triage never deletes: it changes a status, and ignoring or hiding asks for the reason.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from app.mentions.model import STATUSES, MentionFilter, TriageError
from app.mentions.search import QueryError, describe, parse_query
from app.mentions.sentiment import score_pending
from app.mentions.spikes import SENSITIVITIES, SETTING_KEY, Overview, current_sensitivity, overview
from app.sharing.local import me
from app.store import Store
from ui.charts import MentionChart, points_from
from ui.dialogs.import_history import ImportHistoryDialog
from ui.dialogs.mention_import import open_import_dialog
from ui.dialogs.mentions import AddMentionDialog
from ui.format import number
from ui.models.mentions import MentionTableModel
from ui.ops import Op, StoreOp
from ui.pages.base import Page
from ui.pages.inbox.reading import ReadingPane
from ui.pages.inbox.triage import TriageActions
from ui.widgets import (
    Card,
    button,
    clear_layout,
    icon,
    label,
    link_button,
    plain,
    primary_button,
    show_status,
    spacer,
)
from ui.widgets.spike_banner import SpikeBanner

WATCH_LINKS = 3  # watches with new matches shown as links; all of them are in the menu

# The status tabs: what each shows. "My queue" is the to-do ones assigned to me.
TO_DO = ("new", "needs_reply", "escalated")
MY_QUEUE = "My queue (assigned to me, to do)"
VIEWS: dict[str, tuple[str, ...]] = {
    "To do (new, needs reply, escalated)": TO_DO,
    MY_QUEUE: TO_DO,
    "Everything": (),
    **{label_: (status,) for status, label_ in STATUSES.items()},
}


class InboxPage(TriageActions, Page):
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
        history = button("Import history", "mdi6.history", "Past imports and pulls; undo one")
        history.clicked.connect(self.open_import_history)
        self.clusters_button = link_button(
            "Coordinated posts…",
            "Near-identical posts from many accounts in a short time: a review bomb or a "
            "copy-and-paste campaign, to export for an appeal",
        )
        self.clusters_button.clicked.connect(lambda: self.navigate.emit("clusters"))
        for widget in (add, save, history, self.import_button):
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
        self.hint.setAccessibleName("What is shown")
        self.watch_row = QHBoxLayout()
        self.watch_row.setSpacing(12)
        hints = QHBoxLayout()
        hints.addWidget(self.hint, 1)
        hints.addLayout(self.watch_row)
        self.body.addLayout(hints)

        # A slim chart: the rows below are what the owner works through.
        self.chart = MentionChart()
        self.chart.setFixedHeight(64)
        chart_row = QHBoxLayout()
        chart_row.addWidget(self.chart, 1)
        chart_row.addWidget(self.clusters_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.sensitivity = QComboBox()
        self.sensitivity.setAccessibleName("Spike alarm sensitivity")
        self.sensitivity.setToolTip(
            "How big a jump the spike alarm waits for. Sensitive warns early and more often; "
            "strict only for a big jump."
        )
        for key in SENSITIVITIES:
            self.sensitivity.addItem(f"Spike alarm: {key}", key)
        self.sensitivity.setCurrentIndex(
            self.sensitivity.findData(current_sensitivity(store.settings))
        )
        self.sensitivity.activated.connect(self._sensitivity_chosen)
        hints.addWidget(self.sensitivity)  # beside the counts, not alone beside the chart
        self.body.addLayout(chart_row)

        self.model = MentionTableModel(store.mentions, self, evidence=store.evidence)
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
        for column, width in enumerate((96, 118, 300, 96, 96)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._current_changed)
        self.reading = ReadingPane(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.reading)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([640, 360])
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

    # --- what is shown -----------------------------------------------------------------

    def filter(self) -> MentionFilter:
        view = self.view.currentText()
        mine = me(self.store) if view == MY_QUEUE else None
        return MentionFilter(self.search.text(), VIEWS[view], assignee=mine)

    def apply_filter(self) -> bool:
        self._search_timer.stop()
        self.reading.save_draft()
        flt = self.filter()
        try:
            self.model.set_filter(flt)
        except QueryError as exc:  # a query being typed: a hint on how to finish it, not an error
            self.hint.setText(f"Not searched yet: {exc}")
            return False
        means = describe(parse_query(flt.query)) if flt.query.strip() else ""
        count = self.model.count_text()
        self.hint.setText(f"{count} matching {means}" if means else f"{count} to show")
        if flt.assignee is not None and not self.model.total:
            self.hint.setText(
                f"Nothing in {flt.assignee}'s queue: select mentions and press a (or right-click "
                "→ Assign to) to give them to someone."
            )
        has_any = self.store.mentions.any()
        for widget in (self.splitter, self.search_bar, self.hint, self.clusters_button):
            widget.setVisible(has_any)
        self.empty.setVisible(not has_any)
        self.empty_space.setVisible(not has_any)
        if self.model.total:
            self.select_row(0)
        else:
            self.reading.show_mention(None)
        return True

    def show_mention_id(self, mention_id: int, query: str) -> None:
        """Show this mention (Ctrl+K): the search that found it, and its row chosen."""
        self.search_for(query)
        for row in range(min(self.model.total, 500)):
            mention = self.model.mention_at(row)
            if mention is not None and mention.id == mention_id:
                self.select_row(row)
                return

    def update_count(self) -> None:
        """After triage: how many the view holds now (the rows stay put until the view
        changes, so the owner keeps their place)."""
        flt = self.model.filter
        try:
            total, exact = self.model.count_now()
        except QueryError:
            return
        means = describe(parse_query(flt.query)) if flt.query.strip() else ""
        count = f"{number(total)}{'' if exact else '+'} mention{'s' if total != 1 else ''}"
        self.hint.setText(f"{count} matching {means}" if means else f"{count} to show")
        if flt.assignee is not None and not self.model.total:
            self.hint.setText(
                f"Nothing in {flt.assignee}'s queue: select mentions and press a (or right-click "
                "→ Assign to) to give them to someone."
            )

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
            f"What people are saying about you: {number(total)} mentions."
            if total
            else "What people are saying about you, in one place."
        )
        self.apply_filter()
        self.refresh_watch_queries()
        if self.banner.recent is not None:  # a spike declared or dismissed meanwhile
            self.banner.refresh()
        self.refresh_chart()
        self.start_sentiment()

    def restyle(self) -> None:
        self.banner.restyle()
        self.reading.restyle()

    def refresh_chart(self) -> None:
        """The chart and the spike banner read every hour of the last two weeks: on a
        million mentions that takes a moment, so it happens in the background."""
        if self.overview_worker is not None:
            self._overview_again = True
            return
        self._overview_again = False
        now, sensitivity = self.clock(), current_sensitivity(self.store.settings)

        def look(store: Store, _job) -> Overview:
            store.detection.recheck(now)  # the live alarm first: the banner reads its episodes
            return overview(store, now, sensitivity=sensitivity)

        self.overview_worker = (
            StoreOp(self, self.store.path, look, title="Mentions per hour", clock=self.store.clock)
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
        self.banner.refresh()

    def _sensitivity_chosen(self, index: int) -> None:
        self.store.settings.set(SETTING_KEY, self.sensitivity.itemData(index))
        self.refresh_chart()

    def refresh_watch_queries(self) -> None:
        """The watches with new matches as links (the busiest few, so the row always fits),
        and every watch in a menu beside them."""
        clear_layout(self.watch_row)
        searches = self.store.watches.all()
        unread = sum(saved.unread for saved in searches)
        busiest = sorted((s for s in searches if s.unread), key=lambda s: -s.unread)
        for saved in busiest[:WATCH_LINKS]:
            link = link_button(
                f"{saved.name} · {number(saved.unread)} new", f"Watch query: {saved.query}"
            )
            link.clicked.connect(lambda _=False, s=saved: self.open_watch_query(s.id, s.query))
            self.watch_row.addWidget(link)
        if searches:
            every = QPushButton(f"Watches ({number(len(searches))})")
            every.setToolTip("Every search you watch; choose one to show its mentions")
            menu = QMenu(every)
            for saved in searches:
                text = f"{saved.name} · {number(saved.unread)} new" if saved.unread else saved.name
                action = menu.addAction(text)
                action.setToolTip(plain(saved.query))
                action.triggered.connect(
                    lambda _=False, s=saved: self.open_watch_query(s.id, s.query)
                )
            every.setMenu(menu)
            self.watch_row.addWidget(every)
        self._badge = f"{number(unread)}" if unread else ""
        self.badge.emit(self._badge)

    def badge_text(self) -> str:
        return self._badge

    def open_watch_query(self, search_id: int, query: str) -> None:
        self.store.watches.mark_seen(search_id)
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
            search_id = self.store.watches.save(name, query)
        except (QueryError, TriageError) as exc:
            QMessageBox.information(self, "Watch this search", plain(str(exc)))
            return
        self.store.watches.mark_seen(search_id)
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
        kept = 0
        for path in dialog.evidence_files if result.added_ids else []:
            try:
                self.store.evidence.add_file(result.added_ids[0], path)
                kept += 1
            except (TriageError, OSError) as exc:
                QMessageBox.warning(self, "Evidence", plain(f"{path.name}: {exc}"))
        if dialog.evidence_files and not result.added_ids:
            note += "; attach the evidence to it from the reading pane"
        proof = f" with {kept} piece{'s' if kept != 1 else ''} of evidence" if kept else ""
        self.say(f"Added {result.added} mention{'s' if result.added != 1 else ''}{proof}{note}.")
        self.refresh()

    def evidence_kept(self, mention_id: int) -> None:
        row = self.table.currentIndex().row()
        if row >= 0:
            self.model.evidence_added(mention_id, row)

    def choose_import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Import mentions",
            str(Path.home()),
            "Exports (*.csv *.tsv *.txt *.json *.ndjson *.jsonl);;All files (*)",
        )
        if name:
            self.import_file(Path(name))

    def open_import_history(self) -> ImportHistoryDialog:
        dialog = ImportHistoryDialog(self.store, self)
        dialog.open()
        return dialog

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

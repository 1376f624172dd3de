"""Coordinated posts: many near-identical posts from many accounts in a short time (a review
bomb, a copy-and-paste campaign), found in the background, each said in a plain sentence, its
posts shown when chosen, searched in the Inbox, and exported for a platform's or review site's
appeal. The finding itself is `app.mentions.detection.clusters`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.mentions.detection.clusters import MIN_ACCOUNTS, Cluster, export_cluster, find_clusters
from app.store import Store
from app.text import plural
from ui.dialogs import exports
from ui.dialogs.base import dialog_layout
from ui.format import file_stamp, when
from ui.ops import Op, QueryOp
from ui.widgets import button, label, plain, primary_button

# What the owner can look back over: the words shown, and how far.
PERIODS: list[tuple[str, str, timedelta]] = [
    ("24h", "the last 24 hours", timedelta(hours=24)),
    ("7d", "the last 7 days", timedelta(days=7)),
    ("30d", "the last 30 days", timedelta(days=30)),
]
# The playbooks where a copy-and-paste campaign is part of the crisis: they link here.
PLAYBOOKS = ("review_bombing", "misinformation")
POST_COLUMNS = ["When", "Account", "Followers", "Where", "What they wrote"]


def describe(cluster: Cluster) -> str:
    """ "37 near-identical posts from 29 accounts in 40 min: 86% from accounts with under 50
    followers; the same hashtags: #boycott." """
    signals = cluster.signals()
    return cluster.headline() + (f": {'; '.join(signals)}." if signals else ".")


class ClustersDialog(QDialog):
    """Emits `show_mentions(query)` for "Show in Inbox"; the window searches the Inbox."""

    show_mentions = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None, period: str = "24h"):
        super().__init__(parent)
        self.store = store
        self.worker: Op | None = None
        self.clusters: list[Cluster] = []
        self.searched: str | None = None  # the period of the clusters shown
        layout = dialog_layout(self, "Coordinated posts", 720)
        self.setMinimumHeight(480)
        self.resize(980, 620)
        layout.addWidget(
            label(
                "Many near-identical posts from many different accounts in a short time, such "
                "as a review bomb or a copy-and-paste campaign. Ordinary people complaining "
                "use their own words and are not listed here. Export a group to attach it "
                "to an appeal to the platform or review site.",
                "Muted",
            )
        )
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(label("Look at", wrap=False))
        self.period = QComboBox()
        self.period.setAccessibleName("Period to look at")
        self.period.setToolTip("How far back to look for near-identical posts")
        for key, words, _span in PERIODS:
            self.period.addItem(words[0].upper() + words[1:], key)
        self.period.setCurrentIndex(max(0, self.period.findData(period)))
        self.period.activated.connect(lambda _i: self.find())
        row.addWidget(self.period)
        self.again = button("&Look again", "mdi6.refresh", "Look again, with mentions that came in")
        self.again.clicked.connect(self.find)
        row.addWidget(self.again)
        self.status = label("", "Muted")
        self.status.setAccessibleName("What was found")
        row.addWidget(self.status, 1)
        layout.addLayout(row)

        self.list = QListWidget()
        self.list.setAccessibleName("Groups of near-identical posts")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.list.setToolTip("Choose a group to see its posts")
        self.list.currentRowChanged.connect(self._chosen)
        self.posts = QTableWidget(0, len(POST_COLUMNS))
        self.posts.setAccessibleName("Posts of the chosen group")
        self.posts.setHorizontalHeaderLabels(POST_COLUMNS)
        self.posts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.posts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.posts.verticalHeader().setVisible(False)
        self.posts.setWordWrap(False)
        header = self.posts.horizontalHeader()
        header.setSectionResizeMode(len(POST_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.list)
        self.split.addWidget(self.posts)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 2)
        layout.addWidget(self.split, 1)

        self.empty = QWidget()
        empty = QVBoxLayout(self.empty)
        empty.setContentsMargins(0, 24, 0, 24)
        self.empty_title = label("", "CardTitle")
        empty.addWidget(self.empty_title)
        empty.addWidget(
            label(
                f"A group needs near-identical posts from at least {MIN_ACCOUNTS} different "
                "accounts. Choose a longer period above to look further back; new mentions "
                "are looked at when you press Look again.",
                "Muted",
            )
        )
        empty.addStretch(1)
        layout.addWidget(self.empty, 1)
        self.empty.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_button = self.buttons.addButton(
            "Show in &Inbox", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_button.setToolTip("Search the Inbox for exactly these posts")
        self.show_button.clicked.connect(self.show_in_inbox)
        self.export_button = primary_button(
            "&Export for an appeal…",
            "mdi6.file-export-outline",
            "Save every post of this group (time, account, link, text) as a spreadsheet "
            "file for an appeal to the platform or review site",
        )
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._chosen(-1)
        self.find()

    # --- finding -----------------------------------------------------------------------

    def period_words(self) -> str:
        key = self.period.currentData()
        return next(words for k, words, _span in PERIODS if k == key)

    def find(self) -> None:
        """Look for clusters over the chosen period, in the background."""
        if self.worker is not None:
            self.worker.cancel()  # another period chosen meanwhile: only the last one counts
        key = self.period.currentData()
        span = next(s for k, _w, s in PERIODS if k == key)
        self.status.setText(f"Looking through {self.period_words()}…")
        self.again.setEnabled(False)

        def look(store: Store, job) -> list[Cluster]:
            now = store.clock()
            return find_clusters(
                store.mentions,
                now - span,
                now,
                progress=job.progress,
                cancelled=job.cancelled,
            )

        op = QueryOp(self, self.store.path, look, title="Coordinated posts", clock=self.store.clock)
        self.worker = op
        op.with_progress("Comparing posts", unit="texts")
        op.on_finished(lambda: self._finished(op))
        op.success(lambda found: self._found(key, found))
        op.on_cancelled(lambda: self._cancelled(op))
        op.on_failure(self.status.setText)
        op.run_in_background()

    def _finished(self, op: Op) -> None:
        if self.worker is op:
            self.worker = None
            self.again.setEnabled(True)

    def _cancelled(self, op: Op) -> None:
        if self.worker is None:  # the owner's Cancel, not a newer search taking over
            self.status.setText("Stopped. Press Look again to look.")

    def _found(self, key: str, clusters: list[Cluster]) -> None:
        if self.worker is not None:
            return  # a newer search is running
        self.clusters = clusters
        self.searched = key
        self.list.clear()
        for cluster in clusters:
            item = QListWidgetItem(f"{describe(cluster)}\n“{cluster.text}”")
            item.setToolTip(plain(f"From {when(cluster.start)} to {when(cluster.end)}"))
            self.list.addItem(item)
        words = self.period_words()
        if clusters:
            self.status.setText(
                f"{plural(len(clusters), 'group')} of coordinated posts in {words}."
            )
        else:
            self.status.setText("")
            self.empty_title.setText(f"No coordinated posts in {words}")
        self.split.setVisible(bool(clusters))
        self.empty.setVisible(not clusters)
        if clusters:
            self.list.setCurrentRow(0)
            self._fit_list()
        else:
            self._chosen(-1)

    def showEvent(self, event):  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.clusters:  # found before it was shown: the split has its real height now
            self._fit_list()

    def _fit_list(self) -> None:
        """A few groups take only the room they need; the posts take the rest."""
        if not self.split.isVisible():
            return
        rows = sum(
            self.list.sizeHintForRow(r) + 2 * self.list.spacing() for r in range(len(self.clusters))
        )
        need = rows + 2 * self.list.frameWidth() + 4
        total = sum(self.split.sizes()) or self.split.height()
        if total > 0:
            top = min(need, total * 2 // 5)
            self.split.setSizes([top, total - top])

    # --- one cluster ---------------------------------------------------------------------

    def chosen(self) -> Cluster | None:
        row = self.list.currentRow()
        return self.clusters[row] if 0 <= row < len(self.clusters) else None

    def _chosen(self, _row: int) -> None:
        cluster = self.chosen()
        for widget in (self.show_button, self.export_button):
            widget.setEnabled(cluster is not None)
        posts = cluster.posts if cluster is not None else []
        self.posts.setRowCount(len(posts))
        for row, mention in enumerate(posts):
            followers = mention.author_followers
            account = mention.author_name or mention.author_handle or "(no name)"
            if mention.author_handle and mention.author_name:
                account = f"{mention.author_name} (@{mention.author_handle})"
            values = [
                when(mention.posted_at),
                account,
                "" if followers is None else f"{followers:,}",
                mention.source,
                " ".join(mention.text.split()),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)  # plain text, as everything from outside
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == len(values) - 1:
                    item.setToolTip(plain(mention.text))
                self.posts.setItem(row, column, item)
        self.posts.resizeColumnsToContents()
        self.posts.horizontalHeader().setSectionResizeMode(
            len(POST_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )

    def inbox_query(self, cluster: Cluster) -> str:
        return "id:" + ",".join(str(m.id) for m in cluster.posts)

    def show_in_inbox(self) -> None:
        cluster = self.chosen()
        if cluster is not None:
            self.show_mentions.emit(self.inbox_query(cluster))

    def export(self) -> Path | None:
        cluster = self.chosen()
        if cluster is None:
            return None
        business = self.store.business.get()
        name = business.name if business else "Crisis Desk"
        path = exports.save_path(
            self,
            "Export for an appeal",
            f"{name} - coordinated posts {file_stamp(cluster.start)}.csv",
            "Spreadsheet (CSV) (*.csv)",
            ".csv",
        )
        if path is None:
            return None
        return self.write_export(cluster, path)

    def write_export(self, cluster: Cluster, path: Path) -> Path | None:
        """Write the cluster whole or not at all, then offer Open and Show in folder."""
        try:
            export_cluster(cluster, path)
        except (UserError, OSError) as exc:
            QMessageBox.warning(self, "Export for an appeal", plain(str(exc)))
            return None
        exports.done(
            self,
            path,
            f"Wrote {plural(len(cluster.posts), 'post')} from "
            f"{plural(cluster.accounts, 'account')} for your appeal.",
        )
        return path

    def reject(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
        super().reject()

"""The Inbox's table: a window onto the store that never loads the whole table.

`rowCount` comes from one COUNT query; rows are read a page at a time when the view paints
them, and only the last few pages stay cached. Pages past the middle are read from the oldest
end (see `MentionRepository.page`), so jumping to the last of a million rows is as quick as the
first.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from app.levels import LEVEL_NAMES
from app.mentions.model import STATUSES, Mention, MentionFilter
from app.mentions.repository import MentionRepository
from ui import theme
from ui.format import number, sentiment, short_when
from ui.widgets import icon, plain

PAGE_SIZE = 200
COUNT_CAP = 2_000  # a search shows "2,000+ mentions" and grows as the owner scrolls
CACHED_PAGES = 12
_ROOT = QModelIndex()
COLUMNS = ("When", "From", "Mention", "Sentiment", "Status")


class MentionTableModel(QAbstractTableModel):
    def __init__(self, repository: MentionRepository, parent=None, evidence=None):
        super().__init__(parent)
        self.repository = repository
        self.evidence = evidence  # asked which rows have evidence kept (a paperclip)
        self._with_evidence: set[int] = set()
        self.filter = MentionFilter()
        self.total = 0
        self.exact = True
        self.cap = COUNT_CAP
        self._pages: OrderedDict[int, list[Mention]] = OrderedDict()

    # --- what is shown -------------------------------------------------------------------

    def set_filter(self, flt: MentionFilter) -> None:
        """Show the mentions matching `flt`; raises QueryError for a mistyped query (the
        table then keeps what it showed)."""
        self.cap = COUNT_CAP
        total, exact = self._count(flt)
        self.beginResetModel()
        self.filter = flt
        self.total, self.exact = total, exact
        self._pages.clear()
        self.endResetModel()

    def _count(self, flt: MentionFilter) -> tuple[int, bool]:
        if not flt.query.strip() and not flt.statuses:
            return self.repository.total(), True
        found = self.repository.count(flt, cap=self.cap)
        return min(found, self.cap), found <= self.cap

    def canFetchMore(self, parent=_ROOT) -> bool:  # noqa: N802 (Qt override)
        return not parent.isValid() and not self.exact

    def fetchMore(self, parent=_ROOT) -> None:  # noqa: N802 (Qt override)
        """Scrolled to the end of a capped search: count the next stretch."""
        self.cap += COUNT_CAP
        total, exact = self._count(self.filter)
        if total > self.total:
            self.beginInsertRows(_ROOT, self.total, total - 1)
            self.total, self.exact = total, exact
            self.endInsertRows()
        else:
            self.exact = True

    def count_now(self) -> tuple[int, bool]:
        """How many match the filter now (after triage), without moving any row."""
        return self._count(self.filter)

    def count_text(self) -> str:
        plural = "s" if self.total != 1 else ""
        return f"{number(self.total)}{'' if self.exact else '+'} mention{plural}"

    def reload(self) -> None:
        self.set_filter(self.filter)

    def mention_at(self, row: int) -> Mention | None:
        if not 0 <= row < self.total:
            return None
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            rows = self.repository.page(
                self.filter, page * PAGE_SIZE, PAGE_SIZE, self.total, self.exact
            )
            self._pages[page] = rows
            if self.evidence is not None:
                self._with_evidence |= self.evidence.kept_for([m.id for m in rows])
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        offset = row - page * PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def evidence_added(self, mention_id: int, row: int) -> None:
        self._with_evidence.add(mention_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def refresh_rows(self, rows: list[int]) -> None:
        """Re-read rows after triage; they stay where they are until the filter changes, so
        the owner's place in the list does not jump."""
        for row in rows:
            mention = self.mention_at(row)
            if mention is None:
                continue
            fresh = self.repository.get(mention.id)
            page = self._pages.get(row // PAGE_SIZE)
            if fresh is not None and page is not None:
                page[row % PAGE_SIZE] = fresh
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def refresh_visible(self) -> None:
        """Re-read everything shown (after sentiment scores arrive); rows do not move."""
        self._pages.clear()
        if self.total:
            self.dataChanged.emit(self.index(0, 0), self.index(self.total - 1, len(COLUMNS) - 1))

    # --- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.DecorationRole,
        ):
            return None
        mention = self.mention_at(index.row())
        if mention is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DecorationRole:
            if column == "Mention" and mention.id in self._with_evidence:
                return icon("mdi6.paperclip")  # evidence is kept with it
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "Mention":
            kept = " (evidence kept)" if mention.id in self._with_evidence else ""
            return " ".join(mention.text.split())[:300] + kept
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(mention, column)
        if role == Qt.ItemDataRole.ToolTipRole:  # tooltips guess HTML: keep outside text literal
            if column == "From":
                return plain(f"{mention.author} on {mention.source}")
            if column == "Status":
                return plain(mention.status_label)
            if column == "Mention":
                kept = "\n\nEvidence is kept with it." if mention.id in self._with_evidence else ""
                return plain(mention.text + kept)
            return None
        return self._text(mention, column)

    def _text(self, m: Mention, column: str) -> str:
        if column == "When":
            return short_when(m.posted_at)
        if column == "From":
            who = m.author_name or (f"@{m.author_handle}" if m.author_handle else "someone")
            return f"{who} · {m.source}"
        if column == "Mention":
            return " ".join(m.text.split())[:300]
        if column == "Sentiment":
            return sentiment(m.sentiment, unknown="…")
        if column == "Status":
            status = STATUSES.get(m.status, m.status)
            return f"{status} · {m.severity} {LEVEL_NAMES[m.severity]}" if m.severity else status
        return ""

    def _colour(self, m: Mention, column: str):
        colours = theme.current()
        if column == "Sentiment" and m.sentiment:
            return QColor(getattr(colours, m.sentiment, colours.muted))
        if column == "Status" and m.severity:
            return QColor(getattr(colours, f"level{m.severity}"))
        if m.status in ("ignored", "hidden"):
            return QColor(colours.muted)
        return None

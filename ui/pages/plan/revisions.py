"""The plan's "Revisions" tab: every saved revision (who, when, why), what each changed, a
comparison with the plan as it is now, and a way back to an earlier one."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.plan.diff import diff_plans
from app.plan.model import Plan, Revision
from app.store import Store
from ui import theme
from ui.format import date_and_time
from ui.widgets import button, label, plain, wrap_list


class RevisionsTab(QWidget):
    """The page connects `compare_button` and `restore_button`: both need its draft."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.revisions: list[Revision] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(16)
        left = QVBoxLayout()
        self.revision_list = QListWidget()
        self.revision_list.setAccessibleName("Revisions")
        self.revision_list.setMinimumWidth(300)
        self.revision_list.setMaximumWidth(380)
        self.revision_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        wrap_list(self.revision_list)
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
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        self.diff_view = QTextBrowser()
        self.diff_view.setAccessibleName("Changes")
        right.addWidget(self.diff_view, 1)
        row.addLayout(right, 1)

    def reload(self) -> None:
        self.revisions = self.store.plan.revisions()
        self.revision_list.blockSignals(True)
        self.revision_list.clear()
        for revision in self.revisions:
            by = f" · {revision.author}" if revision.author else ""
            entry = QListWidgetItem(
                f"Revision {revision.number} · "
                f"{date_and_time(revision.created_at)}{by}\n{revision.summary}",
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

    def show_diff(self, title: str, old: Plan | None, new: Plan) -> None:
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
        self.show_diff(
            f"Changes in revision {revision.number}: {revision.summary}", previous, revision.plan
        )

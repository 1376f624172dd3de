"""The Dashboard: "what needs you now" first; on a quiet day, "All quiet." and what to do next."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.attention import (
    SPIKE_ICON,
    AttentionItem,
    attention_items,
    quiet_day_suggestions,
    readiness_items,
)
from app.drills.sandbox import is_sandbox
from app.mentions.spikes import overview
from app.sharing.handover import handover
from app.store import Store
from app.timeutil import to_iso
from ui import theme
from ui.charts import MentionChart, points_from
from ui.format import counted, share, time_of_day, when
from ui.pages.base import Page
from ui.widgets import (
    Card,
    IconBadge,
    clear_layout,
    hold_wrapped_height,
    label,
    link_button,
    plain,
    spacer,
)
from ui.widgets.spike_banner import SpikeBanner


class AttentionRow(Card):
    """One line of the list: icon, what, why; clicking goes where it is done."""

    def __init__(self, item: AttentionItem, parent: QWidget | None = None):
        super().__init__(clickable=True, parent=parent)
        hold_wrapped_height(self)  # in the scrolling page, never squeezed below its words
        self.item = item
        self.setAccessibleName(item.text)
        self.setToolTip(plain(item.detail))
        row = QHBoxLayout()
        row.setSpacing(16)
        colour = {3: theme.current().level4, 2: theme.current().level2}.get(item.urgency)
        badge = IconBadge(item.icon, colour, role="accent", size=28)
        row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(label(item.text, "CardTitle"))
        words.addWidget(label(item.detail, "Muted"))
        row.addLayout(words, 1)
        go = link_button("Open →", f"Go to {item.page}")
        go.clicked.connect(self.clicked.emit)
        row.addWidget(go, 0, Qt.AlignmentFlag.AlignVCenter)
        self.body.addLayout(row)


class DashboardPage(Page):
    title = "Dashboard"
    subtitle = "What needs you now."

    shows = frozenset(
        {"mentions", "spikes", "incidents", "plan", "contacts", "debriefs", "business"}
    )

    def __init__(self, store: Store, clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.banner = SpikeBanner(store, clock)
        self.banner.changed.connect(self._spike_dismissed)
        self.banner.declare_requested.connect(self.declare_spike.emit)
        self.banner.show_mentions.connect(lambda query: self.navigate.emit(f"search:{query}"))
        self.body.addWidget(self.banner)
        # Below the banner the page scrolls: on a bad day (an alert, five things that need
        # you, readiness, the chart) it is taller than 800 pixels, and nothing is squeezed.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setObjectName("DashboardContent")
        below = QVBoxLayout(inner)
        below.setContentsMargins(0, 0, 0, 0)
        below.setSpacing(16)
        scroll.setWidget(inner)
        self.body.addWidget(scroll, 1)
        self.body = below
        self.content = QVBoxLayout()
        self.content.setSpacing(12)
        self.body.addLayout(self.content)
        self._build_readiness()
        self.chart_card = Card()
        self.chart_title = label("Mentions per hour, last 7 days", "CardTitle")
        self.chart_card.body.addWidget(self.chart_title)
        self.chart = MentionChart()
        self.chart.setMinimumHeight(150)
        self.chart_card.body.addWidget(self.chart)
        self.body.addWidget(self.chart_card)
        self.body.addWidget(spacer(), 1)
        self.refresh()

    def refresh(self, domains: set[str] | None = None) -> None:
        self._show_readiness()
        clear_layout(self.content)
        self._add_handover()
        business = self.store.business.get()
        self.subtitle_label.setText(
            f"{business.name} — what needs you now." if business else "What needs you now."
        )
        seen = overview(self.store, self.clock())
        self.chart.set_points(points_from(seen.hours))
        self.chart_card.setVisible(bool(seen.hours))
        spike = self.banner.refresh()
        items = attention_items(self.store, self.clock())
        if spike is not None:  # the banner above says it already, with its buttons
            items = [item for item in items if item.icon != SPIKE_ICON]
        shown = self.banner.alert if self.banner.isVisible() else None
        if shown is not None:  # nor is the alert the banner shows said twice
            items = [item for item in items if item.text != shown.title]
        earlier = self._spikes_in_the_chart(seen.spikes, spike)
        if any(status is None for _s, status, _w in earlier) and not any(
            item.icon == SPIKE_ICON for item in items
        ):
            items.append(
                AttentionItem(
                    "A spike in the chart was never looked at",
                    "Read those mentions in the Inbox, then declare an incident or mark it "
                    "“Not a crisis”.",
                    "inbox",
                    urgency=2,
                    icon=SPIKE_ICON,
                )
            )
        # Urgency 1 is "worth doing", not "needs you now": it joins the quiet-day cards.
        urgent = [item for item in items if item.urgency >= 2]
        worth_doing = [item for item in items if item.urgency < 2]
        if urgent or spike is not None:
            for item in urgent + worth_doing:
                self._add_row(item)
            return
        # Quiet now; a spike the chart still shows says what became of it, so "All quiet"
        # never stands beside a red hump without a word.
        quiet = label("All quiet now." if earlier else "All quiet.", "BigQuiet")
        self.content.addWidget(quiet)
        for _spike, _status, what in earlier:
            self.content.addWidget(label(what, "Muted"))
        self.content.addWidget(
            label("Nothing needs you right now. A good day to get ready:", "Muted")
        )
        grid = QGridLayout()
        grid.setSpacing(12)
        suggestions = worth_doing + quiet_day_suggestions(self.store)
        for column, item in enumerate(suggestions[:3]):
            card = AttentionRow(item)
            card.clicked.connect(lambda page=item.page: self.navigate.emit(page))
            grid.addWidget(card, 0, column)
        self.content.addLayout(grid)

    def _spikes_in_the_chart(self, spikes, shown) -> list[tuple[object, str | None, str]]:
        """(spike, what the owner did with it, a sentence) for each spike the chart shows
        that the banner does not."""
        now = self.clock()
        incidents = self.store.incidents.all()
        found = []
        for spike in spikes:
            if shown is not None and spike.start == shown.start:
                continue
            status = self.store.mentions.spike_status(to_iso(spike.start), to_iso(spike.end))
            if status is None and any(  # declared from the Incidents page, not the banner
                spike.start <= i.declared_at <= spike.end + timedelta(hours=24) for i in incidents
            ):
                status = "declared"
            head = (
                f"{spike.headline(now)}, {share(spike.negative_share)} negative"
                f" ({counted(spike.count, 'mention')})"
            )
            if status == "declared":
                incident = next(
                    (
                        i
                        for i in incidents
                        if spike.start <= i.declared_at <= spike.end + timedelta(hours=24)
                    ),
                    None,
                )
                what = (
                    f"you declared it as “{incident.title}”, now {incident.status}"
                    if incident
                    else "you declared an incident for it"
                )
            elif status == "dismissed":
                what = "you marked it “Not a crisis”"
            elif status == "awaiting incident":
                what = "you chose to declare an incident for it; it is not declared yet"
            else:
                what = "nobody has looked at it yet"
            found.append((spike, status, f"{head}: {what}."))
        return found

    def _add_handover(self) -> None:
        """On a shared workspace: what the team did since this laptop last left it."""
        since = handover(self.store)
        if since is None:
            return
        text = f"Since you left: {counted(since.new, 'new mention')}, {since.escalated} escalated"
        if since.next_update_due is not None:
            text += f", next update due {time_of_day(since.next_update_due)}"
        line = label(text + ".", "Muted")
        line.setAccessibleName("Since you left")
        line.setToolTip(plain(f"Counted from when you last closed Crisis Desk on this computer "
                              f"({when(since.since)})."))  # fmt: skip
        self.content.addWidget(line)

    def restyle(self) -> None:
        self.banner.restyle()

    def _spike_dismissed(self) -> None:
        self.refresh()
        self.report_changes("spikes")

    def _add_row(self, item: AttentionItem) -> None:
        row = AttentionRow(item)
        row.clicked.connect(lambda page=item.page: self.navigate.emit(page))
        self.content.addWidget(row)

    # --- readiness: drills, the plan's age, open fixes, phones (app.attention) --------------

    def _build_readiness(self) -> None:
        self.readiness_card = Card()
        self.readiness_card.setAccessibleName("Readiness")
        self.readiness_card.body.addWidget(label("Readiness", "CardTitle"))
        self.readiness_grid = QGridLayout()
        self.readiness_grid.setHorizontalSpacing(16)
        self.readiness_grid.setVerticalSpacing(4)
        self.readiness_card.body.addLayout(self.readiness_grid)
        self.body.addWidget(self.readiness_card)

    def _show_readiness(self) -> None:
        """One line each, three columns, each with a link to where it is done."""
        clear_layout(self.readiness_grid)
        # During a drill the page shows the drill's copy: the real workspace's readiness waits.
        self.readiness_card.setVisible(not is_sandbox(self.store))
        self.readiness_lines = readiness_items(self.store, self.clock())
        for index, item in enumerate(self.readiness_lines):
            row, column = divmod(index, 3)
            cell = QWidget()  # a widget, not a bare layout: shown when added to a shown card
            line = QHBoxLayout(cell)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(8)
            line.addWidget(IconBadge(item.icon, role="accent", size=18))
            words = label(item.text, wrap=False)
            words.setToolTip(plain(item.detail))
            line.addWidget(words)
            go = link_button("Open →", f"{item.detail} Go to {item.page}.")
            go.setAccessibleName(f"Open: {item.text}")
            go.clicked.connect(lambda _=False, page=item.page: self.navigate.emit(page))
            line.addWidget(go)
            line.addStretch(1)
            self.readiness_grid.addWidget(cell, row, column)
            cell.show()

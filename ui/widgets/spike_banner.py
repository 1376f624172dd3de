"""The spike alarm's banner ("Mentions spiked at 14:20 — 12× the usual in 15 minutes", with
Declare incident and "Why?") on the Dashboard and in the Inbox, and the latest watch, reach or
all-clear alert beneath it. Desktop notifications are the main window's, once per alert."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from app.mentions.detection.explanation import explain
from app.mentions.detection.model import Alert, Episode
from app.mentions.spikes import record_spike
from app.store import Store
from app.timeutil import to_iso
from ui import theme
from ui.format import counted, share, short_when
from ui.widgets.basic import (
    button,
    clear_layout,
    fit_wrapped_height,
    hold_wrapped_height,
    label,
    link_button,
    primary_button,
)
from ui.widgets.icons import IconBadge

RECENT = timedelta(hours=72)
ALERT_KINDS = ("watch", "reach", "all-clear")


class SpikeBanner(QFrame):
    """ "Mentions spiked at 14:20 — 12× the usual in 15 minutes", with Declare incident."""

    changed = Signal()
    show_mentions = Signal(str)
    declare_requested = Signal(object)  # the episode: the window opens the declare dialog

    def __init__(self, store: Store, clock, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.spike: Episode | None = None
        self.recent: list[Episode] | None = None
        self.setObjectName("SpikeBanner")
        self.restyle()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 10)
        outer.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(12)
        alarm = IconBadge("mdi6.trending-up", theme.current().negative, size=24)
        row.addWidget(alarm, 0, Qt.AlignmentFlag.AlignVCenter)
        words = QVBoxLayout()
        words.setSpacing(2)
        self.headline = label("", "CardTitle")
        self.detail = label("", "Muted")
        words.addWidget(self.headline)
        words.addWidget(self.detail)
        row.addLayout(words, 1)
        self.why_button = link_button("Why?", "What people are saying, and who started it")
        self.why_button.clicked.connect(self.toggle_why)
        self.show_button = link_button("Show them")
        self.show_button.clicked.connect(self._show)
        self.declare_button = primary_button("Declare incident", "mdi6.alert-octagon-outline")
        self.declare_button.clicked.connect(self.declare)
        self.dismiss_button = button("Not a crisis")
        self.dismiss_button.setToolTip("Hide this alarm; the mentions stay in the inbox")
        self.dismiss_button.clicked.connect(self.dismiss)
        for widget in (self.why_button, self.show_button, self.dismiss_button, self.declare_button):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(row)
        self.why = QWidget()
        why = QVBoxLayout(self.why)
        why.setContentsMargins(36, 0, 0, 0)
        why.setSpacing(4)
        self.why_text = label("", "Muted")
        self.why_text.setWordWrap(True)
        self.terms = QHBoxLayout()
        self.terms.setSpacing(8)
        why.addWidget(self.why_text)
        why.addLayout(self.terms)
        self.why.setVisible(False)
        outer.addWidget(self.why)
        self.alert: Alert | None = None
        self.alert_row = QWidget()
        alert_row = QHBoxLayout(self.alert_row)
        alert_row.setContentsMargins(36, 0, 0, 0)
        self.alert_text = label("", "Muted")
        self.alert_text.setWordWrap(True)
        self.alert_show = link_button("Show", "Search the Inbox for it")
        self.alert_show.clicked.connect(self._show_alert)
        self.alert_dismiss = link_button("Dismiss", "Hide this alert")
        self.alert_dismiss.clicked.connect(self._dismiss_alert)
        alert_row.addWidget(self.alert_text, 1)
        alert_row.addWidget(self.alert_show)
        alert_row.addWidget(self.alert_dismiss)
        outer.addWidget(self.alert_row)
        self.setVisible(False)
        hold_wrapped_height(self)

    def restyle(self) -> None:
        colours = theme.current()
        self.setStyleSheet(
            f"#SpikeBanner {{ background: {colours.surface}; border: 1px solid "
            f"{colours.negative}; border-left: 4px solid {colours.negative}; border-radius: 8px; }}"
        )

    def _status(self, episode: Episode) -> str | None:
        return self.store.mentions.spike_status(to_iso(episode.start), to_iso(episode.end))

    def refresh(self, recent: list[Episode] | None = None) -> Episode | None:
        """Show the newest episode of the last three days that the owner has not dismissed
        or declared (the live alarm keeps them), and the newest alert not dismissed."""
        found = self._refresh(recent)
        fit_wrapped_height(self)  # the words changed: the banner asks for the room they need
        return found

    def _refresh(self, recent: list[Episode] | None) -> Episode | None:
        now = self.clock()
        self.recent = (
            recent if recent is not None else self.store.detection.episodes(since=now - RECENT)
        )
        episodes = [e for e in self.recent if self._status(e) not in ("dismissed", "declared")]
        previous = self.spike
        self.spike = episodes[-1] if episodes else None
        alerts = self.store.detection.alerts(now - RECENT, undismissed=True, kinds=ALERT_KINDS)
        self.alert = alerts[0] if alerts else None
        self.alert_row.setVisible(self.alert is not None)
        if self.alert is not None:
            self.alert_text.setText(f"{self.alert.title}. {self.alert.detail}")
            self.alert_show.setVisible(bool(self.alert.query))
        self.setVisible(self.spike is not None or self.alert is not None)
        for widget in (self.headline, self.detail, self.why_button, self.show_button,
                       self.dismiss_button, self.declare_button):  # fmt: skip
            widget.setVisible(self.spike is not None)
        if self.spike is None:
            self.why.setVisible(False)
            if self.alert is not None:
                self.headline.setVisible(True)
                self.headline.setText("New alert")
            return None
        if previous is None or previous.start != self.spike.start:
            self.why.setVisible(False)
        spike = self.spike
        self.headline.setText(spike.headline(now))
        running = "" if spike.over else " so far"
        detail = (
            f"{spike.explanation()}; {counted(spike.count, 'mention')}{running} from "
            f"{short_when(spike.start)}, {share(spike.negative_share)} negative."
        )
        if self._status(spike) == "awaiting incident":
            detail += " You chose to declare an incident for it; it is not declared yet."
        self.detail.setText(detail)
        if self.why.isVisible():
            self._fill_why()
        return spike

    def toggle_why(self) -> None:
        if self.spike is None:
            return
        showing = not self.why.isVisible()
        if showing:
            self._fill_why()
        self.why.setVisible(showing)
        self.why_button.setText("Hide why" if showing else "Why?")
        fit_wrapped_height(self)

    def _fill_why(self) -> None:
        assert self.spike is not None
        why = explain(self.store.mentions, self.spike.start, self.spike.end)
        self.why_text.setText(why.text())
        clear_layout(self.terms)
        self.terms.addWidget(label("Search:", "Muted"))
        for term in why.terms[:6]:
            link = link_button(f"“{term.text}”", f"Search the Inbox for {term.query}")
            link.clicked.connect(lambda _=False, q=term.query: self.show_mentions.emit(q))
            self.terms.addWidget(link)
        self.terms.addStretch(1)

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

    def _show_alert(self) -> None:
        if self.alert is not None and self.alert.query:
            self.show_mentions.emit(self.alert.query)

    def _dismiss_alert(self) -> None:
        if self.alert is not None and self.alert.id is not None:
            self.store.detection.dismiss(self.alert.id)
            self.refresh()
            self.changed.emit()

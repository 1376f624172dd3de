"""The spike alarm's banner ("Mentions spiked at 14:00 — 5× the usual", with Declare incident)
on the Dashboard and in the Inbox, and its tray notification, once per spike."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSystemTrayIcon, QVBoxLayout, QWidget

from app.mentions.spikes import Spike, recent_spikes, record_spike
from app.store import Store
from app.timeutil import to_iso
from ui import theme
from ui.format import counted, share, short_when
from ui.widgets.basic import button, label, link_button, primary_button
from ui.widgets.icons import IconBadge, icon


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
        self.restyle()
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
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

    def restyle(self) -> None:
        colours = theme.current()
        self.setStyleSheet(
            f"#SpikeBanner {{ background: {colours.surface}; border: 1px solid "
            f"{colours.negative}; border-left: 4px solid {colours.negative}; border-radius: 8px; }}"
        )

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
            and self.store.mentions.spike_status(to_iso(s.start)) not in ("dismissed", "declared")
        ]
        self.spike = spikes[-1] if spikes else None
        self.setVisible(self.spike is not None)
        if self.spike is None:
            return None
        spike = self.spike
        self.headline.setText(spike.headline(self.clock()))
        status = self.store.mentions.spike_status(to_iso(spike.start))
        detail = (
            f"{spike.explanation()}; {counted(spike.count, 'mention')} from "
            f"{short_when(spike.start)}, {share(spike.negative_share)} negative."
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


_tray: QSystemTrayIcon | None = None
_tray_clicked = None


def _on_tray_click() -> None:
    if _tray_clicked is not None:
        _tray_clicked()


def notify_spike(store: Store, spike: Spike, on_click=None) -> bool:
    """A tray notification, once per spike, where the desktop has a tray; clicking it calls
    `on_click` (the pages open the Inbox, where "Declare incident" is)."""
    global _tray, _tray_clicked
    key = f"spike_notified:{to_iso(spike.start)}"
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

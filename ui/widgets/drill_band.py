"""The band across the top of every page while a drill runs, in one slim row so the page keeps
its room: "EXERCISE  drill: <title>  ☎ T+11:00 · Call: the paper wants a comment  T+12:30 · 5×
Notices (4)  Pause  End drill…". The latest call, email, fact or posts the scenario sent are shown
as they come, the whole list a click away; nothing blocks, the drill clock keeps running."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
)

from ui import theme
from ui.widgets.basic import button, plain, plain_label, wrap_list
from ui.widgets.icons import IconBadge, icon

NOTICE_ICONS = {
    "call": "mdi6.phone-outline",
    "email": "mdi6.email-outline",
    "fact": "mdi6.lightbulb-on-outline",
    "mentions": "mdi6.comment-text-multiple-outline",
    "reaction": "mdi6.comment-text-multiple-outline",
}


class ElidedLabel(QLabel):
    """One line that shortens itself with "…" to the room it is given (whole in its tooltip)."""

    def __init__(self, text: str = ""):
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(60)
        self.full = ""
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self.full = text
        self.setToolTip(plain(text))
        self._elide()

    def resizeEvent(self, event):  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.width(), self.minimumWidth())
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, room))


class DrillBand(QFrame):
    pause_clicked = Signal()
    end_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("DrillBand")
        self.setAccessibleName("Drill in progress")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.top = QFrame()
        self.top.setObjectName("DrillBandTop")
        row = QHBoxLayout(self.top)
        row.setContentsMargins(16, 4, 16, 4)
        row.setSpacing(10)
        self.mark = plain_label("EXERCISE")
        self.mark.setObjectName("DrillMark")
        self.title = ElidedLabel("")
        self.title.setAccessibleName("Drill")
        self.latest_icon = IconBadge(NOTICE_ICONS["call"], role="drill_text", size=18)
        self.latest_icon.hide()
        self.latest = ElidedLabel("")
        self.latest.setAccessibleName("Latest from the scenario")
        self.clock_label = plain_label("")
        self.clock_label.setAccessibleName("Drill clock")
        self.toggle = button("Notices", "mdi6.format-list-bulleted", "Everything the scenario sent")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._show_list)
        self.pause = button("Pause", "mdi6.pause", "Stop the drill clock for a moment")
        self.pause.clicked.connect(self.pause_clicked.emit)
        self.end = button(
            "End drill…", "mdi6.flag-checkered", "Stop here and see your score; asks first"
        )
        self.end.clicked.connect(self.end_clicked.emit)
        row.addWidget(self.mark)
        row.addWidget(self.title, 2)
        row.addWidget(self.latest_icon)
        row.addWidget(self.latest, 3)
        row.addWidget(self.clock_label)
        row.addWidget(self.toggle)
        row.addWidget(self.pause)
        row.addWidget(self.end)
        outer.addWidget(self.top)
        self.list = QListWidget()
        self.list.setObjectName("DrillNotices")
        self.list.setAccessibleName("Drill notices")
        wrap_list(self.list)
        self.list.setMaximumHeight(180)
        self.list.hide()
        outer.addWidget(self.list)
        self.count = 0
        self.restyle()
        self.hide()

    def start(self, title: str) -> None:
        self.title.set_full_text(f"drill: {title}")
        self.title.setToolTip(plain(f"A drill in a sealed copy of your workspace: {title}"))
        self.latest.set_full_text("")
        self.latest_icon.hide()
        self.list.clear()
        self.count = 0
        self.toggle.setText("Notices")
        self.toggle.setChecked(False)
        self.show()

    def show_clock(self, elapsed: str, speed: float, paused: bool) -> None:
        state = " · paused" if paused else ""
        self.clock_label.setText(f"T+{elapsed} · {speed:g}×{state}")
        self.pause.setText("Resume" if paused else "Pause")
        self.pause.setToolTip(
            plain("Start the drill clock again" if paused else "Stop the drill clock for a moment")
        )

    def add_notice(self, stamp: str, kind: str, headline: str, text: str = "") -> None:
        """A call, an email, a fact or posts from the scenario: shown at once, kept in the list."""
        words = " ".join(text.split())
        line = f"{stamp} · {headline}" + (f" — “{words}”" if words and words != headline else "")
        self.latest.set_full_text(line)
        self.latest_icon.icon = icon(
            NOTICE_ICONS.get(kind, NOTICE_ICONS["fact"]), role="drill_text"
        )
        self.latest_icon.show()
        self.latest_icon.update()
        item = QListWidgetItem(line)
        item.setToolTip(plain(line))
        self.list.insertItem(0, item)
        self.count += 1
        self.toggle.setText(f"Notices ({self.count})")

    def notices(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _show_list(self, shown: bool) -> None:
        self.list.setVisible(shown)

    def restyle(self) -> None:
        c = theme.current()
        self.top.setStyleSheet(
            f"#DrillBandTop {{ background: {c.drill}; }}"
            f"#DrillBandTop QLabel {{ color: {c.drill_text}; background: transparent; }}"
            "#DrillMark { font-weight: 700; letter-spacing: 1px; }"
        )
        self.list.setStyleSheet(
            f"#DrillNotices {{ border: none; border-bottom: 1px solid {c.border}; "
            f"border-left: 6px solid {c.drill}; }}"
        )

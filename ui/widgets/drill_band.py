"""The band across the top of every page while a drill runs: "EXERCISE — drill: <title> · T+12:30
· 5×", Pause and End drill; below it, the latest call, email or fact the scenario sent, with the
whole list a click away. It never blocks: the drill clock keeps running while it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout

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
        row.setContentsMargins(16, 6, 16, 6)
        row.setSpacing(12)
        self.mark = plain_label("EXERCISE")
        self.mark.setObjectName("DrillMark")
        self.title = plain_label("")
        self.title.setAccessibleName("Drill")
        self.clock_label = plain_label("")
        self.clock_label.setAccessibleName("Drill clock")
        self.pause = button("Pause", "mdi6.pause", "Stop the drill clock for a moment")
        self.pause.clicked.connect(self.pause_clicked.emit)
        self.end = button(
            "End drill…", "mdi6.flag-checkered", "Stop here and see your score; asks first"
        )
        self.end.clicked.connect(self.end_clicked.emit)
        row.addWidget(self.mark)
        row.addWidget(self.title, 1)
        row.addWidget(self.clock_label)
        row.addWidget(self.pause)
        row.addWidget(self.end)
        outer.addWidget(self.top)

        self.notices_frame = QFrame()
        self.notices_frame.setObjectName("DrillNotices")
        notices = QVBoxLayout(self.notices_frame)
        notices.setContentsMargins(16, 6, 16, 6)
        notices.setSpacing(4)
        latest = QHBoxLayout()
        latest.setSpacing(12)
        self.latest_icon = IconBadge(NOTICE_ICONS["call"], role="accent", size=20)
        self.latest = plain_label("")
        self.latest.setWordWrap(True)
        self.latest.setAccessibleName("Latest from the scenario")
        self.toggle = button("All notices", "mdi6.format-list-bulleted", "Everything so far")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._show_list)
        latest.addWidget(self.latest_icon, 0, Qt.AlignmentFlag.AlignTop)
        latest.addWidget(self.latest, 1)
        latest.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        notices.addLayout(latest)
        self.list = QListWidget()
        self.list.setAccessibleName("Drill notices")
        wrap_list(self.list)
        self.list.setMaximumHeight(160)
        self.list.hide()
        notices.addWidget(self.list)
        self.notices_frame.hide()
        outer.addWidget(self.notices_frame)
        self.count = 0
        self.restyle()
        self.hide()

    def start(self, title: str) -> None:
        self.title.setText(f"drill: {title}")
        self.title.setToolTip(plain(f"A drill in a sealed copy of your workspace: {title}"))
        self.list.clear()
        self.count = 0
        self.notices_frame.hide()
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
        self.latest.setText(line)
        self.latest_icon.icon = icon(NOTICE_ICONS.get(kind, NOTICE_ICONS["fact"]), role="accent")
        self.latest_icon.update()
        item = QListWidgetItem(line)
        item.setToolTip(plain(line))
        self.list.insertItem(0, item)
        self.count += 1
        self.toggle.setText(f"All notices ({self.count})")
        self.notices_frame.show()

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
        self.notices_frame.setStyleSheet(
            f"#DrillNotices {{ background: {c.surface}; border-bottom: 1px solid {c.border}; "
            f"border-left: 6px solid {c.drill}; }}"
        )

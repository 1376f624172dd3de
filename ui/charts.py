"""Charts drawn with QPainter: thin lines, labelled axes in local time, direct labels instead
of a legend. No chart library: two lines and a few labels do not need one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme
from ui.format import chart_label, counted, number
from ui.widgets import plain


@dataclass
class HourPoint:
    hour: datetime  # start of the hour, aware
    count: int
    negative: int
    spike: bool = False


SHARE_MINIMUM = 10  # mentions in three hours before their negative share is drawn


def _nice_step(top: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 4:
            return step
    return int(top / 4) or 1


class MentionChart(QWidget):
    """Mentions per hour (the accent line) and the negative share (red, right axis, 0-100%),
    with spike hours shaded."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.points: list[HourPoint] = []
        self.markers: list[tuple[datetime, str]] = []  # incident events: (when, short label)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Mentions per hour and negative share")

    def set_points(self, points: list[HourPoint]) -> None:
        self.points = points
        total = sum(p.count for p in points)
        summary = f"{counted(total, 'mention')} over {counted(len(points), 'hour')}"
        self.setToolTip(plain(summary) if points else "")
        self.update()

    def paintEvent(self, event):  # noqa: N802 (Qt override)
        colours = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        left, right, top, bottom = 44, 92, 12, 22
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        muted = QColor(colours.muted)
        if len(self.points) < 2 or plot.width() < 50 or plot.height() < 30:
            painter.setPen(muted)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "No mentions yet: import some, and their volume over time shows here.",
            )
            return
        peak = max(p.count for p in self.points)
        step = _nice_step(max(peak, 4))
        top_value = step * (int(peak / step) + 1)
        n = len(self.points)

        def x_at(i: float) -> float:
            return plot.left() + plot.width() * i / (n - 1)

        def y_count(v: float) -> float:
            return plot.bottom() - plot.height() * v / top_value

        def y_share(v: float) -> float:
            return plot.bottom() - plot.height() * v

        # Spike hours, shaded behind everything.
        shade = QColor(colours.negative)
        shade.setAlpha(28)
        width = plot.width() / (n - 1)
        for i, p in enumerate(self.points):
            if p.spike:
                painter.fillRect(
                    QRectF(x_at(i) - width / 2, plot.top(), width, plot.height()), shade
                )

        # Grid and the left axis (mentions per hour).
        grid = QColor(colours.border)
        painter.setPen(QPen(grid, 1))
        value = 0
        while value <= top_value:
            y = y_count(value)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            painter.drawText(
                QRectF(0, y - 8, left - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{number(value)}",
            )
            painter.setPen(QPen(grid, 1))
            value += step
        # The time axis: a tick and label at each local midnight or noon that fits.
        span_hours = n - 1
        every = 6 if span_hours <= 48 else 12 if span_hours <= 120 else 24
        painter.setPen(muted)
        last_label_right = -1e9
        for i, p in enumerate(self.points):
            if p.hour.astimezone().hour % every:
                continue
            x = x_at(i)
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            text = chart_label(p.hour)
            text_width = metrics.horizontalAdvance(text)
            if x - text_width / 2 > last_label_right + 8 and x + text_width / 2 < self.width():
                painter.drawText(QPointF(x - text_width / 2, plot.bottom() + 16), text)
                last_label_right = x + text_width / 2

        # The two lines.
        accent, negative = QColor(colours.accent), QColor(colours.negative)
        volume = QPainterPath(QPointF(x_at(0), y_count(self.points[0].count)))
        share_path = QPainterPath()
        started = False
        for i, p in enumerate(self.points):
            if i:
                volume.lineTo(x_at(i), y_count(p.count))
            # The share over the last three hours: a share of a handful of mentions says
            # nothing, and an hour-by-hour share of a quiet night jumps from 0 to 100%.
            window = self.points[max(0, i - 2) : i + 1]
            in_window = sum(w.count for w in window)
            if in_window >= SHARE_MINIMUM:
                point = QPointF(x_at(i), y_share(sum(w.negative for w in window) / in_window))
                if started:
                    share_path.lineTo(point)
                else:
                    share_path.moveTo(point)
                    started = True
            else:
                started = False
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(negative, 1.2, Qt.PenStyle.DashLine))
        painter.drawPath(share_path)
        painter.setPen(QPen(accent, 1.6))
        painter.drawPath(volume)

        # Incident events as thin vertical markers with short labels, staggered to stay legible.
        if self.markers:
            start = self.points[0].hour
            hours = max(1.0, (self.points[-1].hour - start).total_seconds() / 3600)
            painter.setPen(QPen(muted, 1, Qt.PenStyle.DotLine))
            row_ends = [-1e9] * 4  # labels go in the first row where they do not overlap
            for moment, text in sorted(self.markers):
                position = (moment - start).total_seconds() / 3600
                if not 0 <= position <= hours:
                    continue
                x = plot.left() + plot.width() * position / hours
                painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                row = next((r for r, end in enumerate(row_ends) if end < x), None)
                if row is not None:
                    y = plot.top() + 10 + row * (metrics.height() + 1)
                    painter.drawText(QPointF(x + 3, y), text)
                    row_ends[row] = x + 6 + metrics.horizontalAdvance(text)

        # Direct labels at the right end instead of a legend.
        last = self.points[-2]  # the last whole hour; the current one has only begun
        painter.setPen(accent)
        label_y = y_count(last.count)
        painter.drawText(QPointF(plot.right() + 6, label_y + 4), f"{last.count} / hour")
        recent = [p for p in self.points[-6:] if p.count]
        share = sum(p.negative for p in recent) / max(1, sum(p.count for p in recent))
        share_y = y_share(share)
        if abs(share_y - label_y) < 14:
            share_y = label_y + 14 if share_y >= label_y else label_y - 14
        painter.setPen(negative)
        painter.drawText(QPointF(plot.right() + 6, share_y + 4), f"{share:.0%} negative")
        painter.setPen(muted)
        painter.drawText(QPointF(plot.left(), plot.top() - 2), "mentions per hour")
        painter.end()


def points_from(stats, since: datetime | None = None) -> list[HourPoint]:
    """HourPoints from the spike alarm's hourly statistics (which mark the spike hours)."""
    return [
        HourPoint(s.hour, s.count, s.negative, s.spike)
        for s in stats
        if since is None or s.hour >= since - timedelta(hours=1)
    ]


def render_chart(points: list[HourPoint], markers, width: int, height: int, scale: float = 2.0):
    """The chart as an image (for PDF reports), painted by the same code as on screen."""
    from PySide6.QtGui import QImage

    chart = MentionChart()
    chart.set_points(points)
    chart.markers = list(markers)
    chart.resize(width, height)
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    chart.render(image, renderFlags=QWidget.RenderFlag.DrawChildren)  # no window background
    return image

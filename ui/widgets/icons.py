"""The one icon set (qtawesome's Material Design icons), drawn in the theme's colours: an icon
in a palette role ("text", "accent") follows a light/dark switch without being made again."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from ui import theme


def icon(name: str, colour: str | None = None, *, role: str = "text") -> QIcon:
    """An icon of the one set: in `colour`, or in the palette's `role` ("text", "accent",
    "accent_text"), which it follows when the colour scheme changes."""
    if colour is not None:
        return _fixed_icon(name, colour)
    return QIcon(_ThemedIconEngine(name, role))


_icons: dict[tuple[str, str], QIcon] = {}


def _fixed_icon(name: str, colour: str) -> QIcon:
    key = (name, colour)
    if key not in _icons:
        _icons[key] = qta.icon(name, color=colour)
    return _icons[key]


class _ThemedIconEngine(QIconEngine):
    """Draws the icon in the current theme's colour each time it is painted, so icons follow a
    light/dark switch without the widgets that hold them being rebuilt."""

    def __init__(self, name: str, role: str):
        super().__init__()
        self.name = name
        self.role = role

    def _icon(self) -> QIcon:
        return _fixed_icon(self.name, getattr(theme.current(), self.role))

    def paint(self, painter, rect, mode, state) -> None:
        self._icon().paint(painter, rect, Qt.AlignmentFlag.AlignCenter, mode, state)

    def pixmap(self, size, mode, state) -> QPixmap:
        return self._icon().pixmap(size, mode, state)

    def clone(self) -> QIconEngine:
        return _ThemedIconEngine(self.name, self.role)


class IconBadge(QWidget):
    """A large icon beside a card's words (a pixmap label would keep the old colours)."""

    def __init__(self, name: str, colour: str | None = None, *, role: str = "text", size=24):
        super().__init__()
        self.icon = icon(name, colour, role=role)
        self.setFixedSize(size, size)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, event):  # noqa: N802 (Qt override)
        painter = QPainter(self)
        self.icon.paint(painter, self.rect())
        painter.end()

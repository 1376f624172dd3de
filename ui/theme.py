"""Light and dark palettes on Qt's Fusion style, following the system colour scheme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.paths import resource


@dataclass(frozen=True)
class Colours:
    window: str
    surface: str
    sidebar: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    hover: str
    selected: str
    # Severity levels (always shown with a word too): 1 Watch, 2 Concern, 3 Serious, 4 Critical.
    level1: str = "#64748b"
    level2: str = "#d97706"
    level3: str = "#ea580c"
    level4: str = "#dc2626"
    negative: str = "#dc2626"
    neutral: str = "#6b7280"
    positive: str = "#16a34a"


LIGHT = Colours(
    window="#f5f6f8",
    surface="#ffffff",
    sidebar="#eceff3",
    text="#1f2933",
    muted="#5f6b7a",
    border="#d9dee5",
    accent="#0f766e",
    accent_text="#ffffff",
    hover="#e2e7ed",
    selected="#d5ebe8",
)
DARK = Colours(
    window="#1c2026",
    surface="#242a31",
    sidebar="#171b20",
    text="#e6e9ed",
    muted="#9aa5b1",
    border="#353d47",
    accent="#2bb3a3",
    accent_text="#0d1a19",
    hover="#2c333c",
    selected="#1f3d3a",
)

_current = LIGHT


def current() -> Colours:
    """The colours in use now, for widgets that paint themselves (charts, chips, badges)."""
    return _current


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def _palette(c: Colours) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, value in {
        role.Window: c.window,
        role.WindowText: c.text,
        role.Base: c.surface,
        role.AlternateBase: c.window,
        role.Text: c.text,
        role.Button: c.surface,
        role.ButtonText: c.text,
        role.ToolTipBase: c.surface,
        role.ToolTipText: c.text,
        role.Highlight: c.accent,
        role.HighlightedText: c.accent_text,
        role.Link: c.accent,
        role.PlaceholderText: c.muted,
        role.Mid: c.border,
        role.Midlight: c.hover,
        role.Light: c.surface,  # Fusion's bevels and tab-bar base line (white in both, else)
    }.items():
        p.setColor(r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(disabled, r, QColor(c.muted))
    return p


def style_sheet(c: Colours) -> str:
    text = resource("style.qss").read_text(encoding="utf-8")
    # Longest names first, so "@accent_text" is not read as "@accent" + "_text".
    for name, value in sorted(vars(c).items(), key=lambda kv: -len(kv[0])):
        text = text.replace(f"@{name}", value)
    return text


def apply_theme(app: QApplication, mode: str = "system") -> Colours:
    """Apply "light", "dark" or "system" (follow the operating system's colour scheme)."""
    global _current
    dark = system_prefers_dark() if mode == "system" else mode == "dark"
    _current = DARK if dark else LIGHT
    app.setStyle("Fusion")
    app.setPalette(_palette(_current))
    app.setStyleSheet(style_sheet(_current))
    return _current

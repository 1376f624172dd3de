"""Light and dark palettes on Qt's Fusion style, following the system colour scheme."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from app.paths import resource


@dataclass(frozen=True)
class Colours:
    """One palette. Every pair of colours that carries text meets WCAG AA (4.5:1) in both
    palettes (tests/ui/test_contrast.py computes each): the level chips above all."""

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
    # Each is a chip's background under `chip_text` and a text colour on the window and cards.
    level1: str
    level2: str
    level3: str
    level4: str
    chip_text: str
    negative: str
    neutral: str
    positive: str
    warning: str  # "still to fill in", hints that need the owner, but are not errors
    # The drill band across every page while a drill runs ("EXERCISE"): `drill_text` on `drill`.
    drill: str
    drill_text: str


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
    level1="#52606d",  # slate
    level2="#a16207",  # amber (yellow enough to tell from level 3)
    level3="#c2410c",  # orange
    level4="#b91c1c",  # red
    chip_text="#ffffff",
    negative="#b91c1c",
    neutral="#5f6b7a",
    positive="#15803d",
    warning="#b45309",
    drill="#6d28d9",  # violet: no level, no sentiment, no accent uses it
    drill_text="#ffffff",
)
DARK = Colours(
    window="#1c2026",
    surface="#242a31",
    sidebar="#171b20",
    text="#e6e9ed",
    muted="#9aa5b1",
    border="#3d4651",
    accent="#2bb3a3",
    accent_text="#0d1a19",
    hover="#2c333c",
    selected="#1f3d3a",
    level1="#94a3b8",
    level2="#facc15",
    level3="#fb923c",
    level4="#f87171",
    chip_text="#111418",
    negative="#f87171",
    neutral="#9aa5b1",
    positive="#4ade80",
    warning="#fbbf24",
    drill="#c4b5fd",
    drill_text="#111418",
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


def _check_image(c: Colours) -> str:
    """The tick inside a ticked box, from the one icon set, as a file the style sheet names."""
    import qtawesome as qta

    folder = Path(tempfile.gettempdir()) / "crisisdesk-style"
    folder.mkdir(exist_ok=True)
    path = folder / f"check-{c.accent_text.lstrip('#')}.png"
    if not path.exists():  # written under a name of its own, then renamed: other processes
        temp = folder / f".{path.name}.{os.getpid()}.png"  # may read it at the same moment
        qta.icon("mdi6.check-bold", color=c.accent_text).pixmap(24, 24).save(str(temp), "PNG")
        os.replace(temp, path)
    return path.as_posix()


def style_sheet(c: Colours) -> str:
    text = resource("style.qss").read_text(encoding="utf-8")
    text = text.replace("@check_image", _check_image(c))
    # Longest names first, so "@accent_text" is not read as "@accent" + "_text".
    for name, value in sorted(vars(c).items(), key=lambda kv: -len(kv[0])):
        text = text.replace(f"@{name}", value)
    return text


_style_class: type[QStyle] | None = None  # Fusion with the one icon set (ui.widgets.style)
_style: QStyle | None = None


def use_style(style_class: type[QStyle]) -> None:
    """The style the application gets (a QProxyStyle over Fusion); set once, by the window."""
    global _style_class
    _style_class = style_class


def _ensure_style(app: QApplication) -> None:
    global _style
    if _style_class is None:
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        return
    if _style is None:  # once: the application keeps it (and Qt hands back a plain wrapper)
        _style = _style_class()
        app.setStyle(_style)


def style_installed() -> bool:
    return _style is not None


def apply_theme(app: QApplication, mode: str = "system") -> Colours:
    """Apply "light", "dark" or "system" (follow the operating system's colour scheme)."""
    global _current
    dark = system_prefers_dark() if mode == "system" else mode == "dark"
    _current = DARK if dark else LIGHT
    _ensure_style(app)
    app.setPalette(_palette(_current))
    app.setStyleSheet(style_sheet(_current))
    return _current

"""Colours and icons: every pair of colours that carries text meets WCAG AA (4.5:1) in both
palettes, the level chips above all; every icon comes from the one set (no stock Qt icons,
none on dialog buttons)."""

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QStyle

from ui import theme
from ui.widgets.style import IconStyle

AA = 4.5


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of "#rrggbb"."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_pairs(c: theme.Colours) -> list[tuple[str, str, str]]:
    """(what, text colour, background) for every way the window puts text on a colour."""
    backgrounds = {"window": c.window, "card": c.surface}
    pairs = [
        ("text on the sidebar", c.text, c.sidebar),
        ("muted on the sidebar and status bar", c.muted, c.sidebar),
        ("text on a selected sidebar row", c.text, c.selected),
        ("text on a hovered row", c.text, c.hover),
        ("a primary button's words", c.accent_text, c.accent),
        ("a selected table row", c.accent_text, c.accent),
        ("the drill band's words", c.drill_text, c.drill),
    ]
    for level in (1, 2, 3, 4):
        chip = getattr(c, f"level{level}")
        pairs.append((f"level {level} chip", c.chip_text, chip))
    for name, background in backgrounds.items():
        for role in ("text", "muted", "accent", "negative", "neutral", "positive", "warning"):
            pairs.append((f"{role} on the {name}", getattr(c, role), background))
        for level in (1, 2, 3, 4):
            pairs.append(
                (f"level {level} words on the {name}", getattr(c, f"level{level}"), background)
            )
    return pairs


@pytest.mark.parametrize("palette", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_every_text_colour_pair_meets_wcag_aa(palette):
    failing = [
        f"{what}: {contrast(fg, bg):.2f}:1 ({fg} on {bg})"
        for what, fg, bg in text_pairs(palette)
        if contrast(fg, bg) < AA
    ]
    assert not failing, failing


def test_the_contrast_sum_is_right():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ea580c") == pytest.approx(3.56, abs=0.01)  # the old chip


def test_the_chips_use_the_palette_colours(make_window):
    from ui.widgets import LevelChip

    make_window(demo=True)
    for mode, colours in (("light", theme.LIGHT), ("dark", theme.DARK)):
        theme.apply_theme(QApplication.instance(), mode)
        chip = LevelChip(3)
        assert colours.level3 in chip.styleSheet() and colours.chip_text in chip.styleSheet()
    theme.apply_theme(QApplication.instance(), "light")


def test_no_stock_icons(make_window):
    make_window(demo=True)
    style = theme._style
    assert isinstance(style, IconStyle) and theme.style_installed()
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    assert all(button.icon().isNull() for button in box.buttons())
    fusion = style.baseStyle()
    for pixmap in (
        QStyle.StandardPixmap.SP_MessageBoxWarning,
        QStyle.StandardPixmap.SP_MessageBoxQuestion,
        QStyle.StandardPixmap.SP_DialogSaveButton,
    ):
        ours = style.standardIcon(pixmap).pixmap(32, 32).toImage()
        stock = fusion.standardIcon(pixmap).pixmap(32, 32).toImage()
        assert ours != stock, pixmap
    message = QMessageBox(QMessageBox.Icon.Warning, "t", "words")
    expected = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    size = message.iconPixmap().size()
    assert message.iconPixmap().toImage() == expected.pixmap(size).toImage()

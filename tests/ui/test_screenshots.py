"""`crisisdesk screenshot` renders the real window for every page: once through the command
line as a script would (a real process, so a fresh Qt application), then every page in both
themes in this process (the same function)."""

import subprocess
import sys

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from ui import theme
from ui.main import PAGE_KEYS, render_screenshot


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, templates):
    """The demo as `crisisdesk demo` leaves it; screenshots only read it."""
    return templates.copy(templates.cli_demo(), tmp_path_factory.mktemp("shots") / "demo.db")


def looks_like_a_window(path) -> bool:
    image = QImage(str(path))
    if (image.width(), image.height()) != (1280, 800):
        return False
    # Not a blank canvas: the picture has many distinct colours (text, icons, cards).
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    return len(colours) > 8


def test_screenshot_command(demo_db, tmp_path):
    out = tmp_path / "dashboard.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--db",
            str(demo_db),
            "screenshot",
            "--page",
            "dashboard",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert looks_like_a_window(out)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page", [*PAGE_KEYS, "welcome"])
def test_screenshot_of_every_page(qapp, demo_db, tmp_path, page, mode):
    out = tmp_path / f"{page}-{mode}.png"
    try:
        render_screenshot(demo_db, page, out, (1280, 800), mode)
    finally:
        theme.apply_theme(QApplication.instance(), "light")
    assert looks_like_a_window(out), page

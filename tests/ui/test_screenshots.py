"""`crisisdesk screenshot` renders the real window for every page, as a real process would."""

import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from ui.main import PAGE_KEYS


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("shots") / "demo.db"
    subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(path)], check=True)
    return path


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshot_of_every_page(demo_db, tmp_path, theme):
    for page in [*PAGE_KEYS, "welcome"]:
        out = tmp_path / f"{page}-{theme}.png"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "--db",
                str(demo_db),
                "screenshot",
                "--page",
                page,
                "--theme",
                theme,
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        image = QImage(str(out))
        assert (image.width(), image.height()) == (1280, 800)
        # Not a blank canvas: the picture has many distinct colours (text, icons, cards).
        colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
        assert len(colours) > 8, page

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


@pytest.mark.parametrize("page", ["inbox", "score"])
def test_screenshot_of_a_drill_keeps_nothing(qapp, demo_db, tmp_path, page):
    from app.drills.repository import records_folder
    from app.drills.sandbox import sandbox_root
    from app.drills.scenario import find_scenario
    from app.store import open_store

    def seen():
        with open_store(demo_db) as store:
            incidents = [(i.id, i.level, i.status) for i in store.incidents.all()]
            return store.mentions.count(), len(store.statements.all()), incidents

    before = seen()
    out = tmp_path / f"drill-{page}.png"
    render_screenshot(
        demo_db, page, out, (1280, 800), "light", drill=find_scenario("food-safety-bakery")
    )
    assert looks_like_a_window(out)
    # The window itself reads the workspace (its alarm may note the time it looked); the
    # drill's incident and posts stayed in the copy, which is gone, and no score was kept.
    assert seen() == before
    assert not records_folder(demo_db).exists()
    assert not any(sandbox_root().glob("*/sandbox.db"))


# --- everything fits: every screen at two sizes and every dialog, light and dark ----------


@pytest.fixture(scope="module")
def bad_day_db(tmp_path_factory, templates):
    """The demo mid-way through a second scare: an incident open, tasks, a draft."""
    from app.store import open_store
    from tests.conftest import FIXED_NOW
    from tests.ui.views import prepare

    path = templates.copy(templates.demo(), tmp_path_factory.mktemp("fit") / "bad-day.db")
    with open_store(path, clock=lambda: FIXED_NOW) as store:
        prepare(store)
    return path


def _window(path, mode: str, size: tuple[int, int], tmp_path):
    from PySide6.QtCore import QSettings

    from app.secrets import MemorySecretStore
    from app.store import open_store
    from tests.conftest import FIXED_NOW
    from ui.main import MainWindow

    theme.apply_theme(QApplication.instance(), mode)
    clock = lambda: FIXED_NOW  # noqa: E731
    work = tmp_path / "w.db"
    work.write_bytes(path.read_bytes())  # a copy of its own to work in
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        open_store(work, clock=clock), settings, clock=clock, secrets=MemorySecretStore()
    )
    window.resize(*size)
    window.show()
    return window


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)], ids=["1280x800", "1600x1000"])
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_screen_fits(qapp, qtbot, bad_day_db, tmp_path, mode, size):
    """No label, button, heading, tab or list row is cut off; no table scrolls sideways; no
    widget sits on another, on every page and tab of the window."""
    from tests.ui.fit import clipped
    from tests.ui.views import WINDOW_VIEWS, end_drill
    from ui import ops

    window = _window(bad_day_db, mode, size, tmp_path)
    qtbot.addWidget(window)
    found = []
    try:
        for name, view in WINDOW_VIEWS.items():
            view(window)
            QApplication.processEvents()
            ops.wait_for_all(20_000)
            found += [f"{name}: {problem}" for problem in clipped(window)]
    finally:
        end_drill(window)
        window.pages["plan"].draft = None
        theme.apply_theme(QApplication.instance(), "light")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_dialog_fits(qapp, qtbot, bad_day_db, tmp_path, mode):
    from tests.ui.fit import clipped
    from tests.ui.views import dialog_names, open_dialog

    window = _window(bad_day_db, mode, (1280, 800), tmp_path)
    qtbot.addWidget(window)
    found = []
    try:
        for name in dialog_names():
            dialog = open_dialog(window, name)
            found += [f"{name}: {problem}" for problem in clipped(dialog)]
            if dialog.height() > 800 or dialog.width() > 1280:
                found.append(
                    f"{name}: {dialog.width()}×{dialog.height()} is bigger than the screen"
                )
            dialog.hide()
            dialog.deleteLater()
    finally:
        theme.apply_theme(QApplication.instance(), "light")
    assert not found, "\n".join(found)

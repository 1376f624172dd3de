"""UI fixtures: the real main window on a real workspace file, driven with qtbot."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from app.secrets import MemorySecretStore  # noqa: E402
from app.store import open_store  # noqa: E402
from tests.conftest import FIXED_NOW  # noqa: E402


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, tmp_path, settings, copy_demo):
    """Build a MainWindow on a workspace file. `demo=True` starts from a copy of the demo
    workspace (as `build_demo` makes it with the fixed clock); `prepare(store)` fills it then."""
    from PySide6.QtWidgets import QApplication

    from ui import theme
    from ui.main import MainWindow

    theme.apply_theme(QApplication.instance(), "light")

    def build(prepare=None, path=None, demo=False):
        path = path or tmp_path / "ui.db"
        if demo:
            copy_demo(path)
        store = open_store(path, clock=lambda: FIXED_NOW)
        if prepare:
            prepare(store)
        window = MainWindow(store, settings, clock=lambda: FIXED_NOW, secrets=MemorySecretStore())
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()  # shortcuts fire only in the active window
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        return window

    return build

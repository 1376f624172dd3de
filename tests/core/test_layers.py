"""The core stays Qt-free: every `app` module imports in a fresh interpreter without PySide6."""

import pkgutil
import subprocess
import sys

import app


def all_app_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(app.__path__, prefix="app."))


def test_every_app_module_imports_without_pyside6():
    modules = all_app_modules()
    assert "app.cli" in modules and "app.store" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'PySide6']\n"
        "assert not loaded, loaded\n"
        "print('ok', len(" + repr(modules) + "))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_ui_never_writes_sql():
    """ui/ asks the store; it holds no SQL of its own."""
    from pathlib import Path

    offenders = []
    for path in Path("ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for keyword in ("INSERT INTO", "UPDATE ", "DELETE FROM", "SELECT ", ".execute("):
            if keyword in text:
                offenders.append(f"{path}: {keyword.strip()}")
    assert offenders == []

"""Shared fixtures for every suite.

- Isolated user folders: no test reads or writes the real user's data, settings or workspace.
- Workspace templates, built once per test session and copied per test: a migrated empty
  workspace (behind `store`), the demo as `build_demo` makes it on a store with the fixed test
  clock (`demo_store`, `copy_demo`), and the demo as `crisisdesk demo` makes it
  (`copy_cli_demo`). A copy is a plain file copy of a closed, checkpointed workspace (no -wal
  beside it), so every test that writes gets a file of its own.
- `cli` runs the command line in-process (as sqlite-utils' CliRunner does): stdout and stderr
  captured, no terminal on stdin, and the test fails if anything but one clean sentence reaches
  stderr on a failure. Each run starts as a new process would: no sign-ins kept from an earlier
  run. Real processes are used only where the process is the point (kill -9, two processes at
  once, `--version`, the Qt-free import check, the screenshot command).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# Commands that write PDFs start a Qt application in this process: never on a real screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.store import open_store  # noqa: E402

FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's data, settings or workspace."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CRISISDESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CRISISDESK_CONFIG_DIR", str(home / "config"))
    monkeypatch.delenv("CRISISDESK_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_windows_left_from_earlier_tests():
    """Earlier tests' windows are closed, but Qt deletes them only when an event loop runs
    again: delete them now. Left alive, every theme change restyles hundreds of dead widgets
    (about a quarter of a second for each window left)."""
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is not None and qt_core.QCoreApplication.instance() is not None:
        qt_core.QCoreApplication.sendPostedEvents(None, qt_core.QEvent.Type.DeferredDelete)


# --- the command line, in-process -----------------------------------------------------------


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def assert_one_clean_sentence(err: str) -> None:
    """What every failing command must print: one line, ours, no traceback."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) <= 1, err
    if lines:
        assert lines[0].startswith("crisisdesk: "), err


def forget_sign_ins() -> None:
    """Bluesky sessions and Reddit tokens are kept in memory for the life of a process."""
    from app.sources import bluesky, reddit

    bluesky._SESSIONS.clear()
    reddit._TOKENS.clear()


def run_cli(*argv, env: dict[str, str] | None = None) -> CliResult:
    """`crisisdesk ARGV` in this process; `env` is set for this run only."""
    from app.cli import main

    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    forget_sign_ins()  # as a new process would start
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO("")  # no terminal: a script, a cron job
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in argv])
            except SystemExit as exc:  # argparse's own usage errors, --help
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = stdin
        forget_sign_ins()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    result = CliResult(code, out.getvalue(), err.getvalue())
    if result.code not in (0, 2):  # 2: argparse usage, which prints its own usage lines
        assert_one_clean_sentence(result.err)
    return result


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli


@pytest.fixture(autouse=True)
def no_sign_ins_from_earlier_tests():
    """Tests that pull in this process start without the sign-ins of earlier tests."""
    forget_sign_ins()
    yield
    forget_sign_ins()


# --- workspace templates, copied per test -----------------------------------------------------


class Templates:
    """Workspace files built once per session (on first use), copied for each test."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._built: dict[str, Path] = {}

    def template(self, name: str, build: Callable[[Path], None]) -> Path:
        """The template `name`, built by `build(path)` on first use. It is built with user
        folders of its own, whenever it is first asked for."""
        if name not in self._built:
            path = self.folder / f"{name}.db"
            home = self.folder / f"{name}-home"
            folders = {
                "CRISISDESK_DATA_DIR": home / "data",
                "CRISISDESK_CONFIG_DIR": home / "config",
            }
            saved = {key: os.environ.get(key) for key in folders}
            os.environ.update({key: str(value) for key, value in folders.items()})
            try:
                build(path)
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
            for suffix in ("-wal", "-shm", "-journal"):
                assert not Path(f"{path}{suffix}").exists(), f"{path}{suffix} left behind"
            self._built[name] = path
        return self._built[name]

    def empty(self) -> Path:
        """A migrated empty workspace, as `open_store` creates it."""
        return self.template("empty", lambda p: open_store(p, clock=lambda: FIXED_NOW).close())

    def demo(self) -> Path:
        """The demo built by `build_demo` on a store with the fixed test clock."""

        def build(path: Path) -> None:
            from app.demo.workspace import build_demo

            with open_store(path, clock=lambda: FIXED_NOW) as store:
                build_demo(store)

        return self.template("demo", build)

    def cli_demo(self) -> Path:
        """The demo as `crisisdesk demo` builds it (the real clock)."""

        def build(path: Path) -> None:
            result = run_cli("demo", "--db", path)
            assert result.code == 0, result.err

        return self.template("cli-demo", build)

    @staticmethod
    def copy(template: Path, target: str | os.PathLike) -> Path:
        target = Path(target)
        assert not target.exists(), f"{target} exists; a copy never replaces a workspace"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(template, target)  # the file and its mode (0600), never a -wal
        return target


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def db_path(tmp_path):
    """Where a test's workspace goes; nothing is there yet."""
    return tmp_path / "workspace.db"


@pytest.fixture
def store(db_path, templates):
    """A migrated empty workspace of this test's own, with the fixed clock."""
    templates.copy(templates.empty(), db_path)
    with open_store(db_path, clock=lambda: FIXED_NOW) as opened:
        yield opened


@pytest.fixture
def demo_store(db_path, templates):
    """The demo workspace (built with the fixed clock) in a file of this test's own."""
    templates.copy(templates.demo(), db_path)
    with open_store(db_path, clock=lambda: FIXED_NOW) as opened:
        yield opened


@pytest.fixture
def copy_empty(templates) -> Callable[[str | os.PathLike], Path]:
    """`copy_empty(path)`: a migrated empty workspace at `path` (as `open_store(path).close()`)."""
    return lambda target: templates.copy(templates.empty(), target)


@pytest.fixture
def copy_demo(templates) -> Callable[[str | os.PathLike], Path]:
    """`copy_demo(path)`: the demo (fixed clock, as `build_demo`) at `path`."""
    return lambda target: templates.copy(templates.demo(), target)


@pytest.fixture
def copy_cli_demo(templates) -> Callable[[str | os.PathLike], Path]:
    """`copy_cli_demo(path)`: the demo at `path` as `crisisdesk demo --db path` leaves it."""
    return lambda target: templates.copy(templates.cli_demo(), target)

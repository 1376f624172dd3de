"""The robustness suite: attacks and accidents kept as regression tests.

Also here: an in-memory keyring (so the command line, run in-process, stores secrets somewhere
real but private to the test) and a second local server (another port is another origin).

`cli` runs the command line in-process (as sqlite-utils' CliRunner does) and fails the test if
anything but one clean sentence reaches stderr: no traceback, ever, for any input here.
Real processes are used only where the process is the point (kill -9, two processes at once).
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors
import pytest
from pytest_httpserver import HTTPServer

from app.cli import main
from app.sources import bluesky, reddit
from app.store import open_store


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


@pytest.fixture
def cli():
    def run(*argv: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in argv])
            except SystemExit as exc:  # argparse's own usage errors
                code = exc.code if isinstance(exc.code, int) else 2
        result = CliResult(code, out.getvalue(), err.getvalue())
        if result.code not in (0, 2):  # 2: argparse usage, which prints its own usage lines
            assert_one_clean_sentence(result.err)
        return result

    return run


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps passwords in a dict; `reachable = False` makes it fail as a locked
    or absent keyring does."""

    priority = 0  # only ever chosen by set_keyring()

    def __init__(self):
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.reachable = True

    def _check(self):
        if not self.reachable:
            raise keyring.errors.KeyringLocked("the keyring is locked")

    def get_password(self, service, username):
        self._check()
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self._check()
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        self._check()
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


@pytest.fixture(autouse=True)
def no_sign_ins_from_earlier_tests():
    """Bluesky sessions and Reddit tokens are kept in memory for the process; start without."""
    bluesky._SESSIONS.clear()
    reddit._TOKENS.clear()
    yield
    bluesky._SESSIONS.clear()
    reddit._TOKENS.clear()


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def elsewhere():
    """A second server on another port: a host the owner never set up."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def workspace_argv(tmp_path, monkeypatch):
    """An empty workspace; the `--db` arguments for it."""
    monkeypatch.delenv("CRISISDESK_SECRET", raising=False)
    path = tmp_path / "workspace.db"
    open_store(path).close()
    return ["--db", str(path)]

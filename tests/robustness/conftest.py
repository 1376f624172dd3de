"""The robustness suite: attacks and accidents kept as regression tests.

Also here: an in-memory keyring (so the command line, run in-process through the shared `cli`
fixture of tests/conftest.py, stores secrets somewhere real but private to the test) and a
second local server (another port is another origin).
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import run_cli
from tests.robustness.render_hostile import build_hostile_workspace


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


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def elsewhere_server():
    """Started once, as pytest-httpserver's own server is: stopping one takes half a second."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def elsewhere(elsewhere_server):
    """A second server on another port: a host the owner never set up. Each test starts with
    no expectations and an empty log."""
    elsewhere_server.clear()
    yield elsewhere_server
    elsewhere_server.clear()


@pytest.fixture
def workspace_argv(tmp_path, monkeypatch, copy_empty):
    """An empty workspace; the `--db` arguments for it."""
    monkeypatch.delenv("CRISISDESK_SECRET", raising=False)
    path = copy_empty(tmp_path / "workspace.db")
    return ["--db", str(path)]


@pytest.fixture
def hostile_workspace(templates):
    """`hostile_workspace(folder)`: a copy of the demo with hostile text everywhere outside
    text enters (tests/robustness/render_hostile.py) at `folder / "hostile.db"`."""

    def build(path):
        templates.copy(templates.cli_demo(), path)
        build_hostile_workspace(run_cli, path)

    return lambda folder: templates.copy(
        templates.template("hostile", build), folder / "hostile.db"
    )

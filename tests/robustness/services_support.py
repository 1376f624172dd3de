"""Shared by the hostile-service and secret tests: an in-memory keyring (so the command line,
run in-process, stores secrets somewhere real but private to the test), a second local server
(another port is another origin), and a workspace made through the command line."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest
from pytest_httpserver import HTTPServer

from app.sources import bluesky, reddit
from app.store import open_store


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
def workspace(tmp_path, monkeypatch):
    """An empty workspace; the `--db` arguments for it."""
    monkeypatch.delenv("CRISISDESK_SECRET", raising=False)
    path = tmp_path / "workspace.db"
    open_store(path).close()
    return ["--db", str(path)]

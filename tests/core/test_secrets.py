"""Secrets: the in-memory store for unit tests, the no-keyring fallback, and the real keyring."""

import os
import uuid

import keyring
import keyring.backend
import keyring.errors
import pytest

from app.secrets import MemorySecretStore, SecretStore


def test_memory_store_round_trip():
    secrets = MemorySecretStore()
    secrets.set("source:test", "s3cret")
    assert secrets.get("source:test") == "s3cret"
    secrets.delete("source:test")
    assert secrets.get("source:test") is None


class NoKeyring(keyring.backend.KeyringBackend):
    """What keyring gives on a machine with no keyring: every call raises NoKeyringError."""

    priority = 0  # never chosen or chained by keyring itself; only set_keyring() uses it

    def get_password(self, service, username):
        raise keyring.errors.NoKeyringError("no backend")

    def set_password(self, service, username, password):
        raise keyring.errors.NoKeyringError("no backend")

    def delete_password(self, service, username):
        raise keyring.errors.NoKeyringError("no backend")


def test_without_a_keyring_the_secret_lives_for_this_session_only(tmp_path):
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        secrets = SecretStore()
        secrets.set("source:bluesky", "app-password-123")
        assert secrets.get("source:bluesky") == "app-password-123"
        assert secrets.persistent is False
        assert "keyring" in secrets.problem and "app-password-123" not in secrets.problem
        assert SecretStore().get("source:bluesky") is None  # a new session has forgotten it
    finally:
        keyring.set_keyring(previous)


def test_real_keyring_round_trip():
    """In CI (where .ci/run installs gnome-keyring and dbus) this fails rather than skips."""
    if not os.environ.get("CRISISDESK_REAL_KEYRING"):
        if os.environ.get("CI"):
            pytest.fail("CI must run the suite through scripts/with-keyring (make test)")
        pytest.skip("needs a SecretService keyring: run `make test` with gnome-keyring and dbus")
    secrets = SecretStore(service=f"Crisis Desk test {uuid.uuid4()}")
    secrets.set("source:reddit", "token-xyz")
    assert secrets.persistent, secrets.problem
    assert SecretStore(service=secrets.service).get("source:reddit") == "token-xyz"
    secrets.delete("source:reddit")
    assert SecretStore(service=secrets.service).get("source:reddit") is None

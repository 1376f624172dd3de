"""A keyring kept in a JSON file, for the sharing tests' separate processes when this machine
has no desktop keyring (in `make test` the real gnome-keyring is used instead). Chosen with
PYTHON_KEYRING_BACKEND=tests.sharing.file_keyring.FileKeyring and CRISISDESK_TEST_KEYRING=path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["CRISISDESK_TEST_KEYRING"])

    def _load(self) -> dict:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service, username):
        return self._load().get(f"{service}\x1f{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}\x1f{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service, username):
        data = self._load()
        if data.pop(f"{service}\x1f{username}", None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")
        self._path().write_text(json.dumps(data))

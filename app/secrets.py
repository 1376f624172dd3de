"""Secrets (API tokens, app passwords) live only in the operating system's keyring.

When the machine has no keyring, the secret is kept in memory for this session only and
`persistent` is False so the UI can say so; it is never written to SQLite, settings or logs.
"""

from __future__ import annotations

import keyring
import keyring.errors

SERVICE = "Crisis Desk"


class SecretStore:
    """Keyring-backed secrets, keyed by a name such as "source:Reddit main"."""

    def __init__(self, service: str = SERVICE):
        self.service = service
        self._session: dict[str, str] = {}
        self.persistent = True
        self.problem = ""

    def _fall_back(self, exc: Exception) -> None:
        self.persistent = False
        self.problem = (
            "This computer has no keyring (or it is locked), so passwords and tokens are kept "
            "only until Crisis Desk closes; you will be asked again next time."
        )
        # The exception text may name the backend; it never contains the secret.
        del exc

    def set(self, name: str, secret: str) -> None:
        if self.persistent:
            try:
                keyring.set_password(self.service, name, secret)
                return
            except keyring.errors.KeyringError as exc:  # none, locked, or refused
                self._fall_back(exc)
        self._session[name] = secret

    def get(self, name: str) -> str | None:
        if name in self._session:
            return self._session[name]
        if self.persistent:
            try:
                return keyring.get_password(self.service, name)
            except keyring.errors.KeyringError as exc:  # none, locked, or refused
                self._fall_back(exc)
        return None

    def delete(self, name: str) -> bool:
        """Forget the secret; False when the keyring could not be reached, so a secret stored
        there earlier (from a session that had a keyring) may still be in it."""
        self._session.pop(name, None)
        try:
            keyring.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was stored under that name
        except keyring.errors.KeyringError as exc:  # none, locked, or refused
            self._fall_back(exc)
            return False
        return True


class MemorySecretStore(SecretStore):
    """A secret store that never touches the keyring, for unit tests."""

    def __init__(self):
        super().__init__()
        self.persistent = False

    def set(self, name: str, secret: str) -> None:
        self._session[name] = secret

    def delete(self, name: str) -> bool:
        self._session.pop(name, None)
        return True

"""Helpers shared by the page tests."""

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.dialogs import ask


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch):
    """A message box nobody answers would hang the test: fail instead (tests answer their own)."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
    monkeypatch.setattr(ask, "choose", unexpected)

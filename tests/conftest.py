"""Shared fixtures: a real workspace file in a temporary folder, and isolated user folders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.store import open_store

FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's data, settings or workspace."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CRISISDESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CRISISDESK_CONFIG_DIR", str(home / "config"))
    monkeypatch.delenv("CRISISDESK_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "workspace.db"


@pytest.fixture
def store(db_path):
    with open_store(db_path, clock=lambda: FIXED_NOW) as opened:
        yield opened

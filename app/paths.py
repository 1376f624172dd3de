"""Where things live: the default workspace, the settings folder and the shipped resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "CrisisDesk"
DB_ENV = "CRISISDESK_DB"
CONFIG_ENV = "CRISISDESK_CONFIG_DIR"
DATA_ENV = "CRISISDESK_DATA_DIR"


def data_dir() -> Path:
    """The user's data folder for Crisis Desk (overridable for tests and portable use)."""
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))


def config_dir() -> Path:
    """Where window state and preferences live; never secrets."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, False))


def default_workspace() -> Path:
    """The workspace used when neither --db nor CRISISDESK_DB names one."""
    return data_dir() / "workspace.db"


def demo_workspace() -> Path:
    """Where the welcome's "open the demo workspace" keeps the demo."""
    return data_dir() / "demo.db"


def resolve_workspace(cli_path: str | os.PathLike | None) -> Path:
    """--db wins over CRISISDESK_DB, which wins over the platform default."""
    if cli_path:
        return Path(cli_path).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_workspace()


def resource_dir() -> Path:
    """The shipped `resources/` folder, in a checkout and in the frozen installer build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)

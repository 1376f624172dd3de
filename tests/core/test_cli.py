"""The command line as scripts use it: real processes, real files, one-line errors."""

import json
import os
import subprocess
import sys

import pytest

from app import __version__


def crisisdesk(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_version():
    result = crisisdesk("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"crisisdesk {__version__}"


def test_demo_then_info_json(tmp_path):
    db = tmp_path / "d.db"
    assert crisisdesk("demo", "--db", str(db)).returncode == 0
    result = crisisdesk("--db", str(db), "info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["schema_version"] >= 1
    assert info["business"] == "Hearth & Crumb"
    assert info["tables"]["business"] == 1


def test_demo_refuses_to_replace_a_workspace(tmp_path):
    db = tmp_path / "d.db"
    crisisdesk("demo", "--db", str(db))
    result = crisisdesk("demo", "--db", str(db))
    assert result.returncode == 1
    assert "--force" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_db_from_environment(tmp_path):
    db = tmp_path / "env.db"
    crisisdesk("demo", env={"CRISISDESK_DB": str(db)})
    result = crisisdesk("info", "--json", env={"CRISISDESK_DB": str(db)})
    assert json.loads(result.stdout)["path"] == str(db)


@pytest.mark.parametrize(
    "content", [b"hello, not a database", b"SQLite format 3\x00" + b"\x01" * 80]
)
def test_info_on_a_bad_file_is_one_line_and_changes_nothing(tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    result = crisisdesk("--db", str(bad), "info")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("crisisdesk: ")
    assert bad.read_bytes() == content


def test_info_on_a_missing_workspace_does_not_create_it(tmp_path):
    result = crisisdesk("--db", str(tmp_path / "none.db"), "info")
    assert result.returncode == 1 and "no workspace" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_backup_and_restore_commands(tmp_path):
    db = tmp_path / "d.db"
    crisisdesk("demo", "--db", str(db))
    assert crisisdesk("--db", str(db), "backup", "-o", str(tmp_path / "b.db")).returncode == 0
    restored = tmp_path / "r.db"
    result = crisisdesk("--db", str(restored), "restore", str(tmp_path / "b.db"))
    assert result.returncode == 0, result.stderr
    refused = crisisdesk("--db", str(restored), "restore", str(tmp_path / "b.db"))
    assert refused.returncode == 1 and "--force" in refused.stderr
    info = json.loads(crisisdesk("--db", str(restored), "info", "--json").stdout)
    assert info["business"] == "Hearth & Crumb"


def test_screenshot_rejects_unknown_page(tmp_path):
    result = crisisdesk(
        "--db", str(tmp_path / "x.db"), "screenshot", "--page", "nope", "-o", "x.png"
    )
    assert result.returncode == 1 and "Unknown page" in result.stderr

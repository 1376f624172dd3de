"""The command line as scripts use it: real files, one-line errors. Commands run in-process
through the shared `cli` fixture; `--version` runs as a real process, as a script sees it."""

import json
import subprocess
import sys

import pytest

from app import __version__


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.strip() == f"crisisdesk {__version__}"


def test_demo_then_info_json(cli, tmp_path):
    db = tmp_path / "d.db"
    assert cli("demo", "--db", str(db)).code == 0
    result = cli("--db", str(db), "info", "--json")
    assert result.code == 0, result.err
    info = json.loads(result.out)
    assert info["schema_version"] >= 1
    assert info["business"] == "Hearth & Crumb"
    assert info["tables"]["business"] == 1


def test_demo_refuses_to_replace_a_workspace(cli, tmp_path, copy_cli_demo):
    db = copy_cli_demo(tmp_path / "d.db")
    result = cli("demo", "--db", str(db))
    assert result.code == 1
    assert "--force" in result.err and len(result.err.strip().splitlines()) == 1


def test_db_from_environment(cli, tmp_path):
    db = tmp_path / "env.db"
    cli("demo", env={"CRISISDESK_DB": str(db)})
    result = cli("info", "--json", env={"CRISISDESK_DB": str(db)})
    assert json.loads(result.out)["path"] == str(db)


@pytest.mark.parametrize(
    "content", [b"hello, not a database", b"SQLite format 3\x00" + b"\x01" * 80]
)
def test_info_on_a_bad_file_is_one_line_and_changes_nothing(cli, tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    result = cli("--db", str(bad), "info")
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("crisisdesk: ")
    assert bad.read_bytes() == content


def test_info_on_a_missing_workspace_does_not_create_it(cli, tmp_path):
    result = cli("--db", str(tmp_path / "none.db"), "info")
    assert result.code == 1 and "no workspace" in result.err
    assert not (tmp_path / "none.db").exists()


def test_backup_and_restore_commands(cli, tmp_path, copy_cli_demo):
    db = copy_cli_demo(tmp_path / "d.db")
    assert cli("--db", str(db), "backup", "-o", str(tmp_path / "b.db")).code == 0
    restored = tmp_path / "r.db"
    result = cli("--db", str(restored), "restore", str(tmp_path / "b.db"))
    assert result.code == 0, result.err
    refused = cli("--db", str(restored), "restore", str(tmp_path / "b.db"))
    assert refused.code == 1 and "--force" in refused.err
    info = json.loads(cli("--db", str(restored), "info", "--json").out)
    assert info["business"] == "Hearth & Crumb"


def test_screenshot_rejects_unknown_page(cli, tmp_path):
    result = cli("--db", str(tmp_path / "x.db"), "screenshot", "--page", "nope", "-o", "x.png")
    assert result.code == 1 and "Unknown page" in result.err

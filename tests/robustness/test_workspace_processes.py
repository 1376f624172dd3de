"""No row reported saved is ever missing, whatever a second process does to the workspace:
a command run beside the window, a restore, two restores or two backups at once, a second
writer while an import runs. Real processes throughout: the process is the point (only the
backups the tests start from are made in this process).
"""

from __future__ import annotations

import csv
import sqlite3
import time
from pathlib import Path

import pytest

from app.business.model import BusinessProfile
from app.store import open_store
from tests.conftest import run_cli
from tests.robustness.processes import (
    WindowProcess,
    count_rows,
    crisisdesk,
    start_crisisdesk,
)


@pytest.fixture
def workspace(tmp_path) -> Path:
    db = tmp_path / "workspace.db"
    open_store(db).close()
    return db


def _backup_with_mentions(tmp_path: Path, name: str, n: int) -> Path:
    db = tmp_path / f"{name}-source.db"
    with open_store(db) as store:
        from datetime import UTC, datetime

        from app.mentions.model import NewMention

        store.mentions.add_many(
            NewMention(
                source=name,
                text=f"{name} {i}",
                external_id=str(i),
                posted_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
            for i in range(n)
        )
    backup = tmp_path / f"{name}.backup.db"
    made = run_cli("--db", db, "backup", "-o", backup)  # setting up: in this process
    assert made.code == 0, made.err
    return backup


def test_a_command_beside_the_window_never_deletes_its_log(workspace):
    """The reproduction from the issue: the window opens a second store for a worker, a
    command runs from another process, the window goes on writing, then crashes. Every row
    it reported saved must be in the file."""
    window = WindowProcess(workspace)
    assert window.ask("add 5") == "saved 5"
    assert window.ask("worker") == "worker done"
    info = crisisdesk("--db", workspace, "info", "--json")
    assert info.returncode == 0, info.stderr
    assert window.ask("add 20") == "saved 25"
    assert workspace.with_name(workspace.name + "-wal").exists()
    window.kill()
    assert count_rows(workspace) == 25


def test_restore_refuses_while_the_window_has_the_workspace_open(workspace, tmp_path):
    backup = _backup_with_mentions(tmp_path, "old", 3)
    window = WindowProcess(workspace)
    assert window.ask("add 40") == "saved 40"
    refused = crisisdesk("--db", workspace, "restore", "--force", backup)
    assert refused.returncode == 1
    assert "close Crisis Desk" in refused.stderr
    assert window.ask("add 10") == "saved 50"
    window.kill()
    assert count_rows(workspace) == 50
    assert not list(tmp_path.glob("*.before-restore-*"))


def _mentions_csv(path: Path, n: int, prefix: str = "m") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "author", "text", "date"])
        for i in range(n):
            writer.writerow(
                [f"{prefix}{i}", f"user{i % 97}", f"the cake was fine {i}", "2026-11-20T09:00:00Z"]
            )
    return path


def test_restore_refuses_while_an_import_runs_and_the_import_keeps_every_row(workspace, tmp_path):
    backup = _backup_with_mentions(tmp_path, "old", 3)
    source = _mentions_csv(tmp_path / "big.csv", 60_000)
    importing = start_crisisdesk("--db", workspace, "import", "mentions", source, "--json")
    deadline = time.monotonic() + 60
    # Wait until the import holds the workspace (its lock file appears when it opens it).
    while not workspace.with_name(workspace.name + "-wal").exists():
        assert time.monotonic() < deadline and importing.poll() is None
        time.sleep(0.02)
    refused = crisisdesk("--db", workspace, "restore", "--force", backup)
    out, err = importing.communicate(timeout=180)
    assert importing.returncode == 0, err
    assert refused.returncode == 1 and "close Crisis Desk" in refused.stderr
    assert count_rows(workspace) == 60_000


def test_two_restores_at_once_keep_every_safety_copy(workspace, tmp_path):
    with open_store(workspace) as store:
        store.business.save(BusinessProfile(name="Before both"))
    first = _backup_with_mentions(tmp_path, "first", 2)
    second = _backup_with_mentions(tmp_path, "second", 3)
    runs = [
        start_crisisdesk("--db", workspace, "restore", "--force", backup)
        for backup in (first, second)
    ]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    succeeded = [r for r in results if r[0] == 0]
    for code, _out, err in results:
        assert code == 0 or "close Crisis Desk" in err, err
    assert succeeded
    copies = sorted(tmp_path.glob("workspace.before-restore-*.db"))
    assert len(copies) == len(succeeded)  # no safety copy overwrote another
    names = [
        sqlite3.connect(copy).execute("SELECT name FROM business").fetchone() for copy in copies
    ]
    assert ("Before both",) in names  # the workspace as it was before either restore
    assert count_rows(workspace) in (2, 3)
    assert not list(tmp_path.glob(".*partial*"))


def test_two_backups_to_one_file_at_once_both_succeed(workspace, tmp_path):
    window = WindowProcess(workspace)
    window.ask("add 30")
    target = tmp_path / "backup.db"
    runs = [start_crisisdesk("--db", workspace, "backup", "--force", "-o", target) for _ in "ab"]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    window.quit()
    assert count_rows(target) == 30
    assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not list(tmp_path.glob(".*partial*"))


@pytest.mark.parametrize(
    "second",
    [
        ("import", "contacts", "CONTACTS"),
        ("sources", "add", "rss", "--name", "Feed", "--url", "https://example.org/f.xml"),
        ("sources", "pause"),
        ("import", "mentions", "SMALL"),
    ],
    ids=["contacts-import", "sources-add", "sources-pause", "second-import"],
)
def test_a_second_writer_waits_for_an_import_and_both_land(workspace, tmp_path, second):
    contacts = tmp_path / "people.csv"
    contacts.write_text("Name,Email\nAna Ruiz,ana@example.org\n", encoding="utf-8")
    small = _mentions_csv(tmp_path / "small.csv", 10, prefix="s")
    big = _mentions_csv(tmp_path / "big.csv", 60_000)
    importing = start_crisisdesk("--db", workspace, "import", "mentions", big, "--no-sentiment")
    time.sleep(0.8)  # the import is writing its one long transaction now
    argv = [str(contacts) if a == "CONTACTS" else str(small) if a == "SMALL" else a for a in second]
    other = crisisdesk("--db", workspace, *argv)
    _out, err = importing.communicate(timeout=180)
    assert importing.returncode == 0, err
    assert other.returncode == 0, other.stderr
    assert "Traceback" not in other.stderr
    expected = 60_010 if second[1] == "mentions" else 60_000
    assert count_rows(workspace) == expected


def test_restore_refuses_a_backup_with_a_trigger_we_did_not_make(workspace, tmp_path, cli):
    """A crafted backup whose trigger rewrote every contact's email on the next import."""
    backup = _backup_with_mentions(tmp_path, "crafted", 1)
    conn = sqlite3.connect(backup)
    conn.execute(
        "CREATE TRIGGER steal AFTER INSERT ON contacts BEGIN "
        "UPDATE contacts SET email = 'attacker@example.net'; END"
    )
    conn.commit()
    conn.close()
    before = workspace.read_bytes()
    result = cli("--db", workspace, "restore", "--force", backup)
    assert result.code == 1
    assert "trigger 'steal'" in result.err
    assert workspace.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))

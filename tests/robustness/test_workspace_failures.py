"""A workspace that is intact but cannot be used right now is never called damaged: a full
disk, a read-only folder, a file another program holds exclusively each get their own true
sentence, and only real damage says "restore it from a backup".
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.store import open_store
from tests.robustness.processes import crisisdesk, environment


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MB disk (tmpfs), where this machine allows mounting one (CI runs as root)."""
    folder = tmp_path / "small-disk"
    if not _mount_tmpfs(folder, "4m"):
        pytest.skip("cannot mount a tmpfs here; the simulated full-disk tests still run")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:  # nothing left to flush on close
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _mentions_file(path: Path, rows: int = 50) -> Path:
    lines = ["id,author,text,date"] + [
        f"{i},someone,the cake is off today {i},2026-11-20T09:00:00Z" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_full_disk_says_the_disk_is_full_and_nothing_is_called_damaged(small_disk, tmp_path):
    db = small_disk / "workspace.db"
    open_store(db).close()
    filler = _fill(small_disk)
    info = crisisdesk("--db", db, "info", "--json")
    # Opening needs a little room for SQLite's shared-memory file; either it works or it says so.
    assert info.returncode == 0 or "disk is full" in info.stderr, info.stderr
    assert "damaged" not in info.stderr
    imported = crisisdesk("--db", db, "import", "mentions", _mentions_file(tmp_path / "m.csv"))
    backup = crisisdesk("--db", db, "backup", "-o", small_disk / "backup.db")
    for failed in (imported, backup):
        assert failed.returncode == 1
        assert "disk is full" in failed.stderr, failed.stderr
        assert "damaged" not in failed.stderr and "Traceback" not in failed.stderr
    assert not (small_disk / "backup.db").exists()
    assert not [p for p in small_disk.iterdir() if p.name.startswith(".")]  # no temporaries
    filler.unlink()
    again = crisisdesk("--db", db, "import", "mentions", tmp_path / "m.csv", "--no-sentiment")
    assert again.returncode == 0, again.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM mentions").fetchone() == (50,)


def test_a_workspace_that_cannot_grow_says_the_disk_is_full(tmp_path, cli, monkeypatch):
    """The same, simulated at SQLite's own write call (its page limit gives SQLITE_FULL), so
    it runs on machines that cannot mount a small disk."""
    import app.db

    db = tmp_path / "workspace.db"
    open_store(db).close()
    real_connect = app.db.connect

    def cramped(path, **kwargs):
        conn = real_connect(path, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(app.db, "connect", cramped)
    monkeypatch.setattr("app.store.connect", cramped)
    result = cli("--db", db, "import", "mentions", _mentions_file(tmp_path / "m.csv", 3000))
    assert result.code == 1
    assert "disk is full" in result.err and "damaged" not in result.err


def test_a_backup_that_hits_a_full_disk_at_the_rename_leaves_nothing(tmp_path, cli, monkeypatch):
    db = tmp_path / "workspace.db"
    open_store(db).close()

    def no_room(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("app.backup.os.replace", no_room)
    result = cli("--db", db, "backup", "-o", tmp_path / "b.db")
    assert result.code == 1 and "disk is full" in result.err
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("workspace.db")] == []


def test_a_read_only_folder_is_not_called_damaged(small_disk):
    db = small_disk / "workspace.db"
    open_store(db).close()
    before = db.read_bytes()
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True
    )
    if remount.returncode != 0:
        pytest.skip(f"cannot remount read-only here: {remount.stderr.strip()}")
    for argv in (("info",), ("sources", "pause")):
        result = crisisdesk("--db", db, *argv)
        assert result.returncode == 1, result.stdout
        assert "damaged" not in result.stderr and "Traceback" not in result.stderr
        assert "read-only" in result.stderr or "not writable" in result.stderr, result.stderr
    assert db.read_bytes() == before


HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE settings SET value = value")
    print("holding", flush=True)
    time.sleep(60)
    """
)


def test_a_file_another_program_holds_exclusively_is_busy_not_damaged(tmp_path):
    db = tmp_path / "workspace.db"
    with open_store(db) as store:
        store.settings.set("x", "1")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdout=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = crisisdesk("--db", db, "info")
        assert result.returncode == 1
        assert "busy" in result.stderr and "damaged" not in result.stderr, result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_real_damage_still_says_restore_from_a_backup(tmp_path, cli):
    db = tmp_path / "workspace.db"
    open_store(db).close()
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * 3996  # scribble over the schema on the first page
    db.write_bytes(bytes(data))
    result = cli("--db", db, "info")
    assert result.code == 1
    assert "damaged" in result.err and "backup" in result.err

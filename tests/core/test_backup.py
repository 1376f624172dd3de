"""Backup and restore: identical rows, safe under a concurrent writer, checked before use."""

import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from app.backup import backup_workspace, restore_workspace
from app.business.model import BusinessProfile
from app.store import WorkspaceError, open_store


def rows(path):
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name != '_sqlite_migrations'"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }


def test_backup_then_restore_gives_identical_rows(tmp_path):
    source = tmp_path / "live.db"
    with open_store(source) as store:
        store.business.save(BusinessProfile(name="Hearth & Crumb"))
        for i in range(50):
            store.settings.set(f"key{i}", f"value {i}")
    backup_workspace(source, tmp_path / "copy.db")
    restore_workspace(tmp_path / "copy.db", tmp_path / "restored.db")
    assert rows(tmp_path / "restored.db") == rows(source)
    with open_store(tmp_path / "restored.db") as restored:
        assert restored.business.get().name == "Hearth & Crumb"


def test_backup_is_consistent_while_another_process_writes(tmp_path):
    source = tmp_path / "live.db"
    open_store(source).close()
    # The writer adds 10 rows per transaction; a consistent snapshot holds a multiple of 10.
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                from app.store import open_store
                with open_store({str(source)!r}) as store:
                    for batch in range(400):
                        with store.db.atomic():
                            for i in range(10):
                                store.db["settings"].insert(
                                    {{"key": f"{{batch}}-{{i}}", "value": "x" * 200}}
                                )
                """
            ),
        ]
    )
    try:
        while writer.poll() is None and not source.with_name("live.db-wal").exists():
            time.sleep(0.01)
        counts = []
        for attempt in range(3):
            copy = tmp_path / f"copy{attempt}.db"
            backup_workspace(source, copy)
            restored = tmp_path / f"restored{attempt}.db"
            restore_workspace(copy, restored)
            with sqlite3.connect(restored) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                counts.append(conn.execute("SELECT count(*) FROM settings").fetchone()[0])
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert all(count % 10 == 0 for count in counts), counts
    final = tmp_path / "final.db"
    backup_workspace(source, final)
    assert rows(final) == rows(source)


def test_restore_refuses_to_overwrite_without_force_and_keeps_a_safety_copy(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with open_store(a) as store:
        store.business.save(BusinessProfile(name="A"))
    with open_store(b) as store:
        store.business.save(BusinessProfile(name="B"))
    backup_workspace(a, tmp_path / "a-backup.db")
    with pytest.raises(WorkspaceError, match="--force"):
        restore_workspace(tmp_path / "a-backup.db", b)
    with open_store(b) as store:
        assert store.business.get().name == "B"
    safety = restore_workspace(tmp_path / "a-backup.db", b, force=True)
    with open_store(b) as store:
        assert store.business.get().name == "A"
    with open_store(safety) as store:
        assert store.business.get().name == "B"


def test_restore_refuses_a_damaged_backup_and_leaves_the_target(tmp_path):
    target = tmp_path / "target.db"
    with open_store(target) as store:
        store.business.save(BusinessProfile(name="Kept"))
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(WorkspaceError, match="damaged"):
        restore_workspace(broken, target, force=True)
    with open_store(target) as store:
        assert store.business.get().name == "Kept"
    assert not list(tmp_path.glob(".*partial*"))


def test_backup_refuses_to_overwrite_and_needs_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="no workspace"):
        backup_workspace(tmp_path / "missing.db", tmp_path / "out.db")
    open_store(tmp_path / "w.db").close()
    (tmp_path / "out.db").write_text("keep me")
    with pytest.raises(WorkspaceError, match="already exists"):
        backup_workspace(tmp_path / "w.db", tmp_path / "out.db")
    assert (tmp_path / "out.db").read_text() == "keep me"

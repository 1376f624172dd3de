"""The workspace store: migrations, pragmas, file mode, and refusing files it must not touch."""

import hashlib
import os
import sqlite3
import stat

import pytest

from app.business.model import BusinessProfile
from app.migrations import APPLICATION_ID, MIGRATION_NAMES, latest_version
from app.store import WorkspaceError, inspect_workspace, open_store


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema(path):
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=str)


def test_new_workspace_reaches_latest_schema(db_path):
    with open_store(db_path) as store:
        assert store.schema_version == latest_version() == len(MIGRATION_NAMES)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert store.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_empty_file_is_migrated_and_a_second_run_changes_nothing(db_path):
    db_path.write_bytes(b"")
    open_store(db_path).close()
    first = schema(db_path)
    with sqlite3.connect(db_path) as conn:
        applied_before = conn.execute("SELECT name, applied_at FROM _sqlite_migrations").fetchall()
    open_store(db_path).close()
    assert schema(db_path) == first
    with sqlite3.connect(db_path) as conn:
        applied_after = conn.execute("SELECT name, applied_at FROM _sqlite_migrations").fetchall()
    assert applied_after == applied_before
    assert [name for name, _ in applied_after] == MIGRATION_NAMES


def _other_programs_database(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO recipes (name) VALUES ('sourdough')")


def _text_file(path):
    path.write_text("name,email\nAda,ada@example.com\n")


def _truncated_workspace(path):
    with open_store(path) as store:
        store.db["settings"].insert_all({"key": f"k{i}", "value": "x" * 500} for i in range(200))
    data = path.read_bytes()
    for sidecar in ("-wal", "-shm"):
        (path.parent / (path.name + sidecar)).unlink(missing_ok=True)
    path.write_bytes(data[: len(data) // 2])


def _newer_workspace(path):
    with open_store(path) as store:
        store.db["_sqlite_migrations"].insert(
            {"migration_set": "crisisdesk", "name": "9999_from_the_future", "applied_at": "x"}
        )
        store.db.execute("PRAGMA user_version = 9999")
    for sidecar in ("-wal", "-shm"):
        (path.parent / (path.name + sidecar)).unlink(missing_ok=True)


@pytest.mark.parametrize(
    "make_file, words",
    [
        (_other_programs_database, "another program"),
        (_text_file, "not a Crisis Desk workspace"),
        (_truncated_workspace, "damaged"),
        (_newer_workspace, "newer version"),
    ],
    ids=["non-workspace-sqlite", "text-file", "truncated", "newer-version"],
)
def test_files_that_are_not_usable_are_refused_and_left_byte_identical(db_path, make_file, words):
    make_file(db_path)
    before = digest(db_path)
    with pytest.raises(WorkspaceError) as error:
        open_store(db_path)
    message = str(error.value)
    assert words in message and "\n" not in message
    assert digest(db_path) == before


def test_read_only_workspace_is_refused_and_untouched(db_path):
    open_store(db_path).close()
    before = digest(db_path)
    os.chmod(db_path, 0o400)
    try:
        with pytest.raises(WorkspaceError, match="read-only"):
            open_store(db_path)
    finally:
        os.chmod(db_path, 0o600)
    assert digest(db_path) == before


def test_directory_is_refused(tmp_path):
    with pytest.raises(WorkspaceError, match="folder"):
        inspect_workspace(tmp_path)


def test_business_profile_round_trip(store):
    assert store.business.get() is None
    store.business.save(BusinessProfile(name="  Hearth & Crumb ", locations="A\n\nB\n"))
    saved = store.business.get()
    assert saved.name == "Hearth & Crumb"
    assert saved.location_list() == ["A", "B"]
    with pytest.raises(ValueError, match="needs a name"):
        store.business.save(BusinessProfile(name="   "))


def test_counts_list_user_tables(store):
    store.settings.set("a", "1")
    counts = store.counts()
    assert counts["settings"] == 1 and counts["business"] == 0
    assert not any(name.startswith("_") for name in counts)

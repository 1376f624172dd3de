"""The schema our migrations make, and nothing else: a restored file with an extra trigger,
view or table could change data behind the owner's back."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from app.migrations.registry import MIGRATIONS

_SCHEMA_QUERY = (
    "SELECT type, name, tbl_name, sql FROM sqlite_master "
    "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
)
_expected_schema: dict[tuple[str, str], str] | None = None


def _schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {
        (kind, name): " ".join((sql or "").split())
        for kind, name, _table, sql in conn.execute(_SCHEMA_QUERY)
    }


def expected_schema() -> dict[tuple[str, str], str]:
    """Every table, index, trigger and view the migrations make, built once in memory."""
    global _expected_schema
    if _expected_schema is None:
        fresh = Database(memory=True)
        MIGRATIONS.apply(fresh)
        _expected_schema = _schema_of(fresh.conn)
        fresh.close()
    return _expected_schema


def foreign_schema_objects(conn: sqlite3.Connection) -> list[str]:
    """What a (migrated) workspace holds that our migrations did not make, or made otherwise:
    a restored file with an extra trigger could rewrite data on the next import."""
    found = _schema_of(conn)
    expected = expected_schema()
    problems = [
        f"a {kind} '{name}' that Crisis Desk did not make"
        for (kind, name), sql in sorted(found.items())
        if (kind, name) not in expected or expected[(kind, name)] != sql
    ]
    problems += [
        f"no {kind} '{name}'" for (kind, name) in sorted(expected) if (kind, name) not in found
    ]
    return problems

"""The register of migrations, in the order they run, and what each migration may use."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

APPLICATION_ID = 0x43444B31
MIGRATION_SET = "crisisdesk"

MIGRATIONS = Migrations(MIGRATION_SET)
MIGRATION_NAMES: list[str] = []


def _run_statements(db: Database, script: str) -> None:
    """Run a script statement by statement: `executescript` would commit the migration's
    transaction half-way, so a failure could leave half a schema behind."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def migration(name: str):
    """Register a migration under a stable numbered name, keeping our own ordered list."""

    def register(fn):
        MIGRATION_NAMES.append(name)
        return MIGRATIONS(name=name)(fn)

    return register

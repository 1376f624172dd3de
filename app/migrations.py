"""The workspace schema, as numbered, named migrations: the only place the schema is defined.

Each function runs once per workspace, in a transaction with the record that it ran
(`sqlite_utils.Migrations`). Never edit a migration that has shipped; add the next one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

# Marks a SQLite file as a Crisis Desk workspace ("CDK1"), in the file header.
APPLICATION_ID = 0x43444B31
MIGRATION_SET = "crisisdesk"

MIGRATIONS = Migrations(MIGRATION_SET)
MIGRATION_NAMES: list[str] = []


def migration(name: str):
    """Register a migration under a stable numbered name, keeping our own ordered list."""

    def register(fn):
        MIGRATION_NAMES.append(name)
        return MIGRATIONS(name=name)(fn)

    return register


@migration("0001_workspace")
def m0001_workspace(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["business"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "locations": str,
            "website": str,
            "phone": str,
            "email": str,
            "timezone": str,
            "about": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name"},
        defaults={
            "kind": "",
            "locations": "",
            "website": "",
            "phone": "",
            "email": "",
            "timezone": "",
            "about": "",
        },
    )


def latest_version() -> int:
    return len(MIGRATION_NAMES)

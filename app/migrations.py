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


@migration("0005_sources")
def m0005_sources(db: Database) -> None:
    db["sources"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "query": str,
            "base_url": str,
            "options": str,  # JSON: kind-specific settings, never a secret
            "secret_ref": str,  # the keyring entry's name, not the secret
            "interval_minutes": int,
            "enabled": int,
            "cursor": str,  # JSON, moved only in the transaction that stores the rows
            "created_at": str,
            "last_pull_at": str,
            "last_success_at": str,
            "last_error": str,
            "items_pulled": int,
            "last_new": int,
            "failures": int,
            "next_pull_at": str,
            "rate_text": str,
            "claimed_until": str,  # one pull of a source at a time, across processes
        },
        pk="id",
        not_null={"name", "kind"},
        defaults={
            "query": "",
            "base_url": "",
            "options": "{}",
            "secret_ref": "",
            "interval_minutes": 15,
            "enabled": 1,
            "cursor": "{}",
            "last_error": "",
            "items_pulled": 0,
            "last_new": 0,
            "failures": 0,
            "rate_text": "",
        },
    )
    db["sources"].create_index(["name"], unique=True)

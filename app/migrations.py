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


@migration("0002_plan")
def m0002_plan(db: Database) -> None:
    # One row per saved version of the plan: the whole plan as one JSON document, so a
    # revision can be shown, compared and restored without reassembling rows.
    db["plan_revisions"].create(
        {"id": int, "created_at": str, "author": str, "summary": str, "document": str},
        pk="id",
        not_null={"created_at", "document"},
        defaults={"author": "", "summary": ""},
    )


@migration("0003_contacts")
def m0003_contacts(db: Database) -> None:
    db["contacts"].create(
        {
            "id": int,
            "name": str,
            "kind": str,  # internal | external
            "role": str,
            "organisation": str,
            "phones": str,  # JSON [[label, number], ...]
            "emails": str,  # JSON [address, ...]
            "social": str,  # JSON [handle, ...]
            "groups": str,  # JSON [group name, ...]
            "availability": str,
            "timezone": str,
            "notes": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name"},
        defaults={
            "kind": "internal",
            "role": "",
            "organisation": "",
            "phones": "[]",
            "emails": "[]",
            "social": "[]",
            "groups": "[]",
            "availability": "",
            "timezone": "",
            "notes": "",
        },
    )
    db["contacts"].create_index(["name"])
    # Who calls whom when a level of the escalation ladder fires; caller NULL = called first.
    db.execute(
        """
        CREATE TABLE call_tree (
            id INTEGER PRIMARY KEY,
            level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
            caller_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            callee_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (level, callee_id)
        )
        """
    )
    db["call_tree"].create_index(["level", "position"])


def latest_version() -> int:
    return len(MIGRATION_NAMES)

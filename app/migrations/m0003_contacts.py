"""Migration 0003_contacts. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import migration


@migration("0003_contacts")
def m0003_contacts(db: Database) -> None:
    db.table("contacts").create(
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
    db.table("contacts").create_index(["name"])
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
    db.table("call_tree").create_index(["level", "position"])

"""Migration 0001_workspace. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import APPLICATION_ID, migration


@migration("0001_workspace")
def m0001_workspace(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("business").create(
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

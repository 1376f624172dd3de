"""Migration 0002_plan. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import migration


@migration("0002_plan")
def m0002_plan(db: Database) -> None:
    # One row per saved version of the plan: the whole plan as one JSON document, so a
    # revision can be shown, compared and restored without reassembling rows.
    db.table("plan_revisions").create(
        {"id": int, "created_at": str, "author": str, "summary": str, "document": str},
        pk="id",
        not_null={"created_at", "document"},
        defaults={"author": "", "summary": ""},
    )

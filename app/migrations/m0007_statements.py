"""Migration 0007_statements. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import migration


@migration("0007_statements")
def m0007_statements(db: Database) -> None:
    db.table("statements").create(
        {
            "id": int,
            "incident_id": int,
            "title": str,
            "stage": str,  # holding, apology, update, resolution, faq, memo
            "status": str,  # draft, review, approved, published
            "body": str,  # the saved Markdown; versions keep every earlier one
            "version": int,
            "variants": str,  # JSON: channel -> the owner's own text for it
            "checklist": str,  # JSON: item -> when it was ticked
            "dismissed": str,  # JSON: checker finding -> the reason it was dismissed
            "approved_by": str,
            "approved_role": str,
            "approved_at": str,
            "approved_version": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"title", "stage", "status"},
        foreign_keys=[("incident_id", "incidents", "id")],
    )
    db.table("statement_versions").create(
        {"id": int, "statement_id": int, "number": int, "body": str, "saved_at": str, "note": str},
        pk="id",
        foreign_keys=[("statement_id", "statements", "id")],
    )
    db.table("statement_versions").create_index(["statement_id", "number"], unique=True)
    db.table("statement_autosave").create(
        {"statement_id": int, "body": str, "saved_at": str},
        pk="statement_id",
        foreign_keys=[("statement_id", "statements", "id")],
    )
    db.table("statement_publications").create(
        {
            "id": int,
            "statement_id": int,
            "channel": str,
            "url": str,
            "published_at": str,
            "version": int,
        },
        pk="id",
        foreign_keys=[("statement_id", "statements", "id")],
    )

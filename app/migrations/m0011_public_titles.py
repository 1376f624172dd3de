"""Migration 0011_public_titles: the headline customers read on the landing page, apart from
the incident's own title (which is for the owner and the team: "Customers ill after the
custard tarts (Riverside)"). Empty until the owner writes one. Shipped: never edit it."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import migration


@migration("0011_public_titles")
def m0011_public_titles(db: Database) -> None:
    db.table("incidents").add_column("public_title", str, not_null_default="")

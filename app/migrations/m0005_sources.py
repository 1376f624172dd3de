"""Migration 0005_sources. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import migration


@migration("0005_sources")
def m0005_sources(db: Database) -> None:
    db.table("sources").create(
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
    db.table("sources").create_index(["name"], unique=True)

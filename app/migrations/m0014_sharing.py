"""Migration 0014_sharing. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import _run_statements, migration


@migration("0014_sharing")
def m0014_sharing(db: Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE sync_clock (
            tbl TEXT NOT NULL,
            pk TEXT NOT NULL,
            at TEXT NOT NULL,
            device INTEGER NOT NULL,
            PRIMARY KEY (tbl, pk)
        );
        CREATE TABLE sync_applied (
            device INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            digest TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (device, seq)
        );
        CREATE TABLE sync_conflicts (
            id TEXT PRIMARY KEY,
            tbl TEXT NOT NULL,
            pk TEXT NOT NULL,
            kept_device INTEGER NOT NULL,
            kept_at TEXT NOT NULL,
            other_device INTEGER NOT NULL,
            other_at TEXT NOT NULL,
            other_values TEXT NOT NULL,
            resolved_at TEXT,
            resolved_by TEXT NOT NULL DEFAULT ''
        );
        ALTER TABLE plan_revisions ADD COLUMN based_on INTEGER;
        DROP INDEX idx_statement_versions_statement_id_number;
        CREATE INDEX idx_statement_versions_statement_id_number
            ON statement_versions (statement_id, number);
        """,
    )

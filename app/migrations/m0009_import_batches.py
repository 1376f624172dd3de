"""Migration 0009_import_batches. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import _run_statements, migration


@migration("0009_import_batches")
def m0009_import_batches(db: Database) -> None:
    """Every import and every pull that brought mentions is a batch, so a wrong one can be
    taken back out (undone, and the undo recorded on it); each mention knows its batch."""
    _run_statements(
        db,
        """
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            label TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            imported INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '[]',
            undone_at TEXT,
            undo_removed INTEGER NOT NULL DEFAULT 0,
            undo_kept TEXT NOT NULL DEFAULT '[]'
        );
        ALTER TABLE mentions ADD COLUMN batch_id INTEGER;
        CREATE INDEX mentions_batch ON mentions (batch_id) WHERE batch_id IS NOT NULL;
        """,
    )

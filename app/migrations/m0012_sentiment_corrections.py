"""Migration 0012_sentiment_corrections. Shipped: never edit it; add the next one.

The owner can correct a mention's sentiment. The correction is written to `sentiment` itself,
so the chart, the spike alarm and search use it with no join, and `sentiment_corrected_at`
marks it as the owner's: scoring never overwrites a corrected row.
"""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import _run_statements, migration


@migration("0012_sentiment_corrections")
def m0012_sentiment_corrections(db: Database) -> None:
    _run_statements(
        db,
        """
        ALTER TABLE mentions ADD COLUMN sentiment_corrected_at TEXT;
        CREATE INDEX mentions_corrected ON mentions (sentiment_corrected_at)
            WHERE sentiment_corrected_at IS NOT NULL;
        """,
    )

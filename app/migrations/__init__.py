"""The workspace schema, as numbered, named migrations: the only place the schema is defined.

Each migration is a module of its own (m0001_…, m0002_…) that runs once per workspace, in a
transaction with the record that it ran (`sqlite_utils.Migrations`). Never edit a migration that
has shipped: add the next module and import it below, last.
"""

from __future__ import annotations

# Importing each migration registers it; they run in this order.
from app.migrations import (  # noqa: F401
    m0001_workspace,
    m0002_plan,
    m0003_contacts,
    m0004_mentions,
    m0005_sources,
    m0006_incidents,
    m0007_statements,
    m0008_debriefs,
    m0009_import_batches,
    m0010_mention_marks,
    m0011_public_titles,
    m0012_sentiment_corrections,
    m0013_detection,
    m0014_sharing,
)
from app.migrations.registry import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS
from app.migrations.schema import expected_schema, foreign_schema_objects

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "MIGRATION_NAMES",
    "MIGRATION_SET",
    "expected_schema",
    "foreign_schema_objects",
    "latest_version",
]


def latest_version() -> int:
    return len(MIGRATION_NAMES)

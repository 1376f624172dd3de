"""The workspace schema, as numbered, named migrations: the only place the schema is defined.

Each function runs once per workspace, in a transaction with the record that it ran
(`sqlite_utils.Migrations`). Never edit a migration that has shipped; add the next one.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

# Marks a SQLite file as a Crisis Desk workspace ("CDK1"), in the file header.
APPLICATION_ID = 0x43444B31
MIGRATION_SET = "crisisdesk"

MIGRATIONS = Migrations(MIGRATION_SET)
MIGRATION_NAMES: list[str] = []


def _run_statements(db: Database, script: str) -> None:
    """Run a script statement by statement: `executescript` would commit the migration's
    transaction half-way, so a failure could leave half a schema behind."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def migration(name: str):
    """Register a migration under a stable numbered name, keeping our own ordered list."""

    def register(fn):
        MIGRATION_NAMES.append(name)
        return MIGRATIONS(name=name)(fn)

    return register


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


@migration("0004_mentions")
def m0004_mentions(db: Database) -> None:
    """The mention inbox: mentions with their full-text index, evidence, saved searches,
    remembered import mappings and recorded spikes."""
    _run_statements(
        db,
        """
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            external_id TEXT NOT NULL DEFAULT '',
            dedupe_key TEXT NOT NULL,
            author_name TEXT NOT NULL DEFAULT '',
            author_handle TEXT NOT NULL DEFAULT '',
            author_followers INTEGER,
            text TEXT NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT '',
            posted_at TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            raw TEXT,
            sentiment TEXT,
            sentiment_score REAL,
            status TEXT NOT NULL DEFAULT 'new',
            status_reason TEXT NOT NULL DEFAULT '',
            assignee TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '',
            severity INTEGER,
            incident_id INTEGER,
            reply_draft TEXT NOT NULL DEFAULT '',
            updated_at TEXT
        );
        CREATE UNIQUE INDEX mentions_dedupe ON mentions (source, dedupe_key);
        CREATE INDEX mentions_posted ON mentions (posted_at, sentiment);
        CREATE INDEX mentions_status ON mentions (status);
        CREATE INDEX mentions_handle ON mentions (author_handle COLLATE NOCASE);
        CREATE INDEX mentions_author ON mentions (author_name COLLATE NOCASE);
        CREATE INDEX mentions_unscored ON mentions (id) WHERE sentiment IS NULL;
        CREATE VIRTUAL TABLE mentions_fts USING fts5 (
            text, author_name, author_handle,
            content='mentions', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER mentions_fts_insert AFTER INSERT ON mentions BEGIN
            INSERT INTO mentions_fts (rowid, text, author_name, author_handle)
            VALUES (new.id, new.text, new.author_name, new.author_handle);
        END;
        CREATE TRIGGER mentions_fts_delete AFTER DELETE ON mentions BEGIN
            INSERT INTO mentions_fts (mentions_fts, rowid, text, author_name, author_handle)
            VALUES ('delete', old.id, old.text, old.author_name, old.author_handle);
        END;
        CREATE TRIGGER mentions_fts_update AFTER UPDATE OF text, author_name, author_handle
        ON mentions BEGIN
            INSERT INTO mentions_fts (mentions_fts, rowid, text, author_name, author_handle)
            VALUES ('delete', old.id, old.text, old.author_name, old.author_handle);
            INSERT INTO mentions_fts (rowid, text, author_name, author_handle)
            VALUES (new.id, new.text, new.author_name, new.author_handle);
        END;
        CREATE TABLE _mention_total (id INTEGER PRIMARY KEY CHECK (id = 1), total INTEGER NOT NULL);
        INSERT INTO _mention_total (id, total) VALUES (1, 0);
        CREATE TRIGGER mentions_count_insert AFTER INSERT ON mentions BEGIN
            UPDATE _mention_total SET total = total + 1 WHERE id = 1;
        END;
        CREATE TRIGGER mentions_count_delete AFTER DELETE ON mentions BEGIN
            UPDATE _mention_total SET total = total - 1 WHERE id = 1;
        END;
        CREATE TABLE mention_evidence (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions (id),
            filename TEXT NOT NULL,
            media_type TEXT NOT NULL DEFAULT '',
            content BLOB NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL
        );
        CREATE INDEX mention_evidence_mention ON mention_evidence (mention_id);
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            query TEXT NOT NULL,
            last_seen_id INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE import_mappings (
            signature TEXT PRIMARY KEY,
            mapping TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE spikes (
            id INTEGER PRIMARY KEY,
            hour_start TEXT NOT NULL,
            hour_end TEXT NOT NULL,
            peak_hour TEXT NOT NULL,
            count INTEGER NOT NULL,
            expected REAL NOT NULL,
            negative INTEGER NOT NULL DEFAULT 0,
            kind TEXT NOT NULL,
            sensitivity TEXT NOT NULL,
            status TEXT NOT NULL,
            incident_id INTEGER,
            created_at TEXT NOT NULL,
            UNIQUE (hour_start, kind)
        );
        """,
    )


def latest_version() -> int:
    return len(MIGRATION_NAMES)


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


@migration("0006_incidents")
def m0006_incidents(db: Database) -> None:
    db.table("incidents").create(
        {
            "id": int,
            "title": str,
            "crisis_type": str,  # a playbook of the plan, by its key
            "status": str,  # investigating, identified, monitoring, resolved, closed
            "level": int,  # 1 Watch .. 4 Critical, from the plan's escalation ladder
            "origin": str,  # manual, spike, mentions
            "declared_at": str,
            "resolved_at": str,
            "closed_at": str,
            "next_update_due_at": str,
            "last_update_at": str,
            "assessment": str,  # JSON: the assessment sheet
            "impact": int,  # severity matrix row (1-4)
            "reach": int,  # severity matrix column (1-4)
        },
        pk="id",
        not_null={"title", "status", "level", "declared_at"},
        defaults={
            "crisis_type": "",
            "origin": "manual",
            "assessment": "{}",
            "impact": 0,
            "reach": 0,
        },
    )
    db.table("incident_events").create(
        {
            "id": int,
            "incident_id": int,
            "at": str,
            "kind": str,
            "text": str,
            "data": str,  # JSON details (old and new level, who was reached…)
            "original_at": str,  # set when a debrief corrects the time; the original is kept
            "key_moment": int,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={"data": "{}", "key_moment": 0},
    )
    db.table("incident_events").create_index(["incident_id", "at"])
    db.table("incident_people").create(
        {
            "id": int,
            "incident_id": int,
            "name": str,
            "role": str,
            "contact_id": int,  # the plan's contact, when there is one
            "phone": str,
            "email": str,
            "level": int,
            "due_at": str,  # reach them by, from the ladder's "how fast"
            "reached_at": str,
            "how": str,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={"role": "", "phone": "", "email": "", "how": ""},
    )
    db.table("incident_checklist").create(
        {
            "id": int,
            "incident_id": int,
            "list": str,  # first-hour, channels
            "position": int,
            "text": str,
            "done_at": str,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
    )
    db.table("incident_tasks").create(
        {
            "id": int,
            "incident_id": int,
            "kind": str,  # task (firefighting) or corrective (fix the root cause)
            "title": str,
            "owner": str,
            "due_at": str,
            "done_at": str,
            "created_at": str,
            "notes": str,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={"kind": "task", "owner": "", "notes": ""},
    )


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


@migration("0008_debriefs")
def m0008_debriefs(db: Database) -> None:
    db.table("debriefs").create(
        {
            "id": int,
            "incident_id": int,
            "status": str,  # draft, complete
            "step": int,  # the wizard page to resume on
            "summary": str,
            "went_well": str,  # JSON list of short items
            "went_badly": str,  # JSON list
            "root_cause": str,
            "lessons": str,  # JSON list of {text, change, accepted, revision_id}
            "created_at": str,
            "updated_at": str,
            "completed_at": str,
        },
        pk="id",
        not_null={"incident_id", "status"},
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={
            "step": 0,
            "summary": "",
            "went_well": "[]",
            "went_badly": "[]",
            "root_cause": "",
            "lessons": "[]",
        },
    )
    db.table("debriefs").create_index(["incident_id"], unique=True)
    # A debrief may annotate a timeline event; corrected times keep the original in original_at.
    db.table("incident_events").add_column("annotation", str)
    # A plan revision made from a debrief's accepted lessons points back to it.
    db.table("plan_revisions").add_column("debrief_id", int)


# --- the schema our migrations make, and nothing else -----------------------------------

_SCHEMA_QUERY = (
    "SELECT type, name, tbl_name, sql FROM sqlite_master "
    "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
)
_expected_schema: dict[tuple[str, str], str] | None = None


def _schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {
        (kind, name): " ".join((sql or "").split())
        for kind, name, _table, sql in conn.execute(_SCHEMA_QUERY)
    }


def expected_schema() -> dict[tuple[str, str], str]:
    """Every table, index, trigger and view the migrations make, built once in memory."""
    global _expected_schema
    if _expected_schema is None:
        fresh = Database(memory=True)
        MIGRATIONS.apply(fresh)
        _expected_schema = _schema_of(fresh.conn)
        fresh.close()
    return _expected_schema


def foreign_schema_objects(conn: sqlite3.Connection) -> list[str]:
    """What a (migrated) workspace holds that our migrations did not make, or made otherwise:
    a restored file with an extra trigger could rewrite data on the next import."""
    found = _schema_of(conn)
    expected = expected_schema()
    problems = [
        f"a {kind} '{name}' that Crisis Desk did not make"
        for (kind, name), sql in sorted(found.items())
        if (kind, name) not in expected or expected[(kind, name)] != sql
    ]
    problems += [
        f"no {kind} '{name}'" for (kind, name) in sorted(expected) if (kind, name) not in found
    ]
    return problems

"""Migration 0004_mentions. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import _run_statements, migration


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

"""Migration 0013_detection. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import _run_statements, migration


@migration("0013_detection")
def m0013_detection(db: Database) -> None:
    """Detection that explains itself: the live alarm's episodes (one per spike, with its
    all-clear), the alerts it raised (spikes, all-clears, watch and reach alerts), the hourly
    baselines it learned, its own small state; and watch queries that alert, with a cooldown."""
    _run_statements(
        db,
        """
        CREATE TABLE detection_episodes (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            alerted_at TEXT NOT NULL,
            ended_at TEXT,
            all_clear_at TEXT,
            evaluated_until TEXT NOT NULL,
            sensitivity TEXT NOT NULL,
            window_minutes INTEGER NOT NULL,
            alarm_window INTEGER NOT NULL,
            kind TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 0,
            negative INTEGER NOT NULL DEFAULT 0,
            expected REAL NOT NULL DEFAULT 0,
            peak_at TEXT NOT NULL,
            peak_window INTEGER NOT NULL,
            peak_count INTEGER NOT NULL,
            peak_expected REAL NOT NULL,
            UNIQUE (started_at, sensitivity, window_minutes)
        );
        CREATE INDEX detection_episodes_alerted ON detection_episodes (alerted_at);
        CREATE TABLE detection_alerts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            title TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            query TEXT NOT NULL DEFAULT '',
            episode_id INTEGER REFERENCES detection_episodes (id),
            watch_id INTEGER,
            mention_id INTEGER,
            notified_at TEXT,
            dismissed_at TEXT
        );
        CREATE INDEX detection_alerts_created ON detection_alerts (created_at);
        CREATE TABLE detection_baselines (
            hour TEXT NOT NULL,
            sensitivity TEXT NOT NULL,
            expected REAL NOT NULL,
            expected_negative REAL NOT NULL,
            PRIMARY KEY (hour, sensitivity)
        );
        CREATE TABLE detection_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        ALTER TABLE saved_searches ADD COLUMN alert INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE saved_searches ADD COLUMN cooldown_minutes INTEGER NOT NULL DEFAULT 60;
        ALTER TABLE saved_searches ADD COLUMN alert_after_id INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE saved_searches ADD COLUMN alerted_at TEXT;
        ALTER TABLE saved_searches ADD COLUMN playbook TEXT NOT NULL DEFAULT '';
        """,
    )

"""Migration 0010_mention_marks. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import _run_statements, migration


@migration("0010_mention_marks")
def m0010_mention_marks(db: Database) -> None:
    """The full-text index keeps `#` and `@` as part of a word, so a search for #fail finds the
    hashtag and @brand the handle, not every "fail" and "brand" (a search for a bare word
    still finds both: the query asks for the word, #word and @word). Rebuilt from the mentions
    in this one step.

    While a row is in `_fts_deferred` (only ever inside an import's own transaction), new
    mentions skip the per-row index trigger and the import indexes them in one statement
    before it commits: row by row, the index was two thirds of an import's time."""
    _run_statements(
        db,
        """
        DROP TABLE mentions_fts;
        CREATE VIRTUAL TABLE mentions_fts USING fts5 (
            text, author_name, author_handle,
            content='mentions', content_rowid='id',
            tokenize="unicode61 remove_diacritics 2 tokenchars '#@'"
        );
        INSERT INTO mentions_fts (mentions_fts) VALUES ('rebuild');
        CREATE TABLE _fts_deferred (id INTEGER PRIMARY KEY CHECK (id = 1));
        DROP TRIGGER mentions_fts_insert;
        CREATE TRIGGER mentions_fts_insert AFTER INSERT ON mentions
        WHEN NOT EXISTS (SELECT 1 FROM _fts_deferred) BEGIN
            INSERT INTO mentions_fts (rowid, text, author_name, author_handle)
            VALUES (new.id, new.text, new.author_name, new.author_handle);
        END;
        """,
    )

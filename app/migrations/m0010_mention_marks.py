"""Migration 0010_mention_marks. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import _run_statements, migration


@migration("0010_mention_marks")
def m0010_mention_marks(db: Database) -> None:
    """The full-text index keeps `#` and `@` as part of a word, so a search for #fail finds the
    hashtag and @brand the handle, not every "fail" and "brand" (a search for a bare word
    still finds both: the query asks for the word, #word and @word). Rebuilt from the mentions
    in this one step; the triggers that keep it in step name it and stay as they are."""
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
        """,
    )

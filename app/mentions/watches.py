"""Watch queries: saved searches the owner keeps an eye on, with how many new mentions match
since each was last opened."""

from __future__ import annotations

from sqlite_utils import Database

from app.mentions.model import MentionFilter, SavedSearch, TriageError
from app.mentions.repository import MentionRepository
from app.timeutil import Clock, to_iso


class WatchRepository:
    """Owns saved_searches."""

    def __init__(self, db: Database, clock: Clock, *, mentions: MentionRepository):
        self.db = db
        self.clock = clock
        self.mentions = mentions

    def save(self, name: str, query: str) -> int:
        from app.mentions.search import parse_query

        name = name.strip()
        if not name:
            raise TriageError("Give the watch query a short name, e.g. “Food safety”.")
        parse_query(query)  # refuses a query with a typo before it is saved
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO saved_searches (name, query, last_seen_id, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET query = excluded.query",
                [name, query, 0, to_iso(self.clock())],
            )
        return self.db.execute("SELECT id FROM saved_searches WHERE name = ?", [name]).fetchone()[0]

    def all(self, with_unread: bool = True) -> list[SavedSearch]:
        searches = [
            SavedSearch(*row)
            for row in self.db.execute(
                "SELECT id, name, query, last_seen_id FROM saved_searches ORDER BY name"
            )
        ]
        if with_unread:
            for saved in searches:
                saved.unread = self.unread(saved)
        return searches

    def unread(self, saved: SavedSearch) -> int:
        """Mentions matching a watch query that came in after it was last opened."""
        return self.mentions.count_after(MentionFilter(saved.query), saved.last_seen_id)

    def mark_seen(self, search_id: int) -> None:
        newest = self.mentions.newest_id()
        with self.db.atomic():
            self.db.execute(
                "UPDATE saved_searches SET last_seen_id = ? WHERE id = ?", [newest, search_id]
            )

    def delete(self, search_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM saved_searches WHERE id = ?", [search_id])

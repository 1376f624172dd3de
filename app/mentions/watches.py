"""Watch queries: saved searches the owner keeps an eye on, with how many new mentions match
since each was last opened; a watch query can also alert on its first new match, then keep
quiet for its cooldown (the live re-check in `app.mentions.detection` asks)."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from app.mentions.model import MentionFilter, SavedSearch, TriageError
from app.mentions.repository import MentionRepository
from app.timeutil import Clock, from_iso, to_iso

_COLUMNS = (
    "id, name, query, last_seen_id, alert, cooldown_minutes, alert_after_id, alerted_at, playbook"
)


def _saved(row) -> SavedSearch:
    id_, name, query, seen, alert, cooldown, after, alerted, playbook = row
    return SavedSearch(
        id_,
        name,
        query,
        seen,
        alert=bool(alert),
        cooldown_minutes=cooldown,
        alert_after_id=after,
        alerted_at=from_iso(alerted) if alerted else None,
        playbook=playbook,
    )


class WatchRepository:
    """Owns saved_searches."""

    def __init__(self, db: Database, clock: Clock, *, mentions: MentionRepository):
        self.db = db
        self.clock = clock
        self.mentions = mentions

    def save(
        self,
        name: str,
        query: str,
        *,
        alert: bool | None = None,
        cooldown_minutes: int | None = None,
        playbook: str = "",
    ) -> int:
        """Save (or change the query of) a watch query. Alerts look only at mentions that
        arrive from now on. `alert`/`cooldown_minutes` left out keep what a saved one has."""
        from app.mentions.search import parse_query

        name = name.strip()
        if not name:
            raise TriageError("Give the watch query a short name, e.g. “Food safety”.")
        if cooldown_minutes is not None and cooldown_minutes < 0:
            raise TriageError("The cooldown is a number of minutes, 0 or more.")
        parse_query(query)  # refuses a query with a typo before it is saved
        newest = self.mentions.newest_id()
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO saved_searches (name, query, last_seen_id, created_at, alert, "
                "cooldown_minutes, alert_after_id, playbook) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET query = excluded.query",
                [name, query, 0, to_iso(self.clock()), int(bool(alert)),
                 60 if cooldown_minutes is None else cooldown_minutes, newest, playbook],
            )  # fmt: skip
            if alert is not None:
                self.db.execute(
                    "UPDATE saved_searches SET alert = ? WHERE name = ?", [int(alert), name]
                )
            if cooldown_minutes is not None:
                self.db.execute(
                    "UPDATE saved_searches SET cooldown_minutes = ? WHERE name = ?",
                    [cooldown_minutes, name],
                )
        return self.db.execute("SELECT id FROM saved_searches WHERE name = ?", [name]).fetchone()[0]

    def all(self, with_unread: bool = True) -> list[SavedSearch]:
        searches = [
            _saved(row)
            for row in self.db.execute(f"SELECT {_COLUMNS} FROM saved_searches ORDER BY name")
        ]
        if with_unread:
            for saved in searches:
                saved.unread = self.unread(saved)
        return searches

    def find(self, name_or_id: str) -> SavedSearch | None:
        """A watch query by its name (any case) or its number."""
        key = name_or_id.strip()
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM saved_searches WHERE name = ? COLLATE NOCASE OR "
            "(? != '' AND CAST(id AS TEXT) = ?)",
            [key, key if key.isdigit() else "", key],
        ).fetchone()
        return _saved(row) if row else None

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

    # --- alerts ----------------------------------------------------------------------------

    def alerting(self) -> list[SavedSearch]:
        return [
            _saved(row)
            for row in self.db.execute(
                f"SELECT {_COLUMNS} FROM saved_searches WHERE alert = 1 ORDER BY id"
            )
        ]

    def checked(self, search_id: int, up_to_id: int) -> None:
        """Mentions up to `up_to_id` were looked at and none matched."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE saved_searches SET alert_after_id = ? WHERE id = ?", [up_to_id, search_id]
            )

    def alerted(self, search_id: int, up_to_id: int, at: datetime) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE saved_searches SET alert_after_id = ?, alerted_at = ? WHERE id = ?",
                [up_to_id, to_iso(at), search_id],
            )

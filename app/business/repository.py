"""The business profile: who the workspace is about, used by templates, the binder and reports."""

from __future__ import annotations

from dataclasses import asdict

from sqlite_utils import Database

from app.business.model import BusinessProfile
from app.timeutil import Clock, to_iso, utc_now


class BusinessRepository:
    """One row (id 1): a workspace describes one business."""

    def __init__(self, db: Database, clock: Clock = utc_now):
        self.db = db
        self.clock = clock

    def get(self) -> BusinessProfile | None:
        rows = list(self.db.table("business").rows_where("id = 1"))
        if not rows:
            return None
        row = rows[0]
        return BusinessProfile(**{f: row[f] or "" for f in BusinessProfile.__dataclass_fields__})

    def save(self, profile: BusinessProfile) -> None:
        name = profile.name.strip()
        if not name:
            raise ValueError("The business needs a name: type the name your customers know.")
        row = asdict(profile) | {"name": name, "id": 1, "updated_at": to_iso(self.clock())}
        with self.db.atomic():
            self.db.table("business").upsert(row, pk="id")


class SettingsRepository:
    """Small workspace-level facts (first-run choices, sensitivity levels); never secrets."""

    def __init__(self, db: Database):
        self.db = db

    def get(self, key: str, default: str | None = None) -> str | None:
        rows = list(self.db.table("settings").rows_where("key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.table("settings").upsert({"key": key, "value": value}, pk="key")

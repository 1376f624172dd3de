"""The business profile: who the workspace is about, used by templates, the binder and reports."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, tzinfo

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

    def zone(self) -> tzinfo | None:
        """The business's time zone, or None when none (or no valid one) is set."""
        business = self.get()
        if business and business.timezone:
            try:
                from zoneinfo import ZoneInfo

                return ZoneInfo(business.timezone)
            except (ValueError, KeyError, OSError):
                pass
        return None

    def day_zone(self) -> tzinfo:
        """Where days begin and end for searches: the business's time zone, else this
        computer's (the one the lists show)."""
        zone = self.zone()
        if zone is not None:
            return zone
        local = datetime.now().astimezone().tzinfo
        assert local is not None
        return local

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

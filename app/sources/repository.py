"""Configured sources, their cursors and their health, in the workspace (never their secrets)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from app.business.repository import SettingsRepository
from app.sources.base import SourceSettings
from app.timeutil import Clock, from_iso, to_iso

PAUSED_KEY = "pulls_paused"
CLAIM_SECONDS = 180


class SourceNotFound(LookupError):
    pass


@dataclass
class Source:
    id: int
    name: str
    kind: str
    query: str = ""
    base_url: str = ""
    options: dict = field(default_factory=dict)
    secret_ref: str = ""
    interval_minutes: int = 15
    enabled: bool = True
    cursor: dict = field(default_factory=dict)
    created_at: str = ""
    last_pull_at: str | None = None
    last_success_at: str | None = None
    last_error: str = ""
    items_pulled: int = 0
    last_new: int = 0
    failures: int = 0
    next_pull_at: str | None = None
    rate_text: str = ""

    @property
    def settings(self) -> SourceSettings:
        return SourceSettings(self.name, self.kind, self.query, self.base_url, dict(self.options))

    @property
    def secret_name(self) -> str:
        return f"source:{self.secret_ref}"

    def health(self) -> str:
        """One plain line: the last error, or when it last worked."""
        if not self.enabled:
            return "Switched off."
        if self.last_error:
            return self.last_error
        if self.last_success_at:
            when = from_iso(self.last_success_at).astimezone().strftime("%d %b %H:%M")
            return f"Working: last pull {when}, {self.last_new} new."
        return "Not pulled yet."


def _minutes(interval: int) -> int:
    """A pull interval in minutes, from 1 to a week whatever the row holds."""
    return min(max(int(interval or 1), 1), 7 * 24 * 60)


def _row_to_source(row: dict) -> Source:
    values = {k: row[k] for k in Source.__dataclass_fields__ if k in row}
    values["options"] = json.loads(row["options"] or "{}")
    values["cursor"] = json.loads(row["cursor"] or "{}")
    values["enabled"] = bool(row["enabled"])
    return Source(**values)


class SourceRepository:
    def __init__(self, db: Database, clock: Clock, *, settings: SettingsRepository):
        self.db = db
        self.clock = clock
        self.settings = settings

    def all(self) -> list[Source]:
        return [_row_to_source(r) for r in self.db.table("sources").rows_where(order_by="name")]

    def get(self, name: str) -> Source:
        rows = list(self.db.table("sources").rows_where("name = ?", [name]))
        if not rows:
            raise SourceNotFound(
                f"There is no source named '{name}'; 'crisisdesk sources list' shows them."
            )
        return _row_to_source(rows[0])

    def add(self, settings: SourceSettings, interval_minutes: int = 15) -> Source:
        if list(self.db.table("sources").rows_where("name = ?", [settings.name])):
            raise ValueError(
                f"A source named '{settings.name}' already exists; choose another name."
            )
        with self.db.atomic():
            self.db.table("sources").insert(
                {
                    "name": settings.name,
                    "kind": settings.kind,
                    "query": settings.query,
                    "base_url": settings.base_url,
                    "options": json.dumps(settings.options),
                    "secret_ref": uuid.uuid4().hex,
                    "interval_minutes": interval_minutes,
                    "created_at": to_iso(self.clock()),
                }
            )
        return self.get(settings.name)

    def update(
        self, source_id: int, settings: SourceSettings, interval_minutes: int, enabled: bool
    ) -> None:
        with self.db.atomic():
            self.db.table("sources").update(
                source_id,
                {
                    "name": settings.name,
                    "query": settings.query,
                    "base_url": settings.base_url,
                    "options": json.dumps(settings.options),
                    "interval_minutes": interval_minutes,
                    "enabled": int(enabled),
                },
            )

    def remove(self, source_id: int) -> None:
        with self.db.atomic():
            self.db.table("sources").delete(source_id)

    def due(self, now: datetime) -> list[Source]:
        return [
            s
            for s in self.all()
            if s.enabled and (not s.next_pull_at or from_iso(s.next_pull_at) <= now)
        ]

    def claim(self, source_id: int, now: datetime) -> bool:
        """Take the source for one pull; False when another pull (here or elsewhere) has it."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE sources SET claimed_until = ? WHERE id = ? "
                "AND (claimed_until IS NULL OR claimed_until < ?)",
                [to_iso(now + timedelta(seconds=CLAIM_SECONDS)), source_id, to_iso(now)],
            )
            return cursor.rowcount == 1

    def release(self, source_id: int) -> None:
        with self.db.atomic():
            self.db.table("sources").update(source_id, {"claimed_until": None})

    def record_success(
        self, source: Source, cursor: dict, added: int, now: datetime, rate_text: str
    ) -> None:
        """Called inside the pull's transaction, together with the rows it stores."""
        self.db.table("sources").update(
            source.id,
            {
                "cursor": json.dumps(cursor),
                "last_pull_at": to_iso(now),
                "last_success_at": to_iso(now),
                "last_error": "",
                "items_pulled": source.items_pulled + added,
                "last_new": added,
                "failures": 0,
                "next_pull_at": to_iso(now + timedelta(minutes=_minutes(source.interval_minutes))),
                "rate_text": rate_text,
                "claimed_until": None,
            },
        )

    def record_failure(
        self, source: Source, message: str, now: datetime, next_pull: datetime
    ) -> None:
        with self.db.atomic():
            self.db.table("sources").update(
                source.id,
                {
                    "last_pull_at": to_iso(now),
                    "last_error": message,
                    "failures": source.failures + 1,
                    "next_pull_at": to_iso(next_pull),
                    "claimed_until": None,
                },
            )

    # Pause all pulls (working offline on a train): a workspace setting.
    def paused(self) -> bool:
        return self.settings.get(PAUSED_KEY) == "1"

    def set_paused(self, paused: bool) -> None:
        self.settings.set(PAUSED_KEY, "1" if paused else "0")

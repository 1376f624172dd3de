"""TEMPORARY (sources branch only): the agreed NewMention/add_many interface, so the source
adapters can be tested before the inbox branch lands. Replaced wholesale by the inbox's module."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from app.timeutil import Clock, to_iso, utc_now


@dataclass
class NewMention:
    source: str
    text: str
    external_id: str = ""
    author_name: str = ""
    author_handle: str = ""
    author_followers: int | None = None
    url: str = ""
    language: str = ""
    posted_at: datetime | None = None
    raw: dict | str | None = None


@dataclass
class AddResult:
    added: int = 0
    duplicates: int = 0
    added_ids: list[int] = field(default_factory=list)


class MentionRepository:
    def __init__(self, db: Database, clock: Clock = utc_now):
        self.db = db
        self.clock = clock
        if not self.db["mentions"].exists():
            self.db["mentions"].create(
                {
                    "id": int,
                    "source": str,
                    "external_id": str,
                    "author_name": str,
                    "author_handle": str,
                    "author_followers": int,
                    "text": str,
                    "url": str,
                    "language": str,
                    "posted_at": str,
                    "fetched_at": str,
                    "raw": str,
                },
                pk="id",
            )
            self.db["mentions"].create_index(["source", "external_id"], unique=True)

    def add_many(self, items: Iterable[NewMention], *, progress=None, cancelled=None) -> AddResult:
        result = AddResult()
        now = to_iso(self.clock())
        with self.db.atomic():
            for m in items:
                ext = (
                    m.external_id
                    or hashlib.sha1(" ".join(m.text.lower().split()).encode()).hexdigest()
                )
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO mentions (source, external_id, author_name,"
                    " author_handle, author_followers, text, url, language, posted_at,"
                    " fetched_at, raw) VALUES"
                    " (?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        m.source,
                        ext,
                        m.author_name,
                        m.author_handle,
                        m.author_followers,
                        m.text,
                        m.url,
                        m.language,
                        to_iso(m.posted_at) if m.posted_at else None,
                        now,
                        json.dumps(m.raw) if not isinstance(m.raw, str) else m.raw,
                    ],
                )
                if cur.rowcount:
                    result.added += 1
                    result.added_ids.append(cur.lastrowid)
                else:
                    result.duplicates += 1
        return result

"""Evidence: screenshots and files kept with a mention as proof, inside the workspace file (posts
get deleted; the one-file workspace keeps backups whole)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from sqlite_utils import Database

from app.db import device_ids
from app.mentions.model import MAX_EVIDENCE_BYTES, Evidence, TriageError
from app.mentions.repository import MentionRepository
from app.timeutil import Clock, from_iso, to_iso


class EvidenceRepository:
    """Owns mention_evidence."""

    def __init__(self, db: Database, clock: Clock, *, mentions: MentionRepository):
        self.db = db
        self.clock = clock
        self.mentions = mentions

    def add(
        self, mention_id: int, filename: str, content: bytes, media_type: str = "", note: str = ""
    ) -> int:
        """Keep a screenshot or file as proof of a mention."""
        if self.mentions.get(mention_id) is None:
            raise TriageError("That mention is not in this workspace.")
        if len(content) > MAX_EVIDENCE_BYTES:
            raise TriageError(f"{filename} is larger than 50 MB; attach a smaller file.")
        media_type = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        with self.db.atomic():
            ids = device_ids(self.db, "mention_evidence")
            cursor = self.db.execute(
                "INSERT INTO mention_evidence (id, mention_id, filename, media_type, content, "
                "note, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    next(ids) if ids else None,
                    mention_id,
                    filename,
                    media_type,
                    content,
                    note,
                    to_iso(self.clock()),
                ],
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def add_file(self, mention_id: int, path: Path, note: str = "") -> int:
        path = Path(path)
        if path.stat().st_size > MAX_EVIDENCE_BYTES:
            raise TriageError(f"{path.name} is larger than 50 MB; attach a smaller file.")
        return self.add(mention_id, path.name, path.read_bytes(), note=note)

    def kept_for(self, mention_ids: list[int]) -> set[int]:
        """Those of `mention_ids` that have evidence attached (an undo keeps them; the Inbox
        marks their rows)."""
        found: set[int] = set()
        for start in range(0, len(mention_ids), 500):
            chunk = mention_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(
                    "SELECT DISTINCT mention_id FROM mention_evidence "
                    f"WHERE mention_id IN ({marks})",
                    chunk,
                )
            )
        return found

    def of(self, mention_id: int) -> list[Evidence]:
        rows = self.db.execute(
            "SELECT id, mention_id, filename, media_type, length(content), note, added_at "
            "FROM mention_evidence WHERE mention_id = ? ORDER BY id",
            [mention_id],
        )
        return [
            Evidence(row[0], row[1], row[2], row[3], row[4], row[5], from_iso(row[6]))
            for row in rows
        ]

    def content(self, evidence_id: int) -> bytes:
        row = self.db.execute(
            "SELECT content FROM mention_evidence WHERE id = ?", [evidence_id]
        ).fetchone()
        return bytes(row[0]) if row else b""

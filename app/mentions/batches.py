"""Import batches: every import and every pull that brought mentions is one, so a wrong import
can be taken back out. Undoing removes the batch's mentions in one transaction, except those
the owner already touched (triaged, replied to, tagged, given a severity or an assignee,
attached to an incident, or kept evidence for): those stay and are listed. The undo is recorded
on the batch, which stays in the history. It is the only way a mention is ever deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from app.db import device_ids, write_transaction
from app.errors import UserError
from app.mentions.evidence import EvidenceRepository
from app.mentions.repository import MentionRepository
from app.timeutil import Clock, from_iso, to_iso

KINDS = ("import", "pull")
_COLUMNS = (
    "id, kind, label, detail, started_at, imported, duplicates, rejected, notes, undone_at, "
    "undo_removed, undo_kept"
)


class BatchError(UserError):
    """An undo that cannot be done as asked; the message is for the owner."""


@dataclass
class Batch:
    id: int
    kind: str  # import or pull
    label: str  # the file's name, or the source's
    detail: str  # the file's path, or the source's kind
    started_at: datetime
    imported: int
    duplicates: int
    rejected: int
    notes: list[str] = field(default_factory=list)
    undone_at: datetime | None = None
    undo_removed: int = 0
    undo_kept: list[int] = field(default_factory=list)

    @property
    def undone(self) -> bool:
        return self.undone_at is not None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "detail": self.detail,
            "started_at": to_iso(self.started_at),
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "notes": self.notes,
            "undone_at": to_iso(self.undone_at) if self.undone_at else None,
            "undo_removed": self.undo_removed,
            "undo_kept": self.undo_kept,
        }


@dataclass
class UndoResult:
    batch: Batch
    removed: int
    kept: list[tuple[int, str]]  # (mention id, its text) the owner had touched

    def summary(self) -> str:
        from app.text import plural

        what = f"{self.batch.kind} {self.batch.id} ({self.batch.label})"
        line = f"Undid {what}: removed {plural(self.removed, 'mention')}"
        if self.kept:
            return f"{line}; kept {plural(len(self.kept), 'mention')} you had already worked on."
        return line + "."

    def to_json(self) -> dict:
        return {
            "batch": self.batch.id,
            "removed": self.removed,
            "kept": [{"id": i, "text": t} for i, t in self.kept],
        }


def _batch(row: tuple) -> Batch:
    (id_, kind, label, detail, started, imported, duplicates, rejected, notes, undone,
     removed, kept) = row  # fmt: skip
    return Batch(
        id_,
        kind,
        label,
        detail,
        from_iso(started),
        imported,
        duplicates,
        rejected,
        json.loads(notes or "[]"),
        from_iso(undone) if undone else None,
        removed,
        json.loads(kept or "[]"),
    )


class ImportBatchRepository:
    """Owns import_batches; asks the mentions and evidence repositories for the rest."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        mentions: MentionRepository,
        evidence: EvidenceRepository,
    ):
        self.db = db
        self.clock = clock
        self.mentions = mentions
        self.evidence = evidence

    def start(self, kind: str, label: str, detail: str = "") -> int:
        """A new batch, in the caller's transaction (the import's or the pull's own)."""
        assert kind in KINDS
        with write_transaction(self.db):
            ids = device_ids(self.db, "import_batches")  # a shared workspace: this laptop's ids
            cursor = self.db.execute(
                "INSERT INTO import_batches (id, kind, label, detail, started_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [None if ids is None else next(ids), kind, label, detail, to_iso(self.clock())],
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish(
        self, batch_id: int, imported: int, duplicates: int, rejected: int, notes: list[str]
    ) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE import_batches SET imported = ?, duplicates = ?, rejected = ?, notes = ? "
                "WHERE id = ?",
                [imported, duplicates, rejected, json.dumps(notes, ensure_ascii=False), batch_id],
            )

    def discard(self, batch_id: int) -> None:
        """Forget a batch that brought nothing (a pull with nothing new): nothing to undo."""
        with write_transaction(self.db):
            self.db.execute("DELETE FROM import_batches WHERE id = ?", [batch_id])

    def get(self, batch_id: int) -> Batch:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM import_batches WHERE id = ?", [batch_id]
        ).fetchone()
        if row is None:
            raise BatchError(
                f"There is no import number {batch_id}; 'crisisdesk imports list' shows them."
            )
        return _batch(row)

    def all(self, limit: int = 500) -> list[Batch]:
        """Newest first."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM import_batches ORDER BY id DESC LIMIT ?", [limit]
        )
        return [_batch(row) for row in rows]

    def touched(self, batch_id: int) -> list[int]:
        """The batch's mentions an undo would keep, because the owner worked on them."""
        touched = set(self.mentions.touched_in_batch(batch_id))
        touched |= self.evidence.kept_for(self.mentions.batch_ids(batch_id))
        return sorted(touched)

    def undo(self, batch_id: int) -> UndoResult:
        """Remove the batch's mentions the owner has not touched, and record it, in one
        transaction."""
        with write_transaction(self.db):
            batch = self.get(batch_id)
            if batch.undone:
                raise BatchError(
                    f"{batch.kind.capitalize()} {batch_id} was already undone on "
                    f"{batch.undone_at:%Y-%m-%d %H:%M} UTC."
                )
            kept = self.touched(batch_id)
            removed = self.mentions.remove_batch(batch_id, set(kept))
            self.db.execute(
                "UPDATE import_batches SET undone_at = ?, undo_removed = ?, undo_kept = ? "
                "WHERE id = ?",
                [to_iso(self.clock()), removed, json.dumps(kept), batch_id],
            )
            texts = self.mentions.texts(kept)
            batch = self.get(batch_id)
        return UndoResult(batch, removed, [(i, texts.get(i, "")) for i in kept])

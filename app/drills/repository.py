"""The drills run, with their scores: kept beside the workspace, not in it.

A drill's promise is that the real workspace is not touched, byte for byte; so its record is a
small JSON file in a folder beside the workspace (`workspace.db-drills/`), one file per drill,
written under a temporary name and renamed. One file each means two windows finishing drills
at once never overwrite each other's, and nothing of a drill can ever reach a real metric, list
or export, which read the workspace only. (A backup of the workspace does not carry them.)
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from app.drills.model import DrillRecord, DrillScore
from app.errors import UserError, os_error_sentence
from app.files import write_atomic
from app.timeutil import from_iso, to_iso

RECORD_FORMAT = 1
MAX_RECORD_BYTES = 1024 * 1024


def records_folder(workspace: str | os.PathLike) -> Path:
    workspace = Path(workspace)
    return workspace.with_name(workspace.name + "-drills")


class DrillRecords:
    """The list of drills of the workspace at `workspace`."""

    def __init__(self, workspace: str | os.PathLike):
        self.workspace = Path(workspace)
        self.folder = records_folder(workspace)

    def add(self, score: DrillScore) -> DrillRecord:
        held_at = score.started_at
        record = DrillRecord(
            id=f"{held_at:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}",
            held_at=held_at,
            scenario=score.scenario,
            title=score.title,
            crisis_type=score.crisis_type,
            speed=score.speed,
            auto=score.auto,
            minutes=round(score.minutes, 1),
            met=score.met,
            counted=score.counted,
            expectations=tuple(e.as_dict() for e in score.expectations),
            metrics=tuple(asdict(m) for m in score.metrics),
        )
        document = {"drill_record": RECORD_FORMAT, **asdict(record), "held_at": to_iso(held_at)}
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise UserError(os_error_sentence(exc, self.folder, doing="create")) from None
        write_atomic(
            self.folder / f"{record.id}.json",
            json.dumps(document, ensure_ascii=False, indent=1, default=str),
        )
        return record

    def all(self) -> list[DrillRecord]:
        """Every drill kept, newest first; a file that is not a drill record is passed over."""
        if not self.folder.is_dir():
            return []
        records = []
        for path in self.folder.glob("*.json"):
            record = _read(path)
            if record is not None:
                records.append(record)
        return sorted(records, key=lambda r: (r.held_at, r.id), reverse=True)

    def since(self, moment: datetime, *, rehearsals_only: bool = True) -> list[DrillRecord]:
        """Drills held since `moment` (the Dashboard's "drills this year"); autopilot runs, which
        check a scenario rather than rehearse the team, are left out unless asked for."""
        return [r for r in self.all() if r.held_at >= moment and not (rehearsals_only and r.auto)]


def _read(path: Path) -> DrillRecord | None:
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("drill_record") != RECORD_FORMAT:
            return None
        return DrillRecord(
            id=str(data["id"]),
            held_at=from_iso(data["held_at"]),
            scenario=str(data["scenario"]),
            title=str(data["title"]),
            crisis_type=str(data["crisis_type"]),
            speed=float(data["speed"]),
            auto=bool(data["auto"]),
            minutes=float(data["minutes"]),
            met=int(data["met"]),
            counted=int(data["counted"]),
            expectations=tuple(data.get("expectations") or ()),
            metrics=tuple(data.get("metrics") or ()),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None

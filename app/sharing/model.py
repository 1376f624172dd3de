"""What sharing needs to know: which tables travel and how their conflicts are settled, and this
laptop's part in it (its device number, the person, the shared folder)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.errors import UserError

# Ids are interleaved by device (id % MAX_DEVICES == device), so arrival order survives and the
# first laptop's existing rows keep their ids.
MAX_DEVICES = 64


class Policy(StrEnum):
    LOCAL = "local"  # never leaves this laptop (secrets' references, cursors, drafts in typing)
    SHARED = "shared"  # added rows are kept once; a field two people changed: the later wins
    TEXT = "text"  # high-stakes text: the later wins, the other version is kept and shown


# Every table has a policy (a test checks that each table the migrations make is listed).
POLICIES: dict[str, Policy] = {
    "settings": Policy.LOCAL,
    "sources": Policy.LOCAL,
    "import_mappings": Policy.LOCAL,
    "saved_searches": Policy.LOCAL,
    "statement_autosave": Policy.LOCAL,
    "spikes": Policy.LOCAL,
    # Each laptop's alarm watches the shared mentions itself and keeps its own state.
    "detection_episodes": Policy.LOCAL,
    "detection_alerts": Policy.LOCAL,
    "detection_baselines": Policy.LOCAL,
    "detection_state": Policy.LOCAL,
    "business": Policy.SHARED,
    "plan_revisions": Policy.SHARED,
    "contacts": Policy.SHARED,
    "call_tree": Policy.SHARED,
    "mentions": Policy.SHARED,
    "mention_evidence": Policy.SHARED,
    "import_batches": Policy.SHARED,
    "incidents": Policy.SHARED,
    "incident_events": Policy.SHARED,
    "incident_people": Policy.SHARED,
    "incident_checklist": Policy.SHARED,
    "incident_tasks": Policy.SHARED,
    "statement_versions": Policy.SHARED,
    "statement_publications": Policy.SHARED,
    "statements": Policy.TEXT,
    "debriefs": Policy.TEXT,
    "sync_clock": Policy.SHARED,
    "sync_conflicts": Policy.SHARED,
    "sync_applied": Policy.LOCAL,
}

# Tables that are derived from others (full-text indexes, counters) or are SQLite's own.
DERIVED_PREFIXES = ("_", "sqlite_")
DERIVED_INFIXES = ("_fts",)


def is_derived(table: str) -> bool:
    return table.startswith(DERIVED_PREFIXES) or any(i in table for i in DERIVED_INFIXES)


def shared_tables(names: list[str]) -> list[str]:
    """The tables a change set carries, in a stable order (parents before children)."""
    order = list(POLICIES)
    wanted = [n for n in names if not is_derived(n) and POLICIES.get(n) != Policy.LOCAL]
    return sorted(wanted, key=lambda n: order.index(n) if n in order else len(order))


class SharingError(UserError):
    """Sharing cannot do what was asked; the sentence says why and what to do."""


@dataclass(frozen=True)
class SharingConfig:
    """This laptop's part in a shared workspace (kept in its own settings, never shared)."""

    workspace_id: str
    folder: Path
    device: int
    person: str

    @property
    def device_folder(self) -> Path:
        return self.folder / "devices" / f"{self.device:02d}"


def snapshot_path(workspace: Path) -> Path:
    """The "last shared" copy, beside the workspace (never in the shared folder)."""
    return workspace.with_name(workspace.name + ".share") / "snapshot.db"

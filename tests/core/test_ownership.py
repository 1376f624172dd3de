"""One owner per table: only a domain's repository reads or writes its tables. A query that
needs two domains asks the other repository, which `Store` hands it."""

from __future__ import annotations

import re
from pathlib import Path

from app.migrations import expected_schema

APP = Path(__file__).resolve().parents[2] / "app"

# table -> the one module allowed to name it in SQL or through sqlite-utils
OWNERS = {
    "settings": "business/repository.py",
    "business": "business/repository.py",
    "plan_revisions": "plan/repository.py",
    "contacts": "contacts/repository.py",
    "call_tree": "contacts/repository.py",
    "mentions": "mentions/repository.py",
    "mention_evidence": "mentions/evidence.py",
    "saved_searches": "mentions/watches.py",
    "import_mappings": "mentions/repository.py",
    "spikes": "mentions/repository.py",
    "detection_episodes": "mentions/detection/repository.py",
    "detection_alerts": "mentions/detection/repository.py",
    "detection_baselines": "mentions/detection/repository.py",
    "detection_state": "mentions/detection/repository.py",
    "import_batches": "mentions/batches.py",
    "sources": "sources/repository.py",
    "incidents": "incidents/repository.py",
    "incident_events": "incidents/repository.py",
    "incident_people": "incidents/repository.py",
    "incident_checklist": "incidents/repository.py",
    "incident_tasks": "incidents/repository.py",
    "statements": "statements/repository.py",
    "statement_versions": "statements/repository.py",
    "statement_publications": "statements/repository.py",
    "statement_autosave": "statements/repository.py",
    "debriefs": "debriefs/repository.py",
    # Sharing's own state is kept by the sharing package: the sync process (APSW) and the
    # window (the standard driver) both read it, each in its one module of the package.
    "sync_clock": "sharing/",
    "sync_applied": "sharing/",
    "sync_conflicts": "sharing/",
}
# The schema itself names every table by design.
EVERYWHERE = "migrations/"


def _user_tables() -> set[str]:
    return {
        name
        for kind, name in expected_schema()
        if kind == "table" and not name.startswith("_") and "_fts" not in name
    }


def _mentions_of(table: str, source: str) -> bool:
    sql = rf"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+{table}\b"  # our SQL is written in capitals
    api = rf"""(\.table\(|\bdb\[)\s*["']{table}["']"""
    return bool(re.search(sql, source) or re.search(api, source))


def test_every_table_has_exactly_one_owner():
    assert set(OWNERS) == _user_tables()


def test_only_the_owner_names_its_tables():
    trespass = []
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP).as_posix()
        if relative.startswith(EVERYWHERE):
            continue
        source = path.read_text(encoding="utf-8")
        for table, owner in OWNERS.items():
            if not relative.startswith(owner) and _mentions_of(table, source):
                trespass.append(f"{relative} names {table} (owned by {owner})")
    assert trespass == []

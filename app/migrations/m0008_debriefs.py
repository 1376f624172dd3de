"""Migration 0008_debriefs. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import migration


@migration("0008_debriefs")
def m0008_debriefs(db: Database) -> None:
    db.table("debriefs").create(
        {
            "id": int,
            "incident_id": int,
            "status": str,  # draft, complete
            "step": int,  # the wizard page to resume on
            "summary": str,
            "went_well": str,  # JSON list of short items
            "went_badly": str,  # JSON list
            "root_cause": str,
            "lessons": str,  # JSON list of {text, change, accepted, revision_id}
            "created_at": str,
            "updated_at": str,
            "completed_at": str,
        },
        pk="id",
        not_null={"incident_id", "status"},
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={
            "step": 0,
            "summary": "",
            "went_well": "[]",
            "went_badly": "[]",
            "root_cause": "",
            "lessons": "[]",
        },
    )
    db.table("debriefs").create_index(["incident_id"], unique=True)
    # A debrief may annotate a timeline event; corrected times keep the original in original_at.
    db.table("incident_events").add_column("annotation", str)
    # A plan revision made from a debrief's accepted lessons points back to it.
    db.table("plan_revisions").add_column("debrief_id", int)

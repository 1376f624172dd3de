"""Migration 0006_incidents. Shipped: never edit it; add the next one."""

from __future__ import annotations

from sqlite_utils import Database

from app.migrations.registry import migration


@migration("0006_incidents")
def m0006_incidents(db: Database) -> None:
    db.table("incidents").create(
        {
            "id": int,
            "title": str,
            "crisis_type": str,  # a playbook of the plan, by its key
            "status": str,  # investigating, identified, monitoring, resolved, closed
            "level": int,  # 1 Watch .. 4 Critical, from the plan's escalation ladder
            "origin": str,  # manual, spike, mentions
            "declared_at": str,
            "resolved_at": str,
            "closed_at": str,
            "next_update_due_at": str,
            "last_update_at": str,
            "assessment": str,  # JSON: the assessment sheet
            "impact": int,  # severity matrix row (1-4)
            "reach": int,  # severity matrix column (1-4)
        },
        pk="id",
        not_null={"title", "status", "level", "declared_at"},
        defaults={
            "crisis_type": "",
            "origin": "manual",
            "assessment": "{}",
            "impact": 0,
            "reach": 0,
        },
    )
    db.table("incident_events").create(
        {
            "id": int,
            "incident_id": int,
            "at": str,
            "kind": str,
            "text": str,
            "data": str,  # JSON details (old and new level, who was reached…)
            "original_at": str,  # set when a debrief corrects the time; the original is kept
            "key_moment": int,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={"data": "{}", "key_moment": 0},
    )
    db.table("incident_events").create_index(["incident_id", "at"])
    db.table("incident_people").create(
        {
            "id": int,
            "incident_id": int,
            "name": str,
            "role": str,
            "contact_id": int,  # the plan's contact, when there is one
            "phone": str,
            "email": str,
            "level": int,
            "due_at": str,  # reach them by, from the ladder's "how fast"
            "reached_at": str,
            "how": str,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={"role": "", "phone": "", "email": "", "how": ""},
    )
    db.table("incident_checklist").create(
        {
            "id": int,
            "incident_id": int,
            "list": str,  # first-hour, channels
            "position": int,
            "text": str,
            "done_at": str,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
    )
    db.table("incident_tasks").create(
        {
            "id": int,
            "incident_id": int,
            "kind": str,  # task (firefighting) or corrective (fix the root cause)
            "title": str,
            "owner": str,
            "due_at": str,
            "done_at": str,
            "created_at": str,
            "notes": str,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        defaults={"kind": "task", "owner": "", "notes": ""},
    )

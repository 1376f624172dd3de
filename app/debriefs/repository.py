"""Debriefs: the blameless review after an incident. Metrics are computed from the store, each
with how it was computed; the draft is saved after every wizard step; accepted lessons change
the plan as a new revision that points back to the debrief.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlite_utils import Database

from app.contacts.repository import ContactRepository
from app.db import new_id
from app.debriefs.lessons import apply_change
from app.debriefs.metrics import compute_metrics, declared_level, incident_hindsight
from app.debriefs.model import (
    REVIEW_WITHIN_BUSINESS_DAYS,
    Debrief,
    DebriefError,
    Lesson,
    Metric,
)
from app.incidents.model import Incident
from app.incidents.repository import IncidentRepository
from app.levels import level_label
from app.mentions.detection.hindsight import Hindsight
from app.mentions.detection.model import Setting
from app.mentions.repository import MentionRepository
from app.plan.model import Revision
from app.plan.repository import PlanRepository
from app.timeutil import Clock, from_iso, to_iso


class DebriefRepository:
    """Owns debriefs. Asks the incidents, mentions, plan and contacts repositories (wired by
    `Store`) for what a debrief reads and changes."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        incidents: IncidentRepository,
        mentions: MentionRepository,
        plan: PlanRepository,
        contacts: ContactRepository,
        sensitivity: Callable[[], str],
        choose_setting: Callable[[Setting], None] = lambda _setting: None,
    ):
        self.db = db
        self.clock = clock
        self.incidents = incidents
        self.mentions = mentions
        self.plan = plan
        self.contacts = contacts
        self.sensitivity = sensitivity
        self.choose_setting = choose_setting

    def metrics(self, incident_id: int) -> list[Metric]:
        """The debrief's numbers for an incident (the ladder from the workspace's plan)."""
        return compute_metrics(
            self.incidents, self.mentions, self.sensitivity(), incident_id, self.clock()
        )

    def hindsight(self, incident_id: int) -> list[Hindsight]:
        """“When could we have known?”: the alarm at every setting over the incident's time."""
        return incident_hindsight(self.mentions, self.incidents.get(incident_id))

    def choose_alarm_setting(self, debrief_id: int, row: Hindsight) -> None:
        """Use a setting from "when could we have known": the workspace's alarm takes it, and
        the debrief keeps it as a lesson (shown in its report)."""
        debrief = self.get(debrief_id)
        text = f"Set the spike alarm to {row.setting.describe()}: {row.line()}"
        with self.db.atomic():
            self.choose_setting(row.setting)
            debrief.lessons.append(Lesson(text, {}, accepted=True))
            self.save_draft(debrief)

    def _debrief(self, row: dict) -> Debrief:
        return Debrief(
            id=row["id"],
            incident_id=row["incident_id"],
            status=row["status"],
            step=row["step"] or 0,
            summary=row["summary"] or "",
            went_well=json.loads(row["went_well"] or "[]"),
            went_badly=json.loads(row["went_badly"] or "[]"),
            root_cause=row["root_cause"] or "",
            lessons=[Lesson(**item) for item in json.loads(row["lessons"] or "[]")],
            created_at=from_iso(row["created_at"]),
            updated_at=from_iso(row["updated_at"]),
            completed_at=from_iso(row["completed_at"]) if row["completed_at"] else None,
        )

    def for_incident(self, incident_id: int) -> Debrief | None:
        rows = list(self.db.table("debriefs").rows_where("incident_id = ?", [incident_id]))
        return self._debrief(rows[0]) if rows else None

    def get(self, debrief_id: int) -> Debrief:
        rows = list(self.db.table("debriefs").rows_where("id = ?", [debrief_id]))
        if not rows:
            raise DebriefError(f"There is no debrief number {debrief_id}.")
        return self._debrief(rows[0])

    def all(self) -> list[Debrief]:
        return [
            self._debrief(r)
            for r in self.db.table("debriefs").rows_where(order_by="updated_at DESC")
        ]

    def start(self, incident: Incident) -> Debrief:
        """The debrief of `incident`, started with a summary drafted from it if new."""
        existing = self.for_incident(incident.id)
        if existing:
            return existing
        if incident.status not in ("resolved", "closed"):
            raise DebriefError("Resolve the incident first; the debrief looks back on it.")
        now = to_iso(self.clock())
        what = incident.assessment.get("what_happened", "")
        at_first = declared_level(self.incidents, incident)
        raised = f", then {incident.level_label}" if incident.level != at_first else ""
        summary = (
            f"{incident.title}. {what} Declared at {level_label(at_first)} on "
            f"{incident.declared_at.astimezone():%a %d %b %H:%M}{raised}"
            + (
                f", resolved {incident.resolved_at.astimezone():%a %d %b %H:%M}."
                if incident.resolved_at
                else "."
            )
        )
        with self.db.atomic():
            debrief_id = new_id(
                self.db.table("debriefs")
                .insert(
                    {
                        "incident_id": incident.id,
                        "status": "draft",
                        "step": 0,
                        "summary": " ".join(summary.split()),
                        "root_cause": incident.assessment.get("root_cause", ""),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                .last_pk
            )
        return self.get(debrief_id)

    def save_draft(self, debrief: Debrief) -> None:
        """Saved after every wizard step, so it can be left and resumed days later."""
        with self.db.atomic():
            self.db.table("debriefs").update(
                debrief.id,
                {
                    "step": debrief.step,
                    "summary": debrief.summary,
                    "went_well": json.dumps([w for w in debrief.went_well if w.strip()]),
                    "went_badly": json.dumps([w for w in debrief.went_badly if w.strip()]),
                    "root_cause": debrief.root_cause,
                    "lessons": json.dumps([vars(lesson) for lesson in debrief.lessons]),
                    "updated_at": to_iso(self.clock()),
                },
            )

    def complete(self, debrief_id: int) -> None:
        now = to_iso(self.clock())
        with self.db.atomic():
            self.db.table("debriefs").update(
                debrief_id, {"status": "complete", "completed_at": now, "updated_at": now}
            )

    def apply_lessons(self, debrief_id: int, author: str = "") -> int | None:
        """Apply every accepted, not yet applied plan change as ONE new plan revision that names
        the debrief; returns the revision id (None when nothing was accepted)."""
        debrief = self.get(debrief_id)
        pending = [
            lesson
            for lesson in debrief.lessons
            if lesson.accepted and lesson.change and lesson.revision_id is None
        ]
        if not pending:
            return None
        incident = self.incidents.get(debrief.incident_id)
        summary = f"From the debrief of “{incident.title}”: " + "; ".join(
            lesson.text for lesson in pending
        )
        with self.db.atomic():
            revision = self.change_plan(
                [lesson.change for lesson in pending], summary, author, debrief_id
            )
            for lesson in pending:
                lesson.revision_id = revision.id
            self.save_draft(debrief)
        return revision.id

    def change_plan(
        self, changes: list[dict], summary: str, author: str = "", debrief_id: int | None = None
    ) -> Revision:
        """Lessons' changes applied as ONE new plan revision with `summary` (from a debrief, or
        from a drill's score); a call-tree change also adds the person to that level's tree."""
        plan = self.plan.get_current()
        if plan is None:
            raise DebriefError("There is no plan to change yet; start one on the Plan page.")
        for change in changes:
            plan = apply_change(plan, change)
        with self.db.atomic():
            revision = self.plan.save(plan, summary, author, debrief_id=debrief_id)
            for change in changes:
                if change.get("kind") == "call_tree":
                    self.contacts.add_to_call_tree(
                        int(change["level"]), int(change["contact_id"]), change.get("caller_id")
                    )
        return revision

    def owed(self, now: datetime) -> list[Incident]:
        """Resolved incidents past the review window with no completed debrief."""
        owed = []
        for incident in self.incidents.all():
            if incident.status not in ("resolved", "closed") or not incident.resolved_at:
                continue
            debrief = self.for_incident(incident.id)
            if debrief and debrief.status == "complete":
                continue
            if business_days_between(incident.resolved_at, now) > REVIEW_WITHIN_BUSINESS_DAYS:
                owed.append(incident)
        return owed


def business_days_between(start: datetime, end: datetime) -> int:
    days, day = 0, start.date()
    while day < end.date():
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days

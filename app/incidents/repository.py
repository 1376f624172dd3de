"""Incidents: declared, assessed, escalated, tracked and updated on time.

Every state change writes exactly one timeline event in the same transaction as the change,
so the timeline is the incident's own record, in order, with times from the store's clock.
The ladder and the playbooks come from the workspace's plan through the `facts` source that
`Store` wires in; mentions are asked of the mentions repository, which owns their table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlite_utils import Database

from app.db import new_id
from app.incidents.model import (
    ASSESSMENT_FIELDS,
    OPEN_STATUSES,
    STATUSES,
    ChecklistItem,
    Event,
    EventKind,
    Incident,
    IncidentError,
    OpenEnds,
    PersonToReach,
    PlanFacts,
    Task,
)
from app.levels import level_label
from app.mentions.repository import MentionRepository
from app.timeutil import Clock, from_iso, to_iso


def _dt(value: str | None) -> datetime | None:
    return from_iso(value) if value else None


class IncidentRepository:
    """Owns incidents, incident_events, incident_people, incident_checklist, incident_tasks."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        mentions: MentionRepository,
        facts: Callable[[], PlanFacts],
        person: Callable[[], str] = lambda: "",
    ):
        self.db = db
        self.clock = clock
        self.mentions = mentions
        self.person = person  # who works on this laptop, in a shared workspace
        self.plan_facts = facts  # what the workspace's plan says, read when it is needed

    # reading

    def _incident(self, row: dict) -> Incident:
        return Incident(
            id=row["id"],
            title=row["title"],
            status=row["status"],
            level=row["level"],
            declared_at=from_iso(row["declared_at"]),
            crisis_type=row["crisis_type"] or "",
            origin=row["origin"] or "manual",
            resolved_at=_dt(row["resolved_at"]),
            closed_at=_dt(row["closed_at"]),
            next_update_due_at=_dt(row["next_update_due_at"]),
            last_update_at=_dt(row["last_update_at"]),
            assessment=json.loads(row["assessment"] or "{}"),
            impact=row["impact"] or 0,
            reach=row["reach"] or 0,
            public_title=row.get("public_title") or "",
        )

    def get(self, incident_id: int) -> Incident:
        rows = list(self.db.table("incidents").rows_where("id = ?", [incident_id]))
        if not rows:
            raise IncidentError(f"There is no incident number {incident_id}.")
        return self._incident(rows[0])

    def all(self, open_only: bool = False) -> list[Incident]:
        where = "status IN ({})".format(",".join("?" * len(OPEN_STATUSES))) if open_only else None
        args = list(OPEN_STATUSES) if open_only else []
        return [
            self._incident(r)
            for r in self.db.table("incidents").rows_where(where, args, order_by="declared_at DESC")
        ]

    def timeline(self, incident_id: int, kinds: tuple[str, ...] | None = None) -> list[Event]:
        where = "incident_id = ?"
        args: list = [incident_id]
        if kinds:
            where += " AND kind IN ({})".format(",".join("?" * len(kinds)))
            args += list(kinds)
        return [
            Event(
                id=r["id"],
                incident_id=r["incident_id"],
                at=from_iso(r["at"]),
                kind=r["kind"],
                text=r["text"],
                data=json.loads(r["data"] or "{}"),
                original_at=_dt(r["original_at"]),
                key_moment=bool(r["key_moment"]),
            )
            for r in self.db.table("incident_events").rows_where(where, args, order_by="at, id")
        ]

    def people(self, incident_id: int) -> list[PersonToReach]:
        return [
            PersonToReach(
                id=r["id"],
                incident_id=r["incident_id"],
                name=r["name"],
                role=r["role"] or "",
                level=r["level"],
                due_at=from_iso(r["due_at"]),
                reached_at=_dt(r["reached_at"]),
                how=r["how"] or "",
                phone=r["phone"] or "",
                email=r["email"] or "",
                contact_id=r["contact_id"],
            )
            for r in self.db.table("incident_people").rows_where(
                "incident_id = ?", [incident_id], order_by="level, id"
            )
        ]

    def checklist(self, incident_id: int, which: str | None = None) -> list[ChecklistItem]:
        where = "incident_id = ?"
        args: list = [incident_id]
        if which:
            where += " AND list = ?"
            args.append(which)
        return [
            ChecklistItem(
                r["id"], r["incident_id"], r["list"], r["position"], r["text"], _dt(r["done_at"])
            )
            for r in self.db.table("incident_checklist").rows_where(
                where, args, order_by="list, position"
            )
        ]

    def tasks(self, incident_id: int | None = None, kind: str | None = None) -> list[Task]:
        clauses: list[str] = []
        args: list = []
        if incident_id is not None:
            clauses.append("incident_id = ?")
            args.append(incident_id)
        if kind:
            clauses.append("kind = ?")
            args.append(kind)
        return [
            Task(
                r["id"],
                r["incident_id"],
                r["kind"],
                r["title"],
                r["owner"] or "",
                _dt(r["due_at"]),
                _dt(r["done_at"]),
                from_iso(r["created_at"]),
                r["notes"] or "",
            )
            for r in self.db.table("incident_tasks").rows_where(
                " AND ".join(clauses) or None, args, order_by="done_at IS NOT NULL, due_at, id"
            )
        ]

    def mention_ids(self, incident_id: int) -> list[int]:
        return self.mentions.ids_for_incident(incident_id)

    def mention_stats(self, incident_id: int) -> tuple[int, int]:
        """(mentions attached, of which negative)."""
        return self.mentions.incident_stats(incident_id)

    def open_corrective_actions(self) -> list[dict]:
        """Corrective actions not done yet, across every incident: tracked until closed."""
        return [
            dict(r)
            for r in self.db.query(
                "SELECT t.*, i.title AS incident_title FROM incident_tasks t "
                "JOIN incidents i ON i.id = t.incident_id "
                "WHERE t.kind = 'corrective' AND t.done_at IS NULL ORDER BY t.due_at"
            )
        ]

    def annotations(self, incident_id: int) -> dict[int, str]:
        return {
            r["id"]: r["annotation"]
            for r in self.db.query(
                "SELECT id, annotation FROM incident_events WHERE incident_id = ? "
                "AND annotation IS NOT NULL",
                [incident_id],
            )
        }

    def annotate_event(
        self,
        event_id: int,
        *,
        annotation: str | None = None,
        corrected_at: datetime | None = None,
        key_moment: bool | None = None,
    ) -> None:
        """Annotate, correct a time (keeping the original once) or mark a key moment."""
        row = self.db.table("incident_events").get(event_id)
        changes: dict = {}
        if annotation is not None:
            changes["annotation"] = annotation.strip() or None
        if corrected_at is not None:
            changes["at"] = to_iso(corrected_at)
            if not row["original_at"]:
                changes["original_at"] = row["at"]
        if key_moment is not None:
            changes["key_moment"] = int(key_moment)
        with self.db.atomic():
            self.db.table("incident_events").update(event_id, changes)

    # writing: every change and its timeline event in one transaction

    def add_event(self, incident_id: int, at: datetime, kind: EventKind, text: str, **data) -> None:
        """One timeline line; callers write it in the transaction of the change it records.
        In a shared workspace the line says who did it."""
        who = self.person()
        if who:
            text, data = f"{text} · {who}", {**data, "by": who}
        self.db.table("incident_events").insert(
            {
                "incident_id": incident_id,
                "at": to_iso(at),
                "kind": str(kind),
                "text": text,
                "data": json.dumps(data, default=str),
            }
        )

    def declare(
        self,
        title: str,
        level: int,
        *,
        crisis_type: str = "",
        origin: str = "manual",
        mention_ids: list[int] | None = None,
        impact: int = 0,
        reach: int = 0,
        reason: str = "",
        declared_at: datetime | None = None,
    ) -> Incident:
        title = title.strip()
        if not title:
            raise IncidentError(
                "Give the incident a short title, e.g. “Custard tart illness posts”."
            )
        facts = self.plan_facts()
        if level not in facts.ladder:
            raise IncidentError("Choose a level from 1 (Watch) to 4 (Critical).")
        now = declared_at or self.clock()
        step = facts.step(level)
        with self.db.atomic():
            incident_id = new_id(
                self.db.table("incidents")
                .insert(
                    {
                        "title": title,
                        "crisis_type": crisis_type,
                        "status": "investigating",
                        "level": level,
                        "origin": origin,
                        "declared_at": to_iso(now),
                        "next_update_due_at": to_iso(
                            now + timedelta(minutes=step.first_update_minutes)
                        ),
                        "assessment": "{}",
                        "impact": impact,
                        "reach": reach,
                    }
                )
                .last_pk
            )
            text = f"Declared at {level_label(level)}: {title}"
            self.add_event(
                incident_id,
                now,
                EventKind.DECLARED,
                text + (f" ({reason})" if reason else ""),
                level=level,
                origin=origin,
            )
            self._add_people(incident_id, facts, level, now)
            playbook = facts.playbooks.get(crisis_type)
            for position, item in enumerate(playbook.first_hour if playbook else ()):
                self._checklist_item(incident_id, "first-hour", position, item)
            for position, item in enumerate(facts.channel_checklist):
                self._checklist_item(incident_id, "channels", position, item)
            if mention_ids:
                self._attach(incident_id, mention_ids, now)
        return self.get(incident_id)

    def _checklist_item(self, incident_id: int, which: str, position: int, text: str) -> None:
        self.db.table("incident_checklist").insert(
            {"incident_id": incident_id, "list": which, "position": position, "text": text}
        )

    def _add_people(self, incident_id: int, facts: PlanFacts, level: int, now: datetime) -> None:
        listed = {p.name for p in self.people(incident_id)}
        for person_level, person in facts.people_up_to(level):
            if person.name in listed:
                continue
            within = facts.step(level).notify_within_minutes
            self.db.table("incident_people").insert(
                {
                    "incident_id": incident_id,
                    "name": person.name,
                    "role": person.role,
                    "contact_id": person.contact_id,
                    "phone": person.phone,
                    "email": person.email,
                    "level": person_level,
                    "due_at": to_iso(now + timedelta(minutes=within)),
                }
            )

    def change_level(self, incident_id: int, level: int, reason: str) -> Incident:
        incident = self.get(incident_id)
        facts = self.plan_facts()
        if level == incident.level:
            return incident
        if level not in facts.ladder:
            raise IncidentError("Choose a level from 1 (Watch) to 4 (Critical).")
        if not reason.strip():
            raise IncidentError(
                "Say in a few words why the level changes; it goes on the timeline."
            )
        now = self.clock()
        changes: dict = {"level": level}
        if level > incident.level and incident.is_open:
            # Escalating brings the next update forward to the new level's first deadline.
            sooner = now + timedelta(minutes=facts.step(level).first_update_minutes)
            if incident.next_update_due_at is None or sooner < incident.next_update_due_at:
                changes["next_update_due_at"] = to_iso(sooner)
        with self.db.atomic():
            self.db.table("incidents").update(incident_id, changes)
            self.add_event(
                incident_id,
                now,
                EventKind.SEVERITY,
                f"{level_label(incident.level)} → {level_label(level)}: {reason.strip()}",
                old=incident.level,
                new=level,
            )
            if level > incident.level:
                self._add_people(incident_id, facts, level, now)
        return self.get(incident_id)

    def open_ends(self, incident_id: int, now: datetime | None = None) -> OpenEnds:
        """What is still open: asked before resolving or closing, and said in the question."""
        now = now or self.clock()
        incident = self.get(incident_id)
        tasks = self.tasks(incident_id)
        due_in = incident.update_due_in(now)
        return OpenEnds(
            unreached=tuple(p.name for p in self.people(incident_id) if p.reached_at is None),
            tasks=tuple(t.title for t in tasks if t.kind == "task" and t.done_at is None),
            corrective=tuple(t.title for t in tasks if t.kind == "corrective" and not t.done_at),
            checklist=sum(1 for c in self.checklist(incident_id) if c.done_at is None),
            update_overdue=due_in is not None and due_in.total_seconds() < 0,
        )

    def set_status(
        self,
        incident_id: int,
        status: str,
        reason: str = "",
        next_update_due_at: datetime | None = None,
    ) -> Incident:
        """Move the incident to `status`, with the owner's `reason` on the timeline. Resolving
        or closing stops the update countdown; reopening starts it again: at
        `next_update_due_at` (an undo puts back the deadline it had), else one cadence on."""
        if status not in STATUSES:
            raise IncidentError(f"Unknown status '{status}'.")
        incident = self.get(incident_id)
        if status == incident.status:
            return incident
        now = self.clock()
        changes: dict = {"status": status}
        if status == "resolved" and incident.status == "closed":
            changes |= {"closed_at": None}  # back from closed: it was resolved when it was
            if incident.resolved_at is None:
                changes |= {"resolved_at": to_iso(now)}
        elif status == "resolved":
            changes |= {"resolved_at": to_iso(now), "next_update_due_at": None}
        if status == "closed":
            changes |= {"closed_at": to_iso(now), "next_update_due_at": None}
        if status in OPEN_STATUSES and incident.status in ("resolved", "closed"):
            if next_update_due_at is None:
                cadence = self.plan_facts().step(incident.level).cadence_minutes
                next_update_due_at = now + timedelta(minutes=cadence)
            changes |= {
                "resolved_at": None,
                "closed_at": None,
                "next_update_due_at": to_iso(next_update_due_at),
            }
        text = f"Status: {incident.status} → {status}"
        if reason.strip():
            text += f" — {' '.join(reason.split())}"
        with self.db.atomic():
            self.db.table("incidents").update(incident_id, changes)
            self.add_event(
                incident_id,
                now,
                EventKind.STATUS,
                text,
                old=incident.status,
                new=status,
                reason=reason.strip(),
            )
        return self.get(incident_id)

    def set_public_title(self, incident_id: int, title: str) -> None:
        """The headline customers read on the landing page (never the internal title)."""
        self.get(incident_id)
        with self.db.atomic():
            self.db.table("incidents").update(
                incident_id, {"public_title": " ".join(title.split())}
            )

    def save_assessment(
        self, incident_id: int, sheet: dict, impact: int = 0, reach: int = 0
    ) -> None:
        known = {key for key, _ in ASSESSMENT_FIELDS} | {"root_cause_confirmed"}
        clean = {k: v for k, v in sheet.items() if k in known}
        with self.db.atomic():
            self.db.table("incidents").update(
                incident_id, {"assessment": json.dumps(clean), "impact": impact, "reach": reach}
            )

    def mark_reached(self, person_id: int, how: str = "", reached: bool = True) -> None:
        row = self.db.table("incident_people").get(person_id)
        now = self.clock()
        with self.db.atomic():
            if reached and not row["reached_at"]:
                self.db.table("incident_people").update(
                    person_id, {"reached_at": to_iso(now), "how": how}
                )
                role = f" ({row['role']})" if row["role"] else ""
                self.add_event(
                    row["incident_id"],
                    now,
                    EventKind.REACHED,
                    f"Reached {row['name']}{role}" + (f" by {how}" if how else ""),
                    person=row["name"],
                )
            elif not reached and row["reached_at"]:
                self.db.table("incident_people").update(person_id, {"reached_at": None, "how": ""})
                self.add_event(
                    row["incident_id"],
                    now,
                    EventKind.REACHED,
                    f"Unticked: {row['name']} not reached after all",
                    person=row["name"],
                )

    def tick(self, item_id: int, done: bool = True) -> None:
        row = self.db.table("incident_checklist").get(item_id)
        now = self.clock()
        if bool(row["done_at"]) == done:
            return
        with self.db.atomic():
            self.db.table("incident_checklist").update(
                item_id, {"done_at": to_iso(now) if done else None}
            )
            self.add_event(
                row["incident_id"],
                now,
                EventKind.CHECKLIST,
                ("Done: " if done else "Reopened: ") + row["text"],
                list=row["list"],
            )

    def add_task(
        self,
        incident_id: int,
        title: str,
        owner: str = "",
        due_at: datetime | None = None,
        kind: str = "task",
    ) -> int:
        if kind not in ("task", "corrective"):
            raise IncidentError("A task is either a task or a corrective action.")
        if not title.strip():
            raise IncidentError("Say what needs doing.")
        now = self.clock()
        event_kind, word = (
            (EventKind.TASK, "Task") if kind == "task" else (EventKind.ACTION, "Corrective action")
        )
        with self.db.atomic():
            task_id = new_id(
                self.db.table("incident_tasks")
                .insert(
                    {
                        "incident_id": incident_id,
                        "kind": kind,
                        "title": title.strip(),
                        "owner": owner,
                        "due_at": to_iso(due_at) if due_at else None,
                        "created_at": to_iso(now),
                    }
                )
                .last_pk
            )
            who = f" — {owner}" if owner else ""
            self.add_event(
                incident_id, now, event_kind, f"{word}: {title.strip()}{who}", task=task_id
            )
        return task_id

    def complete_task(self, task_id: int, done: bool = True) -> None:
        row = self.db.table("incident_tasks").get(task_id)
        if bool(row["done_at"]) == done:
            return
        now = self.clock()
        kind = EventKind.TASK_DONE if row["kind"] == "task" else EventKind.ACTION_DONE
        with self.db.atomic():
            self.db.table("incident_tasks").update(
                task_id, {"done_at": to_iso(now) if done else None}
            )
            verb = "Done" if done else "Reopened"
            self.add_event(row["incident_id"], now, kind, f"{verb}: {row['title']}", task=task_id)

    def add_note(self, incident_id: int, text: str) -> None:
        if not text.strip():
            raise IncidentError("The note is empty.")
        with self.db.atomic():
            self.add_event(incident_id, self.clock(), EventKind.NOTE, text.strip())

    def attach_mentions(self, incident_id: int, mention_ids: list[int]) -> int:
        with self.db.atomic():
            return self._attach(incident_id, mention_ids, self.clock())

    def _attach(self, incident_id: int, mention_ids: list[int], now: datetime) -> int:
        if not mention_ids:
            return 0
        new = self.mentions.not_attached_to(mention_ids, incident_id)
        if not new:
            return 0
        self.mentions.set_incident(new, incident_id)
        plural = "s" if len(new) != 1 else ""
        self.add_event(
            incident_id,
            now,
            EventKind.MENTIONS,
            f"Attached {len(new)} mention{plural}",
            count=len(new),
        )
        return len(new)

    def record_published_update(
        self,
        incident_id: int,
        title: str,
        channel: str,
        url: str = "",
        promised: datetime | None = None,
    ) -> Incident:
        """A statement went out: it lands on the timeline and restarts the update countdown —
        at the time the statement promised the next update when that comes sooner (the public
        was told it; the countdown must not let it pass)."""
        incident = self.get(incident_id)
        facts = self.plan_facts()
        now = self.clock()
        changes = {"last_update_at": to_iso(now)}
        if incident.is_open:
            cadence = facts.step(incident.level).cadence_minutes
            due = now + timedelta(minutes=cadence)
            if promised is not None and now < promised < due:
                due = promised
            changes["next_update_due_at"] = to_iso(due)
        with self.db.atomic():
            self.db.table("incidents").update(incident_id, changes)
            where = f" on {channel}" if channel else ""
            self.add_event(
                incident_id,
                now,
                EventKind.STATEMENT_PUBLISHED,
                f"Published “{title}”{where}",
                channel=channel,
                url=url,
            )
        return self.get(incident_id)

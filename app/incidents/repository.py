"""Incidents: declared, assessed, escalated, tracked and updated on time.

Every state change writes exactly one timeline event in the same transaction as the change,
so the timeline is the incident's own record, in order, with times from the store's clock.
The plan supplies the ladder (who is told, how fast, update cadence) and the playbooks'
checklists through `PlanFacts`, so this module needs no knowledge of how the plan is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlite_utils import Database

from app.errors import UserError
from app.incidents.severity import LEVEL_NAMES, level_label
from app.mentions.repository import MentionRepository
from app.timeutil import Clock, from_iso, to_iso, utc_now

STATUSES = ("investigating", "identified", "monitoring", "resolved", "closed")
OPEN_STATUSES = ("investigating", "identified", "monitoring")
ASSESSMENT_FIELDS = (
    ("what_happened", "What happened"),
    ("facts", "Confirmed facts"),
    ("unknowns", "What we do not know yet"),
    ("root_cause", "Root cause"),
    ("stakeholders", "Who is affected"),
    ("consequences", "Possible consequences"),
)


class IncidentError(UserError, ValueError):
    """A request the incident cannot take; the message says why in plain words."""


# --- what the plan tells an incident ------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""
    contact_id: int | None = None


@dataclass(frozen=True)
class LadderStep:
    level: int
    trigger: str
    notify_within_minutes: int
    first_update_minutes: int
    cadence_minutes: int
    people: tuple[Person, ...] = ()

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level]


@dataclass(frozen=True)
class Playbook:
    key: str
    name: str
    first_hour: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanFacts:
    ladder: dict[int, LadderStep]
    playbooks: dict[str, Playbook] = field(default_factory=dict)
    channel_checklist: tuple[str, ...] = ()

    def step(self, level: int) -> LadderStep:
        return self.ladder[level]

    def people_up_to(self, level: int) -> list[tuple[int, Person]]:
        """Everyone who must be told at `level`: its own people and those of the levels below."""
        seen, out = set(), []
        for lvl in range(1, level + 1):
            for person in self.ladder[lvl].people if lvl in self.ladder else ():
                if person.name not in seen:
                    seen.add(person.name)
                    out.append((lvl, person))
        return out


# The runbook figures (PRODUCT.md) for a workspace that has no plan yet.
DEFAULT_LADDER = {
    1: LadderStep(1, "A few unhappy posts or reviews", 24 * 60, 24 * 60, 24 * 60),
    2: LadderStep(2, "Complaints spreading, or a customer harmed", 120, 120, 240),
    3: LadderStep(3, "Going viral, or a journalist asks", 30, 30, 60),
    4: LadderStep(4, "Serious harm, national press, or the law involved", 15, 15, 30),
}
DEFAULT_FACTS = PlanFacts(DEFAULT_LADDER)


# --- records -----------------------------------------------------------------------------


@dataclass
class Incident:
    id: int
    title: str
    status: str
    level: int
    declared_at: datetime
    crisis_type: str = ""
    origin: str = "manual"
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    next_update_due_at: datetime | None = None
    last_update_at: datetime | None = None
    assessment: dict = field(default_factory=dict)
    impact: int = 0
    reach: int = 0

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    def update_due_in(self, now: datetime) -> timedelta | None:
        """Time until the next update is due (negative when overdue); None when none is due."""
        if not self.is_open or self.next_update_due_at is None:
            return None
        return self.next_update_due_at - now


@dataclass
class Event:
    id: int
    incident_id: int
    at: datetime
    kind: str
    text: str
    data: dict = field(default_factory=dict)
    original_at: datetime | None = None
    key_moment: bool = False


@dataclass
class PersonToReach:
    id: int
    incident_id: int
    name: str
    role: str
    level: int
    due_at: datetime
    reached_at: datetime | None = None
    how: str = ""
    phone: str = ""
    email: str = ""
    contact_id: int | None = None

    def overdue(self, now: datetime) -> bool:
        return self.reached_at is None and now > self.due_at


@dataclass
class ChecklistItem:
    id: int
    incident_id: int
    list: str
    position: int
    text: str
    done_at: datetime | None = None


@dataclass
class Task:
    id: int
    incident_id: int
    kind: str
    title: str
    owner: str
    due_at: datetime | None
    done_at: datetime | None
    created_at: datetime
    notes: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.done_at is None and self.due_at is not None and now > self.due_at


def _dt(value: str | None) -> datetime | None:
    return from_iso(value) if value else None


def _how(how: str) -> str:
    """ " by phone", " in person", or nothing."""
    if not how:
        return ""
    return f" {how}" if how.startswith(("in ", "by ", "via ")) else f" by {how}"


def format_duration(delta: timedelta) -> str:
    """ "12 min", "1 h 05 min", "2 days 3 h" — for countdowns and metrics."""
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h" if hours else f"{days} days"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"


# --- the repository ----------------------------------------------------------------------


class IncidentRepository:
    def __init__(self, db: Database, clock: Clock = utc_now):
        self.db = db
        self.clock = clock

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
        )

    def get(self, incident_id: int) -> Incident:
        rows = list(self.db["incidents"].rows_where("id = ?", [incident_id]))
        if not rows:
            raise IncidentError(f"There is no incident number {incident_id}.")
        return self._incident(rows[0])

    def all(self, open_only: bool = False) -> list[Incident]:
        where = "status IN ({})".format(",".join("?" * len(OPEN_STATUSES))) if open_only else None
        args = list(OPEN_STATUSES) if open_only else []
        return [
            self._incident(r)
            for r in self.db["incidents"].rows_where(where, args, order_by="declared_at DESC")
        ]

    def timeline(self, incident_id: int, kinds: tuple[str, ...] | None = None) -> list[Event]:
        where, args = "incident_id = ?", [incident_id]
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
            for r in self.db["incident_events"].rows_where(where, args, order_by="at, id")
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
            for r in self.db["incident_people"].rows_where(
                "incident_id = ?", [incident_id], order_by="level, id"
            )
        ]

    def checklist(self, incident_id: int, which: str | None = None) -> list[ChecklistItem]:
        where, args = "incident_id = ?", [incident_id]
        if which:
            where += " AND list = ?"
            args.append(which)
        return [
            ChecklistItem(
                r["id"], r["incident_id"], r["list"], r["position"], r["text"], _dt(r["done_at"])
            )
            for r in self.db["incident_checklist"].rows_where(
                where, args, order_by="list, position"
            )
        ]

    def tasks(self, incident_id: int | None = None, kind: str | None = None) -> list[Task]:
        clauses, args = [], []
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
            for r in self.db["incident_tasks"].rows_where(
                " AND ".join(clauses) or None, args, order_by="done_at IS NOT NULL, due_at, id"
            )
        ]

    def mention_ids(self, incident_id: int) -> list[int]:
        return [
            r["id"]
            for r in self.db.query(
                "SELECT id FROM mentions WHERE incident_id = ? ORDER BY posted_at", [incident_id]
            )
        ]

    def mention_stats(self, incident_id: int) -> tuple[int, int]:
        """(mentions attached, of which negative)."""
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(sentiment = 'negative'), 0) FROM mentions "
            "WHERE incident_id = ?",
            [incident_id],
        ).fetchone()
        return row[0], row[1]

    # writing: every change and its timeline event in one transaction

    def add_event(self, incident_id: int, at: datetime, kind: str, text: str, **data) -> None:
        """One timeline line; callers write it in the transaction of the change it records."""
        self.db["incident_events"].insert(
            {
                "incident_id": incident_id,
                "at": to_iso(at),
                "kind": kind,
                "text": text,
                "data": json.dumps(data, default=str),
            }
        )

    def declare(
        self,
        title: str,
        level: int,
        facts: PlanFacts = DEFAULT_FACTS,
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
        if level not in facts.ladder:
            raise IncidentError("Choose a level from 1 (Watch) to 4 (Critical).")
        now = declared_at or self.clock()
        step = facts.step(level)
        with self.db.atomic():
            incident_id = (
                self.db["incidents"]
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
                "declared",
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
        self.db["incident_checklist"].insert(
            {"incident_id": incident_id, "list": which, "position": position, "text": text}
        )

    def _add_people(self, incident_id: int, facts: PlanFacts, level: int, now: datetime) -> None:
        listed = {p.name for p in self.people(incident_id)}
        for person_level, person in facts.people_up_to(level):
            if person.name in listed:
                continue
            within = facts.step(level).notify_within_minutes
            self.db["incident_people"].insert(
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

    def change_level(
        self, incident_id: int, level: int, reason: str, facts: PlanFacts = DEFAULT_FACTS
    ) -> Incident:
        incident = self.get(incident_id)
        if level == incident.level:
            return incident
        if level not in facts.ladder:
            raise IncidentError("Choose a level from 1 (Watch) to 4 (Critical).")
        if not reason.strip():
            raise IncidentError(
                "Say in a few words why the level changes; it goes on the timeline."
            )
        now = self.clock()
        changes = {"level": level}
        if level > incident.level and incident.is_open:
            # Escalating brings the next update forward to the new level's first deadline.
            sooner = now + timedelta(minutes=facts.step(level).first_update_minutes)
            if incident.next_update_due_at is None or sooner < incident.next_update_due_at:
                changes["next_update_due_at"] = to_iso(sooner)
        with self.db.atomic():
            self.db["incidents"].update(incident_id, changes)
            self.add_event(
                incident_id,
                now,
                "severity",
                f"{level_label(incident.level)} → {level_label(level)}: {reason.strip()}",
                old=incident.level,
                new=level,
            )
            if level > incident.level:
                self._add_people(incident_id, facts, level, now)
        return self.get(incident_id)

    def set_status(self, incident_id: int, status: str) -> Incident:
        if status not in STATUSES:
            raise IncidentError(f"Unknown status '{status}'.")
        incident = self.get(incident_id)
        if status == incident.status:
            return incident
        now = self.clock()
        changes: dict = {"status": status}
        if status == "resolved":
            changes |= {"resolved_at": to_iso(now), "next_update_due_at": None}
        if status == "closed":
            changes |= {"closed_at": to_iso(now), "next_update_due_at": None}
        if status in OPEN_STATUSES and incident.status in ("resolved", "closed"):
            changes |= {"resolved_at": None, "closed_at": None}
        with self.db.atomic():
            self.db["incidents"].update(incident_id, changes)
            self.add_event(
                incident_id,
                now,
                "status",
                f"Status: {incident.status} → {status}",
                old=incident.status,
                new=status,
            )
        return self.get(incident_id)

    def save_assessment(
        self, incident_id: int, sheet: dict, impact: int = 0, reach: int = 0
    ) -> None:
        known = {key for key, _ in ASSESSMENT_FIELDS} | {"root_cause_confirmed"}
        clean = {k: v for k, v in sheet.items() if k in known}
        with self.db.atomic():
            self.db["incidents"].update(
                incident_id, {"assessment": json.dumps(clean), "impact": impact, "reach": reach}
            )

    def mark_reached(self, person_id: int, how: str = "", reached: bool = True) -> None:
        row = self.db["incident_people"].get(person_id)
        now = self.clock()
        with self.db.atomic():
            if reached and not row["reached_at"]:
                self.db["incident_people"].update(
                    person_id, {"reached_at": to_iso(now), "how": how}
                )
                role = f" ({row['role']})" if row["role"] else ""
                self.add_event(
                    row["incident_id"],
                    now,
                    "reached",
                    f"Reached {row['name']}{role}" + (f" by {how}" if how else ""),
                    person=row["name"],
                )
            elif not reached and row["reached_at"]:
                self.db["incident_people"].update(person_id, {"reached_at": None, "how": ""})
                self.add_event(
                    row["incident_id"],
                    now,
                    "reached",
                    f"Unticked: {row['name']} not reached after all",
                    person=row["name"],
                )

    def tick(self, item_id: int, done: bool = True) -> None:
        row = self.db["incident_checklist"].get(item_id)
        now = self.clock()
        if bool(row["done_at"]) == done:
            return
        with self.db.atomic():
            self.db["incident_checklist"].update(
                item_id, {"done_at": to_iso(now) if done else None}
            )
            self.add_event(
                row["incident_id"],
                now,
                "checklist",
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
        event_kind, word = ("task", "Task") if kind == "task" else ("action", "Corrective action")
        with self.db.atomic():
            task_id = (
                self.db["incident_tasks"]
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
        row = self.db["incident_tasks"].get(task_id)
        if bool(row["done_at"]) == done:
            return
        now = self.clock()
        kind = "task-done" if row["kind"] == "task" else "action-done"
        with self.db.atomic():
            self.db["incident_tasks"].update(task_id, {"done_at": to_iso(now) if done else None})
            verb = "Done" if done else "Reopened"
            self.add_event(row["incident_id"], now, kind, f"{verb}: {row['title']}", task=task_id)

    def add_note(self, incident_id: int, text: str) -> None:
        if not text.strip():
            raise IncidentError("The note is empty.")
        with self.db.atomic():
            self.add_event(incident_id, self.clock(), "note", text.strip())

    def attach_mentions(self, incident_id: int, mention_ids: list[int]) -> int:
        with self.db.atomic():
            return self._attach(incident_id, mention_ids, self.clock())

    def _attach(self, incident_id: int, mention_ids: list[int], now: datetime) -> int:
        if not mention_ids:
            return 0
        marks = ",".join("?" * len(mention_ids))
        query = (
            f"SELECT id FROM mentions WHERE id IN ({marks}) "
            "AND (incident_id IS NULL OR incident_id != ?)"
        )
        new = [r["id"] for r in self.db.query(query, [*mention_ids, incident_id])]
        if not new:
            return 0
        MentionRepository(self.db, self.clock).set_incident(new, incident_id)
        plural = "s" if len(new) != 1 else ""
        self.add_event(
            incident_id, now, "mentions", f"Attached {len(new)} mention{plural}", count=len(new)
        )
        return len(new)

    def record_published_update(
        self,
        incident_id: int,
        title: str,
        channel: str,
        facts: PlanFacts = DEFAULT_FACTS,
        url: str = "",
    ) -> Incident:
        """A statement went out: it lands on the timeline and restarts the update countdown."""
        incident = self.get(incident_id)
        now = self.clock()
        changes = {"last_update_at": to_iso(now)}
        if incident.is_open:
            cadence = facts.step(incident.level).cadence_minutes
            changes["next_update_due_at"] = to_iso(now + timedelta(minutes=cadence))
        with self.db.atomic():
            self.db["incidents"].update(incident_id, changes)
            where = f" on {channel}" if channel else ""
            self.add_event(
                incident_id,
                now,
                "statement-published",
                f"Published “{title}”{where}",
                channel=channel,
                url=url,
            )
        return self.get(incident_id)


def timeline_markdown(incident: Incident, events: list[Event]) -> str:
    """The timeline as Markdown, local times, for pasting into an email or a report. Event texts
    quote mentions, notes and statements: they are escaped, so no viewer renders them as HTML."""
    from app.text import markdown_text

    lines = [
        f"# {' '.join(markdown_text(incident.title).split())}",
        "",
        f"{incident.level_label} · {incident.status} · declared "
        f"{incident.declared_at.astimezone().strftime('%a %d %b %Y %H:%M')}",
        "",
        "| time | what happened |",
        "|---|---|",
    ]
    for event in events:
        when = event.at.astimezone().strftime("%a %d %b %H:%M")
        lines.append(f"| {when} | {markdown_text(event.text, table_cell=True)} |")
    return "\n".join(lines) + "\n"


def plan_facts(store) -> PlanFacts:
    """What the workspace's plan says an incident needs: the ladder with the people each level
    tells (the roles' primary contacts, then the level's call tree), the playbooks' first-hour
    checklists and the channels' activation checklists. Without a plan: the runbook defaults."""
    plan = store.plan.get_current()
    if plan is None or not plan.ladder:
        return DEFAULT_FACTS
    contacts = {c.id: c for c in store.contacts.all()}
    roles = {}
    for role in plan.roles:
        roles[role.key] = role
        roles[role.name.lower()] = role

    def person(contact_id, role_name: str) -> Person | None:
        contact = contacts.get(contact_id)
        if contact is None:
            return None
        return Person(
            contact.name,
            role_name or contact.role,
            contact.first_phone,
            contact.first_email,
            contact.id,
        )

    ladder = {}
    for level in plan.ladder:
        people: list[Person] = []
        for wanted in level.notify:
            role = roles.get(wanted) or roles.get(str(wanted).lower())
            found = person(role.primary_id, role.name) if role else None
            if found is None:
                name = role.name if role else str(wanted)
                found = Person(f"{name} (nobody named in the plan yet)", name)
            same = next((i for i, p in enumerate(people) if p.name == found.name), None)
            if same is None:
                people.append(found)
            else:  # one person in two roles is told once
                people[same] = replace(people[same], role=f"{people[same].role}, {found.role}")
        for _depth, callee, _caller in store.contacts.call_order(level.level):
            found = person(callee, "")
            if found and found.name not in {p.name for p in people}:
                people.append(found)
        ladder[level.level] = LadderStep(
            level.level,
            level.trigger,
            level.notify_within_min,
            level.first_update_min,
            level.cadence_min,
            tuple(people),
        )
    for number, default in DEFAULT_LADDER.items():
        ladder.setdefault(number, default)
    playbooks = {p.key: Playbook(p.key, p.name, tuple(p.first_hour)) for p in plan.playbooks}
    channels = tuple(f"{c.name}: {item}" for c in plan.channels for item in c.checklist)
    return PlanFacts(ladder, playbooks, channels)

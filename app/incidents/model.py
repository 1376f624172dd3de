"""What an incident is made of: its record, timeline events, people to reach, checklists and
tasks, and `PlanFacts` — what the workspace's plan tells an incident (the ladder: who is told,
how fast, the update cadence; the playbooks' first-hour checklists)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from app.errors import UserError
from app.levels import LEVEL_NAMES, level_label


class EventKind(StrEnum):
    """Every kind of line on an incident's timeline."""

    DECLARED = "declared"
    SEVERITY = "severity"
    STATUS = "status"
    REACHED = "reached"
    CHECKLIST = "checklist"
    TASK = "task"
    TASK_DONE = "task-done"
    ACTION = "action"
    ACTION_DONE = "action-done"
    NOTE = "note"
    MENTIONS = "mentions"
    STATEMENT_APPROVED = "statement-approved"
    STATEMENT_PUBLISHED = "statement-published"


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
    public_title: str = ""  # the landing page's headline; the title above is internal

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


@dataclass(frozen=True)
class OpenEnds:
    """What is still open on an incident, said before it is resolved or closed."""

    unreached: tuple[str, ...] = ()  # people the ladder names, not reached yet
    tasks: tuple[str, ...] = ()  # tasks now, not done
    corrective: tuple[str, ...] = ()  # corrective actions, not done (they outlive the incident)
    checklist: int = 0  # checklist steps not ticked
    update_overdue: bool = False
    debrief_done: bool = True

    def lines(self, ending: str) -> list[str]:
        """One plain sentence each; `ending` is "resolved" or "closed"."""
        out = []
        if self.unreached:
            names = ", ".join(self.unreached[:4]) + (" …" if len(self.unreached) > 4 else "")
            out.append(f"{_count(len(self.unreached), 'person', 'people')} not reached: {names}")
        if self.tasks:
            out.append(f"{_count(len(self.tasks), 'task')} not done: {self.tasks[0]}")
        if self.checklist:
            out.append(f"{_count(self.checklist, 'checklist step')} not ticked")
        if self.update_overdue:
            out.append("Your next public update is overdue")
        if self.corrective and ending == "closed":
            out.append(
                f"{_count(len(self.corrective), 'corrective action')} still open "
                "(they stay on the Dashboard until done)"
            )
        if not self.debrief_done and ending == "closed":
            out.append("The debrief is not done yet")
        return out


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


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

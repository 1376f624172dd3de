"""The autopilot: a reasonable owner for `drill run --auto`, so a scenario's author can watch it
play from start to end and see which expectations a sensible response meets.

It reads the injects as they arrive and, on the drill clock: declares a few minutes after the
first one at the level the severity matrix proposes (from the impact and reach the injects
suggest), reaches the ladder's people one after another within their deadline, ticks the
playbook's first-hour steps, fills in what happened, publishes a holding statement from the
template, escalates when an inject makes the matrix propose a higher level, notes calls and
facts on the timeline, attaches and answers the posts, and publishes an update before the next
one is due. Every action goes through the same repositories the window uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from app.drills.model import DrillEvent
from app.drills.runner import DrillRun
from app.incidents.severity import propose_level
from app.statements.templates import fill_variables, template_text

THINK = timedelta(minutes=3)  # from the first inject to declaring
STEP_EVERY = timedelta(minutes=2)  # one first-hour step ticked every two minutes
ANSWER_AFTER = timedelta(minutes=4)
CHANNEL = "website"
_UNFILLED = re.compile(r"\{\{\s*[\w.]+\s*\}\}")


@dataclass(order=True)
class _Action:
    at: datetime
    order: int
    label: str = field(compare=False)
    do: Callable[[], object] = field(compare=False)


class Autopilot:
    def __init__(self, run: DrillRun):
        self.run = run
        self.store = run.store
        self.impact = 2
        self.reach = 2
        self.facts: list[str] = []
        self.unattached: list[int] = []
        self.incident_id: int | None = None
        self.actions: list[_Action] = []
        self.done: list[str] = []  # what it did, in order, for the author
        self._order = 0
        self._declaring = False
        self._people_planned: set[int] = set()
        self._updates = 0
        self._update_planned = False

    # --- the pilot's interface (app.drills.runner.Pilot) ---------------------------------------

    def next_due(self) -> datetime | None:
        return min((a.at for a in self.actions), default=None)

    def act(self, events: list[DrillEvent]) -> bool:
        for event in events:
            self._read(event)
        now = self.run.clock()
        due = sorted(a for a in self.actions if a.at <= now)
        if not due:
            return False
        self.actions = [a for a in self.actions if a.at > now]
        for action in due:
            action.do()
            self.done.append(f"T+{self.run.minute(now):.0f} min: {action.label}")
        return True

    # --- reading the drill ---------------------------------------------------------------------

    def _plan(self, at: datetime, label: str, do: Callable[[], object]) -> None:
        self._order += 1
        self.actions.append(_Action(at, self._order, label, do))

    def _read(self, event: DrillEvent) -> None:
        if event.by == "scenario":
            self.impact = max(self.impact, event.data.get("impact") or 0)
            self.reach = max(self.reach, event.data.get("reach") or 0)
            self.unattached.extend(event.mention_ids)
            if event.kind == "fact":
                self.facts.append(event.text)
            if self.incident_id is None and not self._declaring:
                self._declaring = True
                self._plan(event.at + THINK, "declare at the proposed level", self._declare)
            elif self.incident_id is not None:
                self._after_inject(event)
        elif event.by == "you" and event.kind == "published" and not self._update_planned:
            self._plan_update()

    def _after_inject(self, event: DrillEvent) -> None:
        if event.mention_ids:
            self._plan(
                event.at + timedelta(minutes=1), "attach and answer the new posts", self._attach
            )
        if event.kind in ("call", "email", "fact"):
            self._plan(
                event.at + timedelta(minutes=1), f"note the {event.kind}", lambda: self._note(event)
            )
        incident = self.store.incidents.get(self._incident())
        proposed = propose_level(self.impact, self.reach).level
        if proposed > incident.level:
            self._plan(
                event.at + timedelta(minutes=2),
                f"escalate to level {proposed}",
                lambda: self._escalate(proposed, event.title),
            )

    def _incident(self) -> int:
        assert self.incident_id is not None
        return self.incident_id

    # --- what a reasonable owner does ----------------------------------------------------------

    def _declare(self) -> None:
        scenario = self.run.scenario
        proposal = propose_level(self.impact, self.reach)
        incident = self.store.incidents.declare(
            scenario.title,
            proposal.level,
            crisis_type=scenario.crisis_type,
            mention_ids=self.unattached,
            impact=self.impact,
            reach=self.reach,
            reason=f"the severity matrix proposed it: {proposal.reason}",
        )
        self.incident_id = incident.id
        self._answer(self.unattached)
        self.unattached = []
        now = self.run.clock()
        self._plan_people(now)
        for n, item in enumerate(self.store.incidents.checklist(incident.id, "first-hour")):
            self._plan(
                now + STEP_EVERY * (n + 1),
                f"first-hour step: {item.text}",
                partial(self.store.incidents.tick, item.id),
            )
        self._plan(now + timedelta(minutes=4), "write down what happened", self._assess)
        due = incident.next_update_due_at or now + timedelta(minutes=30)
        holding_at = min(now + timedelta(minutes=8), due - timedelta(minutes=2))
        self._plan(max(holding_at, now), "publish a holding statement", self._holding)

    def _plan_people(self, now: datetime) -> None:
        waiting = [
            p
            for p in self.store.incidents.people(self._incident())
            if not p.reached_at and p.id not in self._people_planned
        ]
        if not waiting:
            return
        window = min(p.due_at for p in waiting) - now
        gap = max(timedelta(seconds=15), min(timedelta(minutes=1), window * 0.8 / len(waiting)))
        for n, person in enumerate(waiting):
            self._people_planned.add(person.id)
            self._plan(
                now + gap * (n + 1),
                f"reach {person.name}",
                partial(self.store.incidents.mark_reached, person.id, "phone"),
            )

    def _assess(self) -> None:
        scenario = self.run.scenario
        self.store.incidents.save_assessment(
            self._incident(),
            {
                "what_happened": scenario.summary or scenario.title,
                "facts": " ".join(self.facts),
            },
            impact=self.impact,
            reach=self.reach,
        )

    def _attach(self) -> None:
        if self.unattached:
            self.store.incidents.attach_mentions(self._incident(), self.unattached)
            self._answer(self.unattached)
            self.unattached = []

    def _answer(self, ids: list[int]) -> None:
        """The unhappy posts need a reply; a few minutes later they have one."""
        negative = [
            m.id for i in ids if (m := self.store.mentions.get(i)) and m.sentiment == "negative"
        ]
        if negative:
            self.store.mentions.set_status(negative, "needs_reply")
            self._plan(
                self.run.clock() + ANSWER_AFTER,
                f"reply to {len(negative)} post{'s' if len(negative) != 1 else ''}",
                lambda: self.store.mentions.set_status(negative, "replied"),
            )

    def _note(self, event: DrillEvent) -> None:
        who = f" from {event.sender}" if event.sender else ""
        label = {"call": "Call", "email": "Email", "fact": "Fact"}[event.kind]
        self.store.incidents.add_note(self._incident(), f"{label}{who}: {event.text}")

    def _escalate(self, level: int, why: str) -> None:
        incident = self.store.incidents.get(self._incident())
        if level <= incident.level:
            return
        self.store.incidents.change_level(incident.id, level, f"Escalated after: {why}")
        self._plan_people(self.run.clock())

    # --- statements ----------------------------------------------------------------------------

    def _statement(self, stage: str, title: str, extra: dict[str, str] | None = None) -> None:
        statements = self.store.statements
        values = statements.template_values(self._incident())
        text, _problems = fill_variables(template_text(stage), values)
        for marker, lines in (extra or {}).items():
            text = text.replace(marker, lines, 1)
        text = _without_unfilled(text)
        statement_id = statements.create(title, stage, text, self._incident())
        for entry in statements.checklist(statement_id):  # read through, as the owner would
            statements.tick(statement_id, entry.item, True)
        role, name = statements.approver_role()
        statements.approve(statement_id, name or role, role)
        statements.publish(statement_id, CHANNEL)

    def _holding(self) -> None:
        self._assess()  # what happened opens the holding statement
        self._statement("holding", "Holding statement")

    def _plan_update(self) -> None:
        incident = self.store.incidents.get(self._incident())
        due = incident.next_update_due_at
        if due is None or due - timedelta(minutes=3) > self.run.ends_at:
            return
        self._update_planned = True
        self._plan(due - timedelta(minutes=3), "publish an update", self._update)

    def _update(self) -> None:
        self._updates += 1
        self._update_planned = False
        steps = [
            i.text
            for i in self.store.incidents.checklist(self._incident(), "first-hour")
            if i.done_at
        ]
        self._statement(
            "update",
            f"Update {self._updates}",
            {
                "What we know now:\n\n- \n": "What we know now:\n\n"
                + _bullets(self.facts or ["We are still finding out what happened."]),
                "What we have done since our last update:\n\n- \n": "What we have done since our "
                "last update:\n\n" + _bullets(steps[-3:] or ["We are working through our plan."]),
            },
        )


def _bullets(items: list[str]) -> str:
    return "".join(f"- {item}\n" for item in items)


def _without_unfilled(text: str) -> str:
    """A reasonable owner deletes a line they cannot fill rather than publish "{{hotline}}"; the
    checker then says what the statement lacks."""
    paragraphs = [p for p in text.split("\n\n") if not _UNFILLED.search(p)]
    lines = [line for line in "\n\n".join(paragraphs).splitlines() if line.strip() != "-"]
    return "\n".join(lines).strip() + "\n"

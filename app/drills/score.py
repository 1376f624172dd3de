"""The drill's score: the debrief's own metrics for the drill incident, and each expectation of
the scenario met or missed, with the minute it happened. Deadlines, people and checklists are
the workspace's own plan's (as the sandbox copied it), read through the same repositories a
real incident uses."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.drills.model import (
    CORE_RULES,
    MET,
    MISSED,
    NOT_APPLICABLE,
    NOT_DUE,
    DrillScore,
    ExpectationResult,
    offset_text,
)
from app.incidents.model import EventKind, Incident
from app.levels import level_label
from app.statements.checker import check_statement

if TYPE_CHECKING:
    from app.drills.runner import DrillRun

FIRST_HOUR = timedelta(hours=1)
NAMES_SHOWN = 4


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


class _Scorer:
    def __init__(self, run: DrillRun):
        self.run = run
        self.store = run.store
        self.now = min(run.clock(), run.ends_at)
        self.incident: Incident | None = (
            self.store.incidents.get(run.incident_id) if run.incident_id else None
        )
        self.events = self.store.incidents.timeline(run.incident_id) if run.incident_id else []

    def t(self, at: datetime) -> str:
        return "T+" + offset_text(at - self.run.started_at)

    def minute(self, at: datetime | None) -> float | None:
        return None if at is None else round(self.run.minute(at), 2)

    def result(self, key, label, status, at: datetime | None, detail) -> ExpectationResult:
        return ExpectationResult(key, label, status, self.minute(at), detail)

    def undeclared(self, key: str, label: str) -> ExpectationResult:
        return self.result(key, label, MISSED, None, "Nothing was declared.")

    def levels(self) -> list[tuple[datetime, int]]:
        """The incident's level over time: declared, then every change."""
        assert self.incident is not None
        declared = next((e for e in self.events if e.kind == EventKind.DECLARED), None)
        first = declared.data.get("level", self.incident.level) if declared else self.incident.level
        out = [(self.incident.declared_at, int(first))]
        for event in self.events:
            if event.kind == EventKind.SEVERITY and event.data.get("new"):
                out.append((event.at, int(event.data["new"])))
        return out

    # the expectations, in the order the score lists them

    def declare_by(self, by: timedelta) -> ExpectationResult:
        key, label = "declare_by", f"Declare by T+{offset_text(by)}"
        if self.incident is None:
            return self.undeclared(key, label)
        at = self.incident.declared_at
        deadline = self.run.started_at + by
        if at <= deadline:
            return self.result(key, label, MET, at, f"Declared at {self.t(at)}.")
        late = round((at - deadline).total_seconds() / 60)
        return self.result(key, label, MISSED, at, f"Declared at {self.t(at)}, {late} min late.")

    def level(self, wanted: int, by: timedelta | None) -> ExpectationResult:
        key = "level"
        label = f"The right level: {level_label(wanted)}" + (
            f" by T+{offset_text(by)}" if by is not None else ""
        )
        if self.incident is None:
            return self.undeclared(key, label)
        levels = self.levels()
        reached = next((at for at, level in levels if level == wanted), None)
        deadline = self.run.started_at + by if by is not None else self.now
        if reached is not None and reached <= deadline:
            return self.result(
                key, label, MET, reached, f"At {level_label(wanted)} from {self.t(reached)}."
            )
        if reached is not None:
            return self.result(
                key,
                label,
                MISSED,
                reached,
                f"At {level_label(wanted)} only from {self.t(reached)}.",
            )
        highest = max(level for _, level in levels)
        verb = "went to" if highest > wanted else "stayed at"
        detail = f"You {verb} {level_label(highest)}; the scenario calls for {level_label(wanted)}."
        return self.result(key, label, MISSED, None, detail)

    def first_update(self) -> ExpectationResult:
        key, label = "first_update", "First update within your plan's deadline"
        if self.incident is None:
            return self.undeclared(key, label)
        facts = self.store.incidents.plan_facts()
        published = [e.at for e in self.events if e.kind == EventKind.STATEMENT_PUBLISHED]
        first = min(published) if published else None
        levels = self.levels()
        declared_at, level = levels[0]
        due = declared_at + timedelta(minutes=facts.step(level).first_update_minutes)
        for at, new in levels[1:]:
            if first is not None and at >= first:
                break
            if new > level:  # escalating brings the first update forward, as the room does
                due = min(due, at + timedelta(minutes=facts.step(new).first_update_minutes))
            level = new
        rule = f"the deadline was {self.t(due)}"
        if first is not None and first <= due:
            return self.result(key, label, MET, first, f"Published at {self.t(first)}; {rule}.")
        if first is not None:
            return self.result(key, label, MISSED, first, f"Published at {self.t(first)}; {rule}.")
        if due <= self.now:
            return self.result(key, label, MISSED, None, f"Nothing was published; {rule}.")
        return self.result(
            key,
            label,
            NOT_DUE,
            None,
            f"Nothing published yet; the deadline, {self.t(due)}, came after the drill ended.",
        )

    def people_reached(self) -> ExpectationResult:
        key, label = "people_reached", "The people of your ladder reached in time"
        if self.incident is None:
            return self.undeclared(key, label)
        people = self.store.incidents.people(self.incident.id)
        if not people:
            return self.result(key, label, NOT_APPLICABLE, None, "Your plan names nobody to tell.")
        late = [
            f"{p.name} (reached {self.t(p.reached_at)}, due {self.t(p.due_at)})"
            for p in people
            if p.reached_at and p.reached_at > p.due_at
        ]
        missing = [
            f"{p.name} (due {self.t(p.due_at)})"
            for p in people
            if not p.reached_at and p.due_at <= self.now
        ]
        waiting = [p for p in people if not p.reached_at and p.due_at > self.now]
        reached = [p.reached_at for p in people if p.reached_at]
        last = max(reached) if reached else None
        if late or missing:
            return self.result(
                key, label, MISSED, last, f"Not reached in time: {_names(missing + late)}."
            )
        if waiting:
            return self.result(
                key,
                label,
                NOT_DUE,
                last,
                f"{len(reached)} of {len(people)} reached; the others were due after the drill "
                "ended.",
            )
        return self.result(
            key,
            label,
            MET,
            last,
            f"All {len(people)} reached in time, the last at {self.t(last)}."
            if last
            else "Everyone reached.",
        )

    def statement_passes(self) -> ExpectationResult:
        key, label = "statement_passes", "A statement that passes the checker's core rules"
        if self.incident is None:
            return self.undeclared(key, label)
        statements = self.store.statements
        firsts: dict[int, datetime] = {}
        for publication in statements.publications(incident_id=self.incident.id):
            if (
                publication.statement_id not in firsts
                or publication.published_at < firsts[publication.statement_id]
            ):
                firsts[publication.statement_id] = publication.published_at
        if not firsts:
            return self.result(key, label, MISSED, None, "Nothing was published.")
        failing = []
        for statement_id, at in sorted(firsts.items(), key=lambda kv: kv[1]):
            statement = statements.get(statement_id)
            missing = sorted(check_statement(statement.body).rules() & set(CORE_RULES))
            if not missing:
                return self.result(
                    key,
                    label,
                    MET,
                    at,
                    f"“{statement.title}”, published at {self.t(at)}, passes them.",
                )
            failing.append(f"“{statement.title}” misses {', '.join(missing)}")
        return self.result(key, label, MISSED, None, "; ".join(failing) + ".")

    def first_hour_done(self, crisis_type: str) -> ExpectationResult:
        key, label = "first_hour_done", "The playbook's first-hour checklist done"
        if self.incident is None:
            return self.undeclared(key, label)
        items = self.store.incidents.checklist(self.incident.id, "first-hour")
        if not items:
            if crisis_type in self.store.incidents.plan_facts().playbooks:
                return self.result(
                    key,
                    label,
                    MISSED,
                    None,
                    f"You declared without the crisis type '{crisis_type}', so its first-hour "
                    "checklist never came.",
                )
            return self.result(
                key, label, NOT_APPLICABLE, None, f"Your plan has no playbook '{crisis_type}'."
            )
        deadline = self.incident.declared_at + FIRST_HOUR
        in_time = [i for i in items if i.done_at and i.done_at <= deadline]
        done = [i.done_at for i in items if i.done_at]
        last = max(done) if done else None
        if len(in_time) == len(items):
            return self.result(
                key,
                label,
                MET,
                last,
                f"All {len(items)} steps done, the last at {self.t(last)}."
                if last
                else "All done.",
            )
        if deadline <= self.now or len(done) > len(in_time):
            return self.result(
                key,
                label,
                MISSED,
                last,
                f"{len(in_time)} of {len(items)} steps done within the first hour.",
            )
        return self.result(
            key,
            label,
            NOT_DUE,
            last,
            f"{len(done)} of {len(items)} steps done when the drill ended; the first hour ran "
            f"to {self.t(deadline)}.",
        )


def score_drill(run: DrillRun) -> DrillScore:
    """Score `run` as it stands: each expectation of its scenario, and the debrief's metrics."""
    scenario = run.scenario
    expect = scenario.expect
    scorer = _Scorer(run)
    results: list[ExpectationResult] = []
    if expect.declare_by is not None:
        results.append(scorer.declare_by(expect.declare_by))
    if expect.level is not None:
        results.append(scorer.level(expect.level, expect.level_by))
    if expect.first_update:
        results.append(scorer.first_update())
    if expect.people_reached:
        results.append(scorer.people_reached())
    if expect.statement_passes:
        results.append(scorer.statement_passes())
    if expect.first_hour_done:
        results.append(scorer.first_hour_done(scenario.crisis_type))
    metrics = tuple(run.store.debriefs.metrics(run.incident_id)) if run.incident_id else ()
    return DrillScore(
        scenario=scenario.name,
        title=scenario.title,
        crisis_type=scenario.crisis_type,
        started_at=run.started_at,
        minutes=min(run.minute(), scenario.duration.total_seconds() / 60),
        speed=run.clock.speed,
        auto=run.auto,
        incident_id=run.incident_id,
        expectations=tuple(results),
        metrics=metrics,
        events=tuple(sorted(run.events, key=lambda e: e.at)),  # in time order, ties as seen
    )


def score_markdown(document: dict) -> str:
    """A drill's score as a short Markdown report to keep or print: what `DrillScore.as_dict`
    and a kept `DrillRecord` (as a dict) both hold."""
    title = document.get("title", "Drill")
    lines = [f"# Drill score: {title}", ""]
    facts = [
        f"Scenario: {document.get('scenario', '')}",
        f"Played: {float(document.get('minutes') or 0):.0f} min at {document.get('speed', 1):g}×",
    ]
    if document.get("held_at") or document.get("started_at"):
        facts.append(f"Held: {str(document.get('held_at') or document.get('started_at'))[:16]}")
    lines += [f"- {fact}" for fact in facts]
    met, counted = document.get("met", 0), document.get("counted", 0)
    lines += ["", f"**{met} of {counted} expectations met**", ""]
    lines += ["| | When | Expectation | What happened |", "|---|---|---|---|"]
    for result in document.get("expectations", ()):
        mark = {MET: "✓ met", MISSED: "✗ missed"}.get(result.get("status"), result.get("status"))
        when = f"T+{result['t']}" if result.get("t") else "—"
        lines.append(
            f"| {mark} | {when} | {result.get('label', '')} | {result.get('detail', '')} |"
        )
    metrics = document.get("metrics") or ()
    if metrics:
        lines += ["", "## The debrief's numbers", ""]
        lines += [f"- {m.get('label', '')}: {m.get('display', '')}" for m in metrics]
    return "\n".join(lines) + "\n"

"""Debriefs: the blameless review after an incident. Metrics are computed from the store, each
with how it was computed; the draft is saved after every wizard step; accepted lessons change
the plan as a new revision that points back to the debrief.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlite_utils import Database

from app.errors import UserError
from app.incidents.repository import DEFAULT_FACTS, Incident, PlanFacts, format_duration
from app.timeutil import Clock, from_iso, to_iso, utc_now

REVIEW_WITHIN_BUSINESS_DAYS = 5
CHANGE_KINDS = {
    "cadence": "Change a level's update cadence",
    "first_update": "Change a level's first-update deadline",
    "notify_within": "Change how fast a level's people are told",
    "call_tree": "Add someone to a level's call tree",
    "first_hour": "Add a step to a playbook's first hour",
}


class DebriefError(UserError, ValueError):
    """A request the debrief cannot take; the message says why in plain words."""


# --- metrics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: float | None  # minutes, a count, or a share 0..1; None when it cannot be computed
    display: str
    how: str


def _minutes(delta: timedelta | None) -> float | None:
    return None if delta is None else round(delta.total_seconds() / 60, 1)


def _duration(minutes: float | None) -> str:
    return "not known" if minutes is None else format_duration(timedelta(minutes=minutes))


def _ratio(done: int, total: int) -> tuple[float | None, str]:
    if not total:
        return None, "none due"
    return done / total, f"{done} of {total} ({done / total:.0%})"


def _share(negative: int, total: int) -> str:
    return f"{negative / total:.0%} of {total:,}" if total else "no mentions"


def _negative_share(store, start: datetime, end: datetime) -> tuple[int, int]:
    row = store.db.execute(
        "SELECT count(*), coalesce(sum(sentiment = 'negative'), 0) FROM mentions "
        "WHERE posted_at >= ? AND posted_at < ?",
        [to_iso(start), to_iso(end)],
    ).fetchone()
    return row[1], row[0]


def hourly_series(store, start: datetime, end: datetime) -> list[tuple[datetime, int, int]]:
    """(hour, mentions, negative) for every hour from start to end, zeros included."""
    counts = {
        hour: (n, neg) for hour, n, neg in store.mentions.hourly_counts(to_iso(start), to_iso(end))
    }
    hour = start.replace(minute=0, second=0, microsecond=0)
    out = []
    while hour < end:
        key = to_iso(hour)[:13]
        n, neg = counts.get(key, (0, 0))
        out.append((hour, n, neg))
        hour += timedelta(hours=1)
    return out


def _detected_at(store, incident: Incident) -> tuple[datetime | None, str]:
    """The first sign: the first spike hour in the three days before declaring; else the first
    negative mention attached to the incident; else the first negative mention in the 24 hours
    before; else nothing to measure from."""
    from app.mentions.spikes import find_spikes

    window_start = incident.declared_at - timedelta(days=3)
    spikes = [
        s
        for s in find_spikes(store, since=window_start)
        if window_start <= s.start <= incident.declared_at
    ]
    if spikes:
        return spikes[0].start, "the first hour of the mention spike"
    row = store.db.execute(
        "SELECT min(posted_at) FROM mentions WHERE sentiment = 'negative' AND incident_id = ? "
        "AND posted_at <= ?",
        [incident.id, to_iso(incident.declared_at)],
    ).fetchone()
    if row and row[0]:
        return from_iso(row[0]), "the first negative mention attached to the incident"
    row = store.db.execute(
        "SELECT min(posted_at) FROM mentions WHERE sentiment = 'negative' "
        "AND posted_at >= ? AND posted_at <= ?",
        [to_iso(incident.declared_at - timedelta(hours=24)), to_iso(incident.declared_at)],
    ).fetchone()
    if row and row[0]:
        return from_iso(row[0]), "the first negative mention in the 24 hours before"
    return None, ""


def _cadence_kept(store, incident: Incident, facts: PlanFacts) -> tuple[int, int]:
    """Walk the deadlines from declaring to resolving. A statement published since the last
    anchor and by the deadline keeps it, and the next deadline is one cadence after that
    statement; a missed deadline counts, and the next one is one cadence after it."""
    events = store.incidents.timeline(incident.id)
    published = sorted({e.at for e in events if e.kind == "statement-published"})
    changes = [(incident.declared_at, _declared_level(events, incident))] + [
        (e.at, e.data["new"]) for e in events if e.kind == "severity" and e.data.get("new")
    ]

    def step_at(moment: datetime):
        level = changes[0][1]
        for at, new in changes:
            if at <= moment:
                level = new
        return facts.step(level)

    end = incident.resolved_at or store.clock()
    anchor = incident.declared_at - timedelta(seconds=1)
    first = step_at(incident.declared_at).first_update_minutes
    due = incident.declared_at + timedelta(minutes=first)
    kept = total = 0
    while due <= end and total < 10_000:
        total += 1
        in_time = [p for p in published if anchor < p <= due]
        if in_time:
            kept += 1
            anchor = in_time[-1]
        else:
            anchor = due
        due = anchor + timedelta(minutes=step_at(anchor).cadence_minutes)
    return kept, total


def _declared_level(events, incident: Incident) -> int:
    declared = next((e for e in events if e.kind == "declared"), None)
    return declared.data.get("level", incident.level) if declared else incident.level


def compute_metrics(store, incident_id: int, facts: PlanFacts = DEFAULT_FACTS) -> list[Metric]:
    incident = store.incidents.get(incident_id)
    declared = incident.declared_at
    end = incident.resolved_at or store.clock()
    events = store.incidents.timeline(incident_id)
    metrics: list[Metric] = []

    detected, detected_how = _detected_at(store, incident)
    minutes = _minutes(declared - detected) if detected else None
    metrics.append(
        Metric(
            "time_to_detect",
            "Time to detect",
            minutes,
            _duration(minutes),
            f"From {detected_how} to declaring the incident."
            if detected
            else "No spike or negative mention before declaring to measure from.",
        )
    )

    first_update = next((e.at for e in events if e.kind == "statement-published"), None)
    minutes = _minutes(first_update - declared) if first_update else None
    metrics.append(
        Metric(
            "time_to_acknowledge",
            "Time to first acknowledgement",
            minutes,
            _duration(minutes),
            "From declaring to the first published statement.",
        )
    )

    minutes = _minutes(incident.resolved_at - declared) if incident.resolved_at else None
    metrics.append(
        Metric(
            "time_to_resolve",
            "Time to resolve",
            minutes,
            _duration(minutes),
            "From declaring to marking it resolved.",
        )
    )

    total, negative = store.incidents.mention_stats(incident_id)
    metrics.append(
        Metric(
            "mentions",
            "Mentions attached",
            float(total),
            f"{total:,}",
            "Mentions attached to the incident.",
        )
    )
    peak = store.db.execute(
        "SELECT substr(posted_at, 1, 13) AS hour, count(*) AS n FROM mentions "
        "WHERE incident_id = ? GROUP BY hour ORDER BY n DESC LIMIT 1",
        [incident_id],
    ).fetchone()
    peak_n = peak[1] if peak else 0
    peak_at = from_iso(peak[0] + ":00:00+00:00").astimezone() if peak else None
    metrics.append(
        Metric(
            "peak_hour",
            "Peak mentions in one hour",
            float(peak_n),
            f"{peak_n:,}" + (f" ({peak_at:%a %H:00})" if peak_at else ""),
            "The busiest hour among the attached mentions.",
        )
    )

    windows = (
        (
            "negative_before",
            "Negative share before",
            declared - timedelta(hours=24),
            declared,
            "All mentions in the 24 hours before declaring.",
        ),
        (
            "negative_during",
            "Negative share during",
            declared,
            end,
            "All mentions from declaring to resolving.",
        ),
        (
            "negative_after",
            "Negative share after",
            end,
            end + timedelta(hours=24),
            "All mentions in the 24 hours after resolving.",
        ),
    )
    shares = {}
    for key, label, start, stop, how in windows:
        neg, count = _negative_share(store, start, stop)
        shares[key] = neg / count if count else None
        metrics.append(Metric(key, label, shares[key], _share(neg, count), how))

    recovery = _recovery_minutes(store, incident, shares.get("negative_before"))
    metrics.append(
        Metric(
            "sentiment_recovery",
            "Sentiment recovery time",
            recovery,
            _duration(recovery),
            "From the hour with the highest negative share to the first of three hours in a row "
            "back within 5 points of the share before the incident.",
        )
    )

    needs = store.db.execute(
        "SELECT coalesce(sum(status = 'replied'), 0), "
        "coalesce(sum(status IN ('replied', 'needs_reply')), 0) FROM mentions "
        "WHERE incident_id = ?",
        [incident_id],
    ).fetchone()
    value, shown = _ratio(needs[0], needs[1])
    metrics.append(
        Metric(
            "reply_coverage",
            "Reply coverage",
            value,
            shown,
            "Attached mentions marked “needs reply” that were replied to.",
        )
    )

    kept, due = _cadence_kept(store, incident, facts)
    value, shown = _ratio(kept, due)
    metrics.append(
        Metric(
            "cadence_kept",
            "Update cadence kept",
            value,
            shown,
            "Update deadlines from the plan's ladder met by a published statement.",
        )
    )

    tasks = [t for t in store.incidents.tasks(incident_id, "task") if t.due_at]
    on_time = sum(1 for t in tasks if t.done_at and t.done_at <= t.due_at)
    value, shown = _ratio(on_time, len(tasks))
    metrics.append(
        Metric(
            "tasks_on_time",
            "Tasks done on time",
            value,
            shown,
            "Tasks with a due time, done by it.",
        )
    )

    people = store.incidents.people(incident_id)
    reached = sum(1 for p in people if p.reached_at and p.reached_at <= p.due_at)
    value, shown = _ratio(reached, len(people))
    metrics.append(
        Metric(
            "people_reached",
            "People reached in time",
            value,
            shown,
            "People the ladder names, reached by its deadline.",
        )
    )
    return metrics


def _recovery_minutes(store, incident: Incident, before_share: float | None) -> float | None:
    start = incident.declared_at - timedelta(hours=6)
    end = (incident.resolved_at or store.clock()) + timedelta(hours=48)
    series = [(h, n, neg) for h, n, neg in hourly_series(store, start, end) if n]
    if not series:
        return None
    peak_hour, _, _ = max(series, key=lambda s: (s[2] / s[1], s[1]))
    baseline = (before_share or 0) + 0.05
    calm = 0
    for hour, n, neg in series:
        if hour <= peak_hour:
            continue
        calm = calm + 1 if neg / n <= baseline else 0
        if calm == 3:
            return _minutes(hour - timedelta(hours=2) - peak_hour)
    return None


# --- the debrief record ------------------------------------------------------------------


@dataclass
class Lesson:
    text: str
    change: dict = field(default_factory=dict)  # {"kind", "level"/"playbook", "value", ...}
    accepted: bool = False
    revision_id: int | None = None


@dataclass
class Debrief:
    id: int
    incident_id: int
    status: str
    step: int
    summary: str
    went_well: list[str]
    went_badly: list[str]
    root_cause: str
    lessons: list[Lesson]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


def describe_change(change: dict, contact_names: dict[int, str] | None = None) -> str:
    kind = change.get("kind")
    if kind in ("cadence", "first_update", "notify_within"):
        what = {
            "cadence": "update cadence",
            "first_update": "first update within",
            "notify_within": "tell people within",
        }[kind]
        return f"Level {change.get('level')}: {what} {change.get('value')} min"
    if kind == "call_tree":
        name = (contact_names or {}).get(
            change.get("contact_id"), f"contact {change.get('contact_id')}"
        )
        return f"Add {name} to the level {change.get('level')} call tree"
    if kind == "first_hour":
        return f"Playbook “{change.get('playbook')}”: add “{change.get('value')}” to the first hour"
    return ""


class DebriefRepository:
    def __init__(self, db: Database, clock: Clock = utc_now):
        self.db = db
        self.clock = clock

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
        summary = (
            f"{incident.title}. {what} Declared at {incident.level_label} on "
            f"{incident.declared_at.astimezone():%a %d %b %H:%M}"
            + (
                f", resolved {incident.resolved_at.astimezone():%a %d %b %H:%M}."
                if incident.resolved_at
                else "."
            )
        )
        with self.db.atomic():
            debrief_id = (
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

    def annotations(self, incident_id: int) -> dict[int, str]:
        return {
            r["id"]: r["annotation"]
            for r in self.db.query(
                "SELECT id, annotation FROM incident_events WHERE incident_id = ? "
                "AND annotation IS NOT NULL",
                [incident_id],
            )
        }

    def apply_lessons(self, debrief_id: int, plan_repository, author: str = "") -> int | None:
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
        plan = plan_repository.get_current()
        if plan is None:
            raise DebriefError("There is no plan to change yet; start one on the Plan page.")
        call_tree_adds = []
        for lesson in pending:
            plan = apply_change(plan, lesson.change)
            if lesson.change.get("kind") == "call_tree":
                call_tree_adds.append(lesson.change)
        incident = self.db.table("incidents").get(debrief.incident_id)
        summary = f"From the debrief of “{incident['title']}”: " + "; ".join(
            lesson.text for lesson in pending
        )
        with self.db.atomic():
            revision = plan_repository.save(plan, summary, author)
            self.db.table("plan_revisions").update(revision.id, {"debrief_id": debrief_id})
            for change in call_tree_adds:
                _add_to_call_tree(self.db, change)
            for lesson in pending:
                lesson.revision_id = revision.id
            self.save_draft(debrief)
        return revision.id

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


def apply_change(plan, change: dict):
    """The plan with one accepted lesson applied (a new object; the caller saves it)."""
    kind = change.get("kind")
    if kind in ("cadence", "first_update", "notify_within"):
        attribute = {
            "cadence": "cadence_min",
            "first_update": "first_update_min",
            "notify_within": "notify_within_min",
        }[kind]
        level, value = int(change["level"]), int(change["value"])
        if value < 1:
            raise DebriefError("A time in the plan must be at least one minute.")
        ladder = [
            replace(step, **{attribute: value}) if step.level == level else step
            for step in plan.ladder
        ]
        return replace(plan, ladder=ladder)
    if kind == "first_hour":
        playbooks = [
            replace(p, first_hour=[*p.first_hour, str(change["value"])])
            if p.key == change.get("playbook") or p.name == change.get("playbook")
            else p
            for p in plan.playbooks
        ]
        return replace(plan, playbooks=playbooks)
    if kind == "call_tree":
        return plan  # the call tree lives with the contacts; applied beside the revision
    raise DebriefError(f"Unknown kind of plan change '{kind}'.")


def _add_to_call_tree(db: Database, change: dict) -> None:
    level, contact_id = int(change["level"]), int(change["contact_id"])
    exists = list(
        db.table("call_tree").rows_where("level = ? AND callee_id = ?", [level, contact_id])
    )
    if exists:
        return
    position = db.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM call_tree WHERE level = ?", [level]
    ).fetchone()[0]
    db.table("call_tree").insert(
        {
            "level": level,
            "caller_id": change.get("caller_id"),
            "callee_id": contact_id,
            "position": position,
        }
    )


def business_days_between(start: datetime, end: datetime) -> int:
    days, day = 0, start.date()
    while day < end.date():
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def debriefs_owed(store, now: datetime) -> list[Incident]:
    """Resolved incidents past the review window with no completed debrief."""
    owed = []
    for incident in store.incidents.all():
        if incident.status not in ("resolved", "closed") or not incident.resolved_at:
            continue
        debrief = store.debriefs.for_incident(incident.id)
        if debrief and debrief.status == "complete":
            continue
        if business_days_between(incident.resolved_at, now) > REVIEW_WITHIN_BUSINESS_DAYS:
            owed.append(incident)
    return owed

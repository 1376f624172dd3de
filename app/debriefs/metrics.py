"""The debrief's numbers, computed from the incident, its timeline and the mentions, each with
a sentence saying how it was computed. The plan's ladder comes from the incidents repository
(which `Store` wires to the workspace's plan), never from the caller."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.debriefs.model import Metric
from app.incidents.model import EventKind, Incident, PlanFacts
from app.incidents.repository import IncidentRepository
from app.mentions.detection.hindsight import Hindsight, best, hindsight
from app.mentions.repository import MentionRepository
from app.mentions.spikes import spikes_between
from app.timeutil import format_duration


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


def _detected_at(
    mentions: MentionRepository, sensitivity: str, incident: Incident
) -> tuple[datetime | None, str]:
    """The first sign: the first spike hour in the three days before declaring; else the first
    negative mention attached to the incident; else the first negative mention in the 24 hours
    before; else nothing to measure from."""
    window_start = incident.declared_at - timedelta(days=3)
    spikes = [
        s
        for s in spikes_between(mentions, sensitivity, since=window_start)
        if window_start <= s.start <= incident.declared_at
    ]
    if spikes:
        return spikes[0].start, "the first hour of the mention spike"
    first = mentions.first_negative(incident.declared_at, incident_id=incident.id)
    if first:
        return first, "the first negative mention attached to the incident"
    first = mentions.first_negative(
        incident.declared_at, since=incident.declared_at - timedelta(hours=24)
    )
    if first:
        return first, "the first negative mention in the 24 hours before"
    return None, ""


def incident_hindsight(mentions: MentionRepository, incident: Incident) -> list[Hindsight]:
    """The alarm re-run at every setting over the incident's own time (from its first attached
    mention) and the 30 days before it."""
    ids = mentions.ids_for_incident(incident.id)
    first = mentions.get(ids[0]) if ids else None
    start = min(first.posted_at, incident.declared_at) if first else incident.declared_at
    return hindsight(mentions, start, incident.declared_at)


def _hindsight_metric(mentions: MentionRepository, incident: Incident) -> Metric:
    rows = incident_hindsight(mentions, incident)
    chosen = best(rows)
    if chosen is None or chosen.lead is None:
        return Metric(
            "when_could_we_have_known",
            "When could we have known?",
            None,
            "no setting would have warned earlier",
            "The alarm re-run at every sensitivity and window: none would have gone off before "
            "you declared without false alarms.",
        )
    return Metric(
        "when_could_we_have_known",
        "When could we have known?",
        _minutes(chosen.lead),
        f"{_duration(_minutes(chosen.lead))} earlier ({chosen.setting.sensitivity}, "
        f"{chosen.setting.window} min)",
        chosen.line(),
    )


def _cadence_kept(
    incidents: IncidentRepository, incident: Incident, facts: PlanFacts, now: datetime
) -> tuple[int, int]:
    """Walk the deadlines from declaring to resolving. A statement published since the last
    anchor and by the deadline keeps it, and the next deadline is one cadence after that
    statement; a missed deadline counts, and the next one is one cadence after it."""
    events = incidents.timeline(incident.id)
    published = sorted({e.at for e in events if e.kind == EventKind.STATEMENT_PUBLISHED})
    changes = [(incident.declared_at, _declared_level(events, incident))] + [
        (e.at, e.data["new"]) for e in events if e.kind == EventKind.SEVERITY and e.data.get("new")
    ]

    def step_at(moment: datetime):
        level = changes[0][1]
        for at, new in changes:
            if at <= moment:
                level = new
        return facts.step(level)

    end = incident.resolved_at or now
    anchor = incident.declared_at - timedelta(seconds=1)
    first = step_at(incident.declared_at).first_update_minutes
    due = incident.declared_at + timedelta(minutes=first)
    kept = total = 0
    while total < 10_000:
        in_time = [p for p in published if anchor < p <= due and p <= end]
        if due > end and not in_time:
            break  # a deadline after the end counts only when an update met it before the end
        total += 1
        if in_time:
            kept += 1
            anchor = in_time[-1]
        else:
            anchor = due
        due = anchor + timedelta(minutes=step_at(anchor).cadence_minutes)
    return kept, total


def _declared_level(events, incident: Incident) -> int:
    declared = next((e for e in events if e.kind == EventKind.DECLARED), None)
    return declared.data.get("level", incident.level) if declared else incident.level


def declared_level(incidents: IncidentRepository, incident: Incident) -> int:
    """The level the incident was declared at (the timeline's first event), which may be
    lower than the level it ended at."""
    return _declared_level(incidents.timeline(incident.id, ("declared",)), incident)


def chart_span(incident: Incident, now: datetime) -> tuple[datetime, datetime]:
    """The mention chart of a debrief: from a day before declaring to a day after resolving,
    and never past now (hours that have not happened are not drawn)."""
    start = incident.declared_at - timedelta(hours=24)
    end = min((incident.resolved_at or now) + timedelta(hours=24), now)
    return start, max(end, start + timedelta(hours=1))


def compute_metrics(
    incidents: IncidentRepository,
    mentions: MentionRepository,
    sensitivity: str,
    incident_id: int,
    now: datetime,
) -> list[Metric]:
    """Every metric of the debrief of `incident_id`, in the order the report shows them."""
    incident = incidents.get(incident_id)
    facts = incidents.plan_facts()
    declared = incident.declared_at
    end = incident.resolved_at or now
    events = incidents.timeline(incident_id)
    metrics: list[Metric] = []

    detected, detected_how = _detected_at(mentions, sensitivity, incident)
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

    metrics.append(_hindsight_metric(mentions, incident))

    first_update = next((e.at for e in events if e.kind == EventKind.STATEMENT_PUBLISHED), None)
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

    total, _negative = incidents.mention_stats(incident_id)
    metrics.append(
        Metric(
            "mentions",
            "Mentions attached",
            float(total),
            f"{total:,}",
            "Mentions attached to the incident.",
        )
    )
    peak_at, peak_n = mentions.incident_peak_hour(incident_id)
    peak_at = peak_at.astimezone() if peak_at else None
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
        neg, count = mentions.negative_share(start, stop)
        shares[key] = neg / count if count else None
        metrics.append(Metric(key, label, shares[key], _share(neg, count), how))

    recovery = _recovery_minutes(mentions, incident, shares.get("negative_before"), now)
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

    value, shown = _ratio(*mentions.incident_replies(incident_id))
    metrics.append(
        Metric(
            "reply_coverage",
            "Reply coverage",
            value,
            shown,
            "Attached mentions marked “needs reply” that were replied to.",
        )
    )

    kept, due = _cadence_kept(incidents, incident, facts, now)
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

    tasks = [t for t in incidents.tasks(incident_id, "task") if t.due_at]
    on_time = sum(1 for t in tasks if t.done_at and t.due_at and t.done_at <= t.due_at)
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

    people = incidents.people(incident_id)
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


def _recovery_minutes(
    mentions: MentionRepository, incident: Incident, before_share: float | None, now: datetime
) -> float | None:
    start = incident.declared_at - timedelta(hours=6)
    end = (incident.resolved_at or now) + timedelta(hours=48)
    series = [h for h in mentions.hourly_series(start, end) if h.count]
    if not series:
        return None
    peak = max(series, key=lambda h: (h.negative / h.count, h.count))
    baseline = (before_share or 0) + 0.05
    calm = 0
    for stat in series:
        if stat.hour <= peak.hour:
            continue
        calm = calm + 1 if stat.negative / stat.count <= baseline else 0
        if calm == 3:
            return _minutes(stat.hour - timedelta(hours=2) - peak.hour)
    return None

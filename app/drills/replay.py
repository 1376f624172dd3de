"""Replay your own history: a past incident as a scenario. Its mentions come back in their real
order and at their real pace, the people reached arrive as calls and its notes, facts and root
cause as facts revealed, at the times they happened; the expectations are to beat the real
declaration time and reach the highest level it needed."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.drills.model import (
    SPEEDS,
    DrillError,
    Expectations,
    Inject,
    Scenario,
    ScenarioMention,
)
from app.drills.scenario import MAX_DURATION
from app.incidents.model import EventKind
from app.plan.model import CRISIS_TYPES

if TYPE_CHECKING:
    from app.store import Store

MAX_MENTIONS = 50_000
TAIL = timedelta(minutes=5)  # the drill goes on a little after the last inject
LONGEST_AT_A_SPEED = timedelta(minutes=40)  # a suggested speed keeps the replay under this


def _minute_floor(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def scenario_from_incident(store: Store, incident_id: int, crisis_type: str = "") -> Scenario:
    """The incident `incident_id` of `store` as a scenario (see the module docstring)."""
    incidents = store.incidents
    incident = incidents.get(incident_id)
    if incident.is_open:
        raise DrillError(
            f"Incident {incident_id} is still open; resolve it first, then replay it as a drill."
        )
    kind = crisis_type or incident.crisis_type
    if not kind:
        raise DrillError(
            f"Incident {incident_id} has no crisis type; say which playbook it follows, "
            f"e.g. --type {next(iter(CRISIS_TYPES))}."
        )
    mentions = sorted(
        store.mentions.for_incident(incident.id, limit=MAX_MENTIONS),
        key=lambda m: (m.posted_at, m.id),
    )
    events = incidents.timeline(incident.id)
    start = _minute_floor(min([incident.declared_at, *(m.posted_at for m in mentions[:1])]))
    last = start + MAX_DURATION - TAIL

    def offset(moment: datetime) -> timedelta:
        return max(moment - start, timedelta(0))

    injects: list[Inject] = []
    batch: list[ScenarioMention] = []
    batch_minute: datetime | None = None
    first = True

    def flush() -> None:
        nonlocal batch, first
        if not batch:
            return
        # What the owner judged then, as the first inject's hint for the autopilot.
        judged = first and 1 <= incident.impact <= 4 and 1 <= incident.reach <= 4
        injects.append(
            Inject(
                "mentions",
                batch[0].at,
                mentions=tuple(batch),
                impact=incident.impact if judged else None,
                reach=incident.reach if judged else None,
            )
        )
        batch, first = [], False

    for mention in mentions:
        if mention.posted_at > last:
            break
        minute = _minute_floor(mention.posted_at)
        if minute != batch_minute:
            flush()
            batch_minute = minute
        fields = {
            "text": mention.text,
            "author_name": mention.author_name,
            "author_handle": mention.author_handle,
            "author_followers": mention.author_followers,
            "source": mention.source,
            "url": mention.url,
            "language": mention.language,
        }
        batch.append(
            ScenarioMention(
                offset(mention.posted_at),
                {k: v for k, v in fields.items() if v not in ("", None)},
                mention.sentiment
                if mention.sentiment in ("negative", "neutral", "positive")
                else None,
            )
        )
    flush()

    identified = next(
        (e.at for e in events if e.kind == EventKind.STATUS and e.data.get("new") == "identified"),
        None,
    )
    for event in events:
        if event.at > last:
            continue
        if event.kind == EventKind.REACHED and event.text.startswith("Reached "):
            who = event.text.removeprefix("Reached ").split(" by ")[0]
            injects.append(
                Inject(
                    "call",
                    offset(event.at),
                    sender=who,
                    text=f"In the real incident you reached {who} at this point.",
                )
            )
        elif event.kind == EventKind.NOTE:
            injects.append(Inject("fact", offset(event.at), text=event.text))
        elif event.kind == EventKind.SEVERITY and event.data.get("new", 0) > event.data.get(
            "old", 9
        ):
            reason = event.text.split(": ", 1)[-1]
            injects.append(
                Inject("fact", offset(event.at), title="What made you escalate", text=reason)
            )
    assessment = incident.assessment
    learned_at = identified or incident.declared_at + timedelta(minutes=20)
    for key, title in (("facts", "Confirmed facts"), ("root_cause", "Root cause")):
        if str(assessment.get(key, "")).strip() and learned_at <= last:
            injects.append(
                Inject("fact", offset(learned_at), title=title, text=str(assessment[key]).strip())
            )
    injects.sort(key=lambda i: (i.at, i.kind != "mentions"))
    if not injects:
        raise DrillError(f"Incident {incident_id} has no mentions, calls or notes to replay.")
    end = max(i.at for i in injects if i.at is not None) + TAIL
    duration = min(timedelta(minutes=math.ceil(end.total_seconds() / 60)), MAX_DURATION)
    levels = [
        int(e.data["new"]) for e in events if e.kind == EventKind.SEVERITY and e.data.get("new")
    ]
    declared = next((e for e in events if e.kind == EventKind.DECLARED), None)
    levels.append(int(declared.data.get("level", incident.level)) if declared else incident.level)
    declared_after = timedelta(minutes=math.ceil(offset(incident.declared_at).total_seconds() / 60))
    speed = next((s for s in SPEEDS if duration / s <= LONGEST_AT_A_SPEED), SPEEDS[-1])
    when = incident.declared_at.astimezone()
    replayed = sum(len(i.mentions) for i in injects)
    profile = store.business.get()
    return Scenario(
        title=f"Replay: {incident.title}",
        crisis_type=kind,
        duration=duration,
        injects=tuple(injects),
        expect=Expectations(
            declare_by=min(max(declared_after, timedelta(minutes=1)), duration),
            level=max(levels),
        ),
        speed=speed,
        business=profile.name if profile else "",
        briefing=(
            f"A replay of “{incident.title}”, declared {when:%A %d %B %Y at %H:%M}. Its "
            f"{replayed:,} posts come back in their real order and at their real pace; the "
            "people you reached and the facts you learned arrive when they did. Last time you "
            f"declared at T+{int(declared_after.total_seconds() // 60)} min: beat it."
        ),
        summary=str(assessment.get("what_happened", "")).strip() or incident.title,
    )

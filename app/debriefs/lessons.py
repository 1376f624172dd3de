"""Lessons that change the plan: how each kind of change reads, and the plan with it applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from app.debriefs.model import DebriefError
from app.plan.model import Plan
from app.timeutil import format_duration

# The ladder's times a lesson can change: the plan's field, and how the change reads.
TIMINGS = {
    "cadence": ("cadence_min", "update every"),
    "first_update": ("first_update_min", "first update within"),
    "notify_within": ("notify_within_min", "tell people within"),
}


def describe_change(
    change: dict, contact_names: dict[int, str] | None = None, plan: Plan | None = None
) -> str:
    """A lesson's change to the plan in the owner's words ("Level 3: update every 2 h";
    the playbook by its name, not its key)."""
    kind = change.get("kind")
    if kind in TIMINGS:
        what = TIMINGS[kind][1]
        try:
            minutes = format_duration(timedelta(minutes=int(change.get("value") or 0)))
        except (TypeError, ValueError):
            minutes = f"{change.get('value')} min"
        return f"Level {change.get('level')}: {what} {minutes}"
    if kind == "call_tree":
        contact_id = change.get("contact_id")
        name = (contact_names or {}).get(contact_id or 0, f"contact {contact_id}")
        return f"Add {name} to the level {change.get('level')} call tree"
    if kind == "first_hour":
        key = str(change.get("playbook"))
        names = {p.key: p.name for p in plan.playbooks} if plan is not None else {}
        playbook = names.get(key, key)
        return f"Playbook “{playbook}”: add “{change.get('value')}” to the first hour"
    return ""


def apply_change(plan: Plan, change: dict) -> Plan:
    """The plan with one accepted lesson applied (a new object; the caller saves it)."""
    kind = change.get("kind")
    if kind in TIMINGS:
        attribute = TIMINGS[kind][0]
        level, value = int(change["level"]), int(change["value"])
        if value < 1:
            raise DebriefError("A time in the plan must be at least one minute.")
        changed: dict = {attribute: value}
        ladder = [replace(step, **changed) if step.level == level else step for step in plan.ladder]
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


def changes_plan(lesson) -> bool:
    """A lesson that changes the plan: accepted, or already applied as a plan revision."""
    return bool(lesson.change) and (lesson.accepted or lesson.revision_id is not None)

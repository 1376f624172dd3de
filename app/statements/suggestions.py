"""From finding to fix: for each element a statement is missing, one sentence to insert, filled
from the plan and the incident (the next update time from the countdown or the ladder's
cadence, the help channel from the plan's channels, the action from the incident's tasks).

A value Crisis Desk does not know stays a visible {{variable}}, which blocks approval until
the owner fills it in; nothing is made up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.mentions.sentiment import business_names
from app.statements.checker import SUGGESTIONS, CheckContext


def update_time(due: datetime, now: datetime) -> str:
    """ "15:00", or "15:00 on Tuesday 21 November" when it is not today (local time)."""
    local, today = due.astimezone(), now.astimezone()
    if local.date() == today.date():
        return f"{local:%H:%M}"
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B}"


def _first_lower(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def build_context(
    values: dict[str, str],
    *,
    business: str = "",
    incident_title: str = "",
    what_happened: str = "",
    next_update_due: datetime | None = None,
    cadence_minutes: int | None = None,
    open_tasks: list[str] | None = None,
    now: datetime,
) -> CheckContext:
    """The checker's context: the business's names, the incident's countdown and a sentence
    for each element, from what the plan and the incident say (`values` are the statement
    template's variables)."""
    suggestions = dict(SUGGESTIONS)
    if what_happened:
        suggestions["acknowledgement"] = f"We know that {_first_lower(what_happened)}."
    elif incident_title:
        suggestions["acknowledgement"] = f"We know about {_first_lower(incident_title)}."
    due = next_update_due
    if due is None and cadence_minutes:
        due = now + timedelta(minutes=cadence_minutes)
    if due is not None:
        suggestions["next-update"] = f"We will post our next update at {update_time(due, now)}."
    if values.get("hotline"):
        suggestions["help-channel"] = f"If you need help, call us on {values['hotline']}."
    elif values.get("landing_page"):
        suggestions["help-channel"] = f"For help and updates, visit {values['landing_page']}."
    elif values.get("email"):
        suggestions["help-channel"] = f"If you need help, email us at {values['email']}."
    if open_tasks:
        suggestions["action"] = f"What we are doing now: {_first_lower(open_tasks[0])}."
    return CheckContext(
        names=tuple(business_names(business)) if business else (),
        next_update_at=next_update_due,
        suggestions=suggestions,
    )

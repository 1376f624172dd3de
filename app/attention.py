"""What needs the owner now: the Dashboard's list, computed from the store with no Qt.

Each area adds its own checks (overdue updates, people not reached, spikes, tasks due, plan
review, debrief owed) to `CHECKS`; on a quiet day the list is empty and `quiet_day_suggestions`
offers the next thing worth doing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.store import Store


@dataclass(frozen=True)
class AttentionItem:
    """One line of "what needs you now": what, why, and the page where it is done."""

    text: str
    detail: str
    page: str
    urgency: int = 1  # 3 overdue / urgent, 2 due soon, 1 worth doing
    icon: str = "mdi6.alert-circle-outline"


Check = Callable[["Store", datetime], list[AttentionItem]]
SPIKE_ICON = "mdi6.trending-up"


def _business_profile_missing(store: Store, now: datetime) -> list[AttentionItem]:
    if store.business.get() is not None:
        return []
    return [
        AttentionItem(
            "Tell Crisis Desk about your business",
            "Its name and shops fill your plan, statements and reports.",
            "business",
            urgency=1,
            icon="mdi6.storefront-outline",
        )
    ]


def _plan_review(store: Store, now: datetime) -> list[AttentionItem]:
    """No plan yet, or a plan not looked at for six months: both are worth a line."""
    if store.plan.get_current() is None:
        return [
            AttentionItem(
                "Write your crisis plan",
                "Start from the template: who does what, how fast, and what to say.",
                "plan",
                urgency=1,
                icon="mdi6.clipboard-text-outline",
            )
        ]
    plan = store.plan.get_current()
    if plan is None:
        return []
    unassigned = [role.name for role in plan.roles if role.primary_id is None]
    items = []
    if unassigned:
        people = store.contacts.count()
        where = (
            f"choose them on the Plan page from your {people} contacts."
            if people
            else "add the people on the Contacts page, then choose them on the Plan page."
        )
        items.append(
            AttentionItem(
                f"Name who does what: {len(unassigned)} of {len(plan.roles)} roles have nobody",
                f"{', '.join(unassigned[:3])}{'…' if len(unassigned) > 3 else ''}: {where}",
                "plan",
                urgency=1,
                icon="mdi6.account-question-outline",
            )
        )
    if not store.plan.review_due(now):
        return items
    reviewed = store.plan.last_reviewed() or now
    months = max(6, round((now - reviewed).days / 30.44))
    return [
        *items,
        AttentionItem(
            f"Your plan was last reviewed {months} months ago",
            "People, numbers and accounts change. Check the plan and mark it reviewed.",
            "plan",
            urgency=2,
            icon="mdi6.clipboard-alert-outline",
        ),
    ]


def _open_incidents(store: Store, now: datetime) -> list[AttentionItem]:
    from app.text import plural
    from app.timeutil import format_duration

    items = []
    for incident in store.incidents.all(open_only=True):
        due_in = incident.update_due_in(now)
        if due_in is not None and due_in.total_seconds() < 0:
            items.append(
                AttentionItem(
                    f"Update overdue by {format_duration(due_in)}: {incident.title}",
                    f"{incident.level_label}. People are waiting to hear from you.",
                    f"incident:{incident.id}",
                    urgency=3,
                    icon="mdi6.clock-alert-outline",
                )
            )
        elif due_in is not None and due_in <= timedelta(minutes=30):
            items.append(
                AttentionItem(
                    f"Next update due in {format_duration(due_in)}: {incident.title}",
                    f"{incident.level_label}. Prepare your next update now.",
                    f"incident:{incident.id}",
                    urgency=2,
                    icon="mdi6.clock-outline",
                )
            )
        late = [p for p in store.incidents.people(incident.id) if p.overdue(now)]
        if late:
            names = ", ".join(p.name for p in late[:3]) + (" …" if len(late) > 3 else "")
            items.append(
                AttentionItem(
                    f"{plural(len(late), 'person', 'people')} not reached yet: {names}",
                    f"Your plan says they should know by now about “{incident.title}”.",
                    f"incident:{incident.id}",
                    urgency=3,
                    icon="mdi6.phone-alert-outline",
                )
            )
        overdue = [t for t in store.incidents.tasks(incident.id) if t.overdue(now)]
        if overdue:
            items.append(
                AttentionItem(
                    f"{plural(len(overdue), 'overdue task')}: {overdue[0].title}",
                    f"From “{incident.title}”.",
                    f"incident:{incident.id}",
                    urgency=2,
                    icon="mdi6.checkbox-marked-circle-outline",
                )
            )
    return items


def _mention_spike(store: Store, now: datetime) -> list[AttentionItem]:
    """A spike in the last three days that the owner has neither declared nor dismissed."""
    from app.timeutil import to_iso

    items = []
    for spike in store.detection.episodes(since=now - timedelta(hours=72))[-1:]:
        status = store.mentions.spike_status(to_iso(spike.start), to_iso(spike.end))
        if status in ("dismissed", "awaiting incident", "declared"):
            continue
        items.append(
            AttentionItem(
                spike.headline(now),
                f"{spike.count:,} mentions, {spike.negative_share:.0%} negative. Read them in "
                "the Inbox and decide whether to declare an incident.",
                "inbox",
                urgency=3,
                icon=SPIKE_ICON,
            )
        )
    return items


def _detection_alerts(store: Store, now: datetime) -> list[AttentionItem]:
    """Watch, reach and all-clear alerts of the last day that the owner has not dismissed."""
    alerts = store.detection.alerts(
        now - timedelta(hours=24), undismissed=True, kinds=("watch", "reach", "all-clear")
    )
    return [
        AttentionItem(
            alert.title,
            alert.detail,
            f"search:{alert.query}" if alert.query else "inbox",
            urgency=1 if alert.kind == "all-clear" else 2,
            icon="mdi6.check-circle-outline"
            if alert.kind == "all-clear"
            else "mdi6.bell-ring-outline",
        )
        for alert in alerts[:3]
    ]


def _after_incidents(store: Store, now: datetime) -> list[AttentionItem]:
    """Debriefs owed (resolved more than five business days ago) and corrective actions."""
    from app.text import plural

    items = [
        AttentionItem(
            f"Debrief owed: {incident.title}",
            "Resolved more than five working days ago. Review it while people remember.",
            "debriefs",
            urgency=2,
            icon="mdi6.school-outline",
        )
        for incident in store.debriefs.owed(now)
    ]
    actions = store.incidents.open_corrective_actions()
    late = [a for a in actions if a["due_at"] and a["due_at"] < now.isoformat()]
    if late:
        items.append(
            AttentionItem(
                f"{plural(len(late), 'corrective action')} overdue: {late[0]['title']}",
                f"Owner: {late[0]['owner'] or 'nobody yet'}. Fixing the cause stops a repeat.",
                "debriefs",
                urgency=2,
                icon="mdi6.wrench-clock",
            )
        )
    elif actions:
        items.append(
            AttentionItem(
                f"{plural(len(actions), 'corrective action')} still open",
                f"Next: {actions[0]['title']} ({actions[0]['owner'] or 'nobody yet'}).",
                "debriefs",
                urgency=1,
                icon="mdi6.wrench-outline",
            )
        )
    return items


CHECKS: list[Check] = [
    _business_profile_missing,
    _open_incidents,
    _mention_spike,
    _detection_alerts,
    _after_incidents,
    _plan_review,
]


def attention_items(store: Store, now: datetime) -> list[AttentionItem]:
    items = [item for check in CHECKS for item in check(store, now)]
    return sorted(items, key=lambda item: -item.urgency)


def quiet_day_suggestions(store: Store) -> list[AttentionItem]:
    """The next things worth doing when nothing is on fire, leaving out what is done (no
    "add the people you would call" to a workspace that has them)."""
    people = store.contacts.count()
    reviewed = store.plan.last_reviewed()
    recently = reviewed is not None and (store.clock() - reviewed).days < 90
    suggestions = [
        AttentionItem(
            "Print your plan binder",
            "Your plan on paper, for the day the laptop or the Wi-Fi is down.",
            "plan",
            icon="mdi6.printer-outline",
        )
        if recently
        else AttentionItem(
            "Review your crisis plan",
            "Check who does what and how fast, before you need it.",
            "plan",
            icon="mdi6.clipboard-text-outline",
        ),
        AttentionItem(
            "Add the people you would call",
            "Your manager, a lawyer, your insurer, the local press.",
            "contacts",
            icon="mdi6.account-plus-outline",
        )
        if people < 3
        else AttentionItem(
            "Check who calls whom",
            f"Walk through your call tree with your {people} contacts: is every number "
            "still right?",
            "contacts",
            icon="mdi6.phone-outline",
        ),
        AttentionItem(
            "Run a drill",
            "Practise a pretend incident for 20 minutes with your team.",
            "incidents",
            icon="mdi6.run-fast",
        ),
    ]
    return suggestions


# --- readiness: how ready the owner is for a bad day ---------------------------------------

DRILLS_A_YEAR = 2  # rehearse twice a year (PagerDuty's crisis guide; the README's drills)
DRILL_PAGE = "drill"  # the window opens "Run a drill…" for this page key


def readiness_items(store: Store, now: datetime) -> list[AttentionItem]:
    """The Dashboard's "Readiness" lines, one each with where to act: the last drill and its
    score, drills this year against the goal, the plan's age, corrective actions still open
    and the people the escalation ladder calls who have no phone number. A drill's own copy
    reads the list of drills of the real workspace it was copied from."""
    from app.drills.repository import DrillRecords
    from app.drills.sandbox import real_workspace
    from app.text import plural

    records = DrillRecords(real_workspace(store))
    drills = records.all()
    rehearsals = [r for r in drills if not r.auto]
    items = []
    if rehearsals:
        last = rehearsals[0]
        days = max(0, (now - last.held_at).days)
        ago = "today" if days == 0 else f"{plural(days, 'day')} ago"
        items.append(
            AttentionItem(
                f"Last drill: {last.title}, {last.summary} ({ago})",
                "Its score is in the Drills list on the Debriefs page.",
                "debriefs",
                icon="mdi6.run-fast",
            )
        )
    else:
        items.append(
            AttentionItem(
                "No drill yet",
                "Rehearse a crisis in a sealed copy of your workspace, 20 to 35 minutes.",
                DRILL_PAGE,
                icon="mdi6.run-fast",
            )
        )
    start_of_year = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    this_year = len(records.since(start_of_year))
    items.append(
        AttentionItem(
            f"Drills this year: {this_year} of {DRILLS_A_YEAR}",
            "Goal met: well rehearsed."
            if this_year >= DRILLS_A_YEAR
            else "Rehearse twice a year, so everyone knows their part.",
            DRILL_PAGE,
            icon="mdi6.calendar-check-outline",
        )
    )
    reviewed = store.plan.last_reviewed()
    if reviewed is None:
        plan_text = "No crisis plan yet"
    else:
        days = max(0, (now - reviewed).days)
        plan_text = (
            "Plan reviewed today" if days == 0 else f"Plan last reviewed {plural(days, 'day')} ago"
        )
    items.append(
        AttentionItem(
            plan_text,
            "Review it every six months, and after every drill.",
            "plan",
            icon="mdi6.clipboard-text-outline",
        )
    )
    actions = len(store.incidents.open_corrective_actions())
    items.append(
        AttentionItem(
            f"Open corrective actions: {actions}",
            "Fixes your debriefs asked for, not done yet." if actions else "None open.",
            "debriefs",
            icon="mdi6.wrench-outline",
        )
    )
    no_phone = _ladder_people_without_phone(store)
    items.append(
        AttentionItem(
            f"Ladder people with no phone: {len(no_phone)}",
            ", ".join(no_phone[:3]) + ("…" if len(no_phone) > 3 else "")
            if no_phone
            else "Everyone the ladder calls has a number.",
            "contacts",
            icon="mdi6.phone-off-outline" if no_phone else "mdi6.phone-outline",
        )
    )
    return items


def _ladder_people_without_phone(store: Store) -> list[str]:
    """The people the plan's escalation ladder tells (each role's person and backup) who have
    no phone number, by name."""
    plan = store.plan.get_current()
    if plan is None:
        return []
    wanted = {str(name).lower() for level in plan.ladder for name in level.notify}
    ids: list[int] = []
    for role in plan.roles:
        if role.name.lower() in wanted or role.key.lower() in wanted:
            ids += [i for i in (role.primary_id, role.backup_id) if i is not None]
    names = []
    for contact_id in dict.fromkeys(ids):
        contact = store.contacts.get(contact_id)
        if contact is not None and not contact.phones:
            names.append(contact.name)
    return names

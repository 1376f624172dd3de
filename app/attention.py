"""What needs the owner now: the Dashboard's list, computed from the store with no Qt.

Each area adds its own checks (overdue updates, people not reached, spikes, tasks due, plan
review, debrief owed) to `CHECKS`; on a quiet day the list is empty and `quiet_day_suggestions`
offers the next thing worth doing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.store import Store


@dataclass(frozen=True)
class AttentionItem:
    """One line of "what needs you now": what, why, and the page where it is done."""

    text: str
    detail: str
    page: str
    urgency: int = 1  # 3 overdue / urgent, 2 due soon, 1 worth doing
    icon: str = "mdi6.alert-circle-outline"


Check = Callable[[Store, datetime], list[AttentionItem]]


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
    unassigned = [role.name for role in plan.roles if role.primary_id is None]
    items = []
    if unassigned:
        items.append(
            AttentionItem(
                f"Name who does what: {len(unassigned)} of {len(plan.roles)} roles have nobody",
                f"{', '.join(unassigned[:3])}{'…' if len(unassigned) > 3 else ''}: add the "
                "people on the Contacts page, then choose them on the Plan page.",
                "plan",
                urgency=1,
                icon="mdi6.account-question-outline",
            )
        )
    if not store.plan.review_due(now):
        return items
    months = max(6, round((now - store.plan.last_reviewed()).days / 30.44))
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


CHECKS: list[Check] = [_business_profile_missing, _plan_review]


def attention_items(store: Store, now: datetime) -> list[AttentionItem]:
    items = [item for check in CHECKS for item in check(store, now)]
    return sorted(items, key=lambda item: -item.urgency)


def quiet_day_suggestions(store: Store) -> list[AttentionItem]:
    """The next things worth doing when nothing is on fire."""
    return [
        AttentionItem(
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
        ),
        AttentionItem(
            "Run a drill",
            "Practise a pretend incident for 20 minutes with your team.",
            "incidents",
            icon="mdi6.run-fast",
        ),
    ]

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


def _mention_spike(store: Store, now: datetime) -> list[AttentionItem]:
    """A spike in the last three days that the owner has neither declared nor dismissed."""
    from app.mentions.spikes import recent_spikes
    from app.timeutil import to_iso

    items = []
    for spike in recent_spikes(store, now)[-1:]:
        if store.mentions.spike_status(to_iso(spike.start)) in ("dismissed", "awaiting incident"):
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


CHECKS: list[Check] = [_business_profile_missing]
CHECKS.append(_mention_spike)


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

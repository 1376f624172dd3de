"""The first-run choices: start from the template plan, open the demo, or start empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.business.model import BusinessProfile
from app.mentions.detection.live import seed_template_watches
from app.plan.repository import seed_template_plan

if TYPE_CHECKING:
    from app.store import Store

WELCOME_KEY = "welcome_done"

# Areas that seed a new workspace from the shipped templates register here (the plan does).
TEMPLATE_SEEDERS: list[Callable[[Store], None]] = [seed_template_plan, seed_template_watches]


def needs_welcome(store: Store) -> bool:
    return store.settings.get(WELCOME_KEY) is None


def start_from_template(store: Store, profile: BusinessProfile) -> None:
    """Save the business and seed everything that ships as a template, in one transaction."""
    with store.db.atomic():
        store.business.save(profile)
        for seed in TEMPLATE_SEEDERS:
            seed(store)
        store.settings.set(WELCOME_KEY, "template")


def init_workspace(store: Store, business: str = "", template: bool = False) -> None:
    """`crisisdesk init`: the business's name (when given) and, with `template`, everything
    that ships as a template, in one transaction; the first-run choice counts as made."""
    with store.db.atomic():
        if business:
            store.business.save(BusinessProfile(name=business))
        if template:
            for seed in TEMPLATE_SEEDERS:
                seed(store)
        store.settings.set(WELCOME_KEY, "template" if template else "empty")


def start_empty(store: Store) -> None:
    store.settings.set(WELCOME_KEY, "empty")

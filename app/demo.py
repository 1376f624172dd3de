"""The demo workspace: "Hearth & Crumb", a three-shop bakery-café in a food-safety scare.

Each domain adds its part here as it lands, so the demo always shows everything the app can do.
"""

from __future__ import annotations

from app.business import BusinessProfile
from app.mentions.demo_data import add_demo_mentions
from app.store import Store

HEARTH_AND_CRUMB = BusinessProfile(
    name="Hearth & Crumb",
    kind="Bakery-café, three shops",
    locations="Old Town — 12 Market Street\nRiverside — 4 Quay Lane\nNorth Hill — 88 Station Road",
    website="https://hearthandcrumb.example",
    phone="+44 20 7946 0321",
    email="hello@hearthandcrumb.example",
    timezone="Europe/London",
    about=(
        "Family-run bakery-café since 2011: sourdough, pastries and breakfast, baked each "
        "morning in the Old Town kitchen and delivered to all three shops. 38 staff, about "
        "2,400 customers a week, 6,800 Instagram followers."
    ),
)


def build_demo(store: Store) -> None:
    """Fill an empty workspace with the demo business and its crisis."""
    if store.business.get() is not None:
        raise ValueError(f"{store.path} already holds a business; build the demo in a new file.")
    with store.db.atomic():
        store.business.save(HEARTH_AND_CRUMB)
        store.settings.set("welcome_done", "demo")
    add_demo_mentions(store)

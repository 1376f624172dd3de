"""The demo workspace: "Hearth & Crumb", a three-shop bakery-café in a food-safety scare.

Each domain adds its part here as it lands, so the demo always shows everything the app can do.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.business.model import BusinessProfile
from app.contacts.model import CallTreeLink, Contact, Phone
from app.demo.incident import add_demo_incident
from app.demo.mentions import add_demo_mentions
from app.plan.model import template_plan

if TYPE_CHECKING:
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


# Fictional people; phone numbers from the ranges Ofcom keeps for drama (020 7946 0xxx,
# 07700 900xxx), addresses on .example domains.
DEMO_CONTACTS: list[Contact] = [
    Contact(
        "Maya Okafor",
        "internal",
        "Owner and managing director",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900101"), Phone("work", "+44 20 7946 0321")],
        ["maya@hearthandcrumb.example"],
        ["@maya.bakes"],
        ["Crisis team", "Management"],
        "Any time for level 3 and 4",
        "Europe/London",
    ),
    Contact(
        "Daniel Reyes",
        "internal",
        "Operations manager",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900102")],
        ["daniel@hearthandcrumb.example"],
        [],
        ["Crisis team", "Management"],
        "06:00–18:00, weekdays",
        "Europe/London",
    ),
    Contact(
        "Priya Shah",
        "internal",
        "Marketing and social media",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900103")],
        ["priya@hearthandcrumb.example"],
        ["@hearthandcrumb"],
        ["Crisis team"],
        "09:00–21:00, checks messages at weekends",
        "Europe/London",
    ),
    Contact(
        "Tomasz Nowak",
        "internal",
        "Head baker",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900104")],
        ["tomasz@hearthandcrumb.example"],
        [],
        ["Kitchen", "Crisis team"],
        "04:00–13:00; asleep in the evening",
        "Europe/London",
        "Keeps the allergen sheets and the fridge and oven logs.",
    ),
    Contact(
        "Grace Adebayo",
        "internal",
        "Shop manager, Old Town",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900105"), Phone("shop", "+44 20 7946 0322")],
        ["oldtown@hearthandcrumb.example"],
        [],
        ["Shop managers"],
        "07:00–16:00",
        "Europe/London",
    ),
    Contact(
        "Liam O'Connell",
        "internal",
        "Shop manager, Riverside",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900106"), Phone("shop", "+44 20 7946 0323")],
        ["riverside@hearthandcrumb.example"],
        [],
        ["Shop managers"],
        "07:00–16:00",
        "Europe/London",
    ),
    Contact(
        "Sofia Marin",
        "internal",
        "Shop manager, North Hill",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900107"), Phone("shop", "+44 20 7946 0324")],
        ["northhill@hearthandcrumb.example"],
        [],
        ["Shop managers"],
        "10:00–19:00",
        "Europe/London",
    ),
    Contact(
        "Ellie Park",
        "internal",
        "Customer service lead",
        "Hearth & Crumb",
        [Phone("mobile", "+44 7700 900108")],
        ["hello@hearthandcrumb.example"],
        [],
        ["Crisis team"],
        "09:00–17:00",
        "Europe/London",
    ),
    Contact(
        "Jonathan Hale",
        "external",
        "Solicitor (food law and employment)",
        "Hale & Morrow LLP",
        [Phone("work", "+44 20 7946 0410"), Phone("out of hours", "+44 7700 900110")],
        ["j.hale@halemorrow.example"],
        [],
        ["Advisers"],
        "Office hours; out-of-hours line for emergencies",
        "Europe/London",
    ),
    Contact(
        "Rachel Kim",
        "external",
        "PR consultant",
        "Brightline Communications",
        [Phone("mobile", "+44 7700 900111")],
        ["rachel@brightline.example"],
        ["@rachelkim_pr"],
        ["Advisers"],
        "Retained: answers within an hour, 7 days",
        "Europe/London",
    ),
    Contact(
        "Claims line",
        "external",
        "Business insurance claims",
        "Northgate Mutual Insurance",
        [Phone("claims", "+44 20 7946 0500")],
        ["claims@northgatemutual.example"],
        [],
        ["Advisers"],
        "24 hours",
        "Europe/London",
        "Policy number HC-2291-B. Tell them within 24 hours of any product recall.",
    ),
    Contact(
        "Amir Haddad",
        "external",
        "Environmental health officer",
        "Borough Council Food Safety Team",
        [Phone("work", "+44 20 7946 0600")],
        ["foodsafety@borough.example"],
        [],
        ["Authorities"],
        "Mon–Fri 09:00–17:00; duty officer via the council switchboard",
        "Europe/London",
    ),
    Contact(
        "Helen Brooks",
        "external",
        "Local news reporter",
        "Riverside Gazette",
        [Phone("newsdesk", "+44 20 7946 0700")],
        ["newsdesk@riversidegazette.example"],
        ["@helenbrooks_news"],
        ["Press"],
        "",
        "Europe/London",
        "Covered the North Hill opening in 2023; fair and quick.",
    ),
    Contact(
        "Marcus Webb",
        "external",
        "Account manager, flour and dairy",
        "Webb & Daughters Wholesale",
        [Phone("mobile", "+44 7700 900114")],
        ["orders@webbwholesale.example"],
        [],
        ["Suppliers"],
        "05:00–14:00",
        "Europe/London",
        "Batch and delivery records for every ingredient; can trace a lot within an hour.",
    ),
    Contact(
        "Nadia Volkova",
        "external",
        "IT and website support",
        "Pixelgarden Studio",
        [Phone("support", "+44 20 7946 0800")],
        ["help@pixelgarden.example"],
        [],
        ["Advisers"],
        "09:00–18:00, weekdays",
        "Europe/London",
        "Hosts the website and the online ordering; can put up an update page within 30 min.",
    ),
]

# Who calls whom, per level: (callee, caller) by name; caller None = called first.
DEMO_CALL_TREE: dict[int, list[tuple[str, str | None]]] = {
    2: [("Maya Okafor", None), ("Priya Shah", "Maya Okafor"), ("Ellie Park", "Maya Okafor")],
    3: [
        ("Maya Okafor", None),
        ("Daniel Reyes", "Maya Okafor"),
        ("Priya Shah", "Maya Okafor"),
        ("Rachel Kim", "Maya Okafor"),
        ("Grace Adebayo", "Daniel Reyes"),
        ("Liam O'Connell", "Daniel Reyes"),
        ("Sofia Marin", "Daniel Reyes"),
        ("Ellie Park", "Priya Shah"),
    ],
    4: [
        ("Maya Okafor", None),
        ("Daniel Reyes", "Maya Okafor"),
        ("Jonathan Hale", "Maya Okafor"),
        ("Rachel Kim", "Maya Okafor"),
        ("Claims line", "Maya Okafor"),
        ("Tomasz Nowak", "Daniel Reyes"),
        ("Grace Adebayo", "Daniel Reyes"),
        ("Liam O'Connell", "Daniel Reyes"),
        ("Sofia Marin", "Daniel Reyes"),
        ("Marcus Webb", "Daniel Reyes"),
        ("Priya Shah", "Maya Okafor"),
        ("Ellie Park", "Priya Shah"),
    ],
}

# The bakery's own plan: the template, with its people and its own words where it matters.
DEMO_ROLES = {
    "decision-maker": ("Maya Okafor", "Daniel Reyes"),
    "spokesperson": ("Maya Okafor", "Rachel Kim"),
    "social-media-lead": ("Priya Shah", "Ellie Park"),
    "legal": ("Jonathan Hale", None),
    "customer-support": ("Ellie Park", "Grace Adebayo"),
    "operations": ("Daniel Reyes", "Tomasz Nowak"),
}
DEMO_CHANNELS = {
    "hotline": (
        "+44 20 7946 0321 (Old Town shop line, forwarded to the duty mobile)",
        "Ellie Park",
    ),
    "email-alert": (
        "crisis@hearthandcrumb.example: Maya, Daniel, Priya, Ellie, the three shop "
        "managers, Rachel Kim",
        "Maya Okafor",
    ),
    "landing-page": ("https://hearthandcrumb.example/update", "Priya Shah"),
    "social": (
        "Instagram @hearthandcrumb (6,800), Facebook Hearth & Crumb Bakery, Google "
        "Business Profile for each shop, TikTok @hearthandcrumb",
        "Priya Shah",
    ),
}
DEMO_FOOD_SAFETY_STEPS = [
    "Pull the product from all three shops and the online shop; Daniel phones each shop manager",
    "Keep the suspect batch aside in the Old Town walk-in fridge, labelled 'DO NOT SELL'",
    "Tomasz checks the allergen sheet, recipe card and the fridge and oven logs for that bake",
    "Ring every customer who reported it; Ellie keeps the log (name, number, what they ate, when)",
    "Call Amir Haddad at the council food safety team if anyone was made ill",
    "Call Jonathan Hale and the Northgate claims line before saying anything about the cause",
    "Marcus Webb traces the ingredient batches delivered that week",
    "Priya publishes the holding statement on /update and pins it on Instagram and Facebook",
    "Brief all counter staff at the start of each shift: what to say, refunds without question",
]


def demo_plan(ids: dict[str, int]):
    plan = template_plan()
    roles = [
        replace(
            r,
            primary_id=ids.get(DEMO_ROLES[r.key][0]),
            backup_id=ids.get(DEMO_ROLES[r.key][1] or ""),
        )
        if r.key in DEMO_ROLES
        else r
        for r in plan.roles
    ]
    channels = [
        replace(c, detail=DEMO_CHANNELS[c.key][0], owner_id=ids.get(DEMO_CHANNELS[c.key][1]))
        if c.key in DEMO_CHANNELS
        else c
        for c in plan.channels
    ]
    playbooks = [
        replace(p, first_hour=DEMO_FOOD_SAFETY_STEPS) if p.key == "food_safety" else p
        for p in plan.playbooks
    ]
    return replace(plan, roles=roles, channels=channels, playbooks=playbooks)


def build_demo(store: Store) -> None:
    """Fill an empty workspace with the demo business and its crisis."""
    if store.business.get() is not None:
        raise ValueError(f"{store.path} already holds a business; build the demo in a new file.")
    with store.db.atomic():
        store.business.save(HEARTH_AND_CRUMB)
        saved = store.contacts.add_many(DEMO_CONTACTS)
        ids = {c.name: contact_id for c, contact_id in zip(DEMO_CONTACTS, saved, strict=True)}
        for level, links in DEMO_CALL_TREE.items():
            store.contacts.set_call_tree(
                level,
                [
                    CallTreeLink(level, ids[callee], ids.get(caller or ""))
                    for callee, caller in links
                ],
            )
        store.plan.save(template_plan(), "Started from the template plan", "Maya Okafor")
        store.plan.save(
            demo_plan(ids),
            "Named our people, our channels and the bakery's food-safety steps",
            "Maya Okafor",
        )
        store.plan.mark_reviewed()
        store.settings.set("welcome_done", "demo")
    add_demo_mentions(store)
    add_demo_incident(store)
    store.detection.recheck()  # the alarm's live state: the scare, and where it stands now

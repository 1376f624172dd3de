"""The crisis plan as one document: roles, the escalation ladder, channels and playbooks,
read from and written to JSON and checked; contacts are referenced by id."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta

from app.paths import resource

REVIEW_EVERY = timedelta(days=183)  # about six months
REVIEWED_KEY = "plan_reviewed_at"
CHANNEL_KINDS = {
    "hotline": "Hotline",
    "email_list": "Email alert list",
    "landing_page": "Landing page",
    "social": "Social account",
    "other": "Other",
}
# What a channel's details should hold: shown as the empty field's hint, never as its value
# (a hint copied into a statement once told customers to call "Your main shop number").
CHANNEL_HINTS = {
    "hotline": "The number to call, e.g. +44 20 7946 0321: your main shop number, or a spare "
    "mobile you forward to whoever is on duty",
    "email_list": "Who must hear first: your team, your manager on duty, your lawyer and insurer",
    "landing_page": "The page's address, e.g. https://yourshop.example/update: a page on your "
    "website that holds every statement in order",
    "social": "Your accounts: Instagram, Facebook, Google Business Profile, X, Bluesky, "
    "Mastodon, TikTok",
    "other": "Number, address, link or accounts",
}
CRISIS_TYPES = {
    "food_safety": "Product or food safety",
    "service_failure": "Service failure",
    "offensive_post": "Offensive or mistaken post",
    "data_breach": "Data breach",
    "staff_misconduct": "Staff misconduct",
    "review_bombing": "Review bombing",
    "misinformation": "Misinformation",
}


@dataclass
class Role:
    key: str
    name: str
    responsibilities: str = ""
    primary_id: int | None = None
    backup_id: int | None = None


@dataclass
class Level:
    level: int
    name: str
    trigger: str = ""
    notify: list[str] = field(default_factory=list)  # role names
    notify_within_min: int = 60
    first_update_min: int = 60
    cadence_min: int = 60

    @property
    def title(self) -> str:
        return f"Level {self.level} · {self.name}"


@dataclass
class Channel:
    key: str
    kind: str
    name: str
    detail: str = ""
    owner_id: int | None = None
    checklist: list[str] = field(default_factory=list)


@dataclass
class Playbook:
    key: str
    name: str
    strategy: str = ""
    first_hour: list[str] = field(default_factory=list)
    holding_statement: str = ""


@dataclass
class Plan:
    roles: list[Role] = field(default_factory=list)
    ladder: list[Level] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    playbooks: list[Playbook] = field(default_factory=list)

    def level(self, number: int) -> Level | None:
        return next((lvl for lvl in self.ladder if lvl.level == number), None)

    def contact_ids(self) -> set[int]:
        ids = {r.primary_id for r in self.roles} | {r.backup_id for r in self.roles}
        ids |= {c.owner_id for c in self.channels}
        return {i for i in ids if i is not None}


@dataclass(frozen=True)
class Revision:
    id: int
    number: int
    created_at: datetime
    author: str
    summary: str
    plan: Plan


@dataclass(frozen=True)
class DiffLine:
    section: str  # Roles, Escalation ladder, Channels, Playbooks
    item: str  # "Level 3 · Serious", "Spokesperson"
    text: str  # "update cadence 60 → 45 min"
    kind: str = "changed"  # added | removed | changed

    def line(self) -> str:
        return f"{self.item}: {self.text}"


# --- documents ------------------------------------------------------------------------------


def _build(cls, data: dict):
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def plan_from_dict(data: dict) -> Plan:
    def ints(value):
        return int(value) if isinstance(value, int | float | str) and str(value).isdigit() else None

    roles = [_build(Role, r) for r in data.get("roles", [])]
    for role in roles:
        role.primary_id, role.backup_id = ints(role.primary_id), ints(role.backup_id)
    channels = [_build(Channel, c) for c in data.get("channels", [])]
    for channel in channels:
        channel.owner_id = ints(channel.owner_id)
    return Plan(
        roles=roles,
        ladder=sorted(
            (_build(Level, lvl) for lvl in data.get("ladder", [])), key=lambda x: x.level
        ),
        channels=channels,
        playbooks=[_build(Playbook, p) for p in data.get("playbooks", [])],
    )


def plan_to_json(plan: Plan) -> str:
    return json.dumps(asdict(plan), ensure_ascii=False, sort_keys=True)


def template_plan() -> Plan:
    """The plan a new workspace starts from (resources/templates/plan.json)."""
    data = json.loads(resource("templates", "plan.json").read_text(encoding="utf-8"))
    return plan_from_dict(data)


def new_key(name: str, taken: set[str]) -> str:
    """A stable key for a new item, from its name ("Social media lead" -> "social-media-lead")."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "item"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def validate(plan: Plan) -> Plan:
    """Tidy a plan and raise ValueError, in plain words, for what cannot be saved."""
    names = [r.name.strip() for r in plan.roles]
    if any(not n for n in names):
        raise ValueError("Every role needs a name.")
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"Two roles are called '{sorted(duplicates)[0]}'; give each its own name.")
    if sorted(lvl.level for lvl in plan.ladder) != [1, 2, 3, 4]:
        raise ValueError("The escalation ladder needs exactly the levels 1 to 4.")
    for lvl in plan.ladder:
        for value, what in (
            (lvl.notify_within_min, "how fast people are told"),
            (lvl.first_update_min, "the first update"),
            (lvl.cadence_min, "the update cadence"),
        ):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"{lvl.title}: {what} must be a number of minutes above 0.")
    for channel in plan.channels:
        if not channel.name.strip():
            raise ValueError("Every channel needs a name.")
    for playbook in plan.playbooks:
        if not playbook.name.strip():
            raise ValueError("Every playbook needs a name.")
    return replace(
        plan,
        roles=[replace(r, name=r.name.strip()) for r in plan.roles],
        channels=[
            replace(c, name=c.name.strip(), checklist=[i.strip() for i in c.checklist if i.strip()])
            for c in plan.channels
        ],
        playbooks=[
            replace(
                p, name=p.name.strip(), first_hour=[i.strip() for i in p.first_hour if i.strip()]
            )
            for p in plan.playbooks
        ],
    )


def replace_contact(plan: Plan, contact_id: int, new_id: int | None = None) -> Plan:
    """The plan with every use of a contact pointed at `new_id` (None: nobody)."""

    def swap(value: int | None) -> int | None:
        return new_id if value == contact_id else value

    return replace(
        plan,
        roles=[
            replace(r, primary_id=swap(r.primary_id), backup_id=swap(r.backup_id))
            for r in plan.roles
        ],
        channels=[replace(c, owner_id=swap(c.owner_id)) for c in plan.channels],
    )


def contact_usages(plan: Plan | None, contact_id: int) -> list[str]:
    """Where the plan uses a contact, in words ("primary for Spokesperson")."""
    if plan is None:
        return []
    used = []
    for role in plan.roles:
        if role.primary_id == contact_id:
            used.append(f"primary for {role.name}")
        if role.backup_id == contact_id:
            used.append(f"backup for {role.name}")
    for channel in plan.channels:
        if channel.owner_id == contact_id:
            used.append(f"owner of {channel.name}")
    return used

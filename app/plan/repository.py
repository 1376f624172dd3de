"""The crisis plan: roles, the escalation ladder, channels and playbooks, with every revision kept.

The plan is one JSON document per saved revision (`plan_revisions`). Saving never updates a
row: it adds one, with who, when and a summary; the current plan is the newest. That makes
"view an earlier revision", "compare two" and "restore one" (which is saving an old document
again) simple and safe: a plan edit is never overwritten. Items carry a stable `key`, so the
comparison can say "Level 3 · Serious: update cadence 60 → 45 min" rather than "line 40 changed".
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta

from sqlite_utils import Database

from app.db import new_id
from app.paths import resource
from app.timeutil import Clock, from_iso, to_iso, utc_now

REVIEW_EVERY = timedelta(days=183)  # about six months
REVIEWED_KEY = "plan_reviewed_at"
CHANNEL_KINDS = {
    "hotline": "Hotline",
    "email_list": "Email alert list",
    "landing_page": "Landing page",
    "social": "Social account",
    "other": "Other",
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


# --- comparing ------------------------------------------------------------------------------


def minutes(value: int) -> str:
    """15 -> '15 min', 60 -> '1 hour', 120 -> '2 hours', 1440 -> '1 day'."""
    for size, unit in ((1440, "day"), (60, "hour")):
        if value >= size and value % size == 0:
            count = value // size
            return f"{count} {unit}" + ("s" if count > 1 else "")
    return f"{value} min"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _list_diff(
    item: str, section: str, what: str, old: list[str], new: list[str]
) -> list[DiffLine]:
    lines = []
    for entry in old:
        if entry not in new:
            lines.append(DiffLine(section, item, f"{what} − “{_short(entry)}”", "removed"))
    for entry in new:
        if entry not in old:
            lines.append(DiffLine(section, item, f"{what} + “{_short(entry)}”", "added"))
    if not lines and old != new:
        lines.append(DiffLine(section, item, f"{what} reordered"))
    return lines


def _field_diff(section: str, item: str, old, new, labels: dict[str, str], names) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for attr, what in labels.items():
        before, after = getattr(old, attr), getattr(new, attr)
        if before == after:
            continue
        if isinstance(before, list):
            lines.extend(_list_diff(item, section, what, before, after))
        elif attr.endswith("_id"):
            lines.append(DiffLine(section, item, f"{what} {names(before)} → {names(after)}"))
        elif attr.endswith("_min"):
            lines.append(DiffLine(section, item, f"{what} {minutes(before)} → {minutes(after)}"))
        elif len(str(before)) <= 40 and len(str(after)) <= 40:
            lines.append(DiffLine(section, item, f"{what} “{before}” → “{after}”"))
        else:
            lines.append(DiffLine(section, item, f"{what} now reads “{_short(after, 110)}”"))
    return lines


_SECTIONS = (
    (
        "Roles",
        "roles",
        lambda r: r.key,
        lambda r: r.name,
        {
            "name": "name",
            "responsibilities": "responsibilities",
            "primary_id": "primary",
            "backup_id": "backup",
        },
    ),
    (
        "Escalation ladder",
        "ladder",
        lambda lvl: lvl.level,
        lambda lvl: lvl.title,
        {
            "name": "name",
            "trigger": "trigger",
            "notify": "who is told",
            "notify_within_min": "tell them within",
            "first_update_min": "first update within",
            "cadence_min": "update cadence",
        },
    ),
    (
        "Channels",
        "channels",
        lambda c: c.key,
        lambda c: c.name,
        {
            "name": "name",
            "kind": "kind",
            "detail": "details",
            "owner_id": "owner",
            "checklist": "checklist",
        },
    ),
    (
        "Playbooks",
        "playbooks",
        lambda p: p.key,
        lambda p: p.name,
        {
            "name": "name",
            "strategy": "strategy",
            "first_hour": "first-hour checklist",
            "holding_statement": "holding statement",
        },
    ),
)


def diff_plans(old: Plan, new: Plan, contact_names: dict[int, str] | None = None) -> list[DiffLine]:
    """What changed from `old` to `new`, one readable line per change."""
    contact_names = contact_names or {}

    def names(contact_id: int | None) -> str:
        if contact_id is None:
            return "nobody"
        return contact_names.get(contact_id, f"contact #{contact_id}")

    lines: list[DiffLine] = []
    for section, attr, key_of, title_of, labels in _SECTIONS:
        before = {key_of(x): x for x in getattr(old, attr)}
        after = {key_of(x): x for x in getattr(new, attr)}
        for key, item in before.items():
            if key not in after:
                lines.append(DiffLine(section, title_of(item), "removed", "removed"))
        for key, item in after.items():
            if key not in before:
                lines.append(DiffLine(section, title_of(item), "added", "added"))
                continue
            lines.extend(_field_diff(section, title_of(item), before[key], item, labels, names))
        if [k for k in before if k in after] != [k for k in after if k in before]:
            lines.append(DiffLine(section, section, "order changed"))
    return lines


# --- the repository -------------------------------------------------------------------------


class PlanRepository:
    """Revisions of the plan; the newest is the current plan."""

    def __init__(self, db: Database, settings, clock: Clock = utc_now):
        self.db = db
        self.settings = settings
        self.clock = clock

    def _revision(self, row: dict, number: int) -> Revision:
        return Revision(
            id=row["id"],
            number=number,
            created_at=from_iso(row["created_at"]),
            author=row["author"] or "",
            summary=row["summary"] or "",
            plan=plan_from_dict(json.loads(row["document"])),
        )

    def get_current(self) -> Plan | None:
        rows = list(self.db.table("plan_revisions").rows_where(order_by="id DESC", limit=1))
        return plan_from_dict(json.loads(rows[0]["document"])) if rows else None

    def revisions(self) -> list[Revision]:
        """Every revision, newest first, numbered from 1 (the first saved)."""
        rows = list(self.db.table("plan_revisions").rows_where(order_by="id"))
        return [self._revision(row, n) for n, row in reversed(list(enumerate(rows, start=1)))]

    def revision(self, revision_id: int) -> Revision | None:
        return next((r for r in self.revisions() if r.id == revision_id), None)

    def save(
        self, plan: Plan, summary: str, author: str = "", debrief_id: int | None = None
    ) -> Revision:
        """Store `plan` as a new revision (nothing is overwritten); returns it. A revision made
        from a debrief's lessons names the debrief."""
        plan = validate(plan)
        summary = " ".join(summary.split()) or "Changed the plan"
        now = to_iso(self.clock())
        with self.db.atomic():
            revision_id = new_id(
                self.db.table("plan_revisions")
                .insert(
                    {
                        "created_at": now,
                        "author": author.strip(),
                        "summary": summary,
                        "document": plan_to_json(plan),
                        "debrief_id": debrief_id,
                    }
                )
                .last_pk
            )
        revision = self.revision(revision_id)
        assert revision is not None  # just inserted, in this transaction's connection
        return revision

    def restore(self, revision_id: int, author: str = "") -> Revision:
        old = self.revision(revision_id)
        if old is None:
            raise ValueError("That revision no longer exists.")
        return self.save(old.plan, f"Restored revision {old.number} ({old.summary})", author)

    def seed_template(self, author: str = "Crisis Desk") -> Revision | None:
        """Start the plan from the template, if there is no plan yet."""
        if self.get_current() is not None:
            return None
        revision = self.save(template_plan(), "Started from the template plan", author)
        self.mark_reviewed()
        return revision

    # --- review --------------------------------------------------------------------------

    def mark_reviewed(self) -> None:
        self.settings.set(REVIEWED_KEY, to_iso(self.clock()))

    def last_reviewed(self) -> datetime | None:
        """When the plan was last looked at: marked as reviewed, or saved (which means read)."""
        moments = []
        marked = self.settings.get(REVIEWED_KEY)
        if marked:
            moments.append(from_iso(marked))
        rows = list(self.db.table("plan_revisions").rows_where(order_by="id DESC", limit=1))
        if rows:
            moments.append(from_iso(rows[0]["created_at"]))
        return max(moments) if moments else None

    def review_due(self, now: datetime) -> bool:
        last = self.last_reviewed()
        return last is not None and now - last >= REVIEW_EVERY


def seed_template_plan(store) -> None:
    """The welcome's "Start from the template plan" (registered in onboarding)."""
    store.plan.seed_template()


def delete_contact(store, contact_id: int, author: str = "") -> list[str]:
    """Delete a contact; if the plan uses them, save a revision without them, all at once.

    Returns where the plan used them (the page asked about those places first)."""
    plan = store.plan.get_current()
    used = contact_usages(plan, contact_id)
    contact = store.contacts.get(contact_id)
    with store.db.atomic():
        if used and contact is not None:
            store.plan.save(
                replace_contact(plan, contact_id, None),
                f"Removed {contact.name} (contact deleted)",
                author,
            )
        store.contacts.delete(contact_id)
    return used

"""What the workspace's plan tells an incident, as `PlanFacts`: the ladder with the people each
level tells (the roles' primary contacts, then the level's call tree), the playbooks' first-hour
checklists and the channels' activation checklists. `Store` wires this into the incidents and
statements repositories, so no caller ever passes a ladder (and none can forget to)."""

from __future__ import annotations

from dataclasses import replace

from app.contacts.repository import ContactRepository
from app.incidents.model import (
    DEFAULT_FACTS,
    DEFAULT_LADDER,
    LadderStep,
    Person,
    PlanFacts,
    Playbook,
)
from app.plan.repository import PlanRepository


def facts_from_plan(plan_repository: PlanRepository, contact_book: ContactRepository) -> PlanFacts:
    """What the workspace's plan says an incident needs: the ladder with the people each level
    tells (the roles' primary contacts, then the level's call tree), the playbooks' first-hour
    checklists and the channels' activation checklists. Without a plan: the runbook defaults."""
    plan = plan_repository.get_current()
    if plan is None or not plan.ladder:
        return DEFAULT_FACTS
    contacts = {c.id: c for c in contact_book.all()}
    roles = {}
    for role in plan.roles:
        roles[role.key] = role
        roles[role.name.lower()] = role

    def person(contact_id, role_name: str) -> Person | None:
        contact = contacts.get(contact_id)
        if contact is None:
            return None
        return Person(
            contact.name,
            role_name or contact.role,
            contact.first_phone,
            contact.first_email,
            contact.id,
        )

    ladder = {}
    for level in plan.ladder:
        people: list[Person] = []
        for wanted in level.notify:
            chosen = roles.get(wanted) or roles.get(str(wanted).lower())
            found = person(chosen.primary_id, chosen.name) if chosen else None
            if found is None:
                name = chosen.name if chosen else str(wanted)
                found = Person(f"{name} (nobody named in the plan yet)", name)
            same = next((i for i, p in enumerate(people) if p.name == found.name), None)
            if same is None:
                people.append(found)
            else:  # one person in two roles is told once
                people[same] = replace(people[same], role=f"{people[same].role}, {found.role}")
        for _depth, callee, _caller in contact_book.call_order(level.level):
            found = person(callee, "")
            if found and found.name not in {p.name for p in people}:
                people.append(found)
        ladder[level.level] = LadderStep(
            level.level,
            level.trigger,
            level.notify_within_min,
            level.first_update_min,
            level.cadence_min,
            tuple(people),
        )
    for number, default in DEFAULT_LADDER.items():
        ladder.setdefault(number, default)
    playbooks = {p.key: Playbook(p.key, p.name, tuple(p.first_hour)) for p in plan.playbooks}
    channels = tuple(f"{c.name}: {item}" for c in plan.channels for item in c.checklist)
    return PlanFacts(ladder, playbooks, channels)

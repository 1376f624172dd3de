"""The ladder always comes from the workspace's plan: the demo's incident and every published
statement follow it, with no caller passing one (the demo once forgot and got the defaults)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import app.demo.workspace as demo_workspace
from app.demo.workspace import build_demo
from app.incidents.model import DEFAULT_LADDER
from app.plan.model import template_plan
from app.store import open_store
from tests.conftest import FIXED_NOW

# Figures no default has, so a ladder that came from anywhere else shows at once.
ODD = {
    1: (61, 62, 63),
    2: (23, 17, 41),
    3: (11, 13, 29),
    4: (7, 9, 19),
}  # level: (notify within, first update, cadence) in minutes


def _odd_plan():
    plan = template_plan()
    ladder = [
        replace(
            level,
            notify_within_min=ODD[level.level][0],
            first_update_min=ODD[level.level][1],
            cadence_min=ODD[level.level][2],
        )
        for level in plan.ladder
    ]
    return replace(plan, ladder=ladder)


def test_the_odd_figures_are_not_the_defaults():
    for number, step in DEFAULT_LADDER.items():
        assert (
            step.notify_within_minutes,
            step.first_update_minutes,
            step.cadence_minutes,
        ) != ODD[number]


def test_the_demo_incident_follows_the_workspace_plans_ladder(tmp_path, monkeypatch):
    monkeypatch.setattr(demo_workspace, "template_plan", _odd_plan)
    with open_store(tmp_path / "demo.db", clock=lambda: FIXED_NOW) as store:
        build_demo(store)
        incident = next(i for i in store.incidents.all() if i.origin == "spike")
        declared = incident.declared_at
        level = store.incidents.timeline(incident.id)[0].data["level"]
        people = store.incidents.people(incident.id)
        assert people, "the plan names people to tell"
        for person in people:
            if person.level <= level:
                # Told within the plan's figure for the level declared, not the default's.
                assert person.due_at - declared == timedelta(minutes=ODD[level][0])
        escalated = [e for e in store.incidents.timeline(incident.id) if e.kind == "severity"]
        assert escalated, "the demo escalates when the Gazette calls"
        assert store.incidents.plan_facts().step(3).cadence_minutes == ODD[3][2]


def test_every_published_statement_restarts_the_countdown_by_the_plans_cadence(store):
    store.plan.save(_odd_plan(), "Odd figures")
    incident = store.incidents.declare("Mould on sourdough loaves", 3)
    assert incident.next_update_due_at - incident.declared_at == timedelta(minutes=ODD[3][1])
    role, _person = store.statements.approver_role()
    for channel in ("website", "instagram"):
        statement_id = store.statements.create("Holding", "holding", "We are sorry.", incident.id)
        for entry in store.statements.checklist(statement_id):
            store.statements.tick(statement_id, entry.item, True)
        store.statements.approve(statement_id, "Maya", role)
        store.statements.publish(statement_id, channel)
        after = store.incidents.get(incident.id)
        assert after.next_update_due_at - after.last_update_at == timedelta(minutes=ODD[3][2])
    escalated = store.incidents.change_level(incident.id, 4, "National paper")
    assert escalated.next_update_due_at - FIXED_NOW <= timedelta(minutes=ODD[4][1])

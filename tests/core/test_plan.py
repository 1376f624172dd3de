"""The plan: the template, revisions, readable comparisons, restore and the review reminder."""

from dataclasses import replace
from datetime import timedelta

import pytest

from app.attention import attention_items
from app.business.model import BusinessProfile
from app.contacts.model import Contact
from app.levels import LEVEL_NAMES
from app.onboarding import start_from_template
from app.plan.diff import diff_plans
from app.plan.model import CRISIS_TYPES, contact_usages, template_plan
from app.store import open_store
from tests.conftest import FIXED_NOW


def test_a_workspace_without_a_plan_has_none(store):
    assert store.plan.get_current() is None
    assert store.plan.revisions() == []
    assert store.plan.last_reviewed() is None


def test_the_template_fills_every_part_of_the_plan(store):
    start_from_template(store, BusinessProfile(name="Bright Smile Dental"))
    plan = store.plan.get_current()
    names = {r.name for r in plan.roles}
    assert {"Decision maker", "Spokesperson", "Social media lead", "Customer support"} <= names
    assert any("Legal" in n for n in names)
    assert all(r.responsibilities for r in plan.roles)
    assert [(lvl.level, lvl.name) for lvl in plan.ladder] == list(LEVEL_NAMES.items())
    level4, level3 = plan.level(4), plan.level(3)
    assert (level4.first_update_min, level4.cadence_min) == (15, 30)
    assert (level3.first_update_min, level3.cadence_min) == (30, 60)
    assert all(lvl.trigger and lvl.notify for lvl in plan.ladder)
    assert {c.kind for c in plan.channels} >= {"hotline", "email_list", "landing_page", "social"}
    assert all(len(c.checklist) >= 4 for c in plan.channels)
    assert {p.key for p in plan.playbooks} == set(CRISIS_TYPES)
    for playbook in plan.playbooks:
        assert playbook.strategy and 6 <= len(playbook.first_hour) <= 10
        assert "{{business}}" in playbook.holding_statement
    # Every role the ladder names exists in the plan.
    assert {name for lvl in plan.ladder for name in lvl.notify} <= names
    assert [r.summary for r in store.plan.revisions()] == ["Started from the template plan"]
    assert store.plan.last_reviewed() == FIXED_NOW


def test_saving_adds_a_revision_and_the_diff_reads_plainly(store):
    store.plan.seed_template()
    maya = store.contacts.save(Contact("Maya Okafor"))
    plan = store.plan.get_current()
    level3 = plan.level(3)
    level3.cadence_min = 45
    plan.roles[0].primary_id = maya.id
    plan.playbooks[0].first_hour.append("Call the supplier")
    del plan.channels[-1]
    store.plan.save(plan, "Faster updates at level 3", author="Maya")
    revisions = store.plan.revisions()
    assert [r.number for r in revisions] == [2, 1]
    assert revisions[0].author == "Maya" and revisions[0].summary == "Faster updates at level 3"
    lines = [
        d.line() for d in diff_plans(revisions[1].plan, revisions[0].plan, {maya.id: "Maya Okafor"})
    ]
    assert "Level 3 · Serious: update cadence 1 hour → 45 min" in lines
    assert "Decision maker: primary nobody → Maya Okafor" in lines
    assert any("first-hour checklist + “Call the supplier”" in line for line in lines)
    assert any(line.endswith(": removed") for line in lines)
    assert len(lines) == 4


def test_restore_is_a_new_revision_and_nothing_is_lost(store):
    store.plan.seed_template()
    first = store.plan.revisions()[0]
    changed = replace(store.plan.get_current())
    changed.roles[1].name = "Press contact"
    store.plan.save(changed, "Renamed the spokesperson")
    store.plan.restore(first.id, author="Maya")
    revisions = store.plan.revisions()
    assert len(revisions) == 3
    assert revisions[0].summary.startswith("Restored revision 1")
    assert store.plan.get_current() == first.plan
    assert revisions[1].plan.roles[1].name == "Press contact"


@pytest.mark.parametrize(
    "breaks, message",
    [
        (lambda p: setattr(p.roles[0], "name", " "), "needs a name"),
        (lambda p: setattr(p.roles[1], "name", p.roles[0].name), "Two roles"),
        (lambda p: setattr(p.ladder[2], "cadence_min", 0), "Level 3"),
        (lambda p: p.ladder.pop(), "levels 1 to 4"),
    ],
)
def test_a_plan_that_cannot_work_is_refused_and_nothing_saved(store, breaks, message):
    store.plan.seed_template()
    plan = store.plan.get_current()
    breaks(plan)
    with pytest.raises(ValueError, match=message):
        store.plan.save(plan, "broken")
    assert len(store.plan.revisions()) == 1


def test_review_reminder_after_six_months(db_path):
    with open_store(db_path, clock=lambda: FIXED_NOW) as store:
        store.plan.seed_template()
        assert not [i for i in attention_items(store, FIXED_NOW) if "reviewed" in i.text]
        later = FIXED_NOW + timedelta(days=213)
        items = [i for i in attention_items(store, later) if "reviewed" in i.text]
        assert [i.text for i in items] == ["Your plan was last reviewed 7 months ago"]
    with open_store(db_path, clock=lambda: later) as store:
        store.plan.mark_reviewed()
        assert not [i for i in attention_items(store, later) if "reviewed" in i.text]


def test_no_plan_yet_and_roles_without_people_are_worth_a_line(store):
    items = [i for i in attention_items(store, FIXED_NOW) if i.page == "plan"]
    assert [i.text for i in items] == ["Write your crisis plan"]
    store.plan.seed_template()
    items = [i for i in attention_items(store, FIXED_NOW) if i.page == "plan"]
    assert [i.text for i in items] == ["Name who does what: 6 of 6 roles have nobody"]
    assert items[0].detail.startswith("Decision maker, Spokesperson, Social media lead…")


def test_the_demo_plan_names_the_bakerys_people(demo_store):
    store = demo_store
    plan = store.plan.get_current()
    names = store.contacts.names()
    assert names[plan.roles[0].primary_id] == "Maya Okafor"
    assert all(r.primary_id for r in plan.roles)
    food = next(p for p in plan.playbooks if p.key == "food_safety")
    assert any("Tomasz" in step for step in food.first_hour)
    maya = next(i for i, n in names.items() if n == "Maya Okafor")
    assert "primary for Decision maker" in contact_usages(plan, maya)
    assert store.contacts.call_order(4)[0] == (0, maya, None)
    assert not [i for i in attention_items(store, FIXED_NOW) if i.page == "plan"]


def test_template_items_have_unique_keys():
    plan = template_plan()
    for items in (plan.roles, plan.channels, plan.playbooks):
        keys = [item.key for item in items]
        assert len(keys) == len(set(keys))


def test_a_long_text_diff_shows_the_sentence_that_was_added():
    import copy

    from app.plan.diff import diff_plans
    from app.plan.model import template_plan

    old = template_plan()
    new = copy.deepcopy(old)
    role = new.roles[0]
    role.responsibilities += " Also answers the phone to the press after 18:00."
    (line,) = [d.line() for d in diff_plans(old, new)]
    assert "+ “Also answers the phone to the press after 18:00.”" in line
    assert role.responsibilities[:30] not in line  # the unchanged start is not repeated

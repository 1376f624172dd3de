"""From finding to fix on the demo workspace: the checker's suggestions come from the plan
(the hotline), the incident (its countdown and its tasks) and the business (its names)."""

from __future__ import annotations

from app.statements.checker import check_statement, insert_suggestion
from tests.conftest import FIXED_NOW


def _open_incident(store):
    incident = store.incidents.declare("Mould on sourdough loaves", 3)
    store.incidents.add_task(incident.id, "Take every sourdough loaf off the shelves")
    return store.incidents.get(incident.id)


def test_suggestions_are_filled_from_the_plan_and_the_incident(demo_store):
    store = demo_store
    incident = _open_incident(store)
    context = store.statements.check_context(incident.id, FIXED_NOW)
    assert context.next_update_at == incident.next_update_due_at
    assert "Hearth & Crumb" in context.names
    hotline = store.statements.template_values(incident.id, FIXED_NOW)["hotline"]
    assert hotline and hotline in context.suggestions["help-channel"]
    open_tasks = [t.title for t in store.incidents.tasks(incident.id, "task") if not t.done_at]
    assert any(title.rstrip(".")[1:] in context.suggestions["action"] for title in open_tasks), (
        context.suggestions["action"]
    )
    due = f"{incident.next_update_due_at.astimezone():%H:%M}"
    assert due in context.suggestions["next-update"]


def test_inserting_the_next_update_clears_the_finding_and_agrees_with_the_countdown(demo_store):
    store = demo_store
    incident = _open_incident(store)
    context = store.statements.check_context(incident.id, FIXED_NOW)
    draft = "We are so sorry that customers became ill after eating our custard tarts."
    missing = next(
        f for f in check_statement(draft, context=context).findings if f.rule == "next-update"
    )
    fixed = insert_suggestion(draft, missing.suggestion)
    rules = check_statement(fixed, context=context).rules()
    assert "next-update" not in rules and "update-time" not in rules


def test_the_business_as_subject_is_an_action(demo_store):
    context = demo_store.statements.check_context(None, FIXED_NOW)
    result = check_statement("Hearth & Crumb has closed the Riverside kitchen.", context=context)
    assert "action" not in result.rules()

"""Statements: templates filled from the plan and the incident, versions, autosave and
recovery, the approval gate, publishing onto the timeline, and the landing page."""

import pytest

from app.statements.landing import landing_page_html
from app.statements.model import STAGES, StatementError
from app.statements.templates import (
    diff_lines,
    fill_variables,
    stage_checklist,
    template_text,
    unfilled_variables,
)
from tests.conftest import FIXED_NOW


@pytest.fixture
def demo(demo_store):
    incident = demo_store.incidents.declare("Mould on sourdough loaves", 3)
    demo_store.incidents.save_assessment(
        incident.id, {"what_happened": "Two customers found mould on loaves bought today."}
    )
    return demo_store, incident.id


def tick_checklist(store, statement_id):
    """Every checklist step done, as approval needs."""
    for entry in store.statements.checklist(statement_id):
        store.statements.tick(statement_id, entry.item, True)


def test_every_template_fills_from_the_plan_and_incident(demo):
    store, incident_id = demo
    values = store.statements.template_values(incident_id, FIXED_NOW)
    assert values["business"] == "Hearth & Crumb"
    assert values["hotline"] and values["spokesperson"] and values["landing_page"]
    for stage in STAGES:
        text, problems = fill_variables(template_text(stage), values)
        assert problems == [], (stage, problems)
        assert "{{" not in text
    assert "Two customers found mould" in fill_variables(template_text("holding"), values)[0]


def test_unknown_and_empty_variables_are_flagged_not_hidden(demo):
    store, _ = demo
    values = store.statements.template_values(None, FIXED_NOW)
    text, problems = fill_variables("Hi {{business}}, {{product}} and {{next_update_at}}.", values)
    assert text == "Hi Hearth & Crumb, {{product}} and {{next_update_at}}."
    names = {p.name: p.message for p in problems}
    assert "not a variable Crisis Desk knows" in names["product"]
    assert "no value yet" in names["next_update_at"]
    assert unfilled_variables(text) == ["next_update_at", "product"]


def test_versions_autosave_and_recovery(demo):
    store, incident_id = demo
    sid = store.statements.create("Holding", "holding", "First words.", incident_id)
    store.statements.autosave(sid, "First words, and more typed before a crash")
    recovered = store.statements.recoveries()
    assert [(r.statement_id, r.body) for r in recovered] == [
        (sid, "First words, and more typed before a crash")
    ]
    assert store.statements.save(sid, recovered[0].body, note="Recovered")
    assert store.statements.recoveries() == []
    assert [v.number for v in store.statements.versions(sid)] == [2, 1]
    assert diff_lines("a\nb", "a\nc") == ["  a", "- b", "+ c"]
    assert not store.statements.save(sid, recovered[0].body)  # nothing changed


def test_approval_gate_and_publishing_onto_the_timeline(demo):
    store, incident_id = demo
    role, person = store.statements.approver_role()
    assert role == "Decision maker" and person == "Maya Okafor"
    values = store.statements.template_values(incident_id, FIXED_NOW)
    body, _ = fill_variables(template_text("holding"), values)
    sid = store.statements.create("Holding statement", "holding", body, incident_id)
    with pytest.raises(StatementError, match="Approve it first"):
        store.statements.publish(sid, "website")
    store.statements.submit_for_review(sid)
    tick_checklist(store, sid)
    store.statements.approve(sid, person, role)
    statement = store.statements.get(sid)
    assert (statement.status, statement.approved_by, statement.approved_version) == (
        "approved",
        "Maya Okafor",
        1,
    )
    # Editing an approved statement sends it back to draft.
    store.statements.save(sid, body + "\nOne more line.")
    assert store.statements.get(sid).status == "draft"
    tick_checklist(store, sid)
    store.statements.approve(sid, person, role)
    store.statements.publish(sid, "instagram", "https://instagram.example/p/1")
    assert store.statements.get(sid).status == "published"
    events = [(e.kind, e.text) for e in store.incidents.timeline(incident_id)]
    assert ("statement-published", "Published “Holding statement” on Instagram") in events
    assert sum(kind == "statement-approved" for kind, _ in events) == 2
    assert store.incidents.get(incident_id).last_update_at == FIXED_NOW


def test_approval_refuses_unfilled_variables(demo):
    store, incident_id = demo
    sid = store.statements.create("x", "update", "Our {{product}} is safe.", incident_id)
    with pytest.raises(StatementError, match="product"):
        tick_checklist(store, sid)
        store.statements.approve(sid, "Maya Okafor", "Decision maker")


def test_stage_checklist_includes_legal_when_the_plan_has_it(demo):
    items = stage_checklist("apology", has_legal_role=True)
    assert any("legal" in item.lower() for item in items)
    assert not any("legal" in item.lower() for item in stage_checklist("apology", False))


def test_channel_text_is_plain_where_the_channel_has_no_markdown(demo):
    store, incident_id = demo
    sid = store.statements.create("x", "update", "**We are sorry.**\n\n- one\n- two", incident_id)
    statement = store.statements.get(sid)
    assert statement.text_for("website").startswith("**We are sorry.**")
    assert statement.text_for("sms") == "We are sorry.\n• one\n• two"
    store.statements.set_variant(sid, "x", "Sorry. More at hearthandcrumb.example/update")
    assert store.statements.get(sid).text_for("x").startswith("Sorry. More")


HOSTILE = """# Update <script>alert('x')</script>

<img src="https://tracker.example/pixel.gif" onerror="alert(1)">
[click me](javascript:alert(1)) and <a href="https://ok.example" onclick="steal()">ok</a>
<iframe src="https://evil.example"></iframe><style>body{display:none}</style>
![remote](https://evil.example/x.png)
"""


def test_hostile_markdown_never_survives_into_the_landing_page(demo, tmp_path):
    store, incident_id = demo
    sid = store.statements.create("Update", "update", HOSTILE, incident_id)
    tick_checklist(store, sid)
    store.statements.approve(sid, "Maya Okafor", "Decision maker")
    store.statements.publish(sid, "website")
    page = landing_page_html(store, incident_id)
    lowered = page.lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<img",
        "tracker.example",
        "evil.example",
        "display:none",
    ):
        assert bad not in lowered, bad
    assert 'href="https://ok.example"' in page
    # The internal title stays inside; the page has a plain headline until one is written.
    assert "Mould on sourdough loaves" not in page
    assert "<h1>An update from Hearth &amp; Crumb</h1>" in page
    store.incidents.set_public_title(incident_id, "Our sourdough: what happened <today>")
    page = landing_page_html(store, incident_id)
    assert "<h1>Our sourdough: what happened &lt;today&gt;</h1>" in page
    assert '<meta http-equiv="Content-Security-Policy"' in page


def test_export_landing_page_command(cli, db_path, tmp_path, copy_cli_demo):
    copy_cli_demo(db_path)
    result = cli("--db", str(db_path), "export", "landing-page", "1", "-o", str(tmp_path / "site"))
    assert result.code == 0, result.err
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<!DOCTYPE html>" in page and "<script" not in page
    again = cli("--db", str(db_path), "export", "landing-page", "1", "-o", str(tmp_path / "site"))
    assert again.code == 1 and "--force" in again.err
    missing = cli(
        "--db", str(db_path), "export", "landing-page", "99", "-o", str(tmp_path / "other")
    )
    assert missing.code == 1 and "no incident" in missing.err


def test_hostile_markdown_never_reaches_the_debrief_report(demo):
    from app.reports.content import debrief_html

    store, incident_id = demo
    sid = store.statements.create("Update", "update", HOSTILE, incident_id)
    tick_checklist(store, sid)
    store.statements.approve(sid, "Maya Okafor", "Decision maker")
    store.statements.publish(sid, "website")
    store.incidents.set_status(incident_id, "resolved")
    debrief = store.debriefs.start(store.incidents.get(incident_id))
    report = debrief_html(store, debrief.id, with_chart=False).lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "evil.example",
        "tracker.example",
    ):
        assert bad not in report, bad
    assert "<img" not in report  # the only image a report may hold is the chart we draw


def test_help_text_never_fills_a_public_variable(store):
    """The template plan's channels hold no number yet: the holding statement takes the
    business profile's phone, or keeps {{hotline}} visible, never a hint."""
    from dataclasses import replace

    from app.business.model import BusinessProfile
    from app.onboarding import start_from_template

    start_from_template(store, BusinessProfile(name="Hearth & Crumb", phone="+44 20 7946 0321"))
    values = store.statements.template_values(None, FIXED_NOW)
    assert values["hotline"] == "+44 20 7946 0321"
    assert values["landing_page"] == ""  # the update page's address is not known yet
    # A note where the number should be is not a number.
    plan = store.plan.get_current()
    plan.channels = [
        replace(c, detail="Your main shop number, or a spare mobile you can forward")
        if c.kind == "hotline"
        else replace(c, detail="A page on your website, e.g. /update")
        if c.kind == "landing_page"
        else c
        for c in plan.channels
    ]
    store.plan.save(plan, "Notes in the channels")
    store.business.save(BusinessProfile(name="Hearth & Crumb"))
    values = store.statements.template_values(None, FIXED_NOW)
    assert values["hotline"] == "" and values["landing_page"] == ""
    text, problems = fill_variables(template_text("holding"), values)
    assert "{{hotline}}" in text and "main shop number" not in text
    assert {p.name for p in problems} >= {"hotline", "landing_page"}


def test_approval_needs_each_checklist_step_done_or_set_aside_with_a_reason(demo):
    store, incident_id = demo
    sid = store.statements.create("Update", "update", "We are sorry. More at 15:00.", incident_id)
    steps = store.statements.checklist(sid)
    assert len(steps) >= 4 and all(step.open for step in steps)
    with pytest.raises(StatementError, match="checklist"):
        store.statements.approve(sid, "Maya Okafor", "Decision maker")
    for step in steps[:-1]:
        store.statements.tick(sid, step.item, True)
    with pytest.raises(StatementError, match="1 checklist step is not done"):
        store.statements.approve(sid, "Maya Okafor", "Decision maker")
    with pytest.raises(StatementError, match="Say why"):
        store.statements.dismiss_checklist_item(sid, steps[-1].item, "  ")
    store.statements.dismiss_checklist_item(sid, steps[-1].item, "Our lawyer is on holiday")
    assert store.statements.checklist(sid)[-1].set_aside == "Our lawyer is on holiday"
    store.statements.approve(sid, "Maya Okafor", "Decision maker")
    assert store.statements.get(sid).status == "approved"
    store.statements.withdraw_approval(sid, "A new fact came in")
    assert store.statements.get(sid).status == "draft"
    texts = [e.text for e in store.incidents.timeline(incident_id)]
    assert "Approval of “Update” withdrawn: A new fact came in" in texts


def test_publishing_only_where_it_fits(demo):
    store, incident_id = demo
    long_text = "We are sorry. " * 40  # 560 characters
    sid = store.statements.create("Update", "update", long_text, incident_id)
    tick_checklist(store, sid)
    store.statements.approve(sid, "Maya Okafor", "Decision maker")
    with pytest.raises(StatementError, match="X takes 280"):
        store.statements.publish(sid, "x")
    assert store.statements.publications(statement_id=sid) == []
    store.statements.publish(sid, "website")  # no limit there
    store.statements.set_variant(sid, "x", "We are sorry. Every update: hearthandcrumb.example/u")
    store.statements.publish(sid, "x")  # the shorter version for X fits
    assert [p.channel for p in store.statements.publications(statement_id=sid)] == [
        "x",
        "website",
    ]


def test_the_countdown_keeps_the_time_the_published_statement_promised(demo):
    """Level 3 updates every hour; a statement that tells the public "next update by" a time
    sooner than that moves the countdown to it, and one promising later leaves the hour."""
    from datetime import timedelta

    store, incident_id = demo
    now = store.clock()
    for minutes, expected in ((20, 20), (150, 60)):
        promised = (now + timedelta(minutes=minutes)).astimezone()
        body = (
            "We are sorry. We are finding out what happened. "
            f"We will post our next update by {promised:%H:%M}."
        )
        sid = store.statements.create("Update", "update", body, incident_id)
        tick_checklist(store, sid)
        store.statements.approve(sid, "Maya Okafor", "Decision maker")
        store.statements.publish(sid, "website")
        due = store.incidents.get(incident_id).next_update_due_at
        assert due == now + timedelta(minutes=expected)

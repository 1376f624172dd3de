"""What the window's drill mode asks of the core: the Dashboard's readiness lines, the landing
page marked EXERCISE in a drill's copy, the score as a report, and the real workspace behind a
sandbox."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import timedelta

from app.attention import DRILL_PAGE, readiness_items
from app.drills.model import SANDBOX_SETTING
from app.drills.repository import DrillRecords
from app.drills.runner import run_to_end, start_drill
from app.drills.sandbox import real_workspace
from app.drills.scenario import find_scenario, read_scenario
from app.drills.score import score_markdown
from app.statements import landing
from app.statements.landing import landing_page_html
from app.store import open_store
from tests.conftest import FIXED_NOW

START = FIXED_NOW + timedelta(days=2)


def _drill(real, *, declare: bool):
    scenario = read_scenario(find_scenario("food-safety-bakery"))
    with start_drill(real, scenario, start=START, manual=True) as run:
        run.step()
        if declare:
            run.clock.advance(timedelta(minutes=3))
            run.store.incidents.declare("Brownies", 3, crisis_type="food_safety")
        run_to_end(run)
        return run.finish(keep=True)


def test_readiness_says_no_drill_yet_then_the_last_one_and_the_years_count(tmp_path, copy_demo):
    real = copy_demo(tmp_path / "workspace.db")
    now = START + timedelta(days=10)
    with open_store(real) as store:
        lines = readiness_items(store, now)
        assert [line.text for line in lines][:2] == ["No drill yet", "Drills this year: 0 of 2"]
        assert lines[0].page == DRILL_PAGE
        texts = " | ".join(line.text for line in lines)
        assert "Plan last reviewed 12 days ago" in texts and "Open corrective actions: " in texts
        assert "Ladder people with no phone: " in texts
    score = _drill(real, declare=True)
    with open_store(real) as store:
        lines = readiness_items(store, now)
    assert lines[0].text == (f"Last drill: {score.title}, {score.summary} (10 days ago)")
    assert lines[1].text == "Drills this year: 1 of 2"


def test_a_ladder_person_with_no_phone_is_named(tmp_path, copy_demo):
    real = copy_demo(tmp_path / "workspace.db")
    with open_store(real) as store:
        plan = store.plan.get_current()
        wanted = {n.lower() for level in plan.ladder for n in level.notify}
        role = next(r for r in plan.roles if r.name.lower() in wanted and r.primary_id)
        contact = store.contacts.get(role.primary_id)
        store.contacts.save(replace(contact, phones=[]))
        line = next(i for i in readiness_items(store, START) if i.text.startswith("Ladder people"))
    assert line.text != "Ladder people with no phone: 0"
    assert contact.name in line.detail


def test_the_landing_page_of_a_drill_says_exercise(tmp_path, copy_demo):
    assert landing.SANDBOX_SETTING == SANDBOX_SETTING  # the name is repeated below drills
    real = copy_demo(tmp_path / "workspace.db")
    with open_store(real) as store:
        incident = store.incidents.all()[0]
        assert "EXERCISE" not in landing_page_html(store, incident.id)
    scenario = read_scenario(find_scenario("food-safety-bakery"))
    with start_drill(real, scenario, start=START, manual=True) as run:
        page = landing_page_html(run.store, incident.id)
        assert real_workspace(run.store) == real
    assert "<title>EXERCISE — " in page and 'class="exercise"' in page
    with open_store(real) as store:
        assert real_workspace(store) == real


def test_the_score_reads_as_a_report_from_the_run_and_from_the_record(tmp_path, copy_demo):
    real = copy_demo(tmp_path / "workspace.db")
    score = _drill(real, declare=True)
    fresh = score_markdown(score.as_dict(with_events=False))
    [record] = DrillRecords(real).all()
    kept = score_markdown({**asdict(record), "held_at": record.held_at.isoformat()})
    for report in (fresh, kept):
        assert f"**{score.summary}**" in report
        assert "| ✓ met | T+03:00 | Declare by" in report
        assert "## The debrief's numbers" in report


def test_a_screenshot_of_a_score_needs_a_drill_and_a_known_scenario(cli, tmp_path, copy_demo):
    real = copy_demo(tmp_path / "workspace.db")
    out = tmp_path / "x.png"
    result = cli("--db", real, "screenshot", "--page", "score", "-o", out)
    assert result.code == 1 and "--drill SCENARIO" in result.err
    result = cli("--db", real, "screenshot", "--page", "inbox", "--drill", "nope", "-o", out)
    assert result.code == 1 and "There is no scenario 'nope'" in result.err
    assert not out.exists()

"""Drills: the clock, the scenario format and its checks, the sandbox, the runner stepped on a
manual clock, the reactions to the owner's statement, the score, the replay of a past incident
and the records kept beside the workspace. The command line is tested in test_drill_cli.py."""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.drills.clock import DrillClock
from app.drills.model import MET, MISSED, NOT_DUE, DrillError, ScenarioError
from app.drills.replay import scenario_from_incident
from app.drills.repository import DrillRecords, records_folder
from app.drills.runner import run_in_real_time, run_to_end, start_drill
from app.drills.sandbox import is_sandbox, remove_left_behind, sandbox_root
from app.drills.scenario import parse_scenario, read_scenario
from app.drills.writer import scenario_to_toml
from app.paths import resource
from app.store import open_store

START = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)

SMALL = """\
drill_format = 1
title = "Brownies"
crisis_type = "food_safety"
summary = "A child reacted to a nut-free brownie."
duration = "20:00"

[expect]
declare_by = "05:00"
level = 3

[[inject]]
at = "00:00"
kind = "mentions"
impact = 3
reach = 2

[[inject.mentions]]
text = "My son reacted to your nut-free brownie."
author_name = "Dana W."
author_followers = 300
source = "facebook"
sentiment = "negative"

[[inject.mentions]]
at = "01:30"
text = "Sharing this, so scary."
author_name = "Kerry M."
source = "facebook"

[[inject]]
at = "04:00"
kind = "call"
from = "Sam, the Echo"
text = "Any comment?"

[[inject]]
at = "08:00"
kind = "fact"
text = "The supplier's cocoa came from a mill that handles hazelnuts."

[[inject]]
kind = "reaction"
after = "02:00"
silence_at = "12:00"

[[inject.strong]]
text = "Thank you for being straight about it."
author_name = "Fiona"
sentiment = "positive"

[[inject.weak]]
text = "That is not an apology."
author_name = "Ollie"
sentiment = "negative"

[[inject.silent]]
text = "Still nothing from them."
author_name = "Leanne"
sentiment = "negative"
"""

GOOD_STATEMENT = """We know that a child had an allergic reaction after eating one of our
brownies on Friday. We are so sorry. We understand how frightening this is for his family.

We have taken every brownie off sale in both shops while we find out what happened.

We will post our next update by 14:00 today. If you are worried, call us on 020 7946 0999."""
WEAK_STATEMENT = "We regret any inconvenience this may have caused. Our supplier is to blame."


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scenario(tmp_path: Path, text: str = SMALL, name: str = "small.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_scenario(path)


@pytest.fixture
def real(tmp_path, copy_demo) -> Path:
    """The demo, as the owner's real workspace: closed, nothing holds it."""
    return copy_demo(tmp_path / "real" / "workspace.db")


def start(real: Path, tmp_path: Path, text: str = SMALL, **options):
    options.setdefault("start", START)
    options.setdefault("manual", True)
    return start_drill(real, scenario(tmp_path, text), **options)


# --- the clock --------------------------------------------------------------------------------


class FakeTicks:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_clock_runs_at_its_speed_pauses_and_changes_speed():
    ticks = FakeTicks()
    clock = DrillClock(START, 5, ticks=ticks)
    ticks.now += 12  # twelve real seconds at 5×: one scenario minute
    assert clock() == START + timedelta(minutes=1)
    clock.pause()
    ticks.now += 100
    assert clock() == START + timedelta(minutes=1) and clock.paused
    clock.resume()
    clock.set_speed(10)
    ticks.now += 6
    assert clock() == START + timedelta(minutes=2)
    clock.advance(timedelta(minutes=3))
    assert clock.minute == pytest.approx(5.0)
    assert clock.real_seconds_until(START + timedelta(minutes=6)) == pytest.approx(6.0)


def test_a_manual_clock_moves_only_when_told_and_never_back():
    clock = DrillClock(START, 1, ticks=None)
    assert clock() == START and clock.manual
    clock.advance_to(START + timedelta(minutes=7))
    clock.advance_to(START)  # already past: stays
    assert clock() == START + timedelta(minutes=7)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_the_clock_offers_the_four_speeds_only():
    with pytest.raises(DrillError, match="1×, 2×, 5×, 10×"):
        DrillClock(START, 3)
    with pytest.raises(ValueError):
        DrillClock(datetime(2026, 1, 1), 1)  # naive


# --- the scenario format ---------------------------------------------------------------------


def test_a_scenario_reads_with_its_times_posts_and_expectations(tmp_path):
    found = scenario(tmp_path)
    assert found.title == "Brownies" and found.duration == timedelta(minutes=20)
    assert [i.kind for i in found.injects] == ["mentions", "call", "fact", "reaction"]
    posts = found.injects[0].mentions
    assert [p.at for p in posts] == [timedelta(0), timedelta(minutes=1, seconds=30)]
    assert posts[0].fields["author_followers"] == 300 and posts[0].sentiment == "negative"
    assert found.expect.declare_by == timedelta(minutes=5) and found.expect.level == 3
    assert found.injects[3].silence_at == timedelta(minutes=12)


def test_a_scenario_written_back_reads_the_same(tmp_path):
    for path in [tmp_path / "small.toml", *sorted(resource("drills").glob("*.toml"))]:
        if path.name == "small.toml":
            path.write_text(SMALL, encoding="utf-8")
        first = read_scenario(path)
        again, problems = parse_scenario(scenario_to_toml(first), path)
        assert problems == []
        assert again == first


def problems_of(text: str) -> list[str]:
    found, problems = parse_scenario(text)
    assert found is None
    return [str(p) for p in problems]


def test_a_bad_time_is_named_with_its_line():
    text = SMALL.replace('at = "04:00"', 'at = "7:75"')
    line = SMALL.splitlines().index('at = "04:00"') + 1
    assert problems_of(text) == [
        f"Line {line}: '7:75' is not a time: write minutes and seconds after the start, "
        'like "07:30" (or "1:05:00").'
    ]


def test_an_unknown_playbook_is_named_with_its_line():
    text = SMALL.replace('crisis_type = "food_safety"', 'crisis_type = "food-safety"')
    [problem] = problems_of(text)
    assert problem.startswith("Line 3: 'food-safety' is not a playbook of the plan; use one of:")
    assert "food_safety" in problem


def test_a_post_with_no_text_is_named_with_its_line():
    text = SMALL.replace('text = "Sharing this, so scary."', 'text = "  "')
    line = SMALL.splitlines().index('text = "Sharing this, so scary."') + 1
    assert problems_of(text) == [
        f"Line {line}: This post has no text; write what the person posted in 'text'."
    ]
    # A post with no text key at all: the line of its table.
    text = SMALL.replace('text = "Sharing this, so scary."\n', "")
    line = SMALL.splitlines().index("[[inject.mentions]]", 20) + 1
    assert problems_of(text) == [
        f"Line {line}: This post has no text; write what the person posted in 'text'."
    ]


def test_every_problem_is_listed_each_with_its_line():
    text = (
        SMALL.replace('duration = "20:00"', 'duration = "20:00"\ncrisis = "typo"')
        .replace('at = "08:00"', 'at = "25:00"')
        .replace('sentiment = "positive"', 'sentiment = "glad"')
        .replace('kind = "fact"', 'kind = "rumour"')
    )
    problems = problems_of(text)
    assert len(problems) == 3, problems
    assert "'crisis' is not something a scenario can have" in problems[0]
    assert (
        "'kind' must be one of: mentions, call, email, fact, reaction, not 'rumour'."
        in (problems[1])
    )
    assert "'sentiment' must be one of: negative, neutral, positive, not 'glad'." in problems[2]
    lines = [int(p.split(":")[0].removeprefix("Line ")) for p in problems]
    assert lines == sorted(lines) and len(set(lines)) == 3


def test_a_time_after_the_end_and_file_level_problems():
    text = SMALL.replace('at = "08:00"', 'at = "25:00"')
    assert "comes after the drill ends (its duration is 20:00)" in problems_of(text)[0]
    assert problems_of(SMALL.replace("drill_format = 1\n", "")) == [
        "Line 1: The file does not say its format; add drill_format = 1."
    ]
    assert (
        "made for a newer Crisis Desk"
        in problems_of(SMALL.replace("drill_format = 1", "drill_format = 2"))[0]
    )
    broken = SMALL.replace('title = "Brownies"', 'title = "Brownies')
    assert problems_of(broken)[0].startswith("Line 2: This line is not valid TOML (")


def test_headers_inside_a_multi_line_text_do_not_move_the_lines():
    text = SMALL.replace(
        'summary = "A child reacted to a nut-free brownie."',
        'briefing = """\n[[inject]]\nat = "soon"\n"""',
    ).replace('at = "04:00"', 'at = "later"')
    line = text.splitlines().index('at = "later"') + 1
    [problem] = problems_of(text)
    assert problem.startswith(f"Line {line}: 'later' is not a time")


def test_a_broken_file_is_refused_with_one_sentence_naming_the_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(SMALL.replace('at = "04:00"', 'at = "soon"'), encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        read_scenario(path)
    message = str(raised.value)
    assert message.startswith("broken.toml line ") and "'soon' is not a time" in message
    assert len(raised.value.problems) == 1
    path.write_bytes(b'drill_format = 1\ntitle = "caf\xe9"\n')
    with pytest.raises(ScenarioError, match="line 2: This line is not UTF-8 text"):
        read_scenario(path)


# --- the sandbox and the runner ----------------------------------------------------------------


def test_a_drill_plays_in_a_sandbox_and_the_real_workspace_stays_byte_for_byte(real, tmp_path):
    before = sha256(real)
    with open_store(real) as store:
        real_incidents = [i.id for i in store.incidents.all()]
        real_counts = store.counts()
    siblings = sorted(p.name for p in real.parent.iterdir())
    run = start(real, tmp_path)
    with run:
        assert run.sandbox.folder.parent == sandbox_root()
        assert is_sandbox(run.store) and run.store.sources.paused()
        assert oct(run.sandbox.path.stat().st_mode & 0o777) == "0o600"
        run.step()
        incident = run.store.incidents.declare("Brownies", 3, crisis_type="food_safety")
        run_to_end(run)
        run.finish()
        assert run.store.incidents.get(incident.id).title == "Brownies"
        folder = run.sandbox.folder
    assert not folder.exists()
    assert sha256(real) == before
    assert sorted(p.name for p in real.parent.iterdir()) == sorted(
        [*siblings, real.name + "-drills"]
    )
    with open_store(real) as store:
        assert [i.id for i in store.incidents.all()] == real_incidents
        assert store.counts() == real_counts
        assert not is_sandbox(store)
    [record] = DrillRecords(real).all()
    assert record.title == "Brownies" and record.counted == 6


def test_injects_arrive_on_the_drill_clock_in_order(real, tmp_path):
    with start(real, tmp_path) as run:
        first = run.step()
        assert [(e.kind, e.by) for e in first] == [("started", "drill"), ("mentions", "scenario")]
        [post_id] = first[1].mention_ids
        mention = run.store.mentions.get(post_id)
        assert mention.posted_at == START and mention.sentiment == "negative"
        assert mention.author_followers == 300 and mention.source == "facebook"
        assert run.next_due() == START + timedelta(minutes=1, seconds=30)
        run.clock.advance(timedelta(minutes=1))
        assert run.step() == []
        run.clock.advance(timedelta(minutes=3, seconds=30))  # T+4:30
        events = run.step()
        assert [(e.kind, e.minute) for e in events] == [("mentions", 1.5), ("call", 4.0)]
        second = run.store.mentions.get(events[0].mention_ids[0])
        assert second.posted_at == START + timedelta(minutes=1, seconds=30)
        assert second.sentiment is not None  # read by the app's own reader when not given
        assert events[1].sender == "Sam, the Echo" and events[1].text == "Any comment?"


def test_what_the_owner_does_comes_back_as_events(real, tmp_path):
    with start(real, tmp_path) as run:
        run.step()
        run.clock.advance(timedelta(minutes=2))
        incident = run.store.incidents.declare("Brownies", 2, crisis_type="food_safety")
        run.clock.advance(timedelta(minutes=1))
        run.store.incidents.change_level(incident.id, 3, "The Echo called")
        events = run.step()
        mine = [(e.kind, e.minute) for e in events if e.by == "you"]
        assert mine == [("declared", 2.0), ("level", 3.0)]
        assert run.incident_id == incident.id


def publish(run, body: str, title: str = "Holding statement") -> None:
    statements = run.store.statements
    [incident] = [i for i in run.store.incidents.all() if i.title == "Brownies"]
    statement_id = statements.create(title, "holding", body, incident.id)
    for entry in statements.checklist(statement_id):
        statements.tick(statement_id, entry.item, True)
    statements.approve(statement_id, "Maya Okafor", "Decision maker")
    statements.publish(statement_id, "website")


@pytest.mark.parametrize(
    ("body", "part", "text"),
    [
        (GOOD_STATEMENT, "strong", "Thank you for being straight about it."),
        (WEAK_STATEMENT, "weak", "That is not an apology."),
    ],
)
def test_the_public_reacts_to_what_was_published(real, tmp_path, body, part, text):
    with start(real, tmp_path) as run:
        run.step()
        run.clock.advance(timedelta(minutes=3))
        run.store.incidents.declare("Brownies", 3, crisis_type="food_safety")
        run.step()
        run.clock.advance(timedelta(minutes=2))  # T+5
        publish(run, body)
        checked = [e for e in run.step() if e.kind == "checked"]
        assert checked and (part == "strong") == (checked[0].data["missing"] == [])
        run.clock.advance(timedelta(minutes=2))  # T+7: two minutes after it went out
        reactions = [e for e in run.step() if e.kind == "reaction"]
        assert [(r.minute, r.data["part"], r.text) for r in reactions] == [(7.0, part, text)]
        run_to_end(run)
        assert not any(e.data.get("part") == "silent" for e in run.events)


def test_silence_draws_its_own_posts(real, tmp_path):
    with start(real, tmp_path) as run:
        run_to_end(run)
        silent = [e for e in run.events if e.kind == "reaction"]
        assert [(e.minute, e.data["part"], e.title) for e in silent] == [
            (12.0, "silent", "Nothing from you yet: 1 new post")
        ]


def test_the_score_lists_each_expectation_with_its_minute(real, tmp_path):
    with start(real, tmp_path) as run:
        run.step()
        run.clock.advance(timedelta(minutes=7))  # declared two minutes late
        incident = run.store.incidents.declare("Brownies", 3, crisis_type="food_safety")
        run.clock.advance(timedelta(minutes=1))
        publish(run, GOOD_STATEMENT)
        people = run.store.incidents.people(incident.id)
        run.store.incidents.mark_reached(people[0].id, "phone")
        for item in run.store.incidents.checklist(incident.id, "first-hour"):
            run.store.incidents.tick(item.id)
        run_to_end(run)
        score = run.finish(keep=False)
    results = {r.key: r for r in score.expectations}
    assert (results["declare_by"].status, results["declare_by"].minute) == (MISSED, 7.0)
    assert results["declare_by"].detail == "Declared at T+07:00, 2 min late."
    assert (results["level"].status, results["level"].minute) == (MET, 7.0)
    assert (results["first_update"].status, results["first_update"].minute) == (MET, 8.0)
    assert (results["statement_passes"].status, results["statement_passes"].minute) == (MET, 8.0)
    # Level 3 tells people within 15 minutes: due at T+22, after the drill's end.
    assert results["people_reached"].status == NOT_DUE
    assert results["people_reached"].detail.startswith("1 of ")
    assert results["first_hour_done"].status == MET
    assert score.summary == "4 of 6 expectations met"
    assert "Not reached in time: " in _late_people(real, tmp_path)
    metrics = {m.key: m for m in score.metrics}
    assert metrics["time_to_acknowledge"].value == 1.0  # the debrief's own numbers
    assert score.as_dict()["expectations"][0]["t"] == "07:00"
    assert not DrillRecords(real).all()  # keep=False


def _late_people(real: Path, tmp_path: Path) -> str:
    with start(real, tmp_path) as run:
        run.step()
        run.store.incidents.declare("Brownies", 4, crisis_type="food_safety")  # within 10 min
        run_to_end(run)
        return {r.key: r for r in run.finish(keep=False).expectations}["people_reached"].detail


def test_nothing_declared_misses_everything_and_not_due_is_told_apart(real, tmp_path):
    with start(real, tmp_path) as run:
        run_to_end(run)
        score = run.finish(keep=False)
    assert {r.status for r in score.expectations} == {MISSED}
    assert score.metrics == ()
    short = SMALL.replace('duration = "20:00"', 'duration = "14:00"').replace(
        'at = "08:00"', 'at = "13:00"'
    )
    with start(real, tmp_path, short) as run:
        run.step()
        run.clock.advance(timedelta(minutes=1))
        run.store.incidents.declare("Brownies", 2, crisis_type="food_safety")
        run_to_end(run)
        score = run.finish(keep=False)
    results = {r.key: r for r in score.expectations}
    assert results["first_update"].status == NOT_DUE  # level 2: first update within the hour
    assert results["first_hour_done"].status == NOT_DUE


def test_a_drill_played_in_real_time_waits_by_its_clock_not_the_wall(real, tmp_path):
    ticks = FakeTicks()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        ticks.now += seconds

    with start(real, tmp_path, manual=False, speed=10, ticks=ticks) as run:
        run_in_real_time(run, sleep=sleep)
        assert run.finished and run.events[-1].kind == "ended"
    assert sum(slept) == pytest.approx(120, abs=1.0)  # 20 scenario minutes at 10×
    kinds = [e.kind for e in run.events if e.by == "scenario"]
    assert kinds == ["mentions", "mentions", "call", "fact", "reaction"]


def test_the_drill_clock_is_the_sandbox_store_clock(real, tmp_path):
    with start(real, tmp_path) as run:
        run.clock.advance(timedelta(minutes=4))
        assert run.store.clock() == START + timedelta(minutes=4)
        incident = run.store.incidents.declare("Brownies", 3, crisis_type="food_safety")
        assert incident.declared_at == START + timedelta(minutes=4)
        assert incident.next_update_due_at == START + timedelta(minutes=4 + 30)


def test_a_drill_refuses_a_missing_workspace(tmp_path):
    with pytest.raises(DrillError, match="There is no workspace at"):
        start(tmp_path / "none.db", tmp_path)
    assert not sandbox_root().exists() or not any(sandbox_root().iterdir())


# --- replaying a past incident -------------------------------------------------------------------


def test_the_demo_incident_becomes_a_scenario_with_its_posts_in_their_order(real, tmp_path):
    with open_store(real) as store:
        [incident] = store.incidents.all()
        replay = scenario_from_incident(store, incident.id)
        mentions = sorted(
            store.mentions.for_incident(incident.id, limit=10_000),
            key=lambda m: (m.posted_at, m.id),
        )
    posts = [p for i in replay.injects for p in i.mentions]
    assert [p.text for p in posts] == [m.text for m in mentions]
    assert [p.at for p in posts] == sorted(p.at for p in posts)
    assert replay.crisis_type == "food_safety" and replay.expect.level == 3
    calls = [i for i in replay.injects if i.kind == "call"]
    assert "Maya Okafor (Decision maker)" in [c.sender for c in calls]
    facts = [i.text for i in replay.injects if i.kind == "fact"]
    assert any("Fridge log shows 9 °C" in f for f in facts)
    assert any("Riverside Gazette" in f for f in facts)  # why it was escalated
    # Written and read back, it is the same scenario.
    path = tmp_path / "replay.toml"
    path.write_text(scenario_to_toml(replay), encoding="utf-8")
    assert read_scenario(path) == replay.__class__(**{**replay.__dict__, "path": path})


def test_an_open_incident_or_one_with_no_type_is_not_replayed(store):
    incident = store.incidents.declare("Open one", 2)
    with pytest.raises(DrillError, match="still open"):
        scenario_from_incident(store, incident.id)
    store.incidents.set_status(incident.id, "resolved")
    with pytest.raises(DrillError, match="has no crisis type"):
        scenario_from_incident(store, incident.id)


# --- records and leftovers -----------------------------------------------------------------------


def test_drill_records_live_beside_the_workspace(real, tmp_path):
    records = DrillRecords(real)
    assert records.folder == records_folder(real) == real.with_name("workspace.db-drills")
    assert records.all() == []
    with start(real, tmp_path) as run:
        run_to_end(run)
        kept = run.finish()
    with start(real, tmp_path, start=START + timedelta(days=1), auto=True) as run:
        run_to_end(run)
        run.finish()
    (records.folder / "junk.json").write_text("{not json", encoding="utf-8")
    (records.folder / "other.json").write_text(json.dumps({"drill_record": 99}), encoding="utf-8")
    listed = records.all()
    assert [r.auto for r in listed] == [True, False]  # newest first; junk passed over
    assert listed[1].summary == f"0 of {kept.counted} expectations met"
    assert records.since(START) == [listed[1]]
    assert records.since(START, rehearsals_only=False) == listed


def test_a_sandbox_left_behind_by_a_crash_is_removed_by_the_next_drill(real, tmp_path):
    root = sandbox_root()
    stale = root / "20250101-000000-dead"
    stale.mkdir(parents=True)
    (stale / "sandbox.db").write_bytes(b"")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    with start(real, tmp_path) as run:
        assert not stale.exists()
        os.utime(run.sandbox.folder, (old, old))
        assert remove_left_behind(root) == 0  # in use: held by its store
        assert run.sandbox.folder.exists()


def test_a_sandbox_another_store_still_holds_is_left_for_later(real, tmp_path):
    run = start(real, tmp_path)
    window = open_store(run.sandbox.path)  # the window, opened on the drill's copy
    try:
        assert run.close() is False
        assert run.sandbox.folder.exists()
        assert window.incidents.all() is not None  # still readable
    finally:
        window.close()
    old = time.time() - 7200
    os.utime(run.sandbox.folder, (old, old))
    assert remove_left_behind(sandbox_root()) == 1
    assert not run.sandbox.folder.exists()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=len(SMALL.splitlines()) - 1), max_size=3),
    st.text(max_size=30),
)
def test_any_edit_of_a_scenario_is_read_or_refused_with_lines_inside_the_file(cuts, junk):
    """Whatever a hand does to a file, reading it ends in a scenario or in problems, each on a
    line of the file — never in an exception."""
    lines = SMALL.splitlines()
    for cut in cuts:
        lines[cut] = junk
    text = "\n".join(lines)
    found, problems = parse_scenario(text)
    assert (found is None) == bool(problems)
    for problem in problems:
        assert 1 <= problem.line <= len(text.split("\n"))
        assert problem.message and "\n" not in problem.message

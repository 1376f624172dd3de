"""`crisisdesk drill`: list, run, from-incident and check, through the in-process runner.

The Done-when points of the drills: the real workspace is byte-for-byte unchanged after a drill
and no real metric or list counts it; the demo's incident replays with the same posts in the
same order; a broken scenario is refused with one sentence naming the line before anything
starts; every shipped scenario passes `drill check` and runs to the end with --auto."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.drills.sandbox import sandbox_root
from app.paths import resource
from app.store import open_store

SHIPPED = sorted(resource("drills").glob("*.toml"))
PLAYBOOKS = {
    "food_safety",
    "service_failure",
    "offensive_post",
    "data_breach",
    "staff_misconduct",
    "review_bombing",
    "misinformation",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def real(tmp_path, copy_demo) -> Path:
    return copy_demo(tmp_path / "real" / "workspace.db")


def real_view(cli, real: Path) -> tuple:
    """What the owner's real lists and metrics say."""
    incidents = json.loads(cli("--db", real, "incidents", "--json").out)
    info = json.loads(cli("--db", real, "info", "--json").out)
    with open_store(real) as store:
        metrics = [
            (m.key, m.value) for i in store.incidents.all() for m in store.debriefs.metrics(i.id)
        ]
        attention = store.incidents.open_corrective_actions()
    info.pop("size_bytes")
    return incidents, info, metrics, attention


def test_a_drill_leaves_the_real_workspace_byte_for_byte_and_out_of_every_list(cli, real):
    before_view = real_view(cli, real)
    before = sha256(real)
    result = cli("--db", real, "drill", "run", "food-safety-bakery", "--auto", "--keep", "--json")
    assert result.code == 0, result.err
    assert sha256(real) == before
    assert real_view(cli, real) == before_view
    score = json.loads(result.out)
    assert score["kept"] is True and score["incident_id"] is not None
    assert [e["status"] for e in score["expectations"]] == ["met"] * 6
    assert all(e["t"] for e in score["expectations"])  # each with its minute
    assert {m["key"] for m in score["metrics"]} >= {"time_to_detect", "time_to_acknowledge"}
    # The sandbox is gone; the drill is in its own list, beside the workspace.
    assert not sandbox_root().exists() or not any(sandbox_root().iterdir())
    listed = json.loads(cli("--db", real, "drill", "list", "--json").out)
    [drill] = listed["drills"]
    assert drill["summary"] == "6 of 6 expectations met" and drill["auto"] is True
    assert sha256(real) == before


def test_the_demo_incident_replays_with_its_posts_in_their_order(cli, real, tmp_path):
    scenario = tmp_path / "replay.toml"
    made = cli("--db", real, "drill", "from-incident", "1", "-o", scenario)
    assert made.code == 0, made.err
    with open_store(real) as store:
        mentions = sorted(
            store.mentions.for_incident(1, limit=10_000), key=lambda m: (m.posted_at, m.id)
        )
    assert f"{len(mentions):,} posts" in made.out
    assert cli("--db", real, "drill", "check", scenario).code == 0
    before = sha256(real)
    result = cli("--db", real, "drill", "run", scenario, "--speed", "10", "--auto", "--json")
    assert result.code == 0, result.err
    posted = json.loads(result.out)["posted"]
    assert len(posted) == len(mentions) > 100
    assert [p["text"] for p in posted] == [m.text for m in mentions]
    first = mentions[0].posted_at
    minutes = [round((m.posted_at - first).total_seconds() / 60, 2) for m in mentions]
    offset = posted[0]["minute"]
    assert [round(p["minute"] - offset, 2) for p in posted] == pytest.approx(minutes, abs=0.02)
    assert sha256(real) == before
    again = cli("--db", real, "drill", "from-incident", "1", "-o", scenario)
    assert again.code == 1 and "already exists; add --force" in again.err


BROKEN = {
    "bad time": ('at = "05:00"', 'at = "5:99"', "'5:99' is not a time"),
    "unknown playbook": (
        'crisis_type = "food_safety"',
        'crisis_type = "food poisoning"',
        "'food poisoning' is not a playbook of the plan",
    ),
    "post with no text": (
        'text = "Oh no."',
        'text = ""',
        "This post has no text",
    ),
}
SCENARIO = """drill_format = 1
title = "Test"
crisis_type = "food_safety"
duration = "10:00"

[[inject]]
at = "00:00"
kind = "mentions"

[[inject.mentions]]
text = "Oh no."

[[inject]]
at = "05:00"
kind = "fact"
text = "It was the fridge."
"""


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_scenario_is_refused_with_one_sentence_naming_the_line(cli, real, tmp_path, case):
    old, new, sentence = BROKEN[case]
    line = SCENARIO.splitlines().index(old) + 1
    path = tmp_path / "broken.toml"
    path.write_text(SCENARIO.replace(old, new), encoding="utf-8")
    checked = cli("--db", real, "drill", "check", path)
    assert checked.code == 1
    [told] = checked.out.splitlines()  # one sentence, naming the line
    assert told.startswith(f"broken.toml: Line {line}: ") and sentence in told
    assert checked.err.strip() == "crisisdesk: broken.toml has 1 problem; nothing was started."
    before = sha256(real)
    ran = cli("--db", real, "drill", "run", path, "--auto")
    assert ran.code == 1 and ran.out == ""
    assert ran.err.startswith(f"crisisdesk: broken.toml line {line}: ") and sentence in ran.err
    assert not sandbox_root().exists()  # refused before anything started
    assert sha256(real) == before
    as_json = json.loads(cli("--db", real, "drill", "check", path, "--json").out)
    assert as_json["ok"] is False and as_json["problems"][0]["line"] == line


def test_every_shipped_scenario_passes_check_and_runs_to_the_end(cli, real):
    assert {
        json.loads(cli("drill", "check", path, "--json").out)["title"] and path.stem
        for path in SHIPPED
    } == {p.stem for p in SHIPPED}
    listed = json.loads(cli("--db", real, "drill", "list", "--json").out)["scenarios"]
    assert {row["crisis_type"] for row in listed} == PLAYBOOKS and len(listed) == 7
    before = sha256(real)
    for row in listed:
        assert 20 <= row["minutes"] <= 40, row
        assert row["mentions"] >= 10, row
        result = cli("--db", real, "drill", "run", row["name"], "--auto", "--json")
        assert result.code == 0, (row["name"], result.err)
        score = json.loads(result.out)
        assert score["minutes"] == row["minutes"], row["name"]
        assert score["events"][-1]["kind"] == "ended"
        assert score["met"] == score["counted"] == 6, (row["name"], score["expectations"])
        kinds = {e["kind"] for e in score["events"] if e["by"] == "scenario"}
        assert {"mentions", "reaction"} <= kinds, row["name"]
        assert kinds & {"call", "email"} and "fact" in kinds, row["name"]
    assert sha256(real) == before
    assert json.loads(cli("--db", real, "drill", "list", "--json").out)["drills"] == []


def test_the_text_run_shows_injects_as_they_come_and_the_score(cli, real):
    result = cli("--db", real, "drill", "run", "service-failure-gym", "--auto")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("Drill: Members locked out at 6 a.m.")
    assert any(line.startswith("T+00:00    Members at the door") for line in lines)
    assert any("You: Declared at Level 2 · Concern" in line for line in lines)
    assert "Score: 6 of 6 expectations met" in lines
    assert lines[-1].startswith("An autopilot run checks a scenario; it is not kept")


def test_drill_commands_refuse_bad_input_in_one_sentence(cli, real, tmp_path):
    cases = [
        (("--db", real, "drill", "run", "food-safety-bakery", "--speed", "3"), "--speed must be"),
        (("--db", real, "drill", "run", "no-such-drill"), "There is no scenario 'no-such-drill'"),
        (("--db", tmp_path / "none.db", "drill", "run", "food-safety-bakery"), "no workspace"),
        (("--db", real, "drill", "from-incident", "99", "-o", tmp_path / "x.toml"), "no incident"),
        (("--db", real, "drill", "check", tmp_path / "missing.toml"), "has 1 problem"),
    ]
    for argv, words in cases:
        result = cli(*argv)
        assert result.code == 1 and words in result.err, (argv, result.err)
    assert not (tmp_path / "x.toml").exists()


def test_drill_list_without_a_workspace_shows_the_scenarios(cli, tmp_path):
    result = cli("--db", tmp_path / "none.db", "drill", "list")
    assert result.code == 0
    assert "food-safety-bakery" in result.out and "No drills yet." in result.out
    assert not (tmp_path / "none.db").exists()


def test_the_readme_example_scenario_checks_and_plays(cli, real, tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Writing a scenario", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "oven.toml"
    path.write_text(example, encoding="utf-8")
    assert cli("drill", "check", path).code == 0
    result = cli("--db", real, "drill", "run", path, "--auto", "--json")
    assert result.code == 0, result.err
    score = json.loads(result.out)
    assert [e["kind"] for e in score["events"] if e["by"] == "scenario"] == [
        "mentions",
        "call",
        "reaction",
    ]

"""Markdown exports are sanitised like the HTML ones: hostile text from statements, mentions,
notes and the debrief itself never becomes HTML, a link or an image when the file is opened in
a Markdown viewer, and the export keeps its structure (headings, lists, one table row a line).
"""

from __future__ import annotations

import re
from dataclasses import replace

import markdown
import pytest

from app.debriefs.model import Lesson
from app.store import open_store
from app.text import markdown_text
from tests.robustness.render_hostile import HOSTILE, SCRIPT

LINK = "[your refund](javascript:alert(1)) ![](https://tracker.example/pixel.png)"
EVIL = f"{SCRIPT} {HOSTILE} {LINK} <a href='file:///etc/passwd'>x</a> `<b>code</b>`"


def rendered(text: str) -> str:
    """What a Markdown viewer would show (Python-Markdown with GitHub-style tables)."""
    return markdown.markdown(text, extensions=["tables"])


def assert_inert(html: str) -> None:
    lowered = html.lower()
    for active in ("<script", "<img", "<h1>call", "<a href='file", 'javascript:alert(1)"', "<b>"):
        assert active not in lowered, active
    assert not re.search(r"<a\s", lowered), "a link from people's text"
    assert "tracker.example" not in re.findall(r'src="([^"]*)"', lowered)


@pytest.fixture
def workspace(tmp_path, hostile_workspace):
    db = hostile_workspace(tmp_path)
    with open_store(db) as store:
        debrief = store.debriefs.for_incident(1)
        store.debriefs.save_draft(
            replace(
                debrief,
                summary=f"Summary line.\n{EVIL}\n# not a heading",
                root_cause=EVIL,
                went_well=[*debrief.went_well, EVIL],
                went_badly=[EVIL + "\nsecond line"],
                lessons=[*debrief.lessons, Lesson(EVIL)],
            )
        )
        store.incidents.add_task(1, EVIL, owner=HOSTILE, kind="corrective")
        store.incidents.add_note(1, f"a | pipe and a new\nline {EVIL}")
    return db


def test_the_debrief_markdown_runs_nothing(cli, workspace, tmp_path):
    out = tmp_path / "debrief.md"
    result = cli("--db", workspace, "export", "debrief", "1", "-o", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text.lower() and "<img" not in text.lower()
    html = rendered(text)
    assert_inert(html)
    # The words people wrote are all still there, shown as typed.
    assert "&lt;script&gt;alert('owned')&lt;/script&gt;" in html
    assert "&lt;h1&gt;Call our NEW hotline&lt;/h1&gt;" in html
    assert "[your refund](javascript:alert(1))" in html
    # The structure of the report is ours and unchanged.
    assert text.startswith("# Debrief: Customers ill after custard tarts")
    for heading in ("Root cause", "Metrics", "What went well", "Corrective actions", "Lessons"):
        assert f"<h2>{heading}</h2>" in html
    assert "| Update cadence kept |" in text


def test_the_timeline_markdown_runs_nothing(cli, workspace):
    result = cli("--db", workspace, "timeline", "1", "--markdown")
    assert result.code == 0, result.err
    text = result.out
    assert "<script" not in text.lower()
    html = rendered(text)
    assert_inert(html)
    assert "&lt;h1&gt;Call our NEW hotline&lt;/h1&gt;" in html
    # One event, one table row: a pipe or line break in a note does not break the table.
    rows = [line for line in text.splitlines() if line.startswith("| ") and "pipe" in line]
    assert len(rows) == 1 and "a \\| pipe and a new line" in rows[0]
    assert "<td>a | pipe and a new line" in html


def test_the_timeline_of_an_incident_with_a_hostile_title(cli, workspace):
    with open_store(workspace) as store:
        incident = next(i for i in store.incidents.all() if "hotline" in i.title)
    result = cli("--db", workspace, "timeline", incident.id, "--markdown")
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first.startswith("# Posts say &lt;img")
    assert_inert(rendered(result.out))


@pytest.mark.parametrize(
    "typed",
    ["Hearth & Crumb", "5 > 3 < 7", "&amp; stays &amp;", "a\\b", "costs £5 — *really*"],
)
def test_ordinary_text_reads_the_same_after_escaping(typed):
    shown = rendered(markdown_text(typed))
    assert re.sub(r"</?(p|em)>", "", shown).replace("&amp;", "&").replace("&gt;", ">").replace(
        "&lt;", "<"
    ).replace("*", "") == typed.replace("*", "")

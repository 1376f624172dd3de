"""Three laptops, one shared folder, real processes: offline edits at the same time, then syncs
in every order; every copy ends with identical rows, nothing is lost, and the one statement two
people changed is shown to a person."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.sharing.laptops import Laptop, share_three

pytestmark = pytest.mark.timeout(600)


def _mentions_csv(path: Path, who: str, n: int) -> Path:
    lines = ["id,author,text,date"] + [
        f"{who}-{i},{who}fan{i},{who} saw the tart story {i},2026-11-20T09:{i % 60:02d}:00Z"
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


EDIT = """
from app.mentions.model import MentionFilter
first = store.mentions.page(MentionFilter(""), 0, 5)
store.mentions.set_status([first[0].id], {status!r})
store.mentions.add_tag([first[1].id], {tag!r})
incident = store.incidents.all()[0]
store.incidents.add_task(incident.id, {task!r}, owner={who!r})
"""

EDIT_STATEMENT = """
import time
time.sleep({pause})
statement = store.statements.all()[0]
store.statements.save(statement.id, statement.body + "\\n\\n" + {line!r})
"""


def _offline_edits(tmp: Path, maya: Laptop, tom: Laptop, priya: Laptop) -> None:
    for laptop, status, n in ((maya, "replied", 40), (tom, "escalated", 25), (priya, "", 0)):
        who = laptop.name
        if n:
            laptop.run("import", "mentions", str(_mentions_csv(tmp / f"{who}.csv", who, n)),
                       "--no-sentiment")  # fmt: skip
        if status:
            laptop.python(EDIT.format(status=status, tag=f"seen-by-{who}",
                                      task=f"Call back from {who}", who=who))  # fmt: skip
    priya.python(EDIT.format(status="needs_reply", tag="seen-by-priya", task="Priya's task",
                             who="priya"))  # fmt: skip
    maya.python(EDIT_STATEMENT.format(pause=0.0, line="Maya adds the hotline hours."))
    tom.python(EDIT_STATEMENT.format(pause=0.3, line="Tom softens the second line."))


ORDERS = list(itertools.permutations(range(3)))


@pytest.mark.parametrize("order", ORDERS[:3], ids=lambda o: "-".join(map(str, o)))
def test_three_laptops_edit_offline_then_end_identical(tmp_path, copy_cli_demo, order):
    demo = copy_cli_demo(tmp_path / "demo-source.db")
    maya, tom, priya, _folder = share_three(tmp_path, demo)
    laptops = [maya, tom, priya]
    _offline_edits(tmp_path, maya, tom, priya)
    for _round in range(2):  # the second round carries what the first one learned
        for index in order:
            laptops[index].sync()
    final = [laptop.rows() for laptop in laptops]
    for table in final[0]:
        assert final[0][table] == final[1][table] == final[2][table], table
    mentions = final[0]["mentions"]
    texts = {row[7] for row in mentions}  # nothing lost: every laptop's imports are everywhere
    assert {f"maya saw the tart story {i}" for i in range(40)} <= texts
    assert {f"tom saw the tart story {i}" for i in range(25)} <= texts
    tasks = {row[3] for row in final[0]["incident_tasks"]}
    assert {"Call back from maya", "Call back from tom", "Priya's task"} <= tasks
    # The statement both changed: the later edit is the text, the other is kept and shown.
    conflicts = final[0]["sync_conflicts"]
    assert len(conflicts) == 1 and conflicts[0][1] == "statements"
    assert "Maya adds the hotline hours." in conflicts[0][7]
    for laptop in laptops:
        status = laptop.run("share", "status", "--json").stdout
        assert '"conflicts_open": 1' in status

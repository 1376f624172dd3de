"""The coordinated-posts window: a generated review bomb among ordinary complaints is one group
said in a sentence, its posts shown, exported for an appeal and searched in the Inbox; the
empty state offers a longer period; the review-bombing playbook links to it."""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from tests.conftest import FIXED_NOW
from tests.core.detection_support import COMPLAINTS, Post, review_bomb, store_posts
from ui import ops
from ui.dialogs.clusters import ClustersDialog
from ui.dialogs.exports import ExportedDialog


def complaints(rng: random.Random) -> list[Post]:
    """The same everyday complaints, each twice by different people, over four hours."""
    start = FIXED_NOW - timedelta(hours=5)
    return [
        Post(start + timedelta(minutes=rng.randrange(240)), text, True, f"local{i}", 200)
        for i, text in enumerate(COMPLAINTS * 2)
    ]


def bomb_and_complaints(store) -> None:
    rng = random.Random(5)
    store_posts(store, [*review_bomb(FIXED_NOW - timedelta(hours=4), rng), *complaints(rng)])


def opened(window) -> ClustersDialog:
    dialog = window.clusters_dialog
    assert dialog is not None and dialog.isVisible()
    assert ops.wait_for_all()
    return dialog


def test_a_review_bomb_is_one_group_exported_and_shown_in_the_inbox(
    qtbot, make_window, tmp_path, monkeypatch
):
    window = make_window(prepare=bomb_and_complaints)
    window.go_to("inbox")
    qtbot.mouseClick(window.pages["inbox"].clusters_button, Qt.MouseButton.LeftButton)
    dialog = opened(window)

    assert dialog.list.count() == 1  # the complaints, in their own words, are no group
    sentence = dialog.list.item(0).text()
    assert sentence.startswith("37 near-identical posts from 37 accounts in ")
    assert "from accounts with under 50 followers" in sentence
    assert dialog.status.text() == "1 group of coordinated posts in the last 24 hours."
    (cluster,) = dialog.clusters
    assert cluster.end - cluster.start <= timedelta(minutes=40)
    assert dialog.posts.rowCount() == 37
    accounts = {dialog.posts.item(row, 1).text() for row in range(37)}
    assert len(accounts) == 37 and all("(@newacct" in a for a in accounts)

    # Export for an appeal: the save dialog starts in Documents; the file is the group's posts.
    asked = {}
    out = tmp_path / "appeal.csv"

    def answer(_parent, _title, suggestion, _filters):
        asked["suggestion"] = Path(suggestion)
        return str(out), ""

    monkeypatch.setattr("ui.dialogs.exports.QFileDialog.getSaveFileName", answer)
    monkeypatch.setattr("ui.dialogs.exports._last_folder", None)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    from ui.dialogs.exports import documents_folder

    assert asked["suggestion"].parent == documents_folder()
    assert asked["suggestion"].name.endswith(".csv")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [int(r["mention_id"]) for r in rows] == [m.id for m in cluster.posts]
    assert {r["author_handle"] for r in rows} == {f"newacct{i}" for i in range(37)}
    exported = dialog.findChild(ExportedDialog)
    assert exported is not None and exported.isVisible()
    assert exported.open_button.text() == "Open" and exported.folder_button.isVisible()
    exported.reject()

    # Show in Inbox: exactly the group's posts.
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    inbox = window.pages["inbox"]
    assert window.current_page_key() == "inbox"
    assert inbox.model.total == 37
    shown = {inbox.model.mention_at(row).id for row in range(37)}
    assert shown == {m.id for m in cluster.posts}
    assert "one of 37 chosen mentions" in inbox.hint.text()
    dialog.reject()


def test_no_group_says_so_and_offers_a_longer_period(qtbot, make_window):
    def old_bomb(store):
        rng = random.Random(3)
        store_posts(store, [*review_bomb(FIXED_NOW - timedelta(days=3), rng), *complaints(rng)])

    window = make_window(prepare=old_bomb)
    assert window.act_clusters in window.all_actions()  # in Ctrl+K
    window.act_clusters.trigger()
    dialog = opened(window)
    assert dialog.empty.isVisible() and not dialog.split.isVisible()
    assert dialog.empty_title.text() == "No coordinated posts in the last 24 hours"
    assert not dialog.export_button.isEnabled() and not dialog.show_button.isEnabled()
    periods = [dialog.period.itemText(i) for i in range(dialog.period.count())]
    assert periods == ["The last 24 hours", "The last 7 days", "The last 30 days"]
    dialog.period.setCurrentIndex(1)
    dialog.period.activated.emit(1)
    assert ops.wait_for_all()
    assert dialog.split.isVisible() and dialog.list.count() == 1
    assert dialog.export_button.isEnabled()
    dialog.reject()


def test_the_review_bombing_playbook_links_to_coordinated_posts(qtbot, make_window):
    def incidents(store):
        bomb_and_complaints(store)
        store.incidents.declare("Fake one-star reviews", 2, crisis_type="review_bombing")

    window = make_window(prepare=incidents)
    (incident,) = window.store.incidents.all(open_only=True)
    window.open_incident(incident.id)
    room = window.pages["incidents"].room
    room.tabs.setCurrentIndex(1)
    link = room.checklists_tab.coordinated
    assert link.isVisible() and link.text() == "Look for coordinated posts"
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    dialog = opened(window)
    assert dialog.list.count() == 1

    other = window.store.incidents.declare("Mould", 3, crisis_type="food_safety")
    room.load(other.id)
    assert not link.isVisible()  # only where a campaign is part of the crisis
    dialog.reject()


def test_the_plan_shows_the_link_on_the_review_bombing_and_misinformation_playbooks(
    qtbot, make_window
):
    window = make_window(demo=True)
    window.go_to("plan")
    page = window.pages["plan"]
    page.tabs.setCurrentIndex(3)
    editor = page.playbooks_editor
    link = editor.coordinated
    shown = {}
    for row in range(editor.list.count()):
        editor.list.setCurrentRow(row)
        shown[editor.current().key] = link.isVisible()
    assert {key for key, visible in shown.items() if visible} == {
        "review_bombing",
        "misinformation",
    }
    keys = list(shown)
    editor.list.setCurrentRow(keys.index("misinformation"))
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    opened(window).reject()

"""Who did what on a shared workspace, in the core: "My queue" (mentions assigned to me) and
the Dashboard's handover line (what came in and was escalated since this laptop left)."""

from __future__ import annotations

from datetime import timedelta

from app.mentions.model import MentionFilter, NewMention
from app.sharing import handover, local
from app.store import open_store
from tests.conftest import FIXED_NOW


def _share(store, person="Tom") -> None:
    """Sharing's settings as `share on`/`join` leave them (the key is not needed here)."""
    for name, value in (("workspace", "ws-test"), ("folder", "/nonexistent/shared"),
                        ("device", "1"), ("person", person)):  # fmt: skip
        store.settings.set(local.KEYS[name], value)


def _mentions(store, n: int, tag: str) -> list[int]:
    return [store.mentions.add(NewMention("manual", f"{tag} {i}")) for i in range(n)]


def test_my_queue_is_what_is_assigned_to_me(copy_empty, tmp_path):
    path = copy_empty(tmp_path / "w.db")
    with open_store(path, clock=lambda: FIXED_NOW) as store:
        assert local.me(store) == "Owner"  # not shared, no owner among the contacts
        ids = _mentions(store, 5, "post")
        store.mentions.set_assignee(ids[:2], "Tom")
        store.mentions.set_assignee(ids[2:3], "Priya")
        _share(store, "tom")
        assert local.me(store) == "tom"
        mine = MentionFilter("", (), assignee=local.me(store))
        assert store.mentions.count(mine) == 2  # names match whatever their case
        assert {m.id for m in store.mentions.page(mine, 0, 10)} == set(ids[:2])
        assert store.mentions.count(MentionFilter("post", ("new",), assignee="Priya")) == 1
        assert store.mentions.count(MentionFilter()) == 5
        assert store.mentions.assignees() == ["Priya", "Tom"]
        assert local.team(store) == ["tom", "Priya"]  # me first; "Tom" is me already


def test_handover_counts_since_this_laptop_left(copy_empty, tmp_path):
    path = copy_empty(tmp_path / "w.db")
    now = [FIXED_NOW]
    with open_store(path, clock=lambda: now[0]) as store:
        before = _mentions(store, 3, "before")
        assert handover.handover(store) is None  # not shared
        handover.mark_left(store.settings, FIXED_NOW)
        assert store.settings.get(handover.LEFT_KEY) is None  # only a shared workspace marks
        _share(store)
        assert handover.handover(store) is None  # shared, but never left yet
        handover.mark_left(store.settings, FIXED_NOW + timedelta(minutes=1))
        now[0] = FIXED_NOW + timedelta(hours=1)  # while away: new mentions, escalations
        after = _mentions(store, 4, "after")
        store.mentions.set_status(after[:2] + before[:1], "escalated")
        store.mentions.set_status(after[2:3], "escalated")
        store.mentions.set_status(after[2:3], "replied")  # escalated, then answered
        incident = store.incidents.declare("Tart posts", 3)
        line = handover.handover(store)
        assert line is not None
        assert line.since == FIXED_NOW + timedelta(minutes=1)
        assert (line.new, line.escalated) == (4, 3)
        assert line.next_update_due == store.incidents.get(incident.id).next_update_due_at
        assert line.next_update_due is not None

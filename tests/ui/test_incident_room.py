"""The incident room as the owner uses it on the bad day, driven with qtbot."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.mentions.model import MentionFilter
from app.mentions.spikes import find_spikes
from app.timeutil import to_iso
from ui.dialogs.declare import DeclareIncidentDialog
from ui.dialogs.incidents import ChangeLevelDialog, EndIncidentDialog, RecordUpdateDialog


def _spike_mentions(store):
    spike = find_spikes(store)[0]
    return store.mentions.ids_matching(MentionFilter(""), to_iso(spike.start), to_iso(spike.end))


def test_from_spike_to_declared_incident_with_people_to_reach(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    store = window.store
    mention_ids = _spike_mentions(store)
    assert len(mention_ids) > 50
    seen = {}

    def fill_in(dialog: DeclareIncidentDialog):
        seen["dialog"] = dialog
        qtbot.keyClicks(dialog.title, "Second scare: mould on sourdough")
        dialog.crisis_type.setCurrentIndex(dialog.crisis_type.findData("food_safety"))
        qtbot.mouseClick(dialog.matrix.cells[(3, 3)], Qt.MouseButton.LeftButton)  # proposes 3
        assert dialog.level.currentData() == 3
        assert "Level 3 · Serious" in dialog.proposal.text()
        assert "Maya Okafor" in dialog.who.text()
        qtbot.mouseClick(dialog.declare_button, Qt.MouseButton.LeftButton)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DeclareIncidentDialog, "exec", fill_in)
    incident = window.declare_incident(mention_ids=mention_ids, origin="spike")
    assert incident is not None and incident.level == 3 and incident.origin == "spike"
    assert window.current_page_key() == "incidents"
    room = window.pages["incidents"].room
    assert room.incident.id == incident.id
    assert store.incidents.mention_stats(incident.id)[0] == len(mention_ids)
    everyone = room.people.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
    assert len(everyone) >= 5  # from the plan's ladder, nested as the call tree says
    assert room.first_hour.count() > 3
    assert window.crisis_bar.isVisible() and "mould" in window.crisis_bar.title.text()
    assert "Next update due in 30 min" in window.crisis_bar.countdown.text()
    kinds = [e.kind for e in store.incidents.timeline(incident.id)]
    assert kinds == ["declared", "mentions"]


def test_working_an_incident_in_the_room(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    store = window.store
    incident = store.incidents.declare(
        "Rude reply from our account", 2, crisis_type="offensive_post"
    )
    window.refresh_incident_state()
    window.open_incident(incident.id)
    room = window.pages["incidents"].room
    # Tick the first person as reached.
    first = room.people.topLevelItem(0)
    name = first.text(0)
    first.setCheckState(0, Qt.CheckState.Checked)  # the list is made again after it
    person = next(p for p in store.incidents.people(incident.id) if p.name == name)
    assert person.reached_at is not None
    # Tick a checklist item.
    room.tabs.setCurrentIndex(1)
    room.first_hour.item(0).setCheckState(Qt.CheckState.Checked)
    assert store.incidents.checklist(incident.id, "first-hour")[0].done_at is not None
    # Add a task and a corrective action by typing and pressing Enter.
    room.tabs.setCurrentIndex(3)
    what = [w for w in room.findChildren(type(room.note)) if w.accessibleName() == "New task"][0]
    qtbot.keyClicks(what, "Reply privately to the customer")
    qtbot.keyClick(what, Qt.Key.Key_Return)
    assert [t.title for t in store.incidents.tasks(incident.id, "task")] == [
        "Reply privately to the customer"
    ]
    # A note on the timeline.
    room.tabs.setCurrentIndex(4)
    qtbot.keyClicks(room.note, "Spoke to the customer; she accepted the apology")
    qtbot.keyClick(room.note, Qt.Key.Key_Return)
    assert room.timeline.topLevelItemCount() == len(store.incidents.timeline(incident.id))
    # Change the level with a reason.

    def escalate(dialog):
        dialog.level.setCurrentIndex(2)
        dialog.reason.setText("A local radio show picked it up")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChangeLevelDialog, "exec", escalate)
    room.level_button.click()
    assert store.incidents.get(incident.id).level == 3
    assert room.chip.text() == "Level 3 · Serious"

    # Record a published update: the countdown restarts at the level's cadence.
    def published(dialog):
        dialog.title.setText("Our apology")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RecordUpdateDialog, "exec", published)
    room.update_button.click()
    updated = store.incidents.get(incident.id)
    assert updated.next_update_due_at - updated.last_update_at == timedelta(
        minutes=store.incidents.plan_facts().step(3).cadence_minutes
    )

    # Status through to resolved, with what ended it.
    def resolve(dialog):
        dialog.reason.setText("The customer accepted the apology")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EndIncidentDialog, "exec", resolve)
    room.status.setCurrentIndex(room.status.findData("resolved"))
    room.status.activated.emit(room.status.currentIndex())
    assert store.incidents.get(incident.id).status == "resolved"
    assert window.crisis_bar.ended is not None  # "resolved at …, Undo" until dismissed
    window.crisis_bar.dismiss_ended()
    assert not window.crisis_bar.isVisible()
    kinds = [e.kind for e in store.incidents.timeline(incident.id)]
    assert kinds == [
        "declared",
        "reached",
        "checklist",
        "task",
        "note",
        "severity",
        "statement-published",
        "status",
    ]


def test_overdue_update_notifies_once(qtbot, make_window, tmp_path):
    window = make_window(demo=True)
    store = window.store
    incident = store.incidents.declare("Test", 4)
    # The window's clock is fixed; move the incident's deadline into the past instead.
    store.db["incidents"].update(incident.id, {"next_update_due_at": "2026-11-20T09:00:00+00:00"})
    window.refresh_incident_state()
    assert window.last_notification is not None
    assert "overdue" in window.last_notification[1]
    assert "overdue" in window.crisis_bar.countdown.text()
    window.last_notification = None
    window.refresh_incident_state()
    assert window.last_notification is None  # once per deadline, not every 30 seconds


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_empty_incidents_page_offers_the_way_in(make_window, theme):
    from app.onboarding import start_empty

    window = make_window(prepare=start_empty)
    window.go_to("incidents")
    page = window.pages["incidents"]
    assert page.empty.isVisible() and not page.room.isVisible()


def test_declare_from_selected_mentions_and_attach_more(qtbot, make_window, monkeypatch):
    def fill_in(dialog):
        dialog.title.setText("Three angry reviews")
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DeclareIncidentDialog, "exec", fill_in)
    window = make_window(demo=True)
    window.go_to("inbox")
    inbox = window.pages["inbox"]
    inbox.view.setCurrentText("Everything")
    inbox.select_row(0)
    first = inbox.selected_ids(inbox.selected_rows())
    inbox.declare_with.emit(first)  # what the right-click menu's first entry does
    incident = window.store.incidents.all(open_only=True)[0]
    assert incident.origin == "mentions" and incident.title == "Three angry reviews"
    assert window.store.incidents.mention_ids(incident.id) == first
    window.go_to("inbox")
    inbox.select_row(1)
    inbox.attach_to(incident.id, inbox.selected_ids(inbox.selected_rows()))
    assert len(window.store.incidents.mention_ids(incident.id)) == 2

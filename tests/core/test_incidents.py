"""Incidents with a fixed clock: every change lands on the timeline once, at the right time,
and the update cadence follows the ladder."""

from datetime import timedelta

import pytest

from app.incidents.model import (
    DEFAULT_LADDER,
    IncidentError,
    LadderStep,
    Person,
    PlanFacts,
    Playbook,
)
from app.incidents.severity import propose_level
from app.incidents.timeline import timeline_markdown
from app.store import open_store
from app.timeutil import format_duration
from tests.conftest import FIXED_NOW


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += timedelta(**kwargs)


OWNER = Person("Maya Okafor", "Decision maker", "+44 20 7946 0100")
MANAGER = Person("Tom Reyes", "Shop manager")
LAWYER = Person("Priya Shah", "Lawyer")
FACTS = PlanFacts(
    ladder={
        1: DEFAULT_LADDER[1],
        2: LadderStep(2, "spreading", 120, 120, 240, (MANAGER,)),
        3: LadderStep(3, "viral", 30, 30, 60, (OWNER,)),
        4: LadderStep(4, "national", 15, 15, 30, (LAWYER,)),
    },
    playbooks={
        "food-safety": Playbook(
            "food-safety", "Food safety", ("Pull the product", "Call the council")
        )
    },
    channel_checklist=("Turn on the hotline voicemail message",),
)


@pytest.fixture
def clock():
    return Clock(FIXED_NOW)


@pytest.fixture
def incidents(db_path, clock, copy_empty):
    copy_empty(db_path)
    with open_store(db_path, clock=clock) as store:
        # The plan's facts as this test's plan would give them (Store wires the real ones).
        store.incidents.plan_facts = lambda: FACTS
        yield store.incidents


def kinds(incidents, incident_id):
    return [(e.kind, e.at) for e in incidents.timeline(incident_id)]


def test_declare_fills_people_checklists_and_the_first_deadline(incidents, clock):
    incident = incidents.declare("Custard tart illness posts", 3, crisis_type="food-safety")
    assert incident.status == "investigating" and incident.level_label == "Level 3 · Serious"
    assert incident.next_update_due_at == FIXED_NOW + timedelta(minutes=30)
    people = incidents.people(incident.id)
    assert [(p.name, p.level) for p in people] == [("Tom Reyes", 2), ("Maya Okafor", 3)]
    assert all(p.due_at == FIXED_NOW + timedelta(minutes=30) for p in people)
    assert [i.text for i in incidents.checklist(incident.id, "first-hour")] == [
        "Pull the product",
        "Call the council",
    ]
    assert [i.text for i in incidents.checklist(incident.id, "channels")] == [
        "Turn on the hotline voicemail message"
    ]
    assert kinds(incidents, incident.id) == [("declared", FIXED_NOW)]


def test_every_change_lands_on_the_timeline_once_with_its_time(incidents, clock):
    incident = incidents.declare("Tart posts", 2, crisis_type="food-safety")
    clock.advance(minutes=5)
    person = incidents.people(incident.id)[0]
    incidents.mark_reached(person.id, "phone")
    incidents.mark_reached(person.id, "phone")  # a second tick changes nothing
    clock.advance(minutes=5)
    incidents.change_level(incident.id, 3, "A journalist from the Gazette called")
    clock.advance(minutes=5)
    item = incidents.checklist(incident.id, "first-hour")[0]
    incidents.tick(item.id)
    incidents.tick(item.id)
    clock.advance(minutes=5)
    task = incidents.add_task(
        incident.id, "Photograph the fridge logs", "Tom Reyes", clock.now + timedelta(hours=1)
    )
    clock.advance(minutes=5)
    incidents.complete_task(task)
    incidents.complete_task(task)
    clock.advance(minutes=5)
    action = incidents.add_task(
        incident.id, "Replace the Riverside fridge", "Maya Okafor", kind="corrective"
    )
    clock.advance(minutes=5)
    incidents.set_status(incident.id, "identified")
    incidents.set_status(incident.id, "identified")
    clock.advance(minutes=5)
    incidents.add_note(incident.id, "Council inspection booked for 14:00")
    clock.advance(minutes=5)
    incidents.record_published_update(incident.id, "Holding statement", "website")
    clock.advance(minutes=5)
    incidents.set_status(incident.id, "resolved")
    timeline = incidents.timeline(incident.id)
    assert [e.kind for e in timeline] == [
        "declared",
        "reached",
        "severity",
        "checklist",
        "task",
        "task-done",
        "action",
        "status",
        "note",
        "statement-published",
        "status",
    ]
    assert [e.at for e in timeline] == [FIXED_NOW + timedelta(minutes=5 * i) for i in range(11)]
    assert (
        timeline[2].text
        == "Level 2 · Concern → Level 3 · Serious: A journalist from the Gazette called"
    )
    assert timeline[1].text == "Reached Tom Reyes (Shop manager) by phone"
    assert incidents.get(incident.id).resolved_at == clock.now
    assert incidents.tasks(incident.id, "corrective")[0].id == action


def test_cadence_follows_the_ladder(incidents, clock):
    incident = incidents.declare("Tart posts", 3)
    assert incident.update_due_in(clock.now) == timedelta(minutes=30)
    clock.advance(minutes=40)
    assert incidents.get(incident.id).update_due_in(clock.now) == timedelta(minutes=-10)  # overdue
    updated = incidents.record_published_update(incident.id, "Holding statement", "website")
    assert updated.next_update_due_at == clock.now + timedelta(minutes=60)  # level 3: hourly
    clock.advance(minutes=10)
    escalated = incidents.change_level(incident.id, 4, "National paper picked it up")
    assert escalated.next_update_due_at == clock.now + timedelta(minutes=15)
    assert [p.name for p in incidents.people(incident.id)][-1] == "Priya Shah"
    updated = incidents.record_published_update(incident.id, "Update 1", "website")
    assert updated.next_update_due_at == clock.now + timedelta(minutes=30)  # level 4: every 30
    resolved = incidents.set_status(incident.id, "resolved")
    assert resolved.update_due_in(clock.now) is None


def test_people_and_tasks_become_overdue(incidents, clock):
    incident = incidents.declare("Tart posts", 3)
    task = incidents.add_task(
        incident.id, "Call the council", due_at=clock.now + timedelta(minutes=20)
    )
    clock.advance(minutes=31)
    assert all(p.overdue(clock.now) for p in incidents.people(incident.id))
    assert incidents.tasks(incident.id)[0].overdue(clock.now)
    incidents.complete_task(task)
    assert not incidents.tasks(incident.id)[0].overdue(clock.now)


def test_bad_requests_are_refused_in_plain_words(incidents):
    with pytest.raises(IncidentError, match="title"):
        incidents.declare("  ", 2)
    with pytest.raises(IncidentError, match="level"):
        incidents.declare("x", 7)
    incident = incidents.declare("x", 2)
    with pytest.raises(IncidentError, match="why"):
        incidents.change_level(incident.id, 3, "")
    with pytest.raises(IncidentError, match="no incident"):
        incidents.get(999)
    assert len(incidents.timeline(incident.id)) == 1


def test_severity_matrix():
    assert propose_level(1, 1).level == 1
    assert propose_level(3, 1).level == 3  # real harm is serious however few saw it
    assert propose_level(1, 4).level == 3
    assert propose_level(4, 4).level == 4
    assert "Level 4 · Critical" in propose_level(4, 3).reason
    with pytest.raises(ValueError):
        propose_level(0, 5)


def test_timeline_markdown_and_durations(incidents):
    incident = incidents.declare("Tart | posts", 2)
    text = timeline_markdown(incident, incidents.timeline(incident.id))
    assert text.startswith("# Tart | posts") and "Tart \\| posts" in text
    assert format_duration(timedelta(minutes=12)) == "12 min"
    assert format_duration(timedelta(minutes=65)) == "1 h 05 min"
    assert format_duration(timedelta(minutes=120)) == "2 h"
    assert format_duration(timedelta(days=2, hours=3)) == "2 days 3 h"


def test_escalation_message_mailto_eml_and_sms(incidents):
    from email import message_from_bytes, policy
    from urllib.parse import unquote

    from app.incidents.messages import SMS_LIMIT, escalation_message

    incident = incidents.declare(
        "Customers ill after custard tarts from the Riverside shop "
        "and a local journalist is asking questions",
        3,
    )
    person = incidents.people(incident.id)[1]
    message = escalation_message(incident, person, "Hearth & Crumb", "Maya")
    assert message.subject.startswith("[Level 3 · Serious] Hearth & Crumb:")
    assert "Hi Maya" in message.body and "Decision maker" in message.body
    assert len(message.sms) <= SMS_LIMIT and message.sms.startswith("Hearth & Crumb")
    link = message.mailto("maya@hearthandcrumb.example")
    assert link.startswith("mailto:maya%40hearthandcrumb.example?subject=")
    assert unquote(link.split("body=")[1]) == message.body
    parsed = message_from_bytes(message.eml("maya@hearthandcrumb.example"), policy=policy.default)
    assert parsed["Subject"] == message.subject and parsed["X-Unsent"] == "1"

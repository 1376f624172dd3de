"""Debrief metrics on a hand-built incident with known answers (fixed clock), the draft, and
plan changes applied as a revision that points back to the debrief."""

from datetime import timedelta

import pytest

from app.debriefs.model import DebriefError, Lesson
from app.debriefs.repository import business_days_between
from app.incidents.model import DEFAULT_LADDER, LadderStep, Person, PlanFacts
from app.mentions.model import NewMention
from app.plan.model import template_plan
from app.store import open_store
from tests.conftest import FIXED_NOW

T0 = FIXED_NOW  # Friday 20 November 2026, 09:30 UTC: the incident is declared
FACTS = PlanFacts(
    ladder={
        **DEFAULT_LADDER,
        3: LadderStep(3, "viral", 30, 30, 60, (Person("Ana", "Owner"), Person("Ben", "Manager"))),
    }
)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now

    def at(self, minutes: float):
        self.now = T0 + timedelta(minutes=minutes)


@pytest.fixture
def built(db_path, copy_empty):
    """Mentions: 10/hour in the 24 h before (1 negative each hour), a spike starting 50 min
    before declaring; an incident with known times for everything."""
    clock = Clock()
    copy_empty(db_path)
    with open_store(db_path, clock=clock) as store:
        store.incidents.plan_facts = lambda: FACTS  # this test's plan (Store wires the real one)
        mentions = []
        for hour in range(24, 0, -1):
            start = T0 - timedelta(hours=hour)
            for i in range(10):
                mentions.append(
                    NewMention(
                        "test",
                        f"calm {hour}-{i}",
                        f"c{hour}-{i}",
                        posted_at=start + timedelta(minutes=5 * i),
                    )
                )
        for i in range(60):  # the spike hour: 08:40 to 09:30, all negative
            mentions.append(
                NewMention(
                    "test",
                    f"angry {i}",
                    f"a{i}",
                    posted_at=T0 - timedelta(minutes=50) + timedelta(seconds=50 * i),
                )
            )
        for i in range(40):  # during: 09:30 to 13:30, half negative
            mentions.append(
                NewMention("test", f"during {i}", f"d{i}", posted_at=T0 + timedelta(minutes=6 * i))
            )
        result = store.mentions.add_many(mentions)
        ids = result.added_ids
        labels = []
        for mention_id, item in zip(ids, mentions, strict=True):
            negative = (
                item.text.startswith("angry")
                or (item.text.startswith("during") and int(item.text.split()[1]) % 2 == 0)
                or item.text.endswith("-0")
            )
            labels.append(
                ("negative" if negative else "neutral", -0.6 if negative else 0.0, mention_id)
            )
        store.mentions.set_sentiments(labels)
        angry = [i for i, m in zip(ids, mentions, strict=True) if m.text.startswith("angry")]
        incident = store.incidents.declare("Spike", 3, mention_ids=angry)
        store.mentions.set_status(angry[:10], "needs_reply")
        store.mentions.set_status(angry[10:40], "replied")
        people = store.incidents.people(incident.id)
        clock.at(20)
        store.incidents.mark_reached(people[0].id, "phone")  # in time (due at 30)
        clock.at(45)
        store.incidents.mark_reached(people[1].id, "phone")  # late
        task_a = store.incidents.add_task(incident.id, "a", due_at=T0 + timedelta(minutes=60))
        task_b = store.incidents.add_task(incident.id, "b", due_at=T0 + timedelta(minutes=60))
        store.incidents.add_task(incident.id, "c")  # no due time: not counted
        clock.at(25)
        store.incidents.record_published_update(incident.id, "Holding", "web")
        clock.at(50)
        store.incidents.complete_task(task_a)  # on time
        clock.at(90)
        store.incidents.complete_task(task_b)  # late
        clock.at(84)
        store.incidents.record_published_update(incident.id, "Update 1", "web")
        # due 144: missed; next due 204: update at 200 keeps it; next due 260 > resolve at 240
        clock.at(200)
        store.incidents.record_published_update(incident.id, "Update 2", "web")
        clock.at(240)
        store.incidents.set_status(incident.id, "resolved")
        clock.at(300)
        yield store, incident.id


def by_key(store, incident_id):
    return {m.key: m for m in store.debriefs.metrics(incident_id)}


def test_every_metric_on_a_hand_built_incident(built):
    store, incident_id = built
    m = by_key(store, incident_id)
    assert m["time_to_detect"].value == 50  # the spike hour began 08:40; declared 09:30
    assert "spike" in m["time_to_detect"].how or "attached" in m["time_to_detect"].how
    assert m["time_to_acknowledge"].value == 25
    assert m["time_to_resolve"].value == 240 and m["time_to_resolve"].display == "4 h"
    assert m["mentions"].value == 60
    # The angry posts run 08:40-09:29, one every 50 s: 24 in the 08:00 hour, 36 in the 09:00 one.
    assert m["peak_hour"].value == 36 and m["peak_hour"].display.startswith("36 (")
    assert m["negative_before"].value == pytest.approx((24 + 60) / (240 + 60))  # calm + spike
    assert m["negative_during"].value == 0.5  # 20 of the 40 posts while it ran
    assert m["reply_coverage"].value == pytest.approx(30 / 40)
    assert m["reply_coverage"].display == "30 of 40 (75%)"
    assert m["cadence_kept"].display == "3 of 4 (75%)"
    assert m["tasks_on_time"].display == "1 of 2 (50%)"
    assert m["people_reached"].display == "1 of 2 (50%)"
    assert all(metric.how for metric in m.values())


def test_the_draft_is_kept_between_steps(built):
    store, incident_id = built
    debrief = store.debriefs.start(store.incidents.get(incident_id))
    assert debrief.summary.startswith("Spike.") and debrief.step == 0
    debrief.step = 3
    debrief.went_well = ["We told the owner within 20 minutes", ""]
    debrief.lessons = [
        Lesson(
            "Level 3 updates every 45 minutes",
            {"kind": "cadence", "level": 3, "value": 45},
            accepted=True,
        )
    ]
    store.debriefs.save_draft(debrief)
    again = store.debriefs.start(store.incidents.get(incident_id))  # resumes, does not restart
    assert again.id == debrief.id and again.step == 3
    assert again.went_well == ["We told the owner within 20 minutes"]
    assert again.lessons[0].change["value"] == 45


def test_accepted_changes_make_a_plan_revision_that_points_back(built):
    store, incident_id = built
    store.plan.save(template_plan(), "Started")
    debrief = store.debriefs.start(store.incidents.get(incident_id))
    contact_id = (
        store.db["contacts"].insert({"name": "Inspector Ray"}).last_pk
        if "contacts" in store.db.table_names()
        else None
    )
    debrief.lessons = [
        Lesson(
            "Update every 45 minutes at level 3",
            {"kind": "cadence", "level": 3, "value": 45},
            accepted=True,
        ),
        Lesson(
            "Call the food inspector at level 3",
            {"kind": "call_tree", "level": 3, "contact_id": contact_id},
            accepted=True,
        ),
        Lesson("Just a thought", {}, accepted=False),
    ]
    store.debriefs.save_draft(debrief)
    revision_id = store.debriefs.apply_lessons(debrief.id, "Maya")
    assert revision_id is not None
    row = store.db["plan_revisions"].get(revision_id)
    assert row["debrief_id"] == debrief.id and "From the debrief of “Spike”" in row["summary"]
    assert store.plan.get_current().level(3).cadence_min == 45
    assert [link.callee_id for link in store.contacts.call_tree(3)] == [contact_id]
    assert store.debriefs.apply_lessons(debrief.id) is None  # applied once only


def test_debriefs_owed_after_five_business_days(built):
    store, incident_id = built
    resolved = store.incidents.get(incident_id).resolved_at  # Friday 13:30
    assert business_days_between(resolved, resolved + timedelta(days=3)) == 1  # to Monday
    assert store.debriefs.owed(resolved + timedelta(days=7)) == []  # five business days
    owed = store.debriefs.owed(resolved + timedelta(days=10))  # the sixth, a Monday
    assert [i.id for i in owed] == [incident_id]
    debrief = store.debriefs.start(store.incidents.get(incident_id))
    store.debriefs.complete(debrief.id)
    assert store.debriefs.owed(resolved + timedelta(days=10)) == []


def test_open_incidents_cannot_be_debriefed(db_path):
    with open_store(db_path, clock=lambda: FIXED_NOW) as store:
        incident = store.incidents.declare("Still burning", 2)
        with pytest.raises(DebriefError, match="Resolve"):
            store.debriefs.start(incident)


def test_the_debrief_says_the_level_it_was_declared_at(db_path):
    from app.reports.content import debrief_html

    clock = Clock()
    with open_store(db_path, clock=clock) as store:
        incident = store.incidents.declare("Custard tarts", 3)
        clock.at(40)
        store.incidents.change_level(incident.id, 4, "The Gazette called")
        clock.at(120)
        store.incidents.set_status(incident.id, "resolved", "Inspector cleared the kitchen")
        debrief = store.debriefs.start(store.incidents.get(incident.id))
        assert "Declared at Level 3 · Serious" in debrief.summary
        assert "then Level 4 · Critical" in debrief.summary
        report = debrief_html(store, debrief.id, with_chart=False)
        assert "Declared at <span" in report and "Level 3 · Serious</span>" in report
        assert "raised to <span" in report and "Level 4 · Critical</span>" in report


def test_an_update_published_before_resolving_early_counts_as_kept(db_path):
    clock = Clock()
    with open_store(db_path, clock=clock) as store:
        store.incidents.plan_facts = lambda: FACTS  # level 3: first update within 30 min
        incident = store.incidents.declare("Rude reply", 3)
        clock.at(10)
        store.incidents.record_published_update(incident.id, "Apology", "instagram")
        clock.at(20)
        store.incidents.set_status(incident.id, "resolved", "Customer accepted the apology")
        clock.at(60)
        assert by_key(store, incident.id)["cadence_kept"].display == "1 of 1 (100%)"
        # Resolved early with no update at all: nothing was due yet.
        quiet = store.incidents.declare("Quiet one", 3)
        clock.at(70)
        store.incidents.set_status(quiet.id, "resolved", "False alarm")
        assert by_key(store, quiet.id)["cadence_kept"].display == "none due"


def test_the_report_counts_applied_lessons_as_changing_the_plan(built):
    from app.reports.content import debrief_html

    store, incident_id = built
    store.plan.save(template_plan(), "Started")
    debrief = store.debriefs.start(store.incidents.get(incident_id))
    debrief.lessons = [
        Lesson("Update every 45 min", {"kind": "cadence", "level": 3, "value": 45}, True)
    ]
    store.debriefs.save_draft(debrief)
    store.debriefs.apply_lessons(debrief.id)
    applied = store.debriefs.get(debrief.id)
    applied.lessons[0].accepted = False  # as an older wizard left it after applying
    store.debriefs.save_draft(applied)
    report = debrief_html(store, debrief.id, with_chart=False)
    assert "1 changing the plan" in report


def test_the_chart_stops_at_now(built):
    from app.debriefs.metrics import chart_span

    store, incident_id = built
    incident = store.incidents.get(incident_id)  # resolved at 240 min; now is 300 min
    start, end = chart_span(incident, store.clock())
    assert end == store.clock() and start == incident.declared_at - timedelta(hours=24)
    later = incident.resolved_at + timedelta(hours=30)
    assert chart_span(incident, later)[1] == incident.resolved_at + timedelta(hours=24)


def test_a_lesson_s_change_reads_in_the_owner_s_words():
    """Playbooks by their names, times as people say them."""
    from app.debriefs.lessons import describe_change
    from app.plan.model import Playbook

    class _Plan:
        playbooks = [Playbook("food_safety", "Product or food safety")]

    step = {"kind": "first_hour", "playbook": "food_safety", "value": "Search for 'ill'"}
    assert describe_change(step, plan=_Plan()) == (
        "Playbook “Product or food safety”: add “Search for 'ill'” to the first hour"
    )
    cadence = {"kind": "cadence", "level": 3, "value": 120}
    assert describe_change(cadence) == "Level 3: update every 2 h"

"""The demo's incident: Hearth & Crumb's custard-tart scare, from the spike to its resolution,
with the times it really would have had (a moving clock stamps each step in the past)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.mentions.detection.windows import find_episodes
from app.mentions.model import MentionFilter
from app.mentions.spikes import find_spikes, record_spike
from app.timeutil import to_iso

if TYPE_CHECKING:
    from app.store import Store


class _StepClock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes_after_start: float, start: datetime) -> None:
        self.now = start + timedelta(minutes=minutes_after_start)


HOLDING = """Some customers have told us they felt unwell after eating custard tarts bought at our
Riverside shop on Sunday. We are so sorry, and we are taking this very seriously.

We understand how worrying this is, especially for parents. We have taken every custard tart
off sale in all three shops while we find out what happened.

We will post our next update by 17:30 today. If you or your family feel unwell, or you bought
custard tarts from us this weekend, please call us on +44 20 7946 0321 or email
hello@hearthandcrumb.example.

Maya Okafor, for Hearth & Crumb"""

UPDATE_1 = """Update on the custard tarts from our Riverside shop.

We are sorry again to everyone who was affected, and we know this has been a frightening day.

What we found: the display fridge at Riverside ran too warm overnight, at 9 °C instead of
below 5 °C. Only tarts from that fridge were affected.

What we have done: we have thrown away all custard and cream stock at Riverside, we are
replacing the fridge, and the council's environmental health team will inspect the kitchen
tonight. We are refunding anyone who bought from Riverside this weekend.

Our next update will be by 21:30 today. Call +44 20 7946 0321 or visit
hearthandcrumb.example/update for help.

Maya Okafor, for Hearth & Crumb"""

UPDATE_2 = """The council inspected our Riverside kitchen tonight and found it safe to keep baking.

We are sorry for the worry this has caused. We know trust is earned back, not asked for.

We have replaced the display fridge and added a temperature alarm that texts the shop manager.
Custard tarts stay off sale until Friday while we retrain the team.

We will post a final update tomorrow afternoon. Refunds: call +44 20 7946 0321.

Maya Okafor, for Hearth & Crumb"""

RESOLUTION = """What happened, and what we have changed.

We are sorry for what happened on Sunday and for the worry it caused. Thank you for your
patience and your kind messages while we put it right.

What happened: the display fridge at our Riverside shop ran too warm overnight, and custard
tarts from it made some of you ill. Everyone who contacted us has had a call and a refund.

What we have changed: a new fridge, a temperature alarm that texts the manager, and a check of
every fridge log at opening. The council inspected the kitchen and found it safe.

If you were affected and have not heard from us yet, please call +44 20 7946 0321.

Maya Okafor, for Hearth & Crumb"""


def publish(statements, incident_id, title, stage, body, channels, approve_at, publish_at):
    body = re.sub(r"(?<!\n)\n(?!\n)", " ", body)  # one line per paragraph, as people type
    sid = statements.create(title, stage, body, incident_id)
    for entry in statements.checklist(sid):  # every step done before it went out
        statements.tick(sid, entry.item, True)
    approve_at()
    statements.approve(sid, "Maya Okafor", "Decision maker")
    publish_at()
    for channel in channels:
        statements.publish(sid, channel)


def add_demo_incident(store: Store) -> int:
    spikes = find_spikes(store)
    spike_start = spikes[0].start if spikes else store.clock() - timedelta(hours=30)
    alarms = find_episodes(store.mentions, store.detection.setting(), now=store.clock())
    if alarms:
        record_spike(store, alarms[0], "declared")  # the alarm led to this incident
    clock = _StepClock(spike_start)
    story = store.with_clock(clock)
    incidents, statements = story.incidents, story.statements
    facts = incidents.plan_facts()
    t0 = spike_start + timedelta(minutes=50)  # declared 50 minutes into the spike

    def at(minutes: float) -> None:
        clock.at(minutes, t0)

    window = (to_iso(spike_start - timedelta(hours=1)), to_iso(spike_start + timedelta(hours=3)))
    mention_ids = store.mentions.ids_matching(MentionFilter("sentiment:negative"), *window)
    with store.db.atomic():
        at(0)
        incident = incidents.declare(
            "Customers ill after custard tarts (Riverside)",
            2,
            crisis_type="food_safety" if "food_safety" in facts.playbooks else "",
            origin="spike",
            mention_ids=mention_ids,
            impact=3,
            reach=2,
            reason="proposed Level 3, chosen 2: one post so far, not yet checked",
        )
        iid = incident.id
        people = {p.name: p for p in incidents.people(iid)}
        for minutes, name, how in (
            (6, "Maya Okafor", "phone"),
            (9, "Priya Shah", "phone"),
            (14, "Ellie Park", "in person"),
        ):
            if name in people:
                at(minutes)
                incidents.mark_reached(people[name].id, how)
        at(12)
        for item in incidents.checklist(iid, "first-hour")[:4]:
            incidents.tick(item.id)
        at(20)
        incidents.save_assessment(
            iid,
            {
                "what_happened": "A customer posted that her two children were sick after custard "
                "tarts bought at Riverside on Tuesday; it was shared 1,400 times in two hours.",
                "facts": "Three customers report stomach upsets after Riverside custard tarts. "
                "All tarts came from Tuesday's second batch.",
                "unknowns": "Whether the tarts caused it. Whether other shops sold that batch.",
                "root_cause": "Suspected: the Riverside display fridge ran warm overnight.",
                "stakeholders": "Affected customers and their families, Riverside staff, the "
                "council's environmental health team, regular customers of all three shops.",
                "consequences": "Illness; an inspection; lost trust and sales; press coverage.",
            },
            impact=3,
            reach=2,
        )
        at(25)
        incidents.add_task(
            iid,
            "Pull every custard tart from all three shops",
            "Daniel Reyes",
            t0 + timedelta(minutes=45),
        )
        task_fridge = incidents.add_task(
            iid,
            "Photograph the Riverside fridge temperature log",
            "Liam O'Connell",
            t0 + timedelta(hours=1),
        )
        at(30)
        publish(
            statements,
            iid,
            "Holding statement",
            "holding",
            HOLDING,
            ("instagram", "website"),
            approve_at=lambda: at(36),
            publish_at=lambda: at(38),
        )
        at(40)
        incidents.complete_task(incidents.tasks(iid, "task")[0].id)
        at(70)
        incidents.change_level(iid, 3, "The Riverside Gazette asked for a comment")
        people = {p.name: p for p in incidents.people(iid)}
        for minutes, name, how in (
            (78, "Rachel Kim", "phone"),
            (84, "Daniel Reyes", "phone"),
            (90, "Liam O'Connell", "phone"),
        ):
            if name in people:
                at(minutes)
                incidents.mark_reached(people[name].id, how)
        at(95)
        incidents.complete_task(task_fridge)
        # Replies to the people who wrote to us: most answered, some still waiting.
        store.mentions.set_status(mention_ids[:80], "replied")
        store.mentions.set_status(mention_ids[80:100], "needs_reply")
        incidents.add_note(iid, "Fridge log shows 9 °C from 02:00 to 06:00; should be below 5 °C.")
        at(110)
        incidents.set_status(iid, "identified")
        at(125)
        publish(
            statements,
            iid,
            "Update 1: what we found and what we changed",
            "update",
            UPDATE_1,
            ("instagram", "facebook", "website"),
            approve_at=lambda: at(136),
            publish_at=lambda: at(140),
        )
        at(150)
        incidents.add_task(
            iid,
            "Replace the Riverside display fridge",
            "Daniel Reyes",
            t0 + timedelta(days=7),
            kind="corrective",
        )
        incidents.add_task(
            iid,
            "Add a fridge alarm that texts the manager above 5 °C",
            "Tomasz Nowak",
            t0 + timedelta(days=14),
            kind="corrective",
        )
        at(300)
        incidents.set_status(iid, "monitoring")
        at(405)
        publish(
            statements,
            iid,
            "Update 2: council inspection passed",
            "update",
            UPDATE_2,
            ("instagram", "website"),
            approve_at=lambda: at(415),
            publish_at=lambda: at(420),
        )
        at(15 * 60 + 40)
        publish(
            statements,
            iid,
            "Resolution: what happened and what we changed",
            "resolution",
            RESOLUTION,
            ("instagram", "facebook", "website"),
            approve_at=lambda: at(15 * 60 + 50),
            publish_at=lambda: at(16 * 60),
        )
        incidents.change_level(iid, 2, "Mentions back near normal; no new illness reports")
        incidents.set_status(iid, "resolved")
        at(16 * 60 + 30)
        incidents.complete_task(incidents.tasks(iid, "corrective")[0].id)
        at(16 * 60 + 50)
        add_demo_debrief(store, iid, clock)
    return iid


def add_demo_debrief(store: Store, incident_id: int, clock) -> None:
    """A completed, blameless debrief with one lesson applied to the plan."""
    from app.debriefs.model import Lesson

    story = store.with_clock(clock)
    debriefs = story.debriefs
    debrief = debriefs.start(store.incidents.get(incident_id))
    debrief.summary = (
        "On Sunday afternoon a customer's post about her children falling ill after our custard "
        "tarts from Riverside spread fast. We declared an incident 50 minutes into the spike, "
        "pulled every custard tart, and found that the Riverside display fridge had run at 9 °C "
        "overnight. We published four statements; the council inspected the kitchen the same "
        "evening and found it safe. Everyone who contacted us got a call and a refund."
    )
    debrief.root_cause = (
        "The Riverside display fridge's thermostat failed overnight, and nobody checked the "
        "temperature log before opening. Nothing warned us."
    )
    debrief.went_well = [
        "Priya spotted the first post within an hour and called Maya straight away",
        "All custard tarts were off sale in every shop within 45 minutes",
        "The holding statement was out 38 minutes after we declared",
        "The council inspection was booked the same day",
    ]
    debrief.went_badly = [
        "Overnight we kept none of the hourly updates the plan asks for at level 3",
        "Two shop managers heard about it from customers before hearing from us",
        "The fridge log existed but nobody read it at opening",
    ]
    contacts = {c.name: c.id for c in store.contacts.all()}
    inspector = next((cid for name, cid in contacts.items() if "Haddad" in name), None)
    debrief.lessons = [
        Lesson(
            "Tell every shop manager at level 2, not only at level 3",
            {"kind": "notify_within", "level": 2, "value": 30},
            accepted=True,
        ),
        Lesson(
            "Add the environmental health officer to the level 3 call tree",
            {"kind": "call_tree", "level": 3, "contact_id": inspector},
            accepted=True,
        )
        if inspector
        else Lesson("Call environmental health early"),
        Lesson(
            "Check every fridge log at opening, and say so in the food-safety playbook",
            {
                "kind": "first_hour",
                "playbook": "food_safety",
                "value": "Read the fridge temperature logs of the last 24 hours",
            },
            accepted=True,
        ),
        Lesson("Overnight, a short update before closing beats silence", {}),
    ]
    debrief.step = 6
    debriefs.save_draft(debrief)
    debriefs.apply_lessons(debrief.id, "Maya Okafor")
    debriefs.complete(debrief.id)
    story.incidents.set_status(incident_id, "closed")

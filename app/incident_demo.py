"""The demo's incident: Hearth & Crumb's custard-tart scare, from the spike to its resolution,
with the times it really would have had (a moving clock stamps each step in the past)."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.incidents import IncidentRepository, plan_facts
from app.mentions.repository import MentionFilter
from app.mentions.spikes import find_spikes
from app.store import Store
from app.timeutil import to_iso


class _StepClock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes_after_start: float, start: datetime) -> None:
        self.now = start + timedelta(minutes=minutes_after_start)


def add_demo_incident(store: Store) -> int:
    spikes = find_spikes(store)
    spike_start = spikes[0].start if spikes else store.clock() - timedelta(hours=30)
    clock = _StepClock(spike_start)
    incidents = IncidentRepository(store.db, clock)
    facts = plan_facts(store)
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
            facts,
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
        at(38)
        incidents.record_published_update(iid, "Holding statement", "Instagram and website", facts)
        at(52)
        incidents.complete_task(incidents.tasks(iid, "task")[0].id)
        at(70)
        incidents.change_level(iid, 3, "The Riverside Gazette asked for a comment", facts)
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
        incidents.add_note(iid, "Fridge log shows 9 °C from 02:00 to 06:00; should be below 5 °C.")
        at(110)
        incidents.set_status(iid, "identified")
        at(140)
        incidents.record_published_update(
            iid,
            "Update 1: what we found and what we changed",
            "Instagram, Facebook and website",
            facts,
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
        at(420)
        incidents.record_published_update(
            iid, "Update 2: council inspection passed", "Instagram and website", facts
        )
        at(16 * 60)
        incidents.change_level(iid, 2, "Mentions back near normal; no new illness reports", facts)
        incidents.set_status(iid, "resolved")
    return iid

"""The incidents' commands: `incidents` and `timeline`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.console import print_json
from app.incidents.timeline import timeline_markdown

if TYPE_CHECKING:
    from app.store import Store


def configure_incidents(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON document")


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def run_incidents(store: Store, args: argparse.Namespace) -> int:
    rows = []
    for incident in store.incidents.all():
        people = store.incidents.people(incident.id)
        tasks = store.incidents.tasks(incident.id)
        rows.append(
            {
                "id": incident.id,
                "title": incident.title,
                "level": incident.level,
                "level_name": incident.level_label,
                "status": incident.status,
                "declared_at": incident.declared_at.isoformat(),
                "resolved_at": _moment(incident.resolved_at),
                "next_update_due_at": _moment(incident.next_update_due_at),
                "mentions": store.incidents.mention_stats(incident.id)[0],
                "people_reached": sum(1 for p in people if p.reached_at),
                "people_to_reach": len(people),
                "tasks_open": sum(1 for t in tasks if not t.done_at and t.kind == "task"),
                "corrective_actions_open": sum(
                    1 for t in tasks if not t.done_at and t.kind == "corrective"
                ),
                "events": len(store.incidents.timeline(incident.id)),
            }
        )
    if args.json:
        print_json({"incidents": rows})
        return 0
    if not rows:
        print("No incidents. Declare one in the app, from a spike or by hand.")
    for row in rows:
        print(
            f"#{row['id']:<4} {row['level_name']:<20} {row['status']:<14} {row['title']}  "
            f"({row['mentions']} mentions, "
            f"{row['people_reached']}/{row['people_to_reach']} reached)"
        )
    return 0


def configure_timeline(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, metavar="ID", help="the incident's number")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print one JSON document")
    form.add_argument("--markdown", action="store_true", help="print a Markdown table")


def run_timeline(store: Store, args: argparse.Namespace) -> int:
    incident = store.incidents.get(args.id)
    events = store.incidents.timeline(incident.id)
    if args.json:
        print_json(
            {
                "incident": {
                    "id": incident.id,
                    "title": incident.title,
                    "level": incident.level,
                    "status": incident.status,
                },
                "events": [
                    {
                        "at": e.at.isoformat(),
                        "kind": e.kind,
                        "text": e.text,
                        "data": e.data,
                        "original_at": _moment(e.original_at),
                        "key_moment": e.key_moment,
                    }
                    for e in events
                ],
            }
        )
    elif args.markdown:
        sys.stdout.write(timeline_markdown(incident, events))
    else:
        for e in events:
            print(f"{e.at.astimezone().strftime('%a %d %b %H:%M')}  {e.text}")
    return 0

"""The drills' commands: `drill list`, `drill run SCENARIO [--speed N] [--auto] [--json]`,
`drill from-incident ID -o FILE` and `drill check FILE`.

A drill never writes to the workspace: `run` plays in a sandbox copy and keeps its score in the
drills folder beside the workspace; `from-incident` only reads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.console import print_json
from app.drills.autopilot import Autopilot
from app.drills.model import (
    MET,
    SPEEDS,
    DrillError,
    DrillEvent,
    DrillScore,
    Scenario,
    ScenarioError,
    offset_text,
)
from app.drills.replay import scenario_from_incident
from app.drills.repository import DrillRecords
from app.drills.runner import run_in_real_time, run_to_end, start_drill
from app.drills.scenario import (
    check_scenario_file,
    find_scenario,
    read_scenario,
    shipped_scenarios,
)
from app.drills.writer import scenario_to_toml
from app.errors import UserError
from app.files import write_atomic
from app.paths import resolve_workspace
from app.plan.model import CRISIS_TYPES
from app.store import inspect_workspace, open_store


def _existing(workspace: Path) -> Path:
    if inspect_workspace(workspace).empty:
        raise DrillError(
            f"There is no workspace at {workspace}; run 'crisisdesk demo' or open the app."
        )
    return workspace


def known_playbooks(workspace: Path) -> set[str]:
    """The template's playbooks and the workspace plan's own (read only, when there is one)."""
    keys = set(CRISIS_TYPES)
    try:
        if not inspect_workspace(workspace).empty:
            with open_store(workspace, create=False) as store:
                plan = store.plan.get_current()
                keys |= {p.key for p in plan.playbooks} if plan else set()
    except UserError:
        pass  # checking a file needs no workspace; a run says what is wrong with it itself
    return keys


# --- list ------------------------------------------------------------------------------------


def _scenario_row(path: Path) -> dict:
    scenario, problems = check_scenario_file(path)
    if scenario is None:
        return {"name": path.stem, "file": str(path), "problems": [str(p) for p in problems]}
    return {
        "name": path.stem,
        "file": str(path),
        "title": scenario.title,
        "crisis_type": scenario.crisis_type,
        "minutes": round(scenario.duration.total_seconds() / 60),
        "injects": len(scenario.injects),
        "mentions": scenario.mention_count,
        "business": scenario.business,
    }


def _list(args: argparse.Namespace, workspace: Path) -> int:
    scenarios = [_scenario_row(path) for path in shipped_scenarios()]
    drills = DrillRecords(workspace).all()
    if args.json:
        print_json(
            {
                "scenarios": scenarios,
                "drills": [
                    {
                        "id": d.id,
                        "held_at": d.held_at.isoformat(),
                        "scenario": d.scenario,
                        "title": d.title,
                        "crisis_type": d.crisis_type,
                        "speed": d.speed,
                        "auto": d.auto,
                        "minutes": d.minutes,
                        "met": d.met,
                        "counted": d.counted,
                        "summary": d.summary,
                        "expectations": list(d.expectations),
                    }
                    for d in drills
                ],
            }
        )
        return 0
    print("Scenarios (crisisdesk drill run NAME):")
    for row in scenarios:
        if "problems" in row:
            print(f"  {row['name']:<28} cannot be played: {row['problems'][0]}")
            continue
        print(
            f"  {row['name']:<28} {row['minutes']:>3} min  {row['crisis_type']:<17} {row['title']}"
        )
    print()
    if not drills:
        print("No drills yet. Rehearse twice a year: crisisdesk drill run NAME.")
    else:
        print("Drills held:")
    for d in drills:
        who = " (autopilot)" if d.auto else ""
        print(f"  {d.held_at.astimezone():%a %d %b %Y %H:%M}  {d.summary:<28} {d.title}{who}")
    return 0


# --- check -----------------------------------------------------------------------------------


def _check(args: argparse.Namespace, workspace: Path) -> int:
    path = Path(args.file)
    scenario, problems = check_scenario_file(path, known_playbooks(workspace))
    if args.json:
        print_json(
            {
                "file": str(path),
                "ok": not problems,
                "problems": [{"line": p.line, "message": p.message} for p in problems],
                "title": scenario.title if scenario else None,
            }
        )
    elif scenario is not None:
        print(
            f"{path.name} is ready: “{scenario.title}”, {len(scenario.injects)} injects, "
            f"{scenario.mention_count} posts, {offset_text(scenario.duration)} long."
        )
    else:
        for problem in problems:
            print(f"{path.name}: {problem}")
    if problems:
        count = len(problems)
        raise ScenarioError(
            f"{path.name} has {count} problem{'s' if count != 1 else ''}; nothing was started.",
            problems,
        )
    return 0


# --- from-incident ---------------------------------------------------------------------------


def _from_incident(args: argparse.Namespace, workspace: Path) -> int:
    output = Path(args.output)
    if output.exists() and not args.force:
        raise DrillError(f"{output} already exists; add --force to replace it.")
    if not output.parent.is_dir():
        raise DrillError(f"The folder {output.parent} does not exist.")
    if args.type and args.type not in CRISIS_TYPES:
        raise DrillError(
            f"'{args.type}' is not a crisis type; use one of: {', '.join(CRISIS_TYPES)}."
        )
    with open_store(_existing(workspace), create=False) as store:
        scenario = scenario_from_incident(store, args.id, args.type or "")
    header = (
        f"Crisis Desk drill scenario, replaying incident {args.id}.\n"
        f"Check it: crisisdesk drill check {output.name}\n"
        f"Play it:  crisisdesk drill run {output.name} --speed {scenario.speed}"
    )
    write_atomic(output, scenario_to_toml(scenario, header))
    print(
        f"Wrote {output}: {scenario.mention_count:,} posts and "
        f"{sum(1 for i in scenario.injects if i.kind != 'mentions')} other injects over "
        f"{offset_text(scenario.duration)} (play it at {scenario.speed}×)."
    )
    return 0


# --- run -------------------------------------------------------------------------------------


def _event_line(event: DrillEvent) -> str:
    who = {"scenario": "", "you": "You: ", "drill": ""}[event.by]
    stamp = "T+" + offset_text(event.minute * 60)
    line = f"{stamp:<10} {who}{event.title}"
    if event.kind in ("mentions", "reaction"):
        for post in event.data.get("posts", [])[:3]:
            text = " ".join(str(post["text"]).split())
            line += f"\n{'':11}“{text[:90]}{'…' if len(text) > 90 else ''}” — {post['author']}"
        more = len(event.data.get("posts", [])) - 3
        if more > 0:
            line += f"\n{'':11}and {more} more"
    elif event.kind in ("call", "email", "fact") and event.text and event.text != event.title:
        line += f"\n{'':11}{event.text}"
    return line


def _print_score(score: DrillScore) -> None:
    print()
    print(f"Score: {score.summary}")
    for result in score.expectations:
        when = f"T+{offset_text(result.minute * 60)}" if result.minute is not None else ""
        mark = "met" if result.status == MET else result.status
        print(f"  {mark:<8} {when:>9}  {result.label}: {result.detail}")
    if score.metrics:
        print("The debrief's numbers:")
        for metric in score.metrics:
            print(f"  {metric.label:<32} {metric.display}")


def _run(args: argparse.Namespace, workspace: Path) -> int:
    if args.speed not in SPEEDS:
        raise DrillError(
            f"--speed must be one of {', '.join(str(s) for s in SPEEDS)}, not {args.speed:g}."
        )
    _existing(workspace)
    scenario: Scenario = read_scenario(find_scenario(args.scenario), known_playbooks(workspace))
    speed = int(args.speed)
    quiet = args.json
    run = start_drill(workspace, scenario, speed=speed, manual=args.auto, auto=args.auto)
    try:
        if not quiet:
            mode = "autopilot, without waiting" if args.auto else "in real time; Ctrl+C ends it"
            print(
                f"Drill: {scenario.title} ({scenario.crisis_type}), "
                f"{offset_text(scenario.duration)} at {speed}× — {mode}."
            )
            if scenario.briefing:
                print("\n" + scenario.briefing.strip() + "\n")
            if not args.auto and speed == 1:
                print(f"To play along in the window: crisisdesk --db {run.sandbox.path}\n")

        def show(events: list[DrillEvent]) -> None:
            if quiet:
                return
            for event in events:
                if event.kind != "started":
                    print(_event_line(event))
            sys.stdout.flush()

        pilot = Autopilot(run) if args.auto else None
        try:
            if pilot is not None:
                run_to_end(run, pilot, on_events=show)
            else:
                run_in_real_time(run, on_events=show)
        except KeyboardInterrupt:
            run.stop()
        keep = not args.auto or args.keep
        score = run.finish(keep=keep)
        if quiet:
            document = score.as_dict()
            document["posted"] = [
                {
                    "t": offset_text(minute * 60),
                    "minute": minute,
                    "source": post.fields.get("source") or "drill",
                    "author": post.author,
                    "text": post.text,
                }
                for minute, _mention_id, post in run.posted
            ]
            document["autopilot"] = pilot.done if pilot else []
            document["kept"] = keep
            print_json(document)
        else:
            _print_score(score)
            print(
                "\nKept in your list of drills (crisisdesk drill list)."
                if keep
                else "\nAn autopilot run checks a scenario; it is not kept (add --keep to keep it)."
            )
    finally:
        removed = run.close()
    if not removed and not quiet:
        print("The drill's copy is still open in a window; it is removed after you close it.")
    return 0


# --- the parser ------------------------------------------------------------------------------


def configure_drill(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="drill_command", metavar="ACTION", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="the workspace")
        return parser

    listing = add("list", "the shipped scenarios and the drills you have held")
    listing.add_argument("--json", action="store_true", help="print one JSON document")

    run = add("run", "play a scenario in a sandbox copy of the workspace and score it")
    run.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or a shipped name")
    run.add_argument(
        "--speed", type=float, default=1, help="1, 2, 5 or 10 times real time (default 1)"
    )
    run.add_argument(
        "--auto",
        action="store_true",
        help="an autopilot plays a reasonable owner, without waiting in real time",
    )
    run.add_argument("--keep", action="store_true", help="keep an autopilot run in the list")
    run.add_argument("--json", action="store_true", help="print the score as one JSON document")

    replay = add("from-incident", "turn a past incident into a scenario that replays it")
    replay.add_argument("id", type=int, metavar="ID", help="the incident's number")
    replay.add_argument("-o", "--output", required=True, metavar="FILE.toml")
    replay.add_argument("--type", metavar="KEY", help="its crisis type, if it has none")
    replay.add_argument("--force", action="store_true", help="replace FILE if it exists")

    check = add("check", "check a scenario file; one sentence per problem, naming its line")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--json", action="store_true", help="print one JSON document")


ACTIONS = {"list": _list, "run": _run, "from-incident": _from_incident, "check": _check}


def run_drill(args: argparse.Namespace) -> int:
    return ACTIONS[args.drill_command](args, resolve_workspace(args.db))

"""The drill runner: plays a scenario's injects into the sandbox on the drill clock, watches what
the owner does there, and reports both as `DrillEvent`s.

It never waits and never runs by itself: whoever drives it calls `step()` — the window from a
timer (a few times a second), `run_to_end` in a loop that moves a manual clock from one due
moment to the next (`drill run --auto`: a whole scenario in seconds), `run_in_real_time` with
sleeps (`drill run` without --auto). A step plays everything due by the clock's "now" in time
order, posts go in through `MentionRepository.add_many` exactly as an import's would, and the
owner's actions are read from the drill incident's timeline, so the window and the runner need
no other channel between them. The first incident declared in the sandbox is the drill's.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from app.drills.clock import DrillClock
from app.drills.model import (
    CORE_RULES,
    INJECT_KINDS,
    DrillError,
    DrillEvent,
    DrillScore,
    Inject,
    Scenario,
    ScenarioMention,
    offset_text,
)
from app.drills.repository import DrillRecords
from app.drills.sandbox import Sandbox
from app.drills.score import score_drill
from app.errors import Cancelled
from app.incidents.model import EventKind
from app.mentions.importers import to_mention
from app.mentions.model import NewMention
from app.mentions.sentiment import score_rows
from app.statements.checker import check_statement
from app.timeutil import utc_now

# A post's sentiment as the scenario says people read it, stored with a nominal score.
NOMINAL_SCORE = {"negative": -0.5, "neutral": 0.0, "positive": 0.5}
# What the owner did, as the drill log names it (the timeline's own kinds otherwise).
OWNER_KINDS: dict[str, str] = {
    EventKind.DECLARED: "declared",
    EventKind.SEVERITY: "level",
    EventKind.STATEMENT_PUBLISHED: "published",
    EventKind.MENTIONS: "attached",
}


@dataclass(frozen=True)
class _Due:
    """Something the scenario does at `due` (an offset from T+0)."""

    due: timedelta
    order: int
    inject: int  # index in scenario.injects
    post: ScenarioMention | None = None  # a post; None for a call, an email or a fact
    part: str = ""  # a reaction's part: strong, weak or silent; "silence" checks for silence
    statement: int = 0  # the statement a reaction answers


class DrillRun:
    """One drill in progress. See the module docstring for who calls `step()`."""

    def __init__(
        self, scenario: Scenario, sandbox: Sandbox, clock: DrillClock, *, auto: bool = False
    ):
        self.scenario = scenario
        self.sandbox = sandbox
        self.store = sandbox.store
        self.clock = clock
        self.auto = auto
        self.started_at = clock.start
        self.ends_at = clock.start + scenario.duration
        self.events: list[DrillEvent] = []
        self.posted: list[tuple[float, int, ScenarioMention]] = []  # (minute, mention id, post)
        self.incident_id: int | None = None
        self.stopped = False
        self.score: DrillScore | None = None
        self._token = secrets.token_hex(4)
        self._queue: list[_Due] = []
        self._order = 0
        self._earlier_incidents = {i.id for i in self.store.incidents.all()}
        self._seen_event = 0
        self._statements: list[int] = []  # the drill incident's published statements, in order
        self._ended = False
        self._closed = False
        self._titled: set[int] = set()
        self._reported = 0  # events already handed out by step()
        for index, inject in enumerate(scenario.injects):
            if inject.kind == "mentions":
                for post in inject.mentions:
                    self._schedule(post.at, index, post=post)
            elif inject.kind == "reaction":
                if inject.silence_at is not None and inject.silent:
                    self._schedule(
                        inject.silence_at, index, part="silence", statement=inject.statement
                    )
            else:
                assert inject.at is not None
                self._schedule(inject.at, index)
        self._note(
            "started",
            f"Drill started: {scenario.title}",
            text=scenario.briefing,
            data={"speed": clock.speed, "duration": offset_text(scenario.duration)},
        )

    # --- time ------------------------------------------------------------------------------

    def minute(self, at: datetime | None = None) -> float:
        return ((at or self.clock()) - self.started_at).total_seconds() / 60

    @property
    def finished(self) -> bool:
        return self.stopped or self.clock() >= self.ends_at

    def next_due(self) -> datetime | None:
        """When the scenario next does something (None: nothing more is scheduled)."""
        if not self._queue:
            return None
        return self.started_at + min(item.due for item in self._queue)

    def pause(self) -> None:
        if not self.clock.paused:
            self.clock.pause()
            self._note("paused", "Drill paused")

    def resume(self) -> None:
        if self.clock.paused and not self.clock.manual:
            self.clock.resume()
            self._note("resumed", "Drill resumed")

    def set_speed(self, speed: float) -> None:
        self.clock.set_speed(speed)
        self._note("speed", f"Speed {speed:g}×", data={"speed": speed})

    def stop(self) -> None:
        """End the drill now (the owner pressed End); the score counts what happened so far."""
        if not self.stopped:
            self.stopped = True
            self.clock.pause()

    # --- the step ----------------------------------------------------------------------------

    def step(self) -> list[DrillEvent]:
        """Play everything due by now; return every event since the last step (what the
        scenario did, what the owner did, and the drill's own: started, paused, ended)."""
        if self._closed:
            raise DrillError("This drill has ended; start a new one.")
        self._observe()
        now = self.clock()
        offset = min(now - self.started_at, self.scenario.duration)  # nothing plays after the end
        while True:
            due = sorted(
                (item for item in self._queue if item.due <= offset),
                key=lambda i: (i.due, i.order),
            )
            if not due:
                break
            self._queue = [item for item in self._queue if item.due > offset]
            group: list[_Due] = []
            for item in due:
                if group and (item.inject, item.part) != (group[0].inject, group[0].part):
                    self._play(group)
                    group = []
                group.append(item)
            self._play(group)
            self._observe()  # a statement seen now may schedule reactions already due
        if not self._ended and (self.stopped or now >= self.ends_at):
            self._ended = True
            self._note(
                "ended", f"Drill ended at T+{offset_text(min(offset, self.scenario.duration))}"
            )
        new, self._reported = self.events[self._reported :], len(self.events)
        return new

    def _schedule(self, due: timedelta, inject: int, **what) -> None:
        self._order += 1
        self._queue.append(_Due(due, self._order, inject, **what))

    def _note(self, kind: str, title: str, *, at: datetime | None = None, **more) -> DrillEvent:
        at = at or self.clock()
        event = DrillEvent(at, round(self.minute(at), 2), kind, "drill", title, **more)
        self.events.append(event)
        return event

    def _play(self, group: list[_Due]) -> None:
        if not group:
            return
        inject = self.scenario.injects[group[0].inject]
        part = group[0].part
        if part == "silence":
            if len(self._statements) < group[0].statement:
                for post in inject.silent:
                    self._schedule(
                        group[0].due + post.at, group[0].inject, post=post, part="silent"
                    )
            return
        at = self.started_at + group[0].due
        if group[0].post is None:
            self._inject_event(inject, at)
            return
        ids = self._post([item.post for item in group if item.post is not None], group)
        posts = [item.post for item in group if item.post is not None]
        sources = sorted({str(p.fields.get("source") or "drill") for p in posts})
        count = f"{len(posts)} new post{'s' if len(posts) != 1 else ''}"
        if inject.kind == "reaction":
            title = f"Reactions to your statement: {count}"
            if part == "silent":
                title = f"Nothing from you yet: {count}"
        elif inject.title and group[0].inject not in self._titled:
            title = inject.title  # the inject's headline once; its later posts by their count
        else:
            title = f"{count} ({', '.join(sources)})"
        self._titled.add(group[0].inject)
        self.events.append(
            DrillEvent(
                at,
                round(self.minute(at), 2),
                "reaction" if inject.kind == "reaction" else "mentions",
                "scenario",
                title,
                text=posts[0].text,
                mention_ids=tuple(ids),
                data={
                    "posts": [
                        {
                            "author": p.author,
                            "followers": p.fields.get("author_followers"),
                            "source": p.fields.get("source") or "drill",
                            "text": p.text,
                            "sentiment": p.sentiment,
                        }
                        for p in posts
                    ],
                    "part": part,
                    "impact": inject.impact,
                    "reach": inject.reach,
                    "line": inject.line,
                },
            )
        )

    def _inject_event(self, inject: Inject, at: datetime) -> None:
        self.events.append(
            DrillEvent(
                at,
                round(self.minute(at), 2),
                inject.kind,
                "scenario",
                inject.headline,
                text=inject.text,
                sender=inject.sender,
                data={
                    "label": INJECT_KINDS[inject.kind],
                    "impact": inject.impact,
                    "reach": inject.reach,
                    "line": inject.line,
                },
            )
        )

    def _post(self, posts: list[ScenarioMention], group: list[_Due]) -> list[int]:
        """The posts into the sandbox's inbox as an import would put them, dated when the
        scenario says; each gets an id of its own, so a replay of posts the workspace already
        holds is not taken for duplicates."""
        items: list[NewMention] = []
        for post, item in zip(posts, group, strict=True):
            record = dict(post.fields)
            mention = to_mention(
                record, {name: name for name in record}, "drill", UTC
            )  # the import format's own reading of the fields
            self._order += 1
            items.append(
                replace(
                    mention,
                    external_id=f"drill-{self._token}-{self._order}",
                    posted_at=self.started_at + item.due,
                    raw=record,
                )
            )
        added = self.store.mentions.add_many(items)
        ids = added.added_ids
        given = [
            (post.sentiment, NOMINAL_SCORE[post.sentiment], mention_id)
            for post, mention_id in zip(posts, ids, strict=False)
            if post.sentiment
        ]
        read = score_rows(
            [
                (mention_id, post.text)
                for post, mention_id in zip(posts, ids, strict=False)
                if not post.sentiment
            ]
        )
        self.store.mentions.set_sentiments(given + read)
        for post, mention_id, item in zip(posts, ids, group, strict=False):
            self.posted.append((round(item.due.total_seconds() / 60, 2), mention_id, post))
        return ids

    # --- what the owner did --------------------------------------------------------------------

    def _observe(self) -> None:
        store = self.store
        if self.incident_id is None:
            new = [i for i in store.incidents.all() if i.id not in self._earlier_incidents]
            if not new:
                return
            self.incident_id = min(i.id for i in new)
        for event in store.incidents.timeline(self.incident_id):
            if event.id <= self._seen_event:
                continue
            self._seen_event = event.id
            self.events.append(
                DrillEvent(
                    event.at,
                    round(self.minute(event.at), 2),
                    OWNER_KINDS.get(event.kind, event.kind),
                    "you",
                    event.text,
                    data=dict(event.data),
                )
            )
        self._see_statements()

    def _see_statements(self) -> None:
        assert self.incident_id is not None
        firsts: dict[int, datetime] = {}
        for publication in self.store.statements.publications(incident_id=self.incident_id):
            seen = firsts.get(publication.statement_id)
            if seen is None or publication.published_at < seen:
                firsts[publication.statement_id] = publication.published_at
        for statement_id, published_at in sorted(firsts.items(), key=lambda kv: kv[1]):
            if statement_id in self._statements:
                continue
            self._statements.append(statement_id)
            self._react(len(self._statements), statement_id, published_at)

    def _react(self, number: int, statement_id: int, published_at: datetime) -> None:
        """Schedule the public's reactions to the owner's `number`th statement: the strong posts
        when it passes the checker's core rules, the weak ones when it does not."""
        statement = self.store.statements.get(statement_id)
        missing = sorted(check_statement(statement.body).rules() & set(CORE_RULES))
        since = published_at - self.started_at
        for index, inject in enumerate(self.scenario.injects):
            if inject.kind != "reaction" or inject.statement != number:
                continue
            part = "weak" if missing else "strong"
            for post in getattr(inject, part):
                self._schedule(since + inject.after + post.at, index, post=post, part=part)
        self._note(
            "checked",
            f"Your statement “{statement.title}” "
            + (
                "passes the checker's core rules"
                if not missing
                else "misses: " + ", ".join(missing)
            ),
            at=published_at,
            data={"statement": statement_id, "missing": missing, "number": number},
        )

    # --- the end -------------------------------------------------------------------------------

    def finish(self, *, keep: bool = True, records: DrillRecords | None = None) -> DrillScore:
        """The score, now; kept in the workspace's list of drills unless `keep` is false. The
        sandbox stays open (the debrief wizard can look at it) until `close()`."""
        if self.score is None:
            self.stop()
            self.step()
            self.score = score_drill(self)
            if keep:
                (records or DrillRecords(self.sandbox.source)).add(self.score)
        return self.score

    def close(self) -> bool:
        """Close the sandbox and remove it (False: another process still has it open, so it
        is left for the next drill to sweep away). The real workspace never saw the drill."""
        if self._closed:
            return True
        self._closed = True
        return self.sandbox.close()

    def __enter__(self) -> DrillRun:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_drill(
    workspace: str | Path,
    scenario: Scenario,
    *,
    speed: float = 1,
    start: datetime | None = None,
    manual: bool = False,
    auto: bool = False,
    ticks: Callable[[], float] = time.monotonic,
    root: Path | None = None,
) -> DrillRun:
    """Copy the workspace into a sandbox and start the drill clock at T+0 (now, to the minute,
    unless `start` says otherwise). A `manual` clock moves only when told (`run_to_end`);
    `auto` records that the autopilot played the owner."""
    start = start or utc_now().replace(second=0, microsecond=0)
    clock = DrillClock(start, speed, ticks=None if manual else ticks)
    clock.pause()  # the copy may take a moment; scenario time starts when the drill does
    sandbox = Sandbox.create(workspace, clock, title=scenario.title, root=root)
    try:
        run = DrillRun(scenario, sandbox, clock, auto=auto)
    except BaseException:
        sandbox.close()
        raise
    clock.resume()
    return run


# --- driving a run ---------------------------------------------------------------------------


class Pilot(Protocol):
    """What `run_to_end` needs of an autopilot (see app.drills.autopilot): act on the events
    of a step (True when it did something) and say when it next wants to act."""

    def act(self, events: list[DrillEvent]) -> bool: ...

    def next_due(self) -> datetime | None: ...


def run_to_end(
    run: DrillRun,
    pilot: Pilot | None = None,
    *,
    on_events: Callable[[list[DrillEvent]], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Play a drill on a manual clock from one due moment to the next, without waiting."""
    if not run.clock.manual:
        raise ValueError("run_to_end moves the clock itself; start the drill with manual=True")
    same_moment = 0
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled("The drill was cancelled.")
        events = run.step()
        if pilot is not None and pilot.act(events):
            events += run.step()  # what the autopilot just did, at once
        if on_events is not None and events:
            on_events(events)
        now = run.clock()
        if run.finished:
            break
        upcoming = [t for t in (run.next_due(), pilot.next_due() if pilot else None) if t]
        moment = min([*upcoming, run.ends_at])
        if moment <= now:
            same_moment += 1
            if same_moment < 20:
                continue
            moment = now + timedelta(seconds=1)  # never stand still
        same_moment = 0
        run.clock.advance_to(moment)


def run_in_real_time(
    run: DrillRun,
    *,
    on_events: Callable[[list[DrillEvent]], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    tick_seconds: float = 1.0,
) -> None:
    """Play a drill at its clock's speed, waiting in real time between injects."""
    while True:
        events = run.step()
        if on_events is not None and events:
            on_events(events)
        if run.finished:
            break
        moment = min(run.next_due() or run.ends_at, run.ends_at)
        wait = run.clock.real_seconds_until(moment)
        sleep(tick_seconds if wait is None else min(tick_seconds, max(wait, 0.01)))

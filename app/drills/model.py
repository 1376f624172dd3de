"""What a drill is made of: the scenario (injects and expectations), the events a running drill
reports, and the score it ends with. Times inside a scenario are offsets from its start (T+0)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.errors import UserError

FORMAT_VERSION = 1  # `drill_format` in a scenario file; raise it only with a reader for the old
SPEEDS = (1, 2, 5, 10)
INJECT_KINDS = {
    "mentions": "Posts",
    "call": "Phone call",
    "email": "Email",
    "fact": "Fact revealed",
    "reaction": "Reactions to your statement",
}
SENTIMENTS = ("negative", "neutral", "positive")
# The checker's rules a drill statement must pass: what a statement says (practices 4 and 5),
# not how it reads (long sentences, reading grade, jargon and length are left to the owner).
CORE_RULES = (
    "acknowledgement",
    "apology",
    "non-apology",
    "empathy",
    "blame",
    "speculation",
    "action",
    "next-update",
    "help-channel",
)
# Expectation results.
MET, MISSED, NOT_DUE, NOT_APPLICABLE = "met", "missed", "not due", "n/a"
# A folder in the user data folder holds the sandboxes of running drills.
SANDBOX_FOLDER = "drills"
# Kept in the sandbox's settings: the window tells a drill's copy from a real workspace by it.
SANDBOX_SETTING = "drill_sandbox"


def offset_text(offset: timedelta | float) -> str:
    """T+ time as a scenario writes it: "07:30", or "1:05:00" past the hour."""
    seconds = int(round(offset.total_seconds() if isinstance(offset, timedelta) else offset))
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


class ScenarioError(UserError):
    """A scenario file that cannot be played; the message names the first problem and its line."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class DrillError(UserError):
    """A drill that cannot start or go on; one sentence for the owner."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


# --- the scenario ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioMention:
    """One post as the public writes it: the import format's fields (text, author_name,
    author_handle, author_followers, source, url, language) and its sentiment as people read it."""

    at: timedelta  # after T+0; in a reaction, after the statement was published
    fields: dict
    sentiment: str | None = None
    line: int = field(default=0, compare=False)  # where it is in its file

    @property
    def text(self) -> str:
        return str(self.fields.get("text", ""))

    @property
    def author(self) -> str:
        name = str(self.fields.get("author_name", "") or "")
        handle = str(self.fields.get("author_handle", "") or "")
        return name or (f"@{handle.lstrip('@')}" if handle else "someone")


@dataclass(frozen=True)
class Inject:
    """One timed event of the scenario. A reaction has no time of its own: it follows the owner's
    n-th published statement (`after` it), with the `strong` posts when that statement passes the
    checker's core rules and the `weak` ones when it does not; `silent` posts arrive at
    `silence_at` if nothing was published by then."""

    kind: str
    at: timedelta | None
    line: int = field(default=0, compare=False)  # where it is in its file
    title: str = ""
    sender: str = ""
    text: str = ""
    mentions: tuple[ScenarioMention, ...] = ()
    impact: int | None = None  # what this tells a reasonable owner (the severity matrix)
    reach: int | None = None
    statement: int = 1
    after: timedelta = timedelta(0)
    strong: tuple[ScenarioMention, ...] = ()
    weak: tuple[ScenarioMention, ...] = ()
    silence_at: timedelta | None = None
    silent: tuple[ScenarioMention, ...] = ()

    @property
    def headline(self) -> str:
        if self.title:
            return self.title
        if self.kind in ("call", "email"):
            return f"{INJECT_KINDS[self.kind]} from {self.sender}" if self.sender else self.text
        return self.text or INJECT_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Expectations:
    """What the scenario expects of the owner; the deadlines, people and checklist come from the
    workspace's own plan."""

    declare_by: timedelta | None = None
    level: int | None = None
    level_by: timedelta | None = None
    first_update: bool = True  # first statement within the level's first-update deadline
    people_reached: bool = True  # everyone the ladder names, by its deadline
    statement_passes: bool = True  # a published statement passes the checker's core rules
    first_hour_done: bool = True  # the playbook's first-hour checklist


@dataclass(frozen=True)
class Scenario:
    title: str
    crisis_type: str
    duration: timedelta
    injects: tuple[Inject, ...]
    expect: Expectations = Expectations()
    speed: int = 1
    business: str = ""
    briefing: str = ""
    summary: str = ""  # what happened, in a sentence: the autopilot's assessment starts from it
    path: Path | None = None

    @property
    def mention_count(self) -> int:
        return sum(len(i.mentions) for i in self.injects)

    @property
    def name(self) -> str:
        return self.path.stem if self.path else self.title


# --- a running drill -------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillEvent:
    """Something that happened in the drill, as data for the window's log and the score.

    `by` says who: "scenario" (an inject), "you" (the owner's action seen in the sandbox, or the
    autopilot's) or "drill" (started, paused, ended)."""

    at: datetime
    minute: float
    kind: str
    by: str
    title: str
    text: str = ""
    sender: str = ""
    mention_ids: tuple[int, ...] = ()
    data: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["at"] = self.at.isoformat()
        out["mention_ids"] = list(self.mention_ids)
        out["t"] = offset_text(self.minute * 60)
        return out


@dataclass(frozen=True)
class ExpectationResult:
    key: str
    label: str
    status: str  # met, missed, not due, n/a
    minute: float | None  # when it happened, in scenario minutes (None: it did not)
    detail: str

    def as_dict(self) -> dict:
        out = asdict(self)
        out["t"] = offset_text(self.minute * 60) if self.minute is not None else None
        return out


@dataclass(frozen=True)
class DrillScore:
    scenario: str
    title: str
    crisis_type: str
    started_at: datetime  # T+0 on the drill clock
    minutes: float  # scenario minutes played
    speed: float
    auto: bool
    incident_id: int | None  # the drill's incident, in the sandbox
    expectations: tuple[ExpectationResult, ...]
    metrics: tuple = ()  # app.debriefs.model.Metric, the debrief's numbers
    events: tuple[DrillEvent, ...] = ()

    @property
    def met(self) -> int:
        return sum(1 for e in self.expectations if e.status == MET)

    @property
    def counted(self) -> int:
        return sum(1 for e in self.expectations if e.status != NOT_APPLICABLE)

    @property
    def summary(self) -> str:
        return f"{self.met} of {self.counted} expectations met"

    def as_dict(self, with_events: bool = True) -> dict:
        out = {
            "scenario": self.scenario,
            "title": self.title,
            "crisis_type": self.crisis_type,
            "started_at": self.started_at.isoformat(),
            "minutes": round(self.minutes, 1),
            "speed": self.speed,
            "auto": self.auto,
            "incident_id": self.incident_id,
            "met": self.met,
            "counted": self.counted,
            "summary": self.summary,
            "expectations": [e.as_dict() for e in self.expectations],
            "metrics": [asdict(m) for m in self.metrics],
        }
        if with_events:
            out["events"] = [e.as_dict() for e in self.events]
        return out


@dataclass(frozen=True)
class DrillRecord:
    """A drill kept in the workspace's list of drills, with its score."""

    id: str
    held_at: datetime  # real time the drill started
    scenario: str
    title: str
    crisis_type: str
    speed: float
    auto: bool
    minutes: float
    met: int
    counted: int
    expectations: tuple[dict, ...] = ()
    metrics: tuple[dict, ...] = ()

    @property
    def summary(self) -> str:
        return f"{self.met} of {self.counted} expectations met"

"""Scenario files: one documented, versioned TOML format (`drill_format = 1`), read with the
standard library's `tomllib`, checked in full before anything starts, and written back for
`drill from-incident`.

Every problem is one sentence naming its line: `tomllib` gives the line of a syntax error, and
`_Locator` finds the line of every table and key it parsed (the nth `[[inject]]`, the key `at`
inside it), so "a bad time", "an unknown playbook" or "a mention with no text" points at the
line to fix. The format is described in the README ("Writing a scenario").

    drill_format = 1
    title = "Nut traces in the brownies"
    crisis_type = "food_safety"          # a playbook of the plan
    duration = "30:00"                   # T+ times: "mm:ss" or "h:mm:ss"

    [expect]
    declare_by = "10:00"
    level = 3

    [[inject]]
    at = "00:00"
    kind = "mentions"                    # mentions, call, email, fact, reaction
    [[inject.mentions]]
    text = "My son had a reaction after your 'nut-free' brownie."
    author_name = "Dana W."
    sentiment = "negative"
"""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path

from app.drills.model import (
    FORMAT_VERSION,
    INJECT_KINDS,
    SENTIMENTS,
    SPEEDS,
    DrillError,
    Expectations,
    Inject,
    Problem,
    Scenario,
    ScenarioError,
    ScenarioMention,
    offset_text,
)
from app.imports.dates import parse_count
from app.levels import LEVEL_NAMES
from app.mentions.importers import FIELDS
from app.paths import resource
from app.plan.model import CRISIS_TYPES

MAX_BYTES = 32 * 1024 * 1024
MAX_DURATION = timedelta(hours=24)
# The import format's fields a scenario's post may carry; its time comes from the scenario.
MENTION_FIELDS = tuple(f for f in FIELDS if f not in ("posted_at", "posted_time"))
TOP_KEYS = (
    "drill_format",
    "title",
    "crisis_type",
    "business",
    "briefing",
    "summary",
    "duration",
    "speed",
    "expect",
    "inject",
)
EXPECT_KEYS = (
    "declare_by",
    "level",
    "level_by",
    "first_update",
    "people_reached",
    "statement_passes",
    "first_hour_done",
)
INJECT_KEYS = {
    "mentions": ("at", "kind", "title", "impact", "reach", "mentions"),
    "call": ("at", "kind", "title", "from", "text", "impact", "reach"),
    "email": ("at", "kind", "title", "from", "text", "impact", "reach"),
    "fact": ("at", "kind", "title", "text", "impact", "reach"),
    "reaction": ("kind", "title", "statement", "after", "strong", "weak", "silence_at", "silent"),
}
_OFFSET = re.compile(r"^\s*(?:T\s*\+\s*)?(?:(\d{1,2}):)?(\d{1,4}):(\d{1,2})\s*$", re.IGNORECASE)
_TOML_LINE = re.compile(r"at line (\d+)")

Path_ = tuple  # a path into the parsed document: ("inject", 2, "mentions", 0, "text")


# --- where things are in the file ------------------------------------------------------------


class _Locator:
    """The line of every table header and key of a TOML file, by its path in the parsed document
    (array-of-tables are counted as tomllib counts them). Inline tables and arrays are found by
    the key that holds them."""

    _ARRAY = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
    _TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")

    def __init__(self, text: str):
        self.lines: dict[Path_, int] = {}
        counters: dict[Path_, int] = {}
        latest: dict[tuple[str, ...], Path_] = {}  # dotted name -> its newest path
        current: Path_ = ()
        closing: str | None = None  # inside a multi-line string until this quote closes it
        for number, line in enumerate(text.split("\n"), start=1):  # as tomllib counts
            if closing is not None:
                if line.count(closing) % 2 == 1:
                    closing = None
                continue
            array, table, key = self._ARRAY.match(line), None, None
            if not array:
                table = self._TABLE.match(line)
                if not table:
                    key = self._KEY.match(line)
            if array or table:
                match = array or table
                assert match is not None
                names = tuple(n.strip().strip("\"'") for n in match.group(1).split("."))
                parent: Path_ = latest.get(names[:-1], names[:-1]) if len(names) > 1 else ()
                base = (*parent, names[-1])
                if array:
                    index = counters.get(base, -1) + 1
                    counters[base] = index
                    current = (*base, index)
                else:
                    current = base
                latest[names] = current
                self.lines.setdefault(current, number)
            elif key:
                name = key.group(1).strip("\"'")
                self.lines.setdefault((*current, name), number)
                rest = line[key.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        closing = quote
                        break

    def line(self, *path) -> int:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


# --- reading ---------------------------------------------------------------------------------


def parse_offset(value) -> timedelta | None:
    """A T+ time: "07:30", "1:05:00", "T+07:30", or a number of minutes. None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return timedelta(minutes=value) if 0 <= value <= MAX_DURATION.total_seconds() / 60 else None
    if not isinstance(value, str):
        return None
    match = _OFFSET.match(value)
    if not match:
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    if seconds >= 60 or (match.group(1) and minutes >= 60):
        return None
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _shown(value, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Reader:
    """Builds a Scenario from the parsed document, collecting every problem with its line."""

    def __init__(self, data: dict, locator: _Locator, playbooks: set[str]):
        self.data = data
        self.where = locator
        self.playbooks = playbooks
        self.problems: list[Problem] = []
        self.duration = MAX_DURATION

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.where.line(*path), message))

    def unknown_keys(self, table: dict, allowed, path: Path_, what: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    (*path, key),
                    f"'{_shown(key)}' is not something {what} can have; use: {', '.join(allowed)}.",
                )

    def text(self, table: dict, key: str, path: Path_, *, required: bool = False) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.problem((*path, key), f"'{key}' must be text in quotes.")
            return ""
        if required and not value.strip():
            self.problem(path if key not in table else (*path, key), f"It needs a '{key}'.")
        return value.strip()

    def offset(self, table: dict, key: str, path: Path_, *, required: bool = False):
        if key not in table:
            if required:
                self.problem(path, f"It needs '{key}', the time after the start, like \"07:30\".")
            return None
        value = parse_offset(table[key])
        if value is None:
            self.problem(
                (*path, key),
                f"'{_shown(table[key])}' is not a time: write minutes and seconds after the "
                'start, like "07:30" (or "1:05:00").',
            )
            return None
        if value > self.duration:
            self.problem(
                (*path, key),
                f"The time {offset_text(value)} comes after the drill ends "
                f"(its duration is {offset_text(self.duration)}).",
            )
            return None
        return value

    def number(self, table: dict, key: str, path: Path_, low: int, high: int) -> int | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                (*path, key), f"'{key}' must be a whole number from {low} to {high}, not {value!r}."
            )
            return None
        return value

    def flag(self, table: dict, key: str, path: Path_) -> bool:
        value = table.get(key, True)
        if not isinstance(value, bool):
            self.problem((*path, key), f"'{key}' must be true or false.")
            return True
        return value

    # the parts

    def scenario(self, path: Path | None) -> Scenario | None:
        data = self.data
        self.unknown_keys(data, TOP_KEYS, (), "a scenario")
        version = data.get("drill_format")
        if version is None:
            self.problems.append(
                Problem(
                    1, f"The file does not say its format; add drill_format = {FORMAT_VERSION}."
                )
            )
        elif isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.problem(("drill_format",), f"drill_format must be {FORMAT_VERSION}.")
        elif version > FORMAT_VERSION:
            self.problem(
                ("drill_format",),
                f"This scenario is drill format {version}, made for a newer Crisis Desk; "
                "update Crisis Desk to play it.",
            )
        title = self.text(data, "title", (), required=True)
        crisis_type = self.text(data, "crisis_type", (), required=True)
        if crisis_type and crisis_type not in self.playbooks:
            self.problem(
                ("crisis_type",),
                f"'{_shown(crisis_type)}' is not a playbook of the plan; use one of: "
                f"{', '.join(sorted(self.playbooks))}.",
            )
        duration = self.offset(data, "duration", (), required=True)
        if duration is not None and duration < timedelta(minutes=1):
            self.problem(("duration",), "A drill lasts at least one minute.")
            duration = None
        if duration is not None:
            self.duration = duration
        speed = data.get("speed", 1)
        if speed not in SPEEDS or isinstance(speed, bool):
            self.problem(("speed",), f"speed must be one of {', '.join(str(s) for s in SPEEDS)}.")
            speed = 1
        expect = self.expectations(data.get("expect", {}))
        injects = self.injects(data.get("inject", []))
        if self.problems or duration is None:
            return None
        return Scenario(
            title=title,
            crisis_type=crisis_type,
            duration=duration,
            injects=tuple(sorted(injects, key=_inject_order)),
            expect=expect,
            speed=int(speed),
            business=self.text(data, "business", ()),
            briefing=self.text(data, "briefing", ()),
            summary=self.text(data, "summary", ()),
            path=path,
        )

    def expectations(self, table) -> Expectations:
        path = ("expect",)
        if not isinstance(table, dict):
            self.problem(path, "'expect' must be a table: [expect] with its keys under it.")
            return Expectations()
        self.unknown_keys(table, EXPECT_KEYS, path, "[expect]")
        return Expectations(
            declare_by=self.offset(table, "declare_by", path),
            level=self.number(table, "level", path, 1, max(LEVEL_NAMES)),
            level_by=self.offset(table, "level_by", path),
            first_update=self.flag(table, "first_update", path),
            people_reached=self.flag(table, "people_reached", path),
            statement_passes=self.flag(table, "statement_passes", path),
            first_hour_done=self.flag(table, "first_hour_done", path),
        )

    def injects(self, items) -> list[Inject]:
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problem(("inject",), "Write each inject as its own [[inject]] table.")
            return []
        if not items:
            self.problems.append(
                Problem(1, "The scenario has no [[inject]]: nothing would happen.")
            )
        return [i for n, item in enumerate(items) if (i := self.inject(item, ("inject", n)))]

    def inject(self, table: dict, path: Path_) -> Inject | None:
        kind = table.get("kind")
        if kind not in INJECT_KINDS:
            self.problem(
                (*path, "kind") if "kind" in table else path,
                f"'kind' must be one of: {', '.join(INJECT_KINDS)}"
                + (f", not '{_shown(kind)}'." if kind is not None else "."),
            )
            return None
        self.unknown_keys(table, INJECT_KEYS[kind], path, f"a '{kind}' inject")
        before = len(self.problems)
        common = {
            "kind": kind,
            "line": self.where.line(*path),
            "title": self.text(table, "title", path),
            "impact": self.number(table, "impact", path, 1, 4),
            "reach": self.number(table, "reach", path, 1, 4),
        }
        if kind == "reaction":
            statement = self.number(table, "statement", path, 1, 50) or 1
            after = self.offset(table, "after", path) or timedelta(0)
            strong = self.posts(table, "strong", path, "after")
            weak = self.posts(table, "weak", path, "after")
            silence_at = self.offset(table, "silence_at", path)
            silent = self.posts(table, "silent", path, "after")
            if not strong and not weak and not silent:
                self.problem(
                    path, "A reaction needs posts under [[inject.strong]] or [[inject.weak]]."
                )
            if silent and silence_at is None:
                self.problem(path, "Silent posts need 'silence_at', when silence is noticed.")
            if len(self.problems) > before:
                return None
            return Inject(
                at=None,
                statement=statement,
                after=after,
                strong=strong,
                weak=weak,
                silence_at=silence_at,
                silent=silent,
                **common,
            )
        at = self.offset(table, "at", path, required=True)
        mentions: tuple[ScenarioMention, ...] = ()
        sender = text = ""
        if kind == "mentions":
            mentions = self.posts(table, "mentions", path, "at", default_at=at)
            if not mentions and "mentions" not in table:
                self.problem(path, "A 'mentions' inject needs posts under [[inject.mentions]].")
        else:
            text = self.text(table, "text", path, required=True)
            if kind in ("call", "email"):
                sender = self.text(table, "from", path, required=True)
        if len(self.problems) > before or at is None:
            return None
        return Inject(at=at, sender=sender, text=text, mentions=mentions, **common)

    def posts(
        self, table: dict, key: str, path: Path_, time_key: str, default_at=None
    ) -> tuple[ScenarioMention, ...]:
        items = table.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problem((*path, key), f"Write each post as its own [[inject.{key}]] table.")
            return ()
        posts = []
        for n, item in enumerate(items):
            post = self.post(item, (*path, key, n), time_key, default_at)
            if post is not None:
                posts.append(post)
        return tuple(posts)

    def post(self, item: dict, path: Path_, time_key: str, default_at) -> ScenarioMention | None:
        allowed = (*MENTION_FIELDS, time_key, "sentiment")
        before = len(self.problems)
        self.unknown_keys(item, allowed, path, "a post")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            self.problem(
                (*path, "text") if "text" in item else path,
                "This post has no text; write what the person posted in 'text'.",
            )
        at = self.offset(item, time_key, path) if time_key in item else default_at
        sentiment = item.get("sentiment")
        if sentiment is not None and sentiment not in SENTIMENTS:
            self.problem(
                (*path, "sentiment"),
                f"'sentiment' must be one of: {', '.join(SENTIMENTS)}, not '{_shown(sentiment)}'.",
            )
        fields: dict = {}
        for name in MENTION_FIELDS:
            if name not in item:
                continue
            value = item[name]
            if name == "author_followers":
                count = parse_count(value) if not isinstance(value, bool) else None
                if count is None or count < 0:
                    self.problem(
                        (*path, name),
                        f"'author_followers' must be a number, not '{_shown(value)}'.",
                    )
                    continue
                fields[name] = count
            elif isinstance(value, str):
                fields[name] = value.strip() if name != "text" else value
            else:
                self.problem((*path, name), f"'{name}' must be text in quotes.")
        if len(self.problems) > before:
            return None
        return ScenarioMention(
            at=at or timedelta(0), fields=fields, sentiment=sentiment, line=self.where.line(*path)
        )


def _inject_order(inject: Inject) -> tuple:
    # Reactions have no time of their own; they are kept last, in file order.
    return (inject.at is None, inject.at or timedelta(0), inject.line)


def parse_scenario(
    text: str, path: Path | None = None, playbooks: set[str] | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """The scenario in `text` and every problem found (a scenario only when there are none)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        reason = _TOML_LINE.sub("", str(exc)).strip(" ()") or "not valid"
        line = int(found.group(1)) if found else 1
        return None, [
            Problem(line, f"This line is not valid TOML ({reason[:1].lower() + reason[1:]}).")
        ]
    reader = _Reader(data, _Locator(text), playbooks or set(CRISIS_TYPES))
    scenario = reader.scenario(path)
    problems = sorted(reader.problems, key=lambda p: p.line)
    return (scenario if not problems else None), problems


def check_scenario_file(
    path: str | Path, playbooks: set[str] | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Read and check a scenario file; the file's own failures are problems on line 1."""
    path = Path(path)
    try:
        if not path.is_file():
            what = "a folder" if path.is_dir() else "not there"
            return None, [Problem(1, f"{path} is {what}; give the path of a scenario file.")]
        if path.stat().st_size > MAX_BYTES:
            return None, [Problem(1, f"{path} is too large for a scenario (over 32 MB).")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(1, f"{path} cannot be read ({exc.strerror or exc}).")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(line, "This line is not UTF-8 text; save the file as UTF-8.")]
    return parse_scenario(text, path, playbooks)


def read_scenario(path: str | Path, playbooks: set[str] | None = None) -> Scenario:
    """The scenario at `path`, or ScenarioError naming the first problem and its line."""
    scenario, problems = check_scenario_file(path, playbooks)
    if problems or scenario is None:
        first = problems[0] if problems else Problem(1, "it cannot be read")
        more = len(problems) - 1
        tail = (
            f" ({more} more problem{'s' if more != 1 else ''}: see 'crisisdesk drill check "
            f"{Path(path).name}')"
            if more > 0
            else ""
        )
        raise ScenarioError(f"{Path(path).name} line {first.line}: {first.message}{tail}", problems)
    return scenario


# --- finding them ----------------------------------------------------------------------------

SCENARIO_SUFFIX = ".toml"


def shipped_scenarios() -> list[Path]:
    """The scenarios that come with Crisis Desk (resources/drills/)."""
    return sorted(resource("drills").glob(f"*{SCENARIO_SUFFIX}"))


def find_scenario(name: str) -> Path:
    """A scenario file by its path, or a shipped one by its name ("food-safety-bakery")."""
    path = Path(name).expanduser()
    if path.exists():
        return path
    shipped = resource("drills", Path(name).name)
    for candidate in (shipped, shipped.with_suffix(SCENARIO_SUFFIX)):
        if candidate.is_file():
            return candidate
    raise DrillError(
        f"There is no scenario '{name}'; give a file, or one of the names 'crisisdesk drill list' "
        "shows."
    )

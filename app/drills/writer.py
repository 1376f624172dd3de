"""Scenario files written back: `drill from-incident` saves a replay as a file that `drill check`
accepts and `drill run` plays, in the format `app.drills.scenario` reads."""

from __future__ import annotations

from datetime import timedelta

from app.drills.model import FORMAT_VERSION, Scenario, ScenarioMention, offset_text
from app.drills.scenario import EXPECT_KEYS, MENTION_FIELDS

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_long(value: str) -> str:
    """Several lines as a TOML multi-line basic string, so a briefing reads as written."""
    if "\n" not in value:
        return toml_string(value)
    body = toml_string(value.replace("\r\n", "\n"))[1:-1].replace("\\n", "\n")
    return '"""\n' + body + '"""'


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, timedelta):
        return toml_string(offset_text(value))
    return toml_string(str(value))


def _post_lines(table: str, post: ScenarioMention, time_key: str) -> list[str]:
    lines = ["", f"[[inject.{table}]]", f"{time_key} = {_value(post.at)}"]
    for name in MENTION_FIELDS:
        if name in post.fields and post.fields[name] not in ("", None):
            lines.append(f"{name} = {_value(post.fields[name])}")
    if post.sentiment:
        lines.append(f"sentiment = {_value(post.sentiment)}")
    return lines


def scenario_to_toml(scenario: Scenario, header: str = "") -> str:
    """The scenario as a file `drill check` accepts and `drill run` plays."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [
        f"drill_format = {FORMAT_VERSION}",
        f"title = {toml_string(scenario.title)}",
        f"crisis_type = {toml_string(scenario.crisis_type)}",
    ]
    for key in ("business", "summary"):
        if getattr(scenario, key):
            lines.append(f"{key} = {toml_string(getattr(scenario, key))}")
    if scenario.briefing:
        lines.append(f"briefing = {_toml_long(scenario.briefing)}")
    lines += [
        f"duration = {_value(scenario.duration)}",
        f"speed = {scenario.speed}",
        "",
        "[expect]",
    ]
    expect = scenario.expect
    for key in EXPECT_KEYS:
        value = getattr(expect, key)
        if value is not None:
            lines.append(f"{key} = {_value(value)}")
    for inject in scenario.injects:
        lines += ["", "[[inject]]"]
        if inject.at is not None:
            lines.append(f"at = {_value(inject.at)}")
        lines.append(f"kind = {toml_string(inject.kind)}")
        for key, value in (
            ("title", inject.title),
            ("from", inject.sender),
            ("text", inject.text),
            ("impact", inject.impact),
            ("reach", inject.reach),
        ):
            if value not in ("", None):
                lines.append(f"{key} = {_value(value)}")
        if inject.kind == "reaction":
            lines += [f"statement = {inject.statement}", f"after = {_value(inject.after)}"]
            if inject.silence_at is not None:
                lines.append(f"silence_at = {_value(inject.silence_at)}")
            for table in ("strong", "weak", "silent"):
                for post in getattr(inject, table):
                    lines += _post_lines(table, post, "after")
        for post in inject.mentions:
            lines += _post_lines("mentions", post, "at")
    return "\n".join(lines) + "\n"

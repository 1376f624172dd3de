"""Statement templates per stage, filled from the plan and the incident; a variable with no
value stays visible and blocks approval."""

from __future__ import annotations

import difflib
import json
import re

from app.paths import resource
from app.statements.model import (
    PHONE,
    STAGES,
    VARIABLE,
    VARIABLE_HELP,
    StatementError,
    VariableProblem,
)
from app.text import safe_web_url

_WEB = re.compile(r"(?:https?://|www\.)[^\s<>\"]+|\b[\w-]+(?:\.[\w-]+)+/[^\s<>\"]*", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# --- values that may fill a public text ---------------------------------------------------


def phone_number(text: str | None) -> str:
    """The phone number in `text` ("+44 20 7946 0321 (shop line)" -> "+44 20 7946 0321"), or
    "" when there is none: a note or a hint is never a number."""
    found = PHONE.search(text or "")
    return found.group(0).strip() if found else ""


def web_address(text: str | None) -> str:
    """The first web address in `text`, as typed ("hearthandcrumb.example/update"), or ""."""
    for found in _WEB.finditer(text or ""):
        address = found.group(0).rstrip(".,;:)]}'")
        if safe_web_url(address, bare_host=True):
            return address
    return ""


def email_address(text: str | None) -> str:
    found = _EMAIL.search(text or "")
    return found.group(0).rstrip(".") if found else ""


# --- templates ---------------------------------------------------------------------------


def template_text(stage: str) -> str:
    if stage not in STAGES:
        raise StatementError(f"Unknown kind of statement '{stage}'.")
    return resource("templates", "statements", f"{stage}.md").read_text(encoding="utf-8")


def fill_variables(text: str, values: dict[str, str]) -> tuple[str, list[VariableProblem]]:
    """Replace {{variables}}; any left unfilled (unknown or empty) stays visible and is named."""
    problems: dict[str, VariableProblem] = {}

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            problems[name] = VariableProblem(
                name, f"{{{{{name}}}}} is not a variable Crisis Desk knows: replace it by hand."
            )
            return match.group(0)
        if not values[name]:
            hint = VARIABLE_HELP.get(name, "")
            problems[name] = VariableProblem(
                name, f"{{{{{name}}}}} has no value yet. {hint}".strip()
            )
            return match.group(0)
        return values[name]

    return VARIABLE.sub(replace, text), list(problems.values())


def unfilled_variables(text: str) -> list[str]:
    """Variables still in a draft: a statement with any of these is not ready to publish."""
    return sorted(set(VARIABLE.findall(text)))


def stage_checklist(stage: str, has_legal_role: bool) -> list[str]:
    data = json.loads(resource("templates", "statements", "checklists.json").read_text("utf-8"))
    items = list(data["all"]) + list(data.get(stage, []))
    if has_legal_role:
        items.append(data["legal"])
    return items


def diff_lines(old: str, new: str) -> list[str]:
    """A readable line diff: "+ added", "- removed", "  unchanged" (context kept short)."""
    out = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1):
        if line.startswith(("---", "+++", "@@")):
            continue
        out.append(line[:1] + " " + line[1:] if line[:1] in "+-" else "  " + line[1:])
    return out


def short_version(text: str, limit: int, link: str = "") -> str:
    """The first whole sentences of `text` (plain text) that fit in `limit` characters with
    "Every update: <link>" after them; a shorter, linked version for a channel like X."""
    tail = f" Every update: {link}" if link else ""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) + len(tail) > limit:
            break
        kept = candidate
    if not kept:  # not even the first sentence fits: its first words, marked as cut
        room = max(limit - len(tail) - 1, 0)
        kept = sentences[0][:room].rsplit(" ", 1)[0] + "…" if room else ""
    return (kept + tail).strip()

"""How two revisions of the plan differ, in lines a person can read."""

from __future__ import annotations

import difflib

from app.plan.model import DiffLine, Plan

# --- comparing ------------------------------------------------------------------------------


def minutes(value: int) -> str:
    """15 -> '15 min', 60 -> '1 hour', 120 -> '2 hours', 1440 -> '1 day'."""
    for size, unit in ((1440, "day"), (60, "hour")):
        if value >= size and value % size == 0:
            count = value // size
            return f"{count} {unit}" + ("s" if count > 1 else "")
    return f"{value} min"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _list_diff(
    item: str, section: str, what: str, old: list[str], new: list[str]
) -> list[DiffLine]:
    lines = []
    for entry in old:
        if entry not in new:
            lines.append(DiffLine(section, item, f"{what} − “{_short(entry)}”", "removed"))
    for entry in new:
        if entry not in old:
            lines.append(DiffLine(section, item, f"{what} + “{_short(entry)}”", "added"))
    if not lines and old != new:
        lines.append(DiffLine(section, item, f"{what} reordered"))
    return lines


def _field_diff(section: str, item: str, old, new, labels: dict[str, str], names) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for attr, what in labels.items():
        before, after = getattr(old, attr), getattr(new, attr)
        if before == after:
            continue
        if isinstance(before, list):
            lines.extend(_list_diff(item, section, what, before, after))
        elif attr.endswith("_id"):
            lines.append(DiffLine(section, item, f"{what} {names(before)} → {names(after)}"))
        elif attr.endswith("_min"):
            lines.append(DiffLine(section, item, f"{what} {minutes(before)} → {minutes(after)}"))
        elif len(str(before)) <= 40 and len(str(after)) <= 40:
            lines.append(DiffLine(section, item, f"{what} “{before}” → “{after}”"))
        else:
            lines.append(DiffLine(section, item, f"{what}: {_words_changed(before, after)}"))
    return lines


def _words_changed(before: str, after: str) -> str:
    """What changed in a long text, shown where it changed (an appended sentence shows, not
    the unchanged start): "+ “added words”", "− “removed words”", or both."""
    old, new = str(before).split(), str(after).split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f"− “{_short(' '.join(old[i1:i2]), 110)}”")
        if op in ("insert", "replace"):
            parts.append(f"+ “{_short(' '.join(new[j1:j2]), 110)}”")
    if len(parts) > 6:
        parts = [*parts[:6], f"and {len(parts) - 6} more changes"]
    return " ".join(parts) or "spacing changed"


_SECTIONS = (
    (
        "Roles",
        "roles",
        lambda r: r.key,
        lambda r: r.name,
        {
            "name": "name",
            "responsibilities": "responsibilities",
            "primary_id": "primary",
            "backup_id": "backup",
        },
    ),
    (
        "Escalation ladder",
        "ladder",
        lambda lvl: lvl.level,
        lambda lvl: lvl.title,
        {
            "name": "name",
            "trigger": "trigger",
            "notify": "who is told",
            "notify_within_min": "tell them within",
            "first_update_min": "first update within",
            "cadence_min": "update cadence",
        },
    ),
    (
        "Channels",
        "channels",
        lambda c: c.key,
        lambda c: c.name,
        {
            "name": "name",
            "kind": "kind",
            "detail": "details",
            "owner_id": "owner",
            "checklist": "checklist",
        },
    ),
    (
        "Playbooks",
        "playbooks",
        lambda p: p.key,
        lambda p: p.name,
        {
            "name": "name",
            "strategy": "strategy",
            "first_hour": "first-hour checklist",
            "holding_statement": "holding statement",
        },
    ),
)


def diff_plans(old: Plan, new: Plan, contact_names: dict[int, str] | None = None) -> list[DiffLine]:
    """What changed from `old` to `new`, one readable line per change."""
    contact_names = contact_names or {}

    def names(contact_id: int | None) -> str:
        if contact_id is None:
            return "nobody"
        return contact_names.get(contact_id, f"contact #{contact_id}")

    lines: list[DiffLine] = []
    for section, attr, key_of, title_of, labels in _SECTIONS:
        before = {key_of(x): x for x in getattr(old, attr)}
        after = {key_of(x): x for x in getattr(new, attr)}
        for key, item in before.items():
            if key not in after:
                lines.append(DiffLine(section, title_of(item), "removed", "removed"))
        for key, item in after.items():
            if key not in before:
                lines.append(DiffLine(section, title_of(item), "added", "added"))
                continue
            lines.extend(_field_diff(section, title_of(item), before[key], item, labels, names))
        if [k for k in before if k in after] != [k for k in after if k in before]:
            lines.append(DiffLine(section, section, "order changed"))
    return lines

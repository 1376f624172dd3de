"""The one 1–4 scale of how serious something is. A mention's severity and an incident's level
use the same numbers and the same words, always shown together ("Level 3 · Serious")."""

from __future__ import annotations

LEVEL_NAMES = {1: "Watch", 2: "Concern", 3: "Serious", 4: "Critical"}


def level_label(level: int) -> str:
    return f"Level {level} · {LEVEL_NAMES.get(level, '?')}"

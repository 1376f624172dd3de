"""The severity matrix: impact × reach proposes a level of the plan's escalation ladder.

Each cell has a plain-language anchor, so the owner picks what they see, not a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.levels import LEVEL_NAMES

IMPACT = {
    1: ("Annoyance", "Some people are unhappy; nobody is harmed or out of pocket."),
    2: ("Real complaint", "Customers lost time or money, or a post hurt people's feelings."),
    3: ("Harm or risk", "Someone's health, safety, money or personal data is at risk."),
    4: ("Serious harm", "People were hurt, data leaked, or the law or an inspector is involved."),
}
REACH = {
    1: ("A few posts", "A handful of posts or reviews, not spreading."),
    2: ("Spreading locally", "Shared in local groups; dozens of comments in hours."),
    3: ("Going viral", "Hundreds of shares, or a local journalist is asking."),
    4: ("National", "National press, TV, or trending nationally."),
}

# Rows: impact 1..4; columns: reach 1..4. Harm weighs more than noise: real harm is at least
# Serious however few people have seen it.
MATRIX = (
    (1, 1, 2, 3),
    (1, 2, 3, 3),
    (3, 3, 3, 4),
    (3, 4, 4, 4),
)


@dataclass(frozen=True)
class Proposal:
    level: int
    reason: str


def propose_level(impact: int, reach: int) -> Proposal:
    if impact not in IMPACT or reach not in REACH:
        raise ValueError("Impact and reach each go from 1 to 4.")
    level = MATRIX[impact - 1][reach - 1]
    reason = f"{IMPACT[impact][0]} × {REACH[reach][0]} → Level {level} · {LEVEL_NAMES[level]}"
    return Proposal(level, reason)

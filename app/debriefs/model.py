"""What a debrief is made of: metrics (each with how it was computed), lessons that may change
the plan, and the debrief record itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.errors import UserError

REVIEW_WITHIN_BUSINESS_DAYS = 5
CHANGE_KINDS = {
    "cadence": "Change a level's update cadence",
    "first_update": "Change a level's first-update deadline",
    "notify_within": "Change how fast a level's people are told",
    "call_tree": "Add someone to a level's call tree",
    "first_hour": "Add a step to a playbook's first hour",
}


class DebriefError(UserError, ValueError):
    """A request the debrief cannot take; the message says why in plain words."""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: float | None  # minutes, a count, or a share 0..1; None when it cannot be computed
    display: str
    how: str


@dataclass
class Lesson:
    text: str
    change: dict = field(default_factory=dict)  # {"kind", "level"/"playbook", "value", ...}
    accepted: bool = False
    revision_id: int | None = None


@dataclass
class Debrief:
    id: int
    incident_id: int
    status: str
    step: int
    summary: str
    went_well: list[str]
    went_badly: list[str]
    root_cause: str
    lessons: list[Lesson]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None

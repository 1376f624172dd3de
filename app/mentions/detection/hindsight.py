"""“When could we have known?”, for the debrief: the alarm run again over the incident's time at
every sensitivity and window, each with when it would have gone off, how much earlier than the
incident was declared, and how many false alarms it would have raised in the 30 days before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.mentions.detection.model import WINDOWS, Setting, window_words
from app.mentions.detection.windows import scan_settings
from app.mentions.repository import MentionRepository
from app.mentions.spikes import SENSITIVITIES
from app.text import plural
from app.timeutil import format_duration, to_iso

DAYS_BEFORE = 30
RELEVANT_BEFORE = timedelta(hours=6)  # an alarm this long before the first mention still counts
LEARNING = timedelta(hours=48)  # the alarm's first two days only learn


@dataclass(frozen=True)
class Hindsight:
    setting: Setting
    alerted_at: datetime | None  # the alarm that belongs to the incident, if any
    lead: timedelta | None  # declared_at - alerted_at (positive: earlier than declaring)
    false_alarms: int  # episodes in the days checked before the incident
    days_checked: float  # days before the incident with mentions and a learned baseline

    @property
    def warned_in_time(self) -> bool:
        return self.lead is not None and self.lead > timedelta(0)

    def line(self, tz=None) -> str:
        setting = f"With “{self.setting.sensitivity}” and {window_words(self.setting.window)}"
        days = round(self.days_checked)
        before = (
            f"in the {DAYS_BEFORE} days before"
            if days >= DAYS_BEFORE
            else f"in the {plural(days, 'day')} before (the mentions go back only that far)"
        )
        alarms = (
            "no false alarms" if not self.false_alarms else plural(self.false_alarms, "false alarm")
        )
        if self.alerted_at is None or self.lead is None:
            return f"{setting} the alarm would not have gone off, with {alarms} {before}."
        at = self.alerted_at.astimezone(tz)
        if self.lead > timedelta(0):
            when = f"{format_duration(self.lead)} earlier"
        else:
            when = f"{format_duration(-self.lead)} after you declared it"
        return (
            f"{setting} you would have been alerted at {at:%H:%M}, {when}, with {alarms} {before}."
        )

    def to_json(self) -> dict:
        return {
            "sensitivity": self.setting.sensitivity,
            "window_minutes": self.setting.window,
            "alerted_at": to_iso(self.alerted_at) if self.alerted_at else None,
            "lead_minutes": None if self.lead is None else round(self.lead.total_seconds() / 60),
            "false_alarms": self.false_alarms,
            "days_checked": round(self.days_checked, 1),
            "line": self.line(),
        }


def hindsight(
    mentions: MentionRepository, first_mention: datetime, declared_at: datetime
) -> list[Hindsight]:
    """Every setting, re-run over the 30 days before the incident's first mention up to its
    declaring (and a day after, for an alarm that came too late)."""
    settings = [Setting(s, w) for s in SENSITIVITIES for w in WINDOWS]
    bounds = mentions.posted_range()
    if bounds is None:
        return []
    oldest = bounds[0]
    since = max(first_mention - timedelta(days=DAYS_BEFORE), oldest)
    until = max(declared_at, first_mention) + timedelta(days=1)
    relevant_from = first_mention - RELEVANT_BEFORE
    checked = max(timedelta(0), relevant_from - max(since, oldest + LEARNING))
    found = scan_settings(mentions, settings, since, until)
    rows = []
    for setting in settings:
        episodes = found.get(setting, [])
        ours = next((e for e in episodes if e.end >= relevant_from and e.start <= until), None)
        false = sum(1 for e in episodes if e.end < relevant_from)
        rows.append(
            Hindsight(
                setting,
                ours.alerted_at if ours else None,
                declared_at - ours.alerted_at if ours else None,
                false,
                checked.total_seconds() / 86400,
            )
        )
    return rows


def best(rows: list[Hindsight]) -> Hindsight | None:
    """The setting to suggest: the earliest warning before declaring, among those with at most
    one false alarm every two weeks; a tie goes to the less sensitive."""
    order = {name: index for index, name in enumerate(SENSITIVITIES)}
    fair = [r for r in rows if r.warned_in_time and r.false_alarms <= max(1.0, r.days_checked / 14)]
    if not fair:
        return None
    return min(
        fair,
        key=lambda r: (
            r.alerted_at,
            r.false_alarms,
            -order[r.setting.sensitivity],
            -r.setting.window,
        ),
    )

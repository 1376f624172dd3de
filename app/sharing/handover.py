"""The Dashboard's handover line on a shared workspace: "Since you left: 42 new, 3 escalated,
next update due 14:30".

"Since you left" is measured from the moment this laptop's window last let go of the workspace
(closed it, or switched to another one): the window writes that moment to this laptop's own
settings (`sharing.left_at`, never shared) and the line counts from it for the whole of the next
session, so what happened while you were away stays in view until you close again. A laptop
that has never closed the workspace since sharing started has no line.

- *new*: mentions that reached the workspace after that moment (their `fetched_at`: fetched or
  imported on this laptop or a teammate's, and brought here by a sync round);
- *escalated*: mentions that are escalated now and were last changed after that moment (so one
  escalated and then answered while you were away is not counted);
- *next update due*: the earliest next-update deadline of the open incidents, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.sharing.local import read_config
from app.timeutil import from_iso, to_iso

if TYPE_CHECKING:
    from app.business.repository import SettingsRepository
    from app.store import Store

LEFT_KEY = "sharing.left_at"


@dataclass(frozen=True)
class Handover:
    since: datetime
    new: int
    escalated: int
    next_update_due: datetime | None


def mark_left(settings: SettingsRepository, now: datetime) -> None:
    """This laptop lets go of the workspace now (only a shared workspace keeps the mark)."""
    if read_config(settings) is not None:
        settings.set(LEFT_KEY, to_iso(now))


def left_at(settings: SettingsRepository) -> datetime | None:
    stored = settings.get(LEFT_KEY)
    try:
        return from_iso(stored) if stored else None
    except ValueError:
        return None


def handover(store: Store) -> Handover | None:
    """What changed since this laptop last left the shared workspace (None: not shared, or no
    earlier session to count from)."""
    if read_config(store.settings) is None:
        return None
    since = left_at(store.settings)
    if since is None:
        return None
    deadlines = [
        i.next_update_due_at
        for i in store.incidents.all(open_only=True)
        if i.next_update_due_at is not None
    ]
    return Handover(
        since=since,
        new=store.mentions.arrived_since(since),
        escalated=store.mentions.escalated_since(since),
        next_update_due=min(deadlines) if deadlines else None,
    )

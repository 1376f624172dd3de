"""The drill clock: scenario time that runs at 1×, 2×, 5× or 10× real time and can pause.

It is an ordinary `Clock` (call it for "now"), so a store opened with it — `open_store(path,
clock=drill_clock)` or `store.with_clock(drill_clock)` — stamps the timeline, counts down the
next update and reads the spike window in drill time, and nothing else needs to know. The
window's worker threads call it too, so it is guarded by a lock.

Without a tick source (`ticks=None`) it moves only when told (`advance`, `advance_to`): the
headless `drill run --auto` plays a whole scenario without waiting in real time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from app.drills.model import SPEEDS, DrillError


class DrillClock:
    def __init__(
        self,
        start: datetime,
        speed: float = 1.0,
        *,
        ticks: Callable[[], float] | None = time.monotonic,
    ):
        if start.tzinfo is None:
            raise ValueError("the drill clock needs an aware start time")
        self.start = start
        self._ticks = ticks
        self._lock = threading.Lock()
        self._speed = self._checked(speed)
        self._base = 0.0  # scenario seconds at the anchor
        self._anchor: float | None = ticks() if ticks is not None else None

    @staticmethod
    def _checked(speed: float) -> float:
        if speed not in SPEEDS:
            raise DrillError(
                f"A drill runs at {', '.join(f'{s}×' for s in SPEEDS)}, not {speed:g}×."
            )
        return float(speed)

    def _elapsed(self) -> float:
        if self._anchor is None or self._ticks is None:
            return self._base
        return self._base + (self._ticks() - self._anchor) * self._speed

    def __call__(self) -> datetime:
        with self._lock:
            return self.start + timedelta(seconds=self._elapsed())

    @property
    def elapsed(self) -> timedelta:
        with self._lock:
            return timedelta(seconds=self._elapsed())

    @property
    def minute(self) -> float:
        return self.elapsed.total_seconds() / 60

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._anchor is None

    @property
    def manual(self) -> bool:
        return self._ticks is None

    def set_speed(self, speed: float) -> None:
        checked = self._checked(speed)
        with self._lock:
            self._rebase()
            self._speed = checked

    def pause(self) -> None:
        with self._lock:
            self._base = self._elapsed()
            self._anchor = None

    def resume(self) -> None:
        with self._lock:
            if self._anchor is None and self._ticks is not None:
                self._anchor = self._ticks()

    def advance(self, delta: timedelta) -> None:
        """Jump ahead in scenario time (the headless run; "skip to the next inject")."""
        if delta < timedelta(0):
            raise ValueError("the drill clock never goes back")
        with self._lock:
            self._rebase()
            self._base += delta.total_seconds()

    def advance_to(self, moment: datetime) -> None:
        """Move to `moment`, or stay where it is if that is already past."""
        now = self()
        if moment > now:
            self.advance(moment - now)

    def real_seconds_until(self, moment: datetime) -> float | None:
        """How long, in real seconds, until the clock shows `moment` (None while paused)."""
        if self.paused:
            return None
        return max(0.0, (moment - self()).total_seconds() / self._speed)

    def _rebase(self) -> None:
        if self._anchor is not None and self._ticks is not None:
            now = self._ticks()
            self._base += (now - self._anchor) * self._speed
            self._anchor = now

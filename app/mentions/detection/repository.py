"""Detection in the store: the live alarm's episodes and state, the alerts it raised, and the
hourly baselines it learned (kept, so a re-check after a pull reads one row, not a week)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from app.business.repository import SettingsRepository
from app.db import write_transaction
from app.mentions.detection.model import (
    DEFAULT_WINDOW,
    WINDOW_KEY,
    WINDOWS,
    Alert,
    Episode,
    Setting,
)
from app.mentions.detection.windows import Baselines, episode_from, floor_hour, learn_baselines
from app.mentions.repository import MentionRepository
from app.mentions.spikes import SETTING_KEY, current_sensitivity
from app.mentions.watches import WatchRepository
from app.timeutil import Clock, from_iso, to_iso

_EPISODE_COLUMNS = (
    "id, started_at, alerted_at, ended_at, all_clear_at, evaluated_until, sensitivity, "
    "window_minutes, alarm_window, kind, count, negative, expected, peak_at, peak_window, "
    "peak_count, peak_expected"
)
_ALERT_COLUMNS = (
    "id, kind, created_at, title, detail, query, episode_id, watch_id, mention_id, notified_at, "
    "dismissed_at"
)
# The learned baselines are kept until the stored history changes by more than this share
# (an import, an undone import) or its sentiment is read; a pull adds a little and changes
# the median of a week by nothing that matters.
BASELINE_DRIFT = 0.05


def _time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


class DetectionRepository:
    """Owns detection_episodes, detection_alerts, detection_baselines and detection_state.
    Asks the mentions (counts, texts), the watch queries and the settings (the alarm's
    setting) for the rest; `Store` wires them."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        mentions: MentionRepository,
        watches: WatchRepository,
        settings: SettingsRepository,
    ):
        self.db = db
        self.clock = clock
        self.mentions = mentions
        self.watches = watches
        self.settings = settings

    # --- the alarm's setting (a workspace setting, beside the sensitivity) ---------------

    def setting(self) -> Setting:
        window = self.settings.get(WINDOW_KEY, str(DEFAULT_WINDOW)) or ""
        minutes = int(window) if window.isdigit() and int(window) in WINDOWS else DEFAULT_WINDOW
        return Setting(current_sensitivity(self.settings), minutes)

    def choose(self, setting: Setting) -> None:
        with write_transaction(self.db):
            self.settings.set(SETTING_KEY, setting.sensitivity)
            self.settings.set(WINDOW_KEY, str(setting.window))

    # --- small state ---------------------------------------------------------------------

    def state(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM detection_state WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO detection_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value)],
            )

    # --- learned baselines ---------------------------------------------------------------

    def baselines(self, first: datetime, last: datetime, sensitivity: str) -> Baselines:
        """The hourly baselines from `first` to `last`: kept ones where the history has not
        moved since, the rest learned now (a week of hourly counts) and kept."""
        self._forget_stale_baselines()
        first, last = floor_hour(first), floor_hour(last)
        rows = self.db.execute(
            "SELECT hour, expected, expected_negative FROM detection_baselines "
            "WHERE sensitivity = ? AND hour >= ? AND hour <= ?",
            [sensitivity, to_iso(first), to_iso(last)],
        ).fetchall()
        kept = {from_iso(hour): (e, n) for hour, e, n in rows}
        hours = int((last - first).total_seconds() // 3600) + 1
        if len(kept) == hours:
            return kept
        learned = learn_baselines(self.mentions, first, last, sensitivity)
        current = floor_hour(self.clock())
        with write_transaction(self.db):
            # Only finished hours' baselines are final: the current hour's 24-hour mean part
            # is, too (it looks at the hours before), so it is kept as well.
            self.db.conn.executemany(
                "INSERT INTO detection_baselines (hour, sensitivity, expected, expected_negative) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (hour, sensitivity) DO UPDATE SET "
                "expected = excluded.expected, expected_negative = excluded.expected_negative",
                [
                    (to_iso(hour), sensitivity, e, n)
                    for hour, (e, n) in learned.items()
                    if hour <= current and e > 0
                ],
            )
        return learned

    def _forget_stale_baselines(self) -> None:
        total, unscored = self.mentions.total(), self.mentions.unscored_quickly()
        seen = self.state("baseline_history", {"total": 0, "unscored": 0})
        moved = abs(total - seen["total"]) > BASELINE_DRIFT * seen["total"] + 100
        scored = seen["unscored"] and unscored != seen["unscored"]
        if moved or scored or total < seen["total"]:
            with write_transaction(self.db):
                self.db.execute("DELETE FROM detection_baselines")
                self.set_state("baseline_history", {"total": total, "unscored": unscored})

    def forget_baselines(self) -> None:
        """After the history changed under the alarm (an import of old mentions, an undo)."""
        with write_transaction(self.db):
            self.db.execute("DELETE FROM detection_baselines")
            self.set_state("baseline_history", {"total": 0, "unscored": 0})

    # --- episodes ------------------------------------------------------------------------

    def save_episode(self, state: dict, setting: Setting, counts=None) -> int:
        episode = episode_from(state, setting, counts)
        values = {
            "started_at": to_iso(episode.start),
            "alerted_at": to_iso(episode.alerted_at),
            "ended_at": to_iso(episode.end) if episode.over else None,
            "all_clear_at": to_iso(episode.all_clear_at) if episode.all_clear_at else None,
            "evaluated_until": to_iso(episode.end),
            "sensitivity": setting.sensitivity,
            "window_minutes": setting.window,
            "alarm_window": episode.alarm_window,
            "kind": episode.kind,
            "count": episode.count,
            "negative": episode.negative,
            "expected": episode.expected,
            "peak_at": to_iso(episode.peak_at),
            "peak_window": episode.peak_window,
            "peak_count": episode.peak_count,
            "peak_expected": episode.peak_expected,
        }
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{n} = excluded.{n}" for n in values if n != "started_at")
        with write_transaction(self.db):
            self.db.execute(
                f"INSERT INTO detection_episodes ({names}) VALUES ({marks}) "
                f"ON CONFLICT (started_at, sensitivity, window_minutes) DO UPDATE SET {updates}",
                list(values.values()),
            )
            row = self.db.execute(
                "SELECT id FROM detection_episodes WHERE started_at = ? AND sensitivity = ? "
                "AND window_minutes = ?",
                [values["started_at"], setting.sensitivity, setting.window],
            ).fetchone()
        return row[0]

    def _episode(self, row) -> Episode:
        (id_, start, alerted, ended, clear, until, sensitivity, window, alarm_window, kind,
         count, negative, expected, peak_at, peak_window, peak_count,
         peak_expected) = row  # fmt: skip
        return Episode(
            start=from_iso(start),
            alerted_at=from_iso(alerted),
            end=from_iso(ended or until),
            over=ended is not None,
            all_clear_at=_time(clear),
            sensitivity=sensitivity,
            window=window,
            alarm_window=alarm_window,
            kind=kind,
            count=count,
            negative=negative,
            expected=expected,
            peak_at=from_iso(peak_at),
            peak_window=peak_window,
            peak_count=peak_count,
            peak_expected=peak_expected,
            id=id_,
        )

    def episodes(
        self, setting: Setting | None = None, since: datetime | None = None
    ) -> list[Episode]:
        """The live alarm's episodes at `setting` (the workspace's), oldest first."""
        setting = setting or self.setting()
        rows = self.db.execute(
            f"SELECT {_EPISODE_COLUMNS} FROM detection_episodes WHERE sensitivity = ? AND "
            "window_minutes = ? AND coalesce(ended_at, evaluated_until) > ? ORDER BY started_at",
            [setting.sensitivity, setting.window, to_iso(since) if since else ""],
        ).fetchall()
        return [self._episode(row) for row in rows]

    def episode(self, episode_id: int) -> Episode | None:
        row = self.db.execute(
            f"SELECT {_EPISODE_COLUMNS} FROM detection_episodes WHERE id = ?", [episode_id]
        ).fetchone()
        return self._episode(row) if row else None

    def overlapping_alert(self, kind: str, start: datetime, end: datetime) -> bool:
        """Whether a `kind` alert was raised for an episode overlapping [start, end] (at any
        setting: changing the sensitivity does not announce the same spike again)."""
        row = self.db.execute(
            "SELECT 1 FROM detection_alerts a JOIN detection_episodes e ON e.id = a.episode_id "
            "WHERE a.kind = ? AND e.started_at <= ? AND coalesce(e.ended_at, e.evaluated_until) "
            ">= ? LIMIT 1",
            [kind, to_iso(end), to_iso(start)],
        ).fetchone()
        return row is not None

    # --- alerts --------------------------------------------------------------------------

    def add_alert(self, alert: Alert) -> int:
        with write_transaction(self.db):
            cursor = self.db.execute(
                "INSERT INTO detection_alerts (kind, created_at, title, detail, query, "
                "episode_id, watch_id, mention_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    alert.kind,
                    to_iso(alert.created_at),
                    alert.title,
                    alert.detail,
                    alert.query,
                    alert.episode_id,
                    alert.watch_id,
                    alert.mention_id,
                ],
            )
        alert.id = cursor.lastrowid
        return alert.id or 0

    def _alert(self, row) -> Alert:
        (id_, kind, created, title, detail, query, episode, watch, mention, notified,
         dismissed) = row  # fmt: skip
        return Alert(
            kind, from_iso(created), title, detail, query, episode, watch, mention, id_,
            _time(notified), _time(dismissed),
        )  # fmt: skip

    def alerts(
        self, since: datetime | None = None, *, undismissed: bool = False, kinds=()
    ) -> list[Alert]:
        """Alerts raised since `since`, newest first."""
        sql = f"SELECT {_ALERT_COLUMNS} FROM detection_alerts WHERE created_at >= ?"
        params: list = [to_iso(since) if since else ""]
        if undismissed:
            sql += " AND dismissed_at IS NULL"
        if kinds:
            sql += f" AND kind IN ({', '.join('?' for _ in kinds)})"
            params += list(kinds)
        rows = self.db.execute(sql + " ORDER BY id DESC", params).fetchall()
        return [self._alert(row) for row in rows]

    def unnotified(self) -> list[Alert]:
        """Alerts no desktop notification has shown yet (raised by a pull in another process
        too), oldest first."""
        rows = self.db.execute(
            f"SELECT {_ALERT_COLUMNS} FROM detection_alerts WHERE notified_at IS NULL "
            "AND dismissed_at IS NULL ORDER BY id"
        ).fetchall()
        return [self._alert(row) for row in rows]

    def mark_notified(self, ids: list[int]) -> None:
        if not ids:
            return
        now = to_iso(self.clock())
        with write_transaction(self.db):
            self.db.conn.executemany(
                "UPDATE detection_alerts SET notified_at = ? WHERE id = ?", [(now, i) for i in ids]
            )

    def dismiss(self, alert_id: int) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE detection_alerts SET dismissed_at = ? WHERE id = ?",
                [to_iso(self.clock()), alert_id],
            )

    # --- the live re-check -----------------------------------------------------------------

    def recheck(self, now: datetime | None = None) -> list[Alert]:
        """Look at what arrived and what time it is: the windows, watch queries and reach.
        Returns the alerts raised now. Run after every import and pull, and every minute or so
        while the window is open."""
        from app.mentions.detection.live import recheck

        return recheck(self, now or self.clock())

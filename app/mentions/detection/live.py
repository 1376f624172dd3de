"""The live re-check, after every import and pull and every minute or so while the window is
open: the rolling windows carry on from where the last re-check stopped (one alarm per episode,
one all-clear), watch queries that alert say so for their first new match (then keep quiet for
their cooldown), and a mention from an author with reach or a news source is announced.

Each re-check is one transaction, so the window, a cron `crisisdesk pull` and a second window
never announce the same thing twice; the alerts are rows, and whoever shows a desktop
notification marks them notified.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.db import write_transaction
from app.mentions.detection.explanation import who
from app.mentions.detection.model import (
    CALM_HOLD,
    DEFAULT_REACH_FOLLOWERS,
    LOOKBACK,
    NEWS_WORDS,
    NOT_NEWS_WORDS,
    REACH_KEY,
    SLOW_HINT_Z,
    WATCHED,
    WINDOWS,
    Alert,
    Setting,
)
from app.mentions.detection.windows import (
    MINUTE,
    Minutes,
    Tracker,
    episode_from,
    floor_minute,
    run,
)
from app.mentions.model import MentionFilter
from app.mentions.search import QueryError
from app.text import plural
from app.timeutil import from_iso, to_iso

if TYPE_CHECKING:
    from app.mentions.detection.repository import DetectionRepository


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def recheck(repo: DetectionRepository, now: datetime) -> list[Alert]:
    with write_transaction(repo.db):
        alerts = _windows(repo, now)
        alerts += _watches(repo, now)
        alerts += _reach(repo, now)
        for alert in alerts:
            repo.add_alert(alert)
    return alerts


def _date_query(start: datetime, end: datetime) -> str:
    return f"date:{start:%Y-%m-%dT%H:%M}..{end:%Y-%m-%dT%H:%M}"


def _windows(repo: DetectionRepository, now: datetime) -> list[Alert]:
    setting = repo.setting()
    key = f"{setting.sensitivity}/{setting.window}"
    state = repo.state("windows") or {}
    if state.get("setting") != key:  # a new setting looks at the last days afresh
        state = {"setting": key, "tracker": None, "until": None, "last_clear": None}
    checked_id = state.get("checked_id", 0)
    newest_id, earliest = repo.mentions.arrived_after(checked_id)
    state["checked_id"] = newest_id
    tracker = Tracker(setting, state.get("tracker"))
    end = floor_minute(now)
    oldest = end - LOOKBACK
    until = from_iso(state["until"]) if state.get("until") else None
    resume = until + MINUTE if until else oldest
    if earliest is not None and tracker.open is None and until is not None:
        # Mentions posted before the last look arrived (a pull after a night offline, an
        # import): look at those minutes again, from after the last all-clear.
        again = floor_minute(earliest)
        if state.get("last_clear"):
            again = max(again, from_iso(state["last_clear"]))
        resume = min(resume, again)
    resume = max(resume, oldest)
    if resume > end:
        repo.set_state("windows", state)
        return []
    # The hours to look at first; three hours before them only when one of those hours stands
    # out and no spike is open (only then can the slow window raise an alarm), so a quiet
    # re-check after a pull stays cheap.
    load_from = resume - max(WINDOWS) * MINUTE
    baselines = repo.baselines(load_from, end, setting.sensitivity)
    minutes = Minutes.load(repo.mentions, load_from, end, baselines)
    tracker.watch_slow = tracker.open is None and _stands_out(minutes, resume, end)
    if tracker.watch_slow:
        load_from = resume - max(WATCHED) * MINUTE
        baselines = repo.baselines(load_from, end, setting.sensitivity)
        minutes = Minutes.load(repo.mentions, load_from, end, baselines)
    events = list(run(tracker, minutes, resume, end))

    def counts(start: datetime, stop: datetime):
        exact = minutes.between(start, stop)
        if exact is not None:
            return exact
        negative, count = repo.mentions.negative_share(start, stop)
        return count, negative, 0.0

    alerts: list[Alert] = []
    for kind, episode_state in events:
        episode_state["id"] = repo.save_episode(episode_state, setting, counts)
        episode = episode_from(episode_state, setting, counts)
        if kind == "alarm":
            over_long_ago = episode.over and (
                episode.all_clear_at is not None
                and episode.all_clear_at < now - timedelta(minutes=CALM_HOLD)
            )
            if over_long_ago or repo.overlapping_alert("spike", episode.start, episode.end):
                continue  # history seen for the first time, or a spike already announced
            alerts.append(_spike_alert(episode, now))
        else:
            state["last_clear"] = to_iso(episode.all_clear_at or end)
            if any(a.episode_id == episode.id for a in alerts) or repo.overlapping_alert(
                "spike", episode.start, episode.end
            ):
                alerts.append(
                    Alert(
                        "all-clear",
                        now,
                        episode.all_clear_text(),
                        "It has been back to the usual for "
                        f"{CALM_HOLD} minutes. Mark what you learned in the debrief while it "
                        "is fresh.",
                        _date_query(episode.start, episode.end),
                        episode_id=episode.id,
                    )
                )
    if tracker.open is not None:
        tracker.open["id"] = repo.save_episode(tracker.open, setting, counts)
    state["tracker"] = tracker.state()
    state["until"] = to_iso(end)
    repo.set_state("windows", state)
    return alerts


def _spike_alert(episode, now: datetime) -> Alert:
    return Alert(
        "spike",
        now,
        episode.headline(now),
        f"{episode.explanation()}; {plural(episode.count, 'mention')} since "
        f"{episode.start.astimezone():%H:%M}, {episode.negative_share:.0%} negative. Open the "
        "Inbox to see why, and decide whether to declare an incident.",
        _date_query(episode.start, episode.end + MINUTE),
        episode_id=episode.id,
    )


def _stands_out(minutes: Minutes, start: datetime, end: datetime) -> bool:
    """Whether any hour ending between `start` and `end` (looked at every five minutes) is
    far from its usual."""
    last = minutes.index(end)
    for i in range(max(minutes.index(start), 0), last + 1, 5):
        hour = minutes.window(i, max(WINDOWS))
        if hour is not None and hour.z() >= SLOW_HINT_Z:
            return True
    hour = minutes.window(last, max(WINDOWS))
    return hour is not None and hour.z() >= SLOW_HINT_Z


def _watches(repo: DetectionRepository, now: datetime) -> list[Alert]:
    alerts = []
    for watch in repo.watches.alerting():
        try:
            first, count = repo.mentions.first_match_after(
                MentionFilter(watch.query), watch.alert_after_id
            )
        except QueryError:
            continue  # a query that no longer parses alerts nobody
        newest = repo.mentions.newest_id()
        if first is None:
            repo.watches.checked(watch.id, newest)
            continue
        cooling = watch.alerted_at is not None and now - watch.alerted_at < timedelta(
            minutes=watch.cooldown_minutes
        )
        if cooling:
            continue  # the matches wait: announced, counted, when the cooldown is over
        text = " ".join(first.text.split())
        more = f" (and {plural(count - 1, 'more')})" if count > 1 else ""
        alerts.append(
            Alert(
                "watch",
                now,
                f"Watch “{watch.name}”: {first.author} — “{_short(text, 90)}”",
                f"A new mention matches {watch.query}{more}, on {first.source}. Watch alerts "
                f"come at most once every {watch.cooldown_minutes} minutes.",
                watch.query,
                watch_id=watch.id,
                mention_id=first.id,
            )
        )
        repo.watches.alerted(watch.id, newest, now)
    return alerts


def _reach(repo: DetectionRepository, now: datetime) -> list[Alert]:
    after = repo.state("reach_after_id")
    newest = repo.mentions.newest_id()
    if after is None or after > newest:  # the first look starts from now, not from history
        repo.set_state("reach_after_id", newest)
        return []
    threshold = repo.settings.get(REACH_KEY, str(DEFAULT_REACH_FOLLOWERS)) or ""
    followers = int(threshold) if threshold.isdigit() else DEFAULT_REACH_FOLLOWERS
    found = repo.mentions.with_reach_after(after, followers, NEWS_WORDS, NOT_NEWS_WORDS)
    repo.set_state("reach_after_id", newest)
    if not found:
        return []
    seen: dict[str, list] = {}
    for mention in found:  # one line per author, however many times they wrote
        seen.setdefault(mention.author_handle or mention.author_name or mention.source, []).append(
            mention
        )
    authors = sorted(seen.values(), key=lambda ms: -(ms[0].author_followers or 0))
    first = authors[0][0]
    reach = "" if first.author_followers else f" (a news source: {first.source})"
    others = (
        f", and {plural(len(authors) - 1, 'other account')} with reach" if len(authors) > 1 else ""
    )
    text = " ".join(first.text.split())
    handle = f"from:{first.author_handle}" if first.author_handle else f"source:{first.source}"
    return [
        Alert(
            "reach",
            now,
            f"{who(first)}{reach} mentioned you{others}",
            f"“{text[:120]}{'…' if len(text) > 120 else ''}” Reply or prepare a statement before "
            "it spreads.",
            handle,
            mention_id=first.id,
        )
    ]


def seed_watches(repo: DetectionRepository, queries: dict[str, list[dict]]) -> int:
    """Save the template's watch queries (per playbook) that the workspace does not have."""
    added = 0
    existing = {w.name for w in repo.watches.all(with_unread=False)}
    for playbook, items in queries.items():
        for item in items:
            if item["name"] in existing:
                continue
            repo.watches.save(
                item["name"],
                item["query"],
                alert=True,
                cooldown_minutes=int(item.get("cooldown_minutes", 60)),
                playbook=playbook,
            )
            added += 1
    return added


__all__ = ["Setting", "recheck", "seed_watches"]


def seed_template_watches(store) -> None:
    """The welcome's "Start from the template plan": the watch queries that ship with its
    playbooks (`resources/templates/watches.json`), alerting."""
    import json

    from app.paths import resource

    data = json.loads(resource("templates", "watches.json").read_text(encoding="utf-8"))
    seed_watches(store.detection, {k: v for k, v in data.items() if not k.startswith("_")})

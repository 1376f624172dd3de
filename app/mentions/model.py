"""What a mention is made of, and the words the inbox uses for its statuses, reasons and
limits."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from app.errors import UserError

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024

# status -> what the owner sees
STATUSES: dict[str, str] = {
    "new": "New",
    "needs_reply": "Needs reply",
    "replied": "Replied",
    "escalated": "Escalated",
    "ignored": "Ignored",
    "hidden": "Hidden",
}
SENTIMENTS = ("negative", "neutral", "positive")

# Community guidelines a hidden mention can break; hiding names one of them.
GUIDELINES = (
    "Hate or harassment",
    "Threats or violence",
    "Private information (doxxing)",
    "Spam or scam",
    "Explicit content",
    "Impersonation",
)
IGNORE_REASONS = (
    "No reply needed",
    "Not about us",
    "Spam or bot",
    "Already handled elsewhere",
    "Duplicate of another mention",
)

# Character limits of a reply (a comment) on each source; "" is the fallback. Comments differ
# from posts (Facebook: 8,000 against 63,206), whose limits are the checker's CHANNEL_LIMITS.
REPLY_LIMITS = {
    "x": 280,
    "twitter": 280,
    "bluesky": 300,
    "mastodon": 500,
    "threads": 500,
    "instagram": 2200,
    "tiktok": 150,
    "google-reviews": 4096,
    "reddit": 10000,
    "facebook": 8000,
    "facebook-group": 8000,
    "": 2000,
}


class TriageError(UserError, ValueError):
    """A triage step that cannot be done as asked; the message is for the owner."""


@dataclass
class NewMention:
    source: str  # e.g. "rss:Google Alerts", "mastodon", "bluesky", "csv"
    text: str
    external_id: str = ""  # "" -> dedupe by normalised content hash
    author_name: str = ""
    author_handle: str = ""
    author_followers: int | None = None
    url: str = ""
    language: str = ""
    posted_at: datetime | None = None  # aware datetime
    raw: dict | str | None = None  # original payload, stored as JSON text


@dataclass
class HourStat:
    """One hour of mentions; the spike alarm fills in what it expected and what it found."""

    hour: datetime  # start of the hour, UTC
    count: int
    negative: int
    expected: float = 0.0
    expected_negative: float = 0.0
    volume_spike: bool = False
    negative_spike: bool = False

    @property
    def spike(self) -> bool:
        return self.volume_spike or self.negative_spike


@dataclass
class AddResult:
    added: int
    duplicates: int
    added_ids: list[int]


@dataclass
class Mention:
    id: int
    source: str
    external_id: str
    author_name: str
    author_handle: str
    author_followers: int | None
    text: str
    url: str
    language: str
    posted_at: datetime
    fetched_at: datetime
    sentiment: str | None
    sentiment_score: float | None
    status: str
    status_reason: str
    assignee: str
    tags: list[str]
    severity: int | None
    incident_id: int | None
    reply_draft: str
    raw: str | None = None

    @property
    def author(self) -> str:
        handle = f"@{self.author_handle}" if self.author_handle else ""
        if self.author_name and handle:
            return f"{self.author_name} ({handle})"
        return self.author_name or handle or "unknown author"

    @property
    def status_label(self) -> str:
        label = STATUSES.get(self.status, self.status)
        return f"{label}: {self.status_reason}" if self.status_reason else label

    def reply_limit(self) -> int:
        return REPLY_LIMITS.get(self.source.lower(), REPLY_LIMITS[""])


@dataclass
class Evidence:
    id: int
    mention_id: int
    filename: str
    media_type: str
    size: int
    note: str
    added_at: datetime


@dataclass
class SavedSearch:
    id: int
    name: str
    query: str
    last_seen_id: int
    unread: int = 0
    alert: bool = False  # announce the first new match (desktop, banner, Dashboard)
    cooldown_minutes: int = 60  # then keep quiet this long
    alert_after_id: int = 0  # mentions up to this id have been looked at for an alert
    alerted_at: datetime | None = None
    playbook: str = ""  # the plan's playbook the template query came with


@dataclass
class MentionFilter:
    """What the Inbox shows: a query in our search grammar plus the status tab, and for "My
    queue" the person the mentions are assigned to (None: anyone's or no one's)."""

    query: str = ""
    statuses: tuple[str, ...] = ()
    assignee: str | None = None


# Columns read for a row of the table and the reading pane (raw is read only on demand).

_SPACES = re.compile(r"\W+")


def content_key(author: str, text: str) -> str:
    """The dedupe key of a mention without an id: the same words by the same author match,
    whatever the case, punctuation or spacing."""
    normal = _SPACES.sub(" ", f"{author}\x1f{text}".casefold()).strip()
    return "h:" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:24]


def normal_handle(handle: str) -> str:
    return handle.strip().lstrip("@").strip()

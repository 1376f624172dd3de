"""What a statement is made of: its stage, status, versions and publications, and the
variables a template may use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from app.errors import UserError
from app.text import markdown_to_plain

STAGES = {
    "holding": "Holding statement",
    "apology": "Apology",
    "update": "Update",
    "resolution": "Resolution",
    "faq": "FAQ for staff",
    "memo": "Internal memo",
}
STATUSES = {
    "draft": "Draft",
    "review": "In review",
    "approved": "Approved",
    "published": "Published",
}
CHANNELS = {
    "website": "Website",
    "email": "Email",
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "sms": "SMS",
}
# Channels that show Markdown as it is meant; the others get plain text.
MARKDOWN_CHANNELS = {"website", "email"}
VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
VARIABLE_HELP = {
    "business": "Set your business name in File → Business Profile.",
    "incident.title": "Write this statement from an incident.",
    "incident.what_happened": "Fill in “What happened” on the incident's Assessment tab.",
    "incident.level": "Write this statement from an incident.",
    "next_update_at": "Write this statement from an open incident: its next update time.",
    "hotline": "Put the hotline's number in your plan's hotline channel, or your phone number "
    "in File → Business Profile.",
    "landing_page": "Put the update page's address (https://…) in your plan's update page channel.",
    "email": "Add your email address in File → Business Profile.",
    "spokesperson": "Name a contact for the Spokesperson role in your plan.",
    "website": "Add your website in File → Business Profile.",
    "today": "",
}


class StatementError(UserError, ValueError):
    """A request a statement cannot take now; the message says why in plain words."""


# A checklist step set aside for one statement is kept, with its reason, among its dismissals.
CHECKLIST_DISMISSED = "checklist:"


@dataclass(frozen=True)
class ChecklistEntry:
    item: str
    done_at: datetime | None = None
    set_aside: str = ""  # the reason, when the owner said it does not apply

    @property
    def open(self) -> bool:
        return self.done_at is None and not self.set_aside


@dataclass(frozen=True)
class VariableProblem:
    name: str
    message: str


@dataclass
class Statement:
    id: int
    title: str
    stage: str
    status: str
    body: str
    incident_id: int | None
    created_at: datetime
    updated_at: datetime
    variants: dict = field(default_factory=dict)
    checklist: dict = field(default_factory=dict)  # item -> ISO time ticked
    dismissed: dict = field(default_factory=dict)  # finding key -> reason
    version: int = 0
    approved_by: str = ""
    approved_role: str = ""
    approved_at: datetime | None = None
    approved_version: int | None = None

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def text_for(self, channel: str) -> str:
        """The statement as it goes out on `channel`: the owner's own variant, or the body
        (as plain text where the channel has no Markdown)."""
        if self.variants.get(channel):
            return self.variants[channel]
        return self.body if channel in MARKDOWN_CHANNELS else markdown_to_plain(self.body)


@dataclass(frozen=True)
class Version:
    id: int
    statement_id: int
    number: int
    body: str
    saved_at: datetime
    note: str


@dataclass(frozen=True)
class Publication:
    id: int
    statement_id: int
    channel: str
    url: str
    published_at: datetime


@dataclass(frozen=True)
class Recovery:
    statement_id: int
    title: str
    body: str
    saved_at: datetime

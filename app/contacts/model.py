"""What a contact is made of: names, phones, emails, handles, groups, and links of the call
tree."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from app.errors import UserError

KINDS = ("internal", "external")


@dataclass
class Phone:
    label: str
    number: str

    def text(self) -> str:
        return f"{self.label}: {self.number}" if self.label else self.number


@dataclass
class Contact:
    name: str
    kind: str = "internal"
    role: str = ""
    organisation: str = ""
    phones: list[Phone] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    social: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    availability: str = ""
    timezone: str = ""
    notes: str = ""
    id: int | None = None

    @property
    def first_phone(self) -> str:
        return self.phones[0].number if self.phones else ""

    @property
    def first_email(self) -> str:
        return self.emails[0] if self.emails else ""

    def same_person_keys(self) -> set[str]:
        """What makes two contacts the same person on import: an email or a phone number."""
        keys = {f"email:{e.strip().lower()}" for e in self.emails if e.strip()}
        # The last nine digits: "+44 7700 900222" and "07700 900222" are the same phone.
        keys |= {
            f"phone:{digits[-9:]}"
            for p in self.phones
            if len(digits := phone_digits(p.number)) >= 6
        }
        return keys

    def name_key(self) -> str:
        """Who a card with neither email nor phone is: the same words of name and organisation,
        whatever the case, accents aside, punctuation or order of the parts."""
        return "name:" + _normal_words(self.name) + "|" + _normal_words(self.organisation)

    def matches(self, words: list[str]) -> bool:
        haystack = " ".join(
            [
                self.name,
                self.role,
                self.organisation,
                self.notes,
                *self.emails,
                *self.social,
                *self.groups,
                *(p.number for p in self.phones),
            ]
        ).lower()
        return all(word in haystack for word in words)


@dataclass(frozen=True)
class CallTreeLink:
    """In the call tree of `level`, `caller_id` calls `callee_id` (None: called first)."""

    level: int
    callee_id: int
    caller_id: int | None = None


def _normal_words(text: str) -> str:
    return " ".join(sorted(re.sub(r"[\W_]+", " ", text.casefold()).split()))


def phone_digits(number: str) -> str:
    """The digits of a phone number, for telling duplicates apart ('+44 20 7946' = '4420 7946')."""
    return re.sub(r"\D", "", number)


def parse_phone(text: str) -> Phone | None:
    """'mobile: +44 7700 900123' -> Phone('mobile', '+44 7700 900123'); bare numbers: no label."""
    text = text.strip()
    if not text:
        return None
    label, sep, rest = text.partition(":")
    if sep and rest.strip() and not re.search(r"\d", label):
        return Phone(label.strip(), rest.strip())
    return Phone("", text)


def clean_contact(contact: Contact) -> Contact:
    """Trimmed, without empty entries; raises ValueError with a plain reason when unusable."""
    name = " ".join(contact.name.split())
    if not name:
        raise ValueError("The contact has no name.")
    kind = contact.kind if contact.kind in KINDS else "internal"

    def tidy(values: list[str]) -> list[str]:
        seen: list[str] = []
        for value in values:
            value = value.strip()
            if value and value not in seen:
                seen.append(value)
        return seen

    phones = [Phone(p.label.strip(), p.number.strip()) for p in contact.phones if p.number.strip()]
    return replace(
        contact,
        name=name,
        kind=kind,
        role=contact.role.strip(),
        organisation=contact.organisation.strip(),
        phones=phones,
        emails=tidy(contact.emails),
        social=tidy(contact.social),
        groups=tidy(contact.groups),
        availability=contact.availability.strip(),
        timezone=contact.timezone.strip(),
        notes=contact.notes.strip(),
    )


# --- what an import of contacts finds ------------------------------------------------------

MAX_FIELD_CHARS = 20_000
# Groups phones and mail programs add by themselves (Google's "myContacts", "* starred"):
# they say nothing about who someone is to the business, so they are not made groups.
SKIPPED_GROUPS = {
    "my contacts",
    "mycontacts",
    "* mycontacts",
    "system group: my contacts",
    "starred",
    "* starred",
    "starred in android",
}
# Words in a role, organisation or group that mark someone from outside the business: an
# adviser, the press, an authority, a supplier. Imports guess with them (the owner can change
# it); without one, a person is taken to be on the team.
_OUTSIDE = re.compile(
    r"\b(law|legal|solicitors?|lawyers?|attorneys?|barristers?|notary|insur\w*|claims?|"
    r"brokers?|underwrit\w*|gazette|news\w*|times|press|journalists?|reporters?|editors?|"
    r"radio|tv|media|pr|public relations|communications|consult\w*|agency|suppliers?|"
    r"wholesale\w*|council|officers?|inspectors?|environmental health|police|bank|"
    r"accountants?|auditors?|landlords?|advisers?|advisors?|external)\b",
    re.I,
)


# Team jobs whose words would otherwise read as outside ("Social media", "Marketing officer").
_TEAM_JOBS = re.compile(
    r"\b(social media|(chief|marketing|operations|safety|finance|data|welfare) \w*\s?officers?)\b",
    re.I,
)


def guess_kind(role: str = "", organisation: str = "", groups: list[str] | None = None) -> str:
    """ "external" when the role, organisation or a group names someone from outside (a
    lawyer, an insurer, the press), else "internal"."""
    words = _TEAM_JOBS.sub(" ", " ".join([role, organisation, *(groups or [])]))
    return "external" if _OUTSIDE.search(words) else "internal"


def works_for(contact: Contact, business_name: str) -> bool:
    """True when the contact's organisation is the business itself ("Crumb & Co", "Crumb and
    Co Ltd"): someone on the team, whatever their role's words suggest."""

    def key(name: str) -> str:
        name = re.sub(r"\b(ltd|limited|llc|inc|plc|gmbh)\b\.?", " ", name.casefold())
        return " ".join(re.sub(r"[^\w]+|\band\b", " ", name.replace("&", " ")).split())

    own = key(business_name)
    return bool(own) and key(contact.organisation) == own


class ContactImportError(UserError):
    """The file cannot be read as contacts at all; the message is one plain sentence."""


@dataclass(frozen=True)
class RowProblem:
    where: str  # "line 7" or "card 3 (line 40)"
    reason: str

    def text(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ParsedContacts:
    """What a file holds: contacts with where each came from, and rows that cannot be used."""

    contacts: list[tuple[str, Contact]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


def no_progress(done: int, total: int) -> None:
    return None


def never() -> bool:
    return False

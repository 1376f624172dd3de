"""The statement checker: reads a draft and lists what a good crisis statement is missing or
gets wrong, each finding tied to the sentence it is about, to the words that showed it and to
the practice behind it; each missing element comes with one sentence to insert.

It is a checklist helper, not a judge: findings can be dismissed with a reason. What each
sentence does is read from its grammar (`app.statements.grammar`), not from a model, so every
finding can be explained. Rule names are stable: the command line's `--json` and the stored
dismissals use them. It is measured on real published statements
(`tests/fixtures/statements/corpus.json`, see the README).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import markdown
import nh3
import textstat

from app.statements.grammar import (
    ELEMENTS,
    SentenceReading,
    clock_times,
    read_sentence,
)
from app.text import html_to_text

# Characters each channel allows in one post (None: no practical limit).
CHANNEL_LIMITS: dict[str, int | None] = {
    "website": None,
    "email": None,
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "instagram": 2200,
    "facebook": 63206,
    "linkedin": 3000,
    "sms": 160,
}
LONG_SENTENCE_WORDS = 25
TARGET_GRADE = 8.0

WHY = {
    "acknowledgement": "Practice 4 (acknowledge): say plainly what happened first, so people "
    "know you know.",
    "apology": "Practice 4 (apologize): a real apology says “we are sorry” for what you did, "
    "without conditions.",
    "non-apology": "Practice 4 (apologize): conditional or passive wording (“if anyone was "
    "offended”, “mistakes were made”) reads as dodging and makes anger worse.",
    "empathy": "Practice 4: show you understand how the people affected feel before you explain.",
    "blame": "Practice 4: shifting blame onto customers, staff or suppliers reads as an excuse; "
    "own it as the business.",
    "speculation": "Practice 3: say what you know, not what you guess; a guess about the cause "
    "that turns out wrong costs more trust than “we are still finding out”.",
    "promise": "Practice 3 and 5: promise only what you control; “never again”, guarantees and "
    "absolutes come back to haunt you when anything goes wrong.",
    "action": "Practice 4 and 9: say what you are doing about it right now.",
    "next-update": "Practice 5 (timely updates): tell people when they will hear from you next.",
    "update-time": "Practice 5: the time you promise must be the time on your countdown, or "
    "you will miss it or confuse people.",
    "help-channel": "Practice 6 (crisis channels): tell people where to get help — a phone "
    "number, an email or a page.",
    "long-sentence": f"Clear and calm: sentences over {LONG_SENTENCE_WORDS} words are hard to "
    "read on a phone in a hurry.",
    "reading-grade": f"Clear and calm: aim at a reading grade of {TARGET_GRADE:.0f} or below so "
    "everyone understands you the first time.",
    "jargon": "Clear and calm: jargon and legalese sound evasive; use everyday words.",
    "length": "The channel cuts or refuses posts over its limit; shorten it or link to the full "
    "statement.",
}
RULES = tuple(WHY)
# Findings about the statement as a whole rather than one sentence or a missing element.
WHOLE_TEXT_RULES = frozenset({"reading-grade", "length"})


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


JARGON = _any(
    r"\bleverag(e|ing)\b",
    r"\bgoing\s+forward\b",
    r"\bstakeholders?\b",
    r"\bsynerg(y|ies)\b",
    r"\bcircle\s+back\b",
    r"\bparadigm\b",
    r"\butili[sz](e|ed|ing|ation)\b",
    r"\bat\s+this\s+(point\s+in\s+)?time\b",
    r"\bin\s+due\s+course\b",
    r"\bpursuant\b",
    r"\bhereby\b",
    r"\bheretofore\b",
    r"\bnotwithstanding\b",
    r"\baforementioned\b",
    r"\bindemnif(y|ied|ication)\b",
    r"\bwithout\s+prejudice\b",
    r"\bwhereas\b",
    r"\bherein\b",
    r"\bin\s+accordance\s+with\b",
    r"\bremediat(e|ion)\b",
    r"\bproactive(ly)?\b",
    r"\bactioned\b",
    r"\bbest[- ]in[- ]class\b",
    r"\bsubsequent\s+to\b",
    r"\bin\s+light\s+of\s+the\s+foregoing\b",
    r"\bcontent\s+(was|has\s+been)\s+(remediated|actioned)\b",
    r"\bdeeply\s+committed\s+to\s+excellence\b",
)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class Finding:
    rule: str
    sentence: str
    why: str
    detail: str = ""  # the words that showed it, or what is missing and why it matters here
    suggestion: str = ""  # for a missing element: one sentence to insert

    @property
    def key(self) -> str:
        """Stable identity for a dismissal: the rule and the sentence it is about."""
        return f"{self.rule}:{self.sentence}"


@dataclass(frozen=True)
class CheckContext:
    """What the checker knows beyond the text: the business's names (so "Hearth & Crumb has
    closed the kitchen" is an action), the incident's countdown, and the sentences to suggest,
    filled from the plan and the incident (`StatementRepository.check_context`)."""

    names: tuple[str, ...] = ()
    next_update_at: datetime | None = None
    suggestions: dict[str, str] = field(default_factory=dict)


SUGGESTIONS = {
    "acknowledgement": "We know that {{incident.what_happened}}.",
    "apology": "We are sorry.",
    "empathy": "We understand how worrying this is for you.",
    "action": "Right now we are working to put this right.",
    "next-update": "We will post our next update at {{next_update_at}}.",
    "help-channel": "If you need help, call us on {{hotline}}.",
}
MISSING_DETAIL = {
    "acknowledgement": "No sentence says what happened or admits your part in it.",
    "apology": "No sentence says sorry or apologises without a condition.",
    "empathy": "No sentence names how the people affected feel.",
    "action": "No sentence says what you have done, are doing or will do (“we have closed…”, "
    "“we are…ing”, “we will…”).",
    "next-update": "No sentence gives a time or date for the next update.",
    "help-channel": "No phone number, email, web address or “contact us”.",
}


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    grade: float = 0.0
    words: int = 0
    characters: int = 0
    channel: str | None = None
    limit: int | None = None
    readings: list[SentenceReading] = field(default_factory=list)

    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def contains(self) -> set[str]:
        """The elements some sentence of the statement has."""
        return {act for r in self.readings for act in r.acts if act in ELEMENTS}

    def as_dict(self) -> dict:
        return {
            "findings": [asdict(f) for f in self.findings],
            "grade": self.grade,
            "words": self.words,
            "characters": self.characters,
            "sentences": [{"sentence": r.sentence, "does": r.acts} for r in self.readings],
        }


def plain_text(markdown_text: str) -> str:
    """The words a reader sees: Markdown rendered, sanitized, and reduced to text."""
    html = markdown.markdown(markdown_text or "")
    # A single line break inside a Markdown paragraph is a space, not a sentence break.
    html = re.sub(r"\s*\n\s*", " ", html)
    return html_to_text(nh3.clean(html))


def sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.split(text)
    return [" ".join(p.split()) for p in parts if p and p.strip() and re.search(r"\w", p)]


def promised_update(markdown_text: str, after: datetime) -> datetime | None:
    """The next-update time a statement promises ("our next update by 14:16"), as the first
    such moment after `after` on this computer's clock; None when it promises no time."""
    for sentence in sentences(plain_text(markdown_text)):
        if not read_sentence(sentence).does("next-update"):
            continue
        for hour, minute in clock_times(sentence):
            local = after.astimezone()
            moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
            if moment <= local:
                moment += timedelta(days=1)
            return moment
    return None


def _local_time(moment: datetime) -> str:
    return f"{moment.astimezone():%H:%M}"


def check_statement(
    markdown_text: str,
    channel: str | None = None,
    dismissed: dict[str, str] | None = None,
    context: CheckContext | None = None,
) -> CheckResult:
    """Check a draft (Markdown) for `channel`; `dismissed` maps finding keys to reasons;
    `context` brings the business's names, the incident's countdown and what to suggest."""
    if channel is not None and channel not in CHANNEL_LIMITS:
        raise ValueError(
            f"Unknown channel '{channel}'; choose one of: {', '.join(CHANNEL_LIMITS)}."
        )
    context = context or CheckContext()
    names = frozenset(" ".join(re.findall(r"[a-z0-9]+", n.lower())) for n in context.names)
    text = plain_text(markdown_text)
    found: list[Finding] = []

    def add(rule: str, sentence: str = "", detail: str = "", suggestion: str = "") -> None:
        found.append(Finding(rule, sentence, WHY[rule], detail, suggestion))

    all_sentences = sentences(text)
    readings = [read_sentence(s, names) for s in all_sentences]
    for reading in readings:
        if "non-apology" in reading.acts:
            conditional = reading.acts["non-apology"]
            add("non-apology", reading.sentence, f"“{conditional}” makes the apology conditional.")
    for rule in ELEMENTS:
        if not any(reading.does(rule) for reading in readings):
            suggestion = context.suggestions.get(rule) or SUGGESTIONS[rule]
            add(rule, "", MISSING_DETAIL[rule], suggestion)
    for rule in ("blame", "speculation", "promise"):
        for reading in readings:
            if reading.does(rule):
                add(rule, reading.sentence, f"“{reading.acts[rule]}”")
    if context.next_update_at is not None:
        due = context.next_update_at.astimezone()
        for reading in readings:
            times = clock_times(reading.sentence) if reading.does("next-update") else []
            if times and (due.hour, due.minute) not in times:
                said = ", ".join(f"{h:02d}:{m:02d}" for h, m in times)
                add(
                    "update-time",
                    reading.sentence,
                    f"This says {said}, but the incident's next update is due at "
                    f"{_local_time(due)}. Change one so they agree.",
                )
    for sentence in all_sentences:
        jargon = _match_jargon(sentence)
        if jargon:
            add("jargon", sentence, f"“{jargon}”")
    for sentence in all_sentences:
        if len(sentence.split()) > LONG_SENTENCE_WORDS:
            add("long-sentence", sentence, f"{len(sentence.split())} words")
    words = len(text.split())
    grade = round(float(textstat.flesch_kincaid_grade(text)), 1) if words else 0.0
    if words >= 12 and grade > TARGET_GRADE:
        add("reading-grade", "", f"grade {grade:g}")
    limit = CHANNEL_LIMITS.get(channel) if channel else None
    characters = len(text)
    if limit is not None and characters > limit:
        add("length", "", f"{characters} of {limit} characters")
    dismissed = dismissed or {}
    findings = [f for f in found if f.key not in dismissed]
    order = {rule: i for i, rule in enumerate(RULES)}
    findings.sort(key=lambda f: order[f.rule])
    return CheckResult(findings, grade, words, characters, channel, limit, readings)


def _match_jargon(sentence: str) -> str:
    found = JARGON.search(sentence)
    return found.group(0) if found else ""


def insert_suggestion(markdown_text: str, suggestion: str) -> str:
    """The draft with a suggested sentence added: at the end of its last paragraph."""
    body = (markdown_text or "").rstrip()
    if not body:
        return suggestion + "\n"
    if body.endswith((".", "!", "?")):
        return f"{body} {suggestion}\n"
    return f"{body}.\n\n{suggestion}\n" if body[-1].isalnum() else f"{body} {suggestion}\n"

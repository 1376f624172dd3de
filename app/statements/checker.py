"""The statement checker: reads a draft and lists what a good crisis statement is missing or
gets wrong, each finding tied to the sentence it is about and to the practice behind it.

It is a checklist helper, not a judge: findings can be dismissed with a reason. Rules are plain
patterns over sentences (no model), so every finding can be explained. Rule names are stable:
the command line's `--json` and the stored dismissals use them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import markdown
import nh3
import textstat

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
    "speculation": "Practice 3 and 5: promise only what the facts support; guesses and "
    "guarantees come back to haunt you.",
    "action": "Practice 4 and 9: say what you are doing about it right now.",
    "next-update": "Practice 5 (timely updates): tell people when they will hear from you next.",
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


NON_APOLOGY = _any(
    r"\b(sorry|apologi[sz]e|regret)\b[^.!?]*\bif\b[^.!?]*\b(offend|upset|hurt|feel|felt|"
    r"caused|inconvenien|anyone|you)",
    r"\bsorry\s+(that\s+)?you\s+(feel|felt|were|are|think|see)",
    r"\b(sorry|apologi[sz]e|apologies)\s+for\s+(any|the)\s+(inconvenience|confusion|"
    r"misunderstanding)",
    r"\bany\s+inconvenience\s+(this|that|it)\s+(may\s+have|might\s+have|has)\s+caused\b",
    r"\bregret\s+that\s+(some|you|anyone|people)",
    r"\bmistakes\s+were\s+made\b",
    r"\bto\s+(those|anyone)\s+who\s+(was|were|may\s+have\s+been)\s+(offended|upset)",
    r"\bif\s+(anyone|you)\s+(was|were)\s+(offended|upset|hurt)",
    r"\bwe\s+regret\s+any\b",
)
APOLOGY = _any(
    r"\b(we|i)\s*(a|')re\s+(so\s+|truly\s+|very\s+|deeply\s+|really\s+)*sorry\b",
    r"\b(we|i)\s+am\s+(so\s+|truly\s+|very\s+|deeply\s+|really\s+)*sorry\b",
    r"\b(we|i)\s+(sincerely\s+|unreservedly\s+|deeply\s+)?apologi[sz]e\b",
    r"\bour\s+(sincere\s+|deepest\s+)?apolog(y|ies)\b",
    r"\bsorry\s+(for|to|that\s+we)\b",
    r"\bwe\s+got\s+(this|it)\s+wrong\b",
)
ACKNOWLEDGEMENT = _any(
    r"\bwe\s+(know|are\s+aware|have\s+learned|have\s+learnt|understand)\s+that\b",
    r"\b(on|this|last|yesterday|today|earlier)\b[^.!?]*\b(became|fell|got|were|was)\s+"
    r"(ill|sick|unwell|hurt|injured|affected|exposed|leaked|posted|shared)",
    r"\b(we|our\s+\w+)\s+(made|got)\s+(a\s+)?(mistake|error|it\s+wrong)",
    r"\b(we|our\s+[\w-]+(\s+[\w-]+)?)\s+(sold|served|posted|shared|sent|published|failed|"
    r"let\s+you\s+down|missed|lost|exposed)\b",
    r"\bwhat\s+happened\b",
    r"\b(customers?|people|guests?|patients?|members?)\s+(became|fell|got|were)\s+"
    r"(ill|sick|unwell|hurt)",
    r"\bhappened\b",
    r"\b(who|that)\s+(was|were|have\s+been|has\s+been)\s+(affected|hurt|harmed|ill|sick|unwell)",
)
EMPATHY = _any(
    r"\bwe\s+(understand|know|can\s+(only\s+)?imagine)\s+(how|why|that\s+this)",
    r"\b(worrying|upsetting|frightening|distressing|frustrating|scary|painful)\b",
    r"\bmust\s+have\s+been\b",
    r"\bour\s+thoughts\s+are\b",
    r"\bwe\s+(feel|are)\s+(terrible|awful|heartbroken|devastated)",
    r"\bwe\s+care\s+(deeply\s+)?about\b",
    r"\byour\s+(trust|health|safety|wellbeing|well-being)\b",
)
BLAME = _any(
    r"\b(junior|new|temporary|rogue|former)\s+(member\s+of\s+staff|staff\s+member|employee|"
    r"worker|intern)",
    r"\b(customers?|guests?|you)\s+(should\s+have|failed\s+to|did\s+not|didn't|ignored)\b",
    r"\bshould\s+have\s+(read|checked|asked|known|told)\b",
    r"\b(our\s+)?supplier'?s?\s+(is|was|are|were)?\s*(to\s+blame|at\s+fault|responsible)",
    r"\b(due\s+to|caused\s+by|because\s+of)\s+(a|our|the)\s+(supplier|third[- ]party|"
    r"contractor|delivery\s+company|employee|staff\s+member)",
    r"\bnot\s+our\s+fault\b",
    r"\bthe\s+individual\s+(responsible|involved|concerned)\b",
    r"\b(mis)?understood\s+(our|the)\s+(label|sign|menu|policy)",
    r"\bmisread\b",
)
SPECULATION = _any(
    r"\bwill\s+never\s+happen\s+again\b",
    r"\bnever\s+again\b",
    r"\b(will|shall|would)\s+never\b",
    r"\bhappen\s+again\b",
    r"\bwe\s+are\s+(100%\s+|completely\s+|absolutely\s+)?(certain|sure|confident)\b",
    r"\b100\s?%",
    r"\b(guarantee|guaranteed)\b",
    r"\b(completely|totally|perfectly|entirely)\s+safe\b",
    r"\bno\s+risk\b",
    r"\b(it|this)\s+(must|probably)\s+(have\s+)?(been|was|came)\b",
    r"\bprobably\b",
    r"\bimpossible\b",
    r"\bdefinitely\b",
)
ACTION = _any(
    r"\bwe\s+(have|'ve)\s+(\w+\s+)?(closed|removed|recalled|paused|suspended|contacted|started|"
    r"launched|asked|stopped|withdrawn|taken|called|reported|thrown|replaced|shut|opened|set\s+up|"
    r"booked|informed|notified|deleted|changed|refunded|cleaned|tested)\b",
    r"\bwe\s+(are|'re)\s+(now\s+)?(working|investigating|reviewing|checking|cooperating|"
    r"contacting|offering|refunding|testing|cleaning|calling|talking|retraining|replacing|"
    r"looking\s+into|helping)\b",
    r"\bwe\s+will\s+(refund|contact|call|review|replace|retrain|test|check|offer|pay|cover|"
    r"work|investigate|reopen)\b",
    r"\b(has|have)\s+been\s+(closed|removed|recalled|paused|suspended|withdrawn)\b",
)
NEXT_UPDATE = _any(
    r"\bnext\s+update\b",
    r"\b(update|tell|inform)\s+(you\s+|everyone\s+)?(again\s+)?(by|at|before|within|tomorrow|"
    r"tonight|this\s+(afternoon|evening|morning)|on\s+\w+day)",
    r"\bwe\s+will\s+(share|post|publish|give)\s+(more|an\s+update|news|the\s+results)\b",
    r"\bwe\s+will\s+(share|post|publish|tell|write|update|report)\b[^.!?]*\b(by|on|at|before|"
    r"tomorrow|tonight|within|this\s+(afternoon|evening))\b",
    r"\b(by|at|before)\s+\d{1,2}([:.]\d{2})?\s*(am|pm|h)?\b[^.!?]*\b(update|share|post|tell|hear)",
    r"\bwithin\s+(the\s+next\s+)?\d+\s+(hours?|minutes?)\b",
    r"\bhear\s+from\s+us\b",
)
HELP_CHANNEL = _any(
    r"\+?\d[\d\s().-]{6,}\d",
    r"[\w.+-]+@[\w-]+\.[\w.-]+",
    r"https?://\S+",
    r"\bwww\.\S+",
    r"\b[\w-]+\.(example|com|co\.uk|org|net|uk|io|shop|ie|de|fr|nl|au|ca)\b(/\S*)?",
    r"\b(call|phone|ring|email|e-mail|message|text|dm|contact)\s+(us|our|me)\b",
    r"\bhotline\b",
    r"\bvisit\s+(our|the)\b",
    r"\b(help|support)\s+(page|line|desk)\b",
)
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

    @property
    def key(self) -> str:
        """Stable identity for a dismissal: the rule and the sentence it is about."""
        return f"{self.rule}:{self.sentence}"


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    grade: float = 0.0
    words: int = 0
    characters: int = 0
    channel: str | None = None
    limit: int | None = None

    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def as_dict(self) -> dict:
        return {
            "findings": [asdict(f) for f in self.findings],
            "grade": self.grade,
            "words": self.words,
            "characters": self.characters,
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


def check_statement(
    markdown_text: str, channel: str | None = None, dismissed: dict[str, str] | None = None
) -> CheckResult:
    """Check a draft (Markdown) for `channel`; `dismissed` maps finding keys to reasons."""
    if channel is not None and channel not in CHANNEL_LIMITS:
        raise ValueError(
            f"Unknown channel '{channel}'; choose one of: {', '.join(CHANNEL_LIMITS)}."
        )
    text = plain_text(markdown_text)
    found: list[Finding] = []

    def add(rule: str, sentence: str = "") -> None:
        found.append(Finding(rule, sentence, WHY[rule]))

    all_sentences = sentences(text)
    non_apology_sentences = [s for s in all_sentences if NON_APOLOGY.search(s)]
    for sentence in non_apology_sentences:
        add("non-apology", sentence)
    if not any(APOLOGY.search(s) for s in all_sentences if s not in non_apology_sentences):
        add("apology")
    for rule, pattern in (
        ("acknowledgement", ACKNOWLEDGEMENT),
        ("empathy", EMPATHY),
        ("action", ACTION),
        ("next-update", NEXT_UPDATE),
        ("help-channel", HELP_CHANNEL),
    ):
        if not pattern.search(text):
            add(rule)
    for rule, pattern in (("blame", BLAME), ("speculation", SPECULATION), ("jargon", JARGON)):
        for sentence in all_sentences:
            if pattern.search(sentence):
                add(rule, sentence)
    for sentence in all_sentences:
        if len(sentence.split()) > LONG_SENTENCE_WORDS:
            add("long-sentence", sentence)
    words = len(text.split())
    grade = round(float(textstat.flesch_kincaid_grade(text)), 1) if words else 0.0
    if words >= 12 and grade > TARGET_GRADE:
        add("reading-grade")
    limit = CHANNEL_LIMITS.get(channel) if channel else None
    characters = len(text)
    if limit is not None and characters > limit:
        add("length")
    dismissed = dismissed or {}
    findings = [f for f in found if f.key not in dismissed]
    order = {rule: i for i, rule in enumerate(RULES)}
    findings.sort(key=lambda f: order[f.rule])
    return CheckResult(findings, grade, words, characters, channel, limit)

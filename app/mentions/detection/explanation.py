"""Why it spiked, in plain sentences: the words and phrases rising most against the week before,
the sources, the authors with the most followers, the first posts, the share negative.

Rising terms are ranked by the log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi and Quinn, "Fightin' Words", Political Analysis 2008): for each word or two-word
phrase, the difference of its log-odds in the spike and in the week before, each smoothed by a
prior proportional to its frequency in both, divided by its standard error. A word used a
hundred times more during a spike scores high; a word that was merely rare and turned up three
times does not (the prior pulls it towards its usual rate); a word common in both (the
business's own name) scores nothing. Terms are counted once per post, so one long post repeating
itself cannot carry a term.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.mentions.model import Mention
from app.mentions.repository import MentionRepository
from app.text import plural
from app.timeutil import to_iso

BASELINE_DAYS = 7
BASELINE_LIMIT = 10_000  # posts of the week before compared with (the newest)
SPIKE_LIMIT = 20_000
LEAD_IN = timedelta(hours=3)  # the first posts may come before the window that alarmed
PRIOR = 500.0  # the prior's weight, in words (alpha_0)
TOP = 8

_BREAK = re.compile(r"[.!?,;:()\[\]{}\"“”…|/]+|\s[-–—]+\s")  # a phrase never crosses these
_TOKEN = re.compile(r"#?[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")
_STOPWORDS = """
a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each even ever every few for from further get gets got had
hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's
like me more most much mustn't my myself no nor not now of off on once one only or other
ought our ours ourselves out over own really same shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's
these they they'd they'll they're they've this those through to too under until up us very
was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
which while who who's whom why why's will with won't would wouldn't you you'd you'll you're
you've your yours yourself yourselves still yet via amp rt lol omg tbh im dont cant wont ive
youre thats its anyone anything someone something everyone just today yesterday tomorrow
people post posts shared share saw seen see know think going want need said says say
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def tokens(text: str) -> list[str | None]:
    """The words of a post, lower-cased; stop words and punctuation as None (they break
    phrases)."""
    text = _HANDLE.sub(" ", _URL.sub(" ", text.casefold()))
    found: list[str | None] = []
    for part in _BREAK.split(text):
        for match in _TOKEN.finditer(part):
            word = match.group().replace("’", "'")
            bare = word.lstrip("#")
            if bare in STOPWORDS or len(bare) < 3 or bare.isdigit():
                found.append(None)
            else:
                found.append(word)
        found.append(None)
    return found


def terms_of(text: str) -> set[str]:
    """The words and two-word phrases of a post, once each."""
    words = tokens(text)
    found = {w for w in words if w}
    found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a and b)
    return found


@dataclass(frozen=True)
class RisingTerm:
    text: str
    score: float  # the z-score of the log-odds ratio
    count: int  # posts of the spike that use it
    usual: int  # posts of the week before that use it

    @property
    def query(self) -> str:
        """What the Inbox searches for when the term is clicked."""
        bare = self.text.lstrip("#")
        return f'"{bare}"' if " " in bare else bare


@dataclass
class Explanation:
    start: datetime
    end: datetime
    count: int
    negative_share: float
    usual_negative_share: float | None
    terms: list[RisingTerm] = field(default_factory=list)
    sources: list[tuple[str, float, float]] = field(default_factory=list)  # name, share, usual
    authors: list[Mention] = field(default_factory=list)  # most followers first
    first_posts: list[Mention] = field(default_factory=list)

    def sentences(self, tz=None) -> list[str]:
        said = []
        if self.terms:
            named = [f"“{t.text}”" for t in self.terms[:3]]
            about = named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"
            said.append(f"Mostly about {about}.")
        if self.first_posts:
            first = self.first_posts[0]
            said.append(
                f"Started by {who(first)} on {first.source} at "
                f"{first.posted_at.astimezone(tz):%H:%M}."
            )
        usual = (
            f" (usually {self.usual_negative_share:.0%})"
            if self.usual_negative_share is not None
            else ""
        )
        said.append(f"{self.negative_share:.0%} negative{usual}.")
        if self.sources:
            parts = [
                f"{name} ({share:.0%}" + (f", usually {usual_share:.0%})" if usual_share else ")")
                for name, share, usual_share in self.sources[:3]
            ]
            said.append("Most from " + ", ".join(parts) + ".")
        if self.authors:
            said.append("Most followers: " + ", ".join(who(m) for m in self.authors[:3]) + ".")
        return said

    def text(self, tz=None) -> str:
        return " ".join(self.sentences(tz))

    def to_json(self) -> dict:
        return {
            "summary": self.text(),
            "count": self.count,
            "negative_share": round(self.negative_share, 3),
            "usual_negative_share": None
            if self.usual_negative_share is None
            else round(self.usual_negative_share, 3),
            "terms": [
                {
                    "term": t.text,
                    "score": round(t.score, 2),
                    "posts": t.count,
                    "posts_week_before": t.usual,
                    "query": t.query,
                }
                for t in self.terms
            ],  # fmt: skip
            "sources": [
                {"source": name, "share": round(share, 3), "usual_share": round(usual, 3)}
                for name, share, usual in self.sources
            ],
            "authors": [_person(m) for m in self.authors],
            "first_posts": [_person(m) | {"text": m.text} for m in self.first_posts],
        }


def _followers(count: int | None) -> str:
    if not count:
        return ""
    if count >= 10_000:
        return f"{count / 1000:.0f}k followers"
    if count >= 1000:
        return f"{count / 1000:.1f}k followers"
    return plural(count, "follower")


def who(mention: Mention) -> str:
    """ "Sophie Hart (@sophie_eats, 2.1k followers)"."""
    about = [f"@{mention.author_handle}"] if mention.author_handle else []
    about += [_followers(mention.author_followers)] if mention.author_followers else []
    name = mention.author_name or (about.pop(0) if about else mention.source)
    return name + (f" ({', '.join(about)})" if about else "")


def _person(mention: Mention) -> dict:
    return {
        "id": mention.id,
        "author_name": mention.author_name,
        "author_handle": mention.author_handle,
        "followers": mention.author_followers,
        "source": mention.source,
        "posted_at": to_iso(mention.posted_at),
    }


def rising_terms(
    spike: list[set[str]], before: list[set[str]], top: int = TOP, prior: float = PRIOR
) -> list[RisingTerm]:
    """The terms most over-represented in `spike` against `before` (each a list of posts'
    term sets), by the log-odds ratio with an informative Dirichlet prior."""
    ours = Counter(t for post in spike for t in post)
    theirs = Counter(t for post in before for t in post)
    n_ours, n_theirs = sum(ours.values()), sum(theirs.values())
    if not n_ours:
        return []
    total = n_ours + n_theirs
    least = max(3, math.ceil(0.01 * len(spike)))
    scored = []
    for term, y_i in ours.items():
        if y_i < least:
            continue
        y_j = theirs.get(term, 0)
        alpha = prior * (y_i + y_j) / total
        delta = math.log((y_i + alpha) / (n_ours + prior - y_i - alpha)) - math.log(
            (y_j + alpha) / (n_theirs + prior - y_j - alpha)
        )
        z = delta / math.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
        if delta > 0:
            scored.append(RisingTerm(term, z, y_i, y_j))
    scored.sort(key=lambda t: -t.score)
    chosen: list[RisingTerm] = []
    for rising in scored:
        if len(chosen) >= top:
            break
        # A word that is mostly inside a phrase already chosen adds nothing ("food" beside
        # "food poisoning"), and a phrase whose words are chosen the other way round neither.
        covered = any(
            (
                " " in other.text
                and rising.text in other.text.split()
                and rising.count <= 1.3 * other.count
            )
            or (
                " " in rising.text
                and other.text in rising.text.split()
                and other.count <= 1.3 * rising.count
            )
            for other in chosen
        )
        if covered:
            if " " in rising.text:  # the phrase says more than the word: put it in its place
                chosen = [
                    c
                    for c in chosen
                    if not (c.text in rising.text.split() and c.count <= 1.3 * rising.count)
                ]
                chosen.append(rising)
            continue
        chosen.append(rising)
    return sorted(chosen, key=lambda t: -t.score)


def explain(
    mentions: MentionRepository, start: datetime, end: datetime, *, top: int = TOP
) -> Explanation:
    """Why mentions rose from `start` to `end`, against the week before `start`."""
    posts = mentions.between(start, end, SPIKE_LIMIT)
    spike_terms = [terms_of(m.text) for m in posts]
    week = mentions.texts_between(start - timedelta(days=BASELINE_DAYS), start, BASELINE_LIMIT)
    before_terms = [terms_of(text) for text, _sentiment in week]
    terms = rising_terms(spike_terms, before_terms, top)
    negative = sum(m.sentiment == "negative" for m in posts)
    scored_before = [s for _t, s in week if s]
    usual_negative = (
        sum(s == "negative" for s in scored_before) / len(scored_before) if scored_before else None
    )
    explanation = Explanation(
        start, end, len(posts), negative / len(posts) if posts else 0.0, usual_negative, terms
    )
    if not posts:
        return explanation
    sources = Counter(m.source for m in posts)
    usual_sources = mentions.source_counts(start - timedelta(days=BASELINE_DAYS), start)
    usual_total = sum(usual_sources.values())
    explanation.sources = [
        (name, n / len(posts), usual_sources.get(name, 0) / usual_total if usual_total else 0.0)
        for name, n in sources.most_common(3)
    ]
    people: dict[str, Mention] = {}
    for mention in posts:
        who = mention.author_handle or mention.author_name
        if who and (mention.author_followers or 0) > 0:
            known = people.get(who)
            if known is None or (mention.author_followers or 0) > (known.author_followers or 0):
                people[who] = mention
    explanation.authors = sorted(people.values(), key=lambda m: -(m.author_followers or 0))[:3]
    explanation.first_posts = first_posts(mentions, start, end, terms, posts)
    return explanation


def first_posts(
    mentions: MentionRepository,
    start: datetime,
    end: datetime,
    terms: list[RisingTerm],
    posts: list[Mention],
    count: int = 3,
) -> list[Mention]:
    """The earliest posts (from a little before the alarm's window) that use the rising terms:
    who started it. Without rising terms, the first posts of the spike."""
    if not terms:
        return posts[:count]
    wanted = [t.text for t in terms[:5]]
    lead_in = mentions.between(start - LEAD_IN, start, 5000)
    found = []
    for mention in [*lead_in, *posts]:
        have = terms_of(mention.text)
        if any(term in have for term in wanted):
            found.append(mention)
            if len(found) >= count:
                break
    return found

"""How a mention's words become a sentiment: tokens, what never counts, and the shipped model.

The model is a linear classifier (multinomial logistic regression) over words, word pairs
and two lexicon features, trained on human-labelled Reddit comments (GoEmotions, CC BY 4.0)
by `scripts/train_sentiment.py` and shipped as `resources/sentiment/model.json.gz`. A linear
model can say why: each word's pull towards the label is its weight, so the reading pane can
show the words that decided it.

What never carries sentiment: @handles, URLs, e-mail addresses, and the business's own names,
handles and hashtags (`Masks`). They are taken out before the words are read, so
"@united is late" reads exactly as "is late", and a gym called "Happy Fit" is not happy in
every mention.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path

from app.paths import resource

LABELS = ("negative", "neutral", "positive")
MODEL_FILE = ("sentiment", "model.json.gz")

# Placeholders (a literal "<us>" in a text): no weight, never shown as a reason.
USER, URL, OURS, NAME = "<user>", "<url>", "<us>", "<name>"
PLACEHOLDERS = frozenset({USER, URL, OURS, NAME})

# Links, e-mail addresses and @handles become placeholders first; then one pattern finds every
# token: placeholders, emoticons, words (with inner apostrophes), the last ! or ? of a run,
# and emoji. A "#" is dropped, so "#fail" reads as "fail" (the business's own tags are masked).
_LINKS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|[@＠][\w.]+")
_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(  # the commonest first: words, then marks, emoticons, emoji, placeholders
    r"[^\W_]+(?:'[^\W_]+)*"
    r"|[!?](?![!?])"
    r"|(?<!\w)[:;=8][-o*']?[()\[\]dp/\\|@3]+(?!\w)|<3"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
    r"|<(?:us|url|user|name)>"
)
_NEGATOR_WORDS = (
    "not no never none nobody nothing neither nor nowhere cannot without "
    "isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't "
    "shouldn't haven't hasn't hadn't ain't isnt arent wasnt werent dont doesnt didnt cant "
    "couldnt wont wouldnt shouldnt havent hasnt hadnt mustn't needn't mightn't shan't daren't"
)
NEGATORS = frozenset(_NEGATOR_WORDS.split())
NEGATION_REACH = 3  # a negator turns round the next three words

# A lexicon extension for complaints: customers complain in plain facts ("been waiting for
# bags for 1 hr", "still no refund") that general lexicons score as neutral. Valences are on
# VADER's -4..+4 scale. Chosen from the vocabulary of complaints in general, before and
# without looking at any evaluation set.
COMPLAINT_WORDS: dict[str, float] = {
    "waiting": -1.2,
    "waited": -1.2,
    "wait": -0.6,
    "still": -0.6,
    "again": -0.4,
    "delayed": -1.6,
    "delay": -1.4,
    "delays": -1.4,
    "late": -1.2,
    "cancelled": -1.6,
    "canceled": -1.6,
    "refund": -1.0,
    "refunds": -1.0,
    "overcharged": -2.0,
    "charged": -0.8,
    "broken": -1.8,
    "broke": -1.4,
    "lost": -1.4,
    "missing": -1.4,
    "damaged": -1.8,
    "wrong": -1.6,
    "rude": -2.2,
    "dirty": -2.0,
    "cold": -0.6,
    "stale": -1.8,
    "raw": -0.8,
    "sick": -1.8,
    "ill": -1.6,
    "poisoning": -2.6,
    "hair": -0.8,
    "hours": -0.5,
    "hrs": -0.5,
    "hr": -0.5,
    "queue": -0.6,
    "ignored": -1.8,
    "unanswered": -1.8,
    "nobody": -0.8,
    "unacceptable": -2.4,
    "ridiculous": -2.0,
    "joke": -1.0,
    "worst": -3.0,
    "never": -0.6,
    "useless": -2.2,
    "failed": -1.8,
    "fails": -1.6,
    "error": -1.2,
    "crashed": -1.8,
    "crashes": -1.6,
    "down": -0.6,
    "outage": -1.8,
    "stuck": -1.4,
    "stranded": -2.0,
    "downgraded": -1.8,
    "bumped": -1.2,
    "rebooked": -0.8,
    "overbooked": -1.8,
    "expired": -1.6,
    "mouldy": -2.4,
    "moldy": -2.4,
    "undercooked": -2.0,
    "overpriced": -1.8,
    "scam": -2.6,
    "fraud": -2.6,
    "complaint": -1.4,
    "complain": -1.2,
    "complained": -1.4,
    "disappointing": -2.0,
    "disappointed": -2.2,
    "unhelpful": -2.0,
    "incompetent": -2.4,
    "why": -0.4,
    "seriously": -0.8,
    "smh": -1.6,
    "wtf": -2.2,
    "ugh": -1.8,
    "fix": -0.6,
}
# Words a general lexicon reads kindly that complaints use otherwise ("that company is a joke").
COMPLAINT_OVERRIDES = {"joke": -1.4, "careful": 0.0, "cheap": -0.6, "funny": 0.0}


# What complaints are made of when they name no feeling: things that stopped, never came, took
# too long or cost too much; the customer leaving. One feature counts these word pairs.
_NOT = "doesn't didn't don't isn't wasn't won't can't couldn't wouldn't hasn't haven't hadn't"
_NOT_VERBS = "work working charge last fit hold arrive arrived answer respond come turn open help"
_SPANS = "a an 0 two three four five several many"
_UNITS = "hour hours hr hrs minute minutes mins min day days week weeks month months"
COMPLAINT_PAIRS = frozenset(
    [f"{n} {v}" for n in _NOT.split() for v in _NOT_VERBS.split()]
    + [f"{n.replace(chr(39), '')} {v}" for n in _NOT.split() for v in _NOT_VERBS.split()]
    + [f"{a} {b}" for a in _SPANS.split() for b in _UNITS.split()]
    + [
        "stopped working",
        "quit working",
        "fell apart",
        "falls apart",
        "not enough",
        "not worth",
        "not again",
        "not happy",
        "not recommend",
        "waste of",
        "ripped off",
        "rip off",
        "my money",
        "money back",
        "refund yet",
        "return it",
        "returned it",
        "returning it",
        "never again",
        "never received",
        "never arrived",
        "never came",
        "never got",
        "never heard",
        "never answered",
        "never responded",
        "no one",
        "no reply",
        "no response",
        "no answer",
        "no refund",
        "no update",
        "no help",
        "no way",
        "no reason",
        "no longer",
        "still no",
        "still not",
        "still waiting",
        "still haven't",
        "still nothing",
        "last time",
        "less than",
        "far below",
        "had to",
        "to wait",
        "on hold",
        "customer service",
    ]
)
_ALONE = "too poor poorly worst terrible horrible awful broke broken unacceptable"
COMPLAINT_WORDS_ALONE = frozenset(_ALONE.split())


class Masks:
    """The business's own names, handles and hashtags: they never carry sentiment.

    `names` are phrases ("Happy Fit Gym", "happy fit"); each is matched whole, case, spacing
    and punctuation aside, and squashed into one word ("happyfit") inside hashtags, handles and
    run-together spellings. All of them become one placeholder before the words are read."""

    def __init__(self, names: Iterable[str] = ()):
        phrases = set()
        for name in names:
            words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", name.casefold())
            if words:
                phrases.add(tuple(words))
        self.phrases = sorted(phrases, key=lambda p: (-len(p), p))
        self.key = "|".join(" ".join(p) for p in self.phrases)
        squashed = sorted({"".join(p) for p in self.phrases if len("".join(p)) >= 4}, key=len)
        # Whole phrases first ("Crumb & Co"), so a shorter name inside one ("Crumb") does not
        # take its first word and leave the rest ("Co") to be read.
        parts = [r"\W{1,3}".join(re.escape(w) for w in p) for p in self.phrases if len(p) > 1]
        parts += [r"[^\W_]*".join([""] + [re.escape(s)] + [""]) for s in reversed(squashed)]
        parts += [re.escape(p[0]) for p in self.phrases if len(p) == 1 and len(p[0]) < 4]
        source = r"[#@]?(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])"
        self.pattern = re.compile(source) if parts else None
        self.pattern_any_case = re.compile(source, re.IGNORECASE) if parts else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def apply(self, text: str, ignore_case: bool = False) -> str:
        """`text` (already lower case, unless `ignore_case`) with our names masked."""
        if self.pattern is None:
            return text
        pattern = self.pattern_any_case if ignore_case else self.pattern
        return pattern.sub(" ", text) if pattern is not None else text


NO_MASKS = Masks()


def words(text: str, masks: Masks = NO_MASKS) -> list[str]:
    """The text as lower-case tokens, with placeholders for what never counts."""
    folded = text.casefold().replace("’", "'")
    folded = _LINKS.sub(" ", folded)
    folded = _DIGITS.sub("0", folded)  # every number reads as "0": a figure is no feeling
    return _TOKEN.findall(masks.apply(folded) if masks else folded)


def shown_words(text: str, masks: Masks = NO_MASKS) -> list[tuple[str, str]]:
    """(token, as written) for each token, for saying why; slower than `words`."""
    masked = _LINKS.sub(" ", text.replace("’", "'"))
    masked = masks.apply(masked, ignore_case=True) if masks else masked
    found = _TOKEN_ANY_CASE.finditer(masked)
    return [(_DIGITS.sub("0", m.group().casefold()), m.group()) for m in found]


def _negator(word: str) -> bool:
    return word in NEGATORS


@cache
def lexicon() -> dict[str, float]:
    """VADER's human-rated lexicon (MIT, shipped in the vaderSentiment package), extended with
    the complaint words above."""
    from vaderSentiment import vaderSentiment

    path = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
    values: dict[str, float] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split("\t")
            if len(parts) >= 2:
                try:
                    values[parts[0].lower()] = float(parts[1])
                except ValueError:
                    continue
    for word, value in COMPLAINT_WORDS.items():
        values.setdefault(word, value)
    values.update(COMPLAINT_OVERRIDES)
    return values


def _negated(toks: list[str]) -> list[str]:
    """Words within reach of a negator become "not_word" ("not good" -> not, not_good)."""
    out = []
    reach = 0
    for text in toks:
        if text in NEGATORS:
            reach = NEGATION_REACH
            out.append(text)
        elif reach and text not in PLACEHOLDERS:
            if text in _STOPS or not text[0].isalnum():
                reach = 0
                out.append(text)
            else:
                reach -= 1
                out.append("not_" + text)
        else:
            out.append(text)
    return out


DENSE = frozenset({"<lex+>", "<lex->", "<negation>", "<bias>", "<complaint>"})


@cache
def _lexicon_pulls() -> dict[str, complex]:
    """Each lexicon word as complex(positive pull, negative pull), and "not_word" with the pull
    turned round and damped as VADER does (0.74): one pass in C sums a whole text."""
    pulls: dict[str, complex] = {}
    for word, value in lexicon().items():
        if value:
            pulls[word] = complex(max(value, 0.0), max(-value, 0.0))
            pulls["not_" + word] = complex(0.74 * max(-value, 0.0), 0.74 * max(value, 0.0))
    return pulls


def feature_parts(toks: list[str]) -> tuple[set[str], dict[str, float]]:
    """(sparse feature names, dense features) of a text's tokens: words (negated ones as
    "not_word"), word pairs, and the dense lexicon, negation and complaint features. Names
    with placeholders have no weight in the model: they count for nothing."""
    negations = 0
    if not NEGATORS.isdisjoint(toks):
        marked = _negated(toks)
        negations = sum(1 for t in toks if t in NEGATORS)
    else:
        marked = toks
    names = set(marked)
    names.update(map(" ".join, zip(["<s>", *toks], toks, strict=False)))
    pull = sum(map(_lexicon_pulls().get, marked, repeat(0j)))
    dense = {
        "<lex+>": math.log1p(pull.real),
        "<lex->": math.log1p(pull.imag),
        "<negation>": math.log1p(negations),
        "<bias>": 1.0,
    }
    complaints = len(names & COMPLAINT_PAIRS) + len(COMPLAINT_WORDS_ALONE.intersection(toks))
    if complaints:
        dense["<complaint>"] = math.log1p(complaints)
    return names, dense


def features(toks: list[str]) -> dict[str, float]:
    """All features as one mapping (for training)."""
    names, dense = feature_parts(toks)
    feats = dict.fromkeys((n for n in names if not any(p in n for p in PLACEHOLDERS)), 1.0)
    feats.update(dense)
    return feats


_STOPS = frozenset({"!", "?", "but", "however", "although", "though"})
_TOKEN_ANY_CASE = re.compile(_TOKEN.pattern, re.IGNORECASE)
# Words too plain to be shown as a reason on their own.
_PLAIN_WORDS = (
    "the a an and or of to in on at for with by from is are was were be been am it it's "
    "this that these those i me my we our you your he she they them their his her its so "
    "as if then than there here what which who do did does has have had will would can "
    "just all any some get got up out about into over"
)
_PLAIN = frozenset(_PLAIN_WORDS.split())


@dataclass(frozen=True)
class Reading:
    label: str
    score: float  # p(positive) - p(negative), in -1..1
    reasons: tuple[str, ...] = ()  # the words that pushed the label, strongest first


class Model:
    """Weights per feature, one per label (negative, neutral, positive)."""

    def __init__(self, weights: dict[str, list[float]], meta: dict | None = None):
        self.weights = weights
        self.meta = meta or {}
        self.version = str(self.meta.get("version", "0"))
        # Only the differences from neutral decide the label and the probabilities, so each
        # word's pull is complex(negative - neutral, positive - neutral): a text's sum is one
        # pass in C over its features.
        self._pulls = {
            name: complex(w[0] - w[1], w[2] - w[1])
            for name, w in weights.items()
            if name not in DENSE
        }

    @classmethod
    def load(cls, path: Path) -> Model:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(data["weights"], data.get("meta"))

    def save(self, path: Path) -> None:
        text = json.dumps({"meta": self.meta, "weights": self.weights}, separators=(",", ":"))
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
            handle.write(text)

    def logits(self, feats: dict[str, float]) -> list[float]:
        n = p = u = 0.0
        weights = self.weights
        for name, value in feats.items():
            w = weights.get(name)
            if w is not None:
                n += w[0] * value
                u += w[1] * value
                p += w[2] * value
        return [n, u, p]

    def scores(self, toks: list[str]) -> list[float]:
        """`logits(features(toks))` less the same amount on each label (which changes neither
        the label nor the probabilities), faster: the lookups run in C."""
        names, dense = feature_parts(toks)
        pull = sum(map(self._pulls.get, names, repeat(0j)))
        scores = [pull.real, 0.0, pull.imag]
        get = self.weights.get
        for name, value in dense.items():
            w = get(name)
            if w is not None:
                scores[0] += w[0] * value
                scores[1] += w[1] * value
                scores[2] += w[2] * value
        return scores

    def read(self, text: str, masks: Masks = NO_MASKS, explain: bool = False) -> Reading:
        return self.read_words(words(text, masks), text, masks, explain)

    def label_of(self, toks: list[str]) -> tuple[str, float]:
        """(label, p(positive) - p(negative)) of tokens made by `words`: `read` without the
        reasons, for scoring many texts."""
        n, u, p = self.scores(toks)
        top = max(n, u, p)
        en, eu, ep = math.exp(n - top), math.exp(u - top), math.exp(p - top)
        label = LABELS[0] if top == n else LABELS[2] if top == p else LABELS[1]
        return label, round((ep - en) / (en + eu + ep), 4)

    def read_words(
        self, toks: list[str], text: str = "", masks: Masks = NO_MASKS, explain: bool = False
    ) -> Reading:
        """`read` of tokens already made by `words(text, masks)`."""
        scores = self.scores(toks)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        best = scores.index(top)
        reasons = self._reasons(text, masks, best) if explain else ()
        return Reading(LABELS[best], round((exps[2] - exps[0]) / sum(exps), 4), reasons)

    def _reasons(self, text: str, masks: Masks, best: int) -> tuple[str, ...]:
        """The words that pushed the label, strongest first, as they were written: each
        word's push is how much less sure of the label the model is without it."""

        def margin(toks: list[str]) -> float:
            scores = self.scores(toks)
            return scores[best] - max(s for i, s in enumerate(scores) if i != best)

        pairs = shown_words(text, masks)
        toks = [word for word, _ in pairs]
        base = margin(toks)
        pushes: dict[str, float] = {}
        for i, (word, shown) in enumerate(pairs):
            if word in PLACEHOLDERS or word in _PLAIN or len(word) < 2 or not word[0].isalpha():
                continue
            push = base - margin(toks[:i] + toks[i + 1 :])
            if push > 0.05:
                if _negator(word) and i + 1 < len(pairs):
                    shown = f"{shown} {pairs[i + 1][1]}"  # "not good", not a lone "not"
                pushes[shown] = max(push, pushes.get(shown, 0.0))
        ranked = sorted(pushes.items(), key=lambda item: -item[1])
        return tuple(word for word, _ in ranked[:4])


@cache
def shipped_model() -> Model:
    return Model.load(resource(*MODEL_FILE))

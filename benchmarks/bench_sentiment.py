"""Sentiment against people, and its speed: the shipped model, VADER as shipped, and VADER with
our masks and complaint lexicon, on real human-labelled text, in one run.

Quality: accuracy, macro-F1 (over the labels the set has) and negative recall on
- held out (never trained or tuned on): Sentiment Labelled Sentences' Yelp part (restaurant
  reviews, the complaint-like set), VADER's tweets ground truth, GoEmotions' test split;
- development (used to choose the decision rule, so not a fair test): Sentiment Labelled
  Sentences' Amazon part, GoEmotions' dev split.
The Twitter US Airline Sentiment set is the project's held-out measure and is not read here.
The data are read from $CRISISDESK_SENTIMENT_DATA (default benchmarks/data/sentiment); see
benchmarks/SENTIMENT_DATA.md for where each file comes from. Without them only speed runs.

Speed: scoring BENCH_SENTIMENT_MENTIONS (default 200,000: a viral week) mentions in a workspace
(read, score, write, on both cores, as the app does, the worker processes started inside the
timing) against one plain VADER loop over the same texts. Target: >= 1.7x. It needs both cores
to itself: anything else running takes from the parallel run and not from the baseline.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.mentions.model import NewMention
from app.mentions.reader import COMPLAINT_WORDS, Masks, shipped_model
from app.mentions.sentiment import score_pending
from app.store import open_store

DATA = Path(
    os.environ.get("CRISISDESK_SENTIMENT_DATA")
    or Path(__file__).resolve().parent / "data" / "sentiment"
)
NEUTRAL_BAND = 0.5  # VADER ground truth: a mean rating within +-0.5 of zero is neutral
_HANDLES_AND_LINKS = re.compile(r"(?:https?://|www\.)\S+|[@＠][\w.]+")


def kotzias(name: str) -> list[tuple[str, str]]:
    rows = []
    path = DATA / "kotzias" / f"{name}_labelled.txt"
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if "\t" in line:
            text, label = line.rsplit("\t", 1)
            rows.append((text.strip(), "positive" if label.strip() == "1" else "negative"))
    return rows


def vader_ground_truth(name: str) -> list[tuple[str, str]]:
    rows = []
    path = DATA / "hutto_ICWSM_2014" / f"{name}_GroundTruth.txt"
    for line in path.read_text(encoding="latin-1").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            mean = float(parts[1])
            label = (
                "positive"
                if mean >= NEUTRAL_BAND
                else "negative"
                if mean <= -NEUTRAL_BAND
                else "neutral"
            )
            rows.append((parts[2], label))
    return rows


def goemotions(split: str) -> list[tuple[str, str]]:
    groups = {0: "ambiguous", 1: "negative", 2: "neutral", 3: "positive"}
    rows = []
    path = DATA / "goemotions" / f"{split}.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        text, ids, _ = line.split("\t")
        labels = {groups[int(i)] for i in ids.split(",")}
        if "ambiguous" in labels:
            labels = (labels - {"ambiguous"}) or {"neutral"}
        if len(labels) > 1:
            labels -= {"neutral"}
        if len(labels) == 1:
            rows.append((text.replace("[NAME]", " "), labels.pop()))
    return rows


SETS: list[tuple[str, str, Callable[[], list[tuple[str, str]]]]] = [
    ("Yelp sentences (complaint-like reviews)", "held out", lambda: kotzias("yelp")),
    ("VADER tweets (social posts)", "held out", lambda: vader_ground_truth("tweets")),
    ("GoEmotions test (Reddit comments)", "held out", lambda: goemotions("test")),
    ("Amazon sentences (product reviews)", "development", lambda: kotzias("amazon")),
    ("GoEmotions dev (Reddit comments)", "development", lambda: goemotions("dev")),
]


def metrics(gold: list[str], predicted: list[str]) -> tuple[float, float, float]:
    """(accuracy, macro-F1 over the labels the set has, negative recall)."""
    pairs = list(zip(gold, predicted, strict=True))
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    f1s = []
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    negatives = [p for g, p in pairs if g == "negative"]
    recall = sum(p == "negative" for p in negatives) / len(negatives)
    return accuracy, sum(f1s) / len(f1s), recall


def vader_label(compound: float) -> str:
    return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"


def readers() -> list[tuple[str, Callable[[str], str]]]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    shipped = SentimentIntensityAnalyzer()
    extended = SentimentIntensityAnalyzer()
    for word, value in COMPLAINT_WORDS.items():
        extended.lexicon.setdefault(word, value)
    model = shipped_model()
    masks = Masks()
    return [
        ("VADER as shipped", lambda t: vader_label(shipped.polarity_scores(t)["compound"])),
        (
            "VADER + masks + complaint words",
            lambda t: vader_label(
                extended.polarity_scores(_HANDLES_AND_LINKS.sub("", t))["compound"]
            ),
        ),
        ("ours (shipped model)", lambda t: model.read(t, masks).label),
    ]


def quality() -> list[str]:
    texts: list[str] = []
    if not (DATA / "kotzias").is_dir():
        print(f"quality: no data at {DATA} (see benchmarks/SENTIMENT_DATA.md); speed only")
        return texts
    methods = readers()
    print(f"{'set':44} {'role':11} {'n':>6}  {'method':33} {'acc':>5} {'F1':>5} {'negR':>5}")
    for name, role, load in SETS:
        rows = load()
        texts += [t for t, _ in rows]
        gold = [label for _, label in rows]
        for method, read in methods:
            acc, f1, recall = metrics(gold, [read(t) for t, _ in rows])
            figures = f"{acc:5.3f} {f1:5.3f} {recall:5.3f}"
            print(f"{name:44} {role:11} {len(rows):6}  {method:33} {figures}")
    return texts


def speed(texts: list[str]) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    count = int(os.environ.get("BENCH_SENTIMENT_MENTIONS", "200000"))
    if not texts:
        rng = random.Random(5)
        words = ["great", "awful", "bakery", "late", "waiting", "lovely", "sick", "queue", "rude"]
        texts = [" ".join(rng.choices(words, k=12)) for _ in range(5000)]
    texts = [t for t in texts if t.strip()]
    sample = [texts[i % len(texts)] for i in range(count)]
    vader = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in sample:
        vader.polarity_scores(text)
    plain = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "b.db") as store:
        store.mentions.add_many(
            NewMention(source="bench", text=text, external_id=str(i))
            for i, text in enumerate(sample)
        )
        shipped_model()  # this process reads the model once, as the window has by then
        start = time.perf_counter()  # the workers' fork server starts inside the timing
        scored = score_pending(store, workers=os.cpu_count() or 2)
        app = time.perf_counter() - start
    print(
        f"speed on {count:,} texts: plain VADER loop {count / plain:,.0f}/s; the app (read, "
        f"score, write, {os.cpu_count()} processes) {scored / app:,.0f}/s: "
        f"{plain / app:.2f}x (target >= 1.7x)"
    )


def run() -> None:
    speed(quality())


if __name__ == "__main__":
    run()

"""Offline sentiment with VADER (its lexicon ships inside the package; nothing is fetched).

Scoring runs after an import, not inside it: VADER reads roughly 10-25k short texts a second
per core, several times slower than the insert itself, so the import commits first and the
scores follow in the background (`score_pending`), using every core for large backlogs.
Mentions not yet scored have sentiment NULL and count as neither negative nor positive.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.store import Store


# VADER's own recommended thresholds on the compound score.
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
CHUNK = 2000
PARALLEL_FROM = 20_000  # below this, starting worker processes costs more than it saves

_analyzer = None


def analyzer():
    global _analyzer
    if _analyzer is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _analyzer = SentimentIntensityAnalyzer()
    return _analyzer


def label_for(compound: float) -> str:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def score_text(text: str) -> tuple[str, float]:
    compound = analyzer().polarity_scores(text[:5000])["compound"]
    return label_for(compound), compound


def score_rows(rows: list[tuple[int, str]]) -> list[tuple[str, float, int]]:
    """[(id, text)] -> [(label, compound, id)], ready for `set_sentiments`."""
    scored = []
    for mention_id, text in rows:
        label, compound = score_text(text)
        scored.append((label, compound, mention_id))
    return scored


def score_pending(
    store: Store,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> int:
    """Score every mention without a sentiment; returns how many were scored.

    Each chunk is committed as it is done, so cancelling (or closing the app) keeps the work
    already finished and the rest is picked up next time."""
    total = store.mentions.unscored_count()
    if not total:
        return 0
    workers = workers or (os.cpu_count() or 1)
    done = 0
    last_id = 0
    pool = None
    if workers > 1 and total >= PARALLEL_FROM:
        # "spawn", not fork: the window's process has Qt threads that a fork would copy.
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        while True:
            if cancelled is not None and cancelled():
                break
            chunks = []
            for _ in range(workers if pool else 1):
                rows = store.mentions.unscored(last_id, CHUNK)
                if not rows:
                    break
                last_id = rows[-1][0]
                chunks.append(rows)
            if not chunks:
                break
            results = pool.map(score_rows, chunks) if pool else map(score_rows, chunks)
            for scored in results:
                store.mentions.set_sentiments(scored)
                done += len(scored)
            if progress is not None:
                progress(done, total)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return done

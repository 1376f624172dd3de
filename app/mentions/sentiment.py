"""Offline sentiment: the shipped model reads each mention, after the import, in the background.

`app.mentions.reader` holds the model and says why; this module decides what it reads, and
keeps the store's labels current:

- English only (`app.mentions.language`): a mention in another language is stored as
  "language" — shown as "not scored (language)" — rather than guessed at.
- Handles, links and the business's own names never carry sentiment (`masks_for`): the
  profile's name (with and without words such as "Bakery" or "Ltd"), its web domain, and the
  sources' queries, tags and handles.
- The owner's correction wins (`correct`): it is written to the mention and never scored over.
- When the model or the business's names change, every label the model gave is read again.

Scoring runs after an import, not inside it, committing chunk by chunk, so cancelling keeps
what is done. Large backlogs are shared between worker processes (forked warm from a fork
server that has read the model once), each scoring while this process writes the results.
Mentions not yet read have sentiment NULL and count as neither negative nor positive.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from typing import TYPE_CHECKING

from app.mentions.language import ENGLISH, detect, language_of
from app.mentions.reader import LABELS, Masks, Reading, lexicon, shipped_model, words

if TYPE_CHECKING:
    from app.store import Store

NOT_SCORED = "language"  # the stored word for "not scored (language)"
CHUNK = 2000
PARALLEL_FROM = 20_000  # below this, starting worker processes costs more than it saves
READING_KEY = "sentiment_reading"  # the model and names the stored labels were read with

# Words a business name ends in that people leave out ("Sweet Home Bakery" -> "Sweet Home").
_GENERIC_WORDS = (
    "bakery bakeries cafe café coffee gym fitness dental dentist dentists practice clinic shop "
    "shops store stores restaurant bar pub kitchen studio salon ltd limited inc llc co company "
    "and & the group uk"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
_OPERATORS = re.compile(r"\b(?:OR|AND|NOT)\b|[()]")


def business_names(profile_name: str, website: str = "") -> list[str]:
    """The names people use for the business: its full name, the name without generic words
    at the end ("Sweet Home Bakery" -> "Sweet Home"), and its web domain's first part."""
    names = []
    name = profile_name.strip()
    if name:
        names.append(name)
        words = name.split()
        while len(words) > 1 and words[-1].casefold().strip(".,") in _GENERIC:
            words = words[:-1]
            names.append(" ".join(words))
        # "H&C" for "Hearth & Crumb": the initials of a name of two or more words.
        initials = [w[0] for w in re.findall(r"[^\W\d_]+", name) if w.casefold() not in _GENERIC]
        if len(initials) >= 2:
            names.append("&".join(initials))
    domain = re.sub(r"^(?:https?://)?(?:www\.)?", "", website.strip().casefold()).split("/")[0]
    if "." in domain and len(domain.split(".")[0]) >= 4:
        names.append(domain.split(".")[0])
    return names


def query_names(query: str) -> list[str]:
    """The phrases of a source's search query ("\"Happy Fit\" OR happyfit -jobs"): each quoted
    phrase and each run of plain words between operators; excluded words are not names. A single
    word that carries sentiment on its own ("sick") is a topic, not a name, and is left out."""
    names = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    for part in _OPERATORS.split(rest):
        words = [w for w in part.split() if not w.startswith("-")]
        if len(words) > 1 or (words and abs(lexicon().get(words[0].casefold(), 0.0)) < 1.0):
            names.append(" ".join(words))
    return [n.strip() for n in names if n.strip()]


def masks_for(store: Store) -> Masks:
    """Everything that names the business in this workspace."""
    names: list[str] = []
    profile = store.business.get()
    if profile is not None:
        names += business_names(profile.name, profile.website)
    for source in store.sources.all():
        names += query_names(source.query)
        for key in ("handle", "tag", "account", "subreddit"):
            value = str(source.options.get(key) or "").strip().lstrip("@#")
            if key == "subreddit":
                value = value.removeprefix("r/")
            if value:
                names.append(value.split(".")[0] if key == "handle" else value)
    return Masks(names)


def fingerprint(masks: Masks) -> str:
    digest = hashlib.sha1(masks.key.encode("utf-8")).hexdigest()[:12]
    return f"{shipped_model().version}:{digest}"


@lru_cache(maxsize=4)
def _masks(names: tuple[str, ...]) -> Masks:
    return Masks(names)


def read(text: str, *, masks: Masks | None = None, language: str = "") -> Reading:
    """The model's reading of one text, with the words that decided it; a text in another
    language is not read."""
    if language_of(text, language) != ENGLISH:
        return Reading(NOT_SCORED, 0.0)
    return shipped_model().read(text[:5000], masks or Masks(), explain=True)


def score_text(text: str, masks: Masks | None = None, language: str = "") -> tuple[str, float]:
    """(label, score) for one text; ("language", 0.0) when it is not in English."""
    if language_of(text, language) != ENGLISH:
        return NOT_SCORED, 0.0
    reading = shipped_model().read(text[:5000], masks or Masks())
    return reading.label, reading.score


def score_rows(
    rows: Iterable[tuple], names: tuple[str, ...] = ()
) -> list[tuple[str, float | None, int]]:
    """[(id, text[, language])] -> [(label, score, id)], ready for `set_sentiments`."""
    masks = _masks(tuple(names))
    model = shipped_model()
    scored: list[tuple[str, float | None, int]] = []
    for row in rows:
        mention_id, text = row[0], row[1][:5000]
        toks = words(text, masks)
        given = row[2] if len(row) > 2 else ""
        if (language_of(text, given, toks) if given else detect(text, toks)) != ENGLISH:
            scored.append((NOT_SCORED, None, mention_id))
            continue
        label, score = model.label_of(toks)
        scored.append((label, score, mention_id))
    return scored


def correct(store: Store, mention_id: int, label: str) -> None:
    """The owner's label: it replaces the model's, and re-scoring keeps it."""
    store.mentions.correct_sentiment(mention_id, label)


def ensure_current(store: Store, masks: Masks) -> bool:
    """Forget the model's labels when they were read by another model or with other names.
    True when they were forgotten."""
    current = fingerprint(masks)
    stored = store.settings.get(READING_KEY)
    if stored == current:
        return False
    # A workspace from before this model holds VADER's labels: they are read again too.
    forgotten = store.mentions.forget_model_sentiments()
    store.settings.set(READING_KEY, current)
    return bool(forgotten)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Never a plain fork: the window's process has Qt threads that a fork would copy. Where
    there is one (POSIX), a fork server: a fresh process that reads the model once and forks
    warm workers from then on, for this and every later scoring; elsewhere, spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["app.mentions.warm"])
        return context
    return multiprocessing.get_context("spawn")


def score_pending(
    store: Store,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> int:
    """Score every mention without a sentiment; returns how many were scored.

    Each chunk is committed as it is done, so cancelling (or closing the app) keeps the work
    already finished and the rest is picked up next time. With several workers, chunks are
    read and sent ahead, so the workers score while this process writes."""
    masks = masks_for(store)
    ensure_current(store, masks)
    total = store.mentions.unscored_count()
    if not total:
        return 0
    names = tuple(" ".join(p) for p in masks.phrases)
    workers = workers or (os.cpu_count() or 1)
    pool = None
    if workers > 1 and total >= PARALLEL_FROM:
        pool = ProcessPoolExecutor(workers, mp_context=_worker_context())
    done = 0
    last_id = 0

    def next_chunk() -> list[tuple] | None:
        nonlocal last_id
        rows = store.mentions.unscored(last_id, CHUNK)
        if not rows:
            return None
        last_id = rows[-1][0]
        return rows

    try:
        if pool is None:
            while not (cancelled is not None and cancelled()):
                rows = next_chunk()
                if rows is None:
                    break
                scored = score_rows(rows, names)
                store.mentions.set_sentiments(scored)
                done += len(scored)
                if progress is not None:
                    progress(done, total)
            return done
        waiting: deque[Future] = deque()
        finished_reading = False
        while True:
            while not finished_reading and len(waiting) < 2 * workers:
                rows = next_chunk()
                if rows is None:
                    finished_reading = True
                    break
                waiting.append(pool.submit(score_rows, rows, names))
            if not waiting or (cancelled is not None and cancelled()):
                break
            scored = waiting.popleft().result()
            store.mentions.set_sentiments(scored)
            done += len(scored)
            if progress is not None:
                progress(done, total)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return done


__all__ = [
    "LABELS",
    "NOT_SCORED",
    "business_names",
    "correct",
    "masks_for",
    "query_names",
    "read",
    "score_pending",
    "score_rows",
    "score_text",
]

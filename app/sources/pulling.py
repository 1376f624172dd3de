"""One pull of one source: fetch, then store the rows and move the cursor in ONE transaction,
so a crash or a kill never skips or doubles mentions; failures back off exponentially with
jitter, and honour the service's Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests

from app.db import write_transaction
from app.secrets import SecretStore
from app.sources.http import Http, SourceError
from app.sources.registry import ADAPTERS
from app.sources.repository import Source
from app.store import Store

MAX_BACKOFF = timedelta(hours=6)


@dataclass
class PullOutcome:
    name: str
    new: int = 0
    duplicates: int = 0
    error: str = ""
    skipped: str = ""  # why nothing was tried (paused, busy elsewhere)

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict:
        return {
            "source": self.name,
            "new": self.new,
            "duplicates": self.duplicates,
            "error": self.error or None,
            "skipped": self.skipped or None,
        }


def next_attempt(source: Source, now: datetime, error: SourceError, rng=random) -> datetime:
    """Exponential backoff with jitter from the source's interval; never before Retry-After."""
    base = timedelta(minutes=source.interval_minutes) * (2 ** min(source.failures, 10))
    delay = min(base, MAX_BACKOFF) * rng.uniform(0.8, 1.2)
    when = now + delay
    if error.retry_at and error.retry_at > when:
        when = error.retry_at
    return when


def fetch_page(
    source: Source, secrets: SecretStore, now: datetime, session: requests.Session | None = None
):
    """Fetch without storing: used by pulls and by the Sources page's Test connection."""
    adapter = ADAPTERS[source.kind]
    problems = adapter.validate(source.settings)
    if problems:
        raise SourceError(" ".join(problems), permanent=True)
    secret = secrets.get(source.secret_name) if adapter.secret_label else None
    http = Http(now, session)
    return adapter.fetch(source.settings, dict(source.cursor), http, secret), http


def pull_source(
    store: Store,
    name: str,
    secrets: SecretStore,
    *,
    now: datetime | None = None,
    session: requests.Session | None = None,
) -> PullOutcome:
    now = now or store.clock()
    source = store.sources.get(name)
    if not store.sources.claim(source.id, now):
        return PullOutcome(name, skipped="another pull of this source is running")
    try:
        page, http = fetch_page(source, secrets, now, session)
    except SourceError as exc:
        store.sources.record_failure(source, str(exc), now, next_attempt(source, now, exc))
        return PullOutcome(name, error=str(exc))
    except Exception:
        store.sources.release(source.id)
        raise
    with write_transaction(store.db):  # BEGIN IMMEDIATE: a worker may have written meanwhile
        result = store.mentions.add_many(page.mentions)
        store.sources.record_success(source, page.cursor, result.added, now, http.rate.as_text())
    return PullOutcome(name, result.added, result.duplicates)


def pull_many(
    store: Store,
    names: list[str],
    secrets: SecretStore,
    *,
    now: datetime | None = None,
    session: requests.Session | None = None,
) -> list[PullOutcome]:
    if store.sources.paused():
        return [PullOutcome(n, skipped="pulls are paused") for n in names]
    outcomes = [pull_source(store, n, secrets, now=now, session=session) for n in names]
    score_new(store, outcomes)
    return outcomes


def score_new(store: Store, outcomes: list[PullOutcome]) -> None:
    """New mentions get their sentiment right away, so the spike alarm counts them."""
    from app.mentions.sentiment import score_pending

    if any(o.new for o in outcomes):
        score_pending(store, workers=1)

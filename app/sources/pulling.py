"""One pull of one source: fetch, then store the rows and move the cursor in ONE transaction,
so a crash or a kill never skips or doubles mentions; failures back off exponentially with
jitter, and honour the service's Retry-After (at most a day). Whatever goes wrong with one
source is recorded on it as one sentence and its claim is released: it never stops the others.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import requests

from app.db import write_transaction
from app.errors import Cancelled, UserError, describe_failure
from app.logs import log_unexpected
from app.secrets import SecretStore
from app.sources.http import MAX_WAIT, Http, SourceError
from app.sources.registry import ADAPTERS
from app.sources.repository import Source

if TYPE_CHECKING:
    from app.store import Store

MAX_BACKOFF = timedelta(hours=6)


@dataclass
class PullOutcome:
    name: str
    new: int = 0
    duplicates: int = 0
    error: str = ""
    skipped: str = ""  # why nothing was tried (paused, busy elsewhere)
    rejected: int = 0  # items the service sent that could not be read

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict:
        return {
            "source": self.name,
            "new": self.new,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "error": self.error or None,
            "skipped": self.skipped or None,
        }


def next_attempt(source: Source, now: datetime, error: BaseException, rng=random) -> datetime:
    """Exponential backoff with jitter from the source's interval; never before Retry-After,
    never more than a day ahead however large the service's Retry-After."""
    minutes = max(source.interval_minutes, 1) * 2 ** min(max(source.failures, 0), 10)
    base = min(timedelta(minutes=min(minutes, MAX_BACKOFF.total_seconds() / 60)), MAX_BACKOFF)
    when = now + base * rng.uniform(0.8, 1.2)
    retry_at = getattr(error, "retry_at", None)
    if isinstance(retry_at, datetime) and retry_at.tzinfo and retry_at > when:
        when = min(retry_at, now + MAX_WAIT)
    return when


def fetch_page(
    source: Source, secrets: SecretStore, now: datetime, session: requests.Session | None = None
):
    """Fetch without storing: used by pulls and by the Sources page's Test connection."""
    adapter = ADAPTERS[source.kind]
    problems = adapter.validate(source.settings)
    secret = secrets.get(source.secret_name) if adapter.secret_label else None
    if secret or adapter.secret_required:
        problems += adapter.insecure_secret_problems(source.settings)
    if problems:
        raise SourceError(" ".join(problems), permanent=True)
    http = Http(now, session)
    return adapter.fetch(source.settings, dict(source.cursor), http, secret), http


def failure_sentence(exc: Exception, source: Source, store: Store) -> str:
    """The health line for a failed pull: the service's own sentence, or a truthful one."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, sqlite3.Error | OSError):
        return describe_failure(exc, store.path)
    log_unexpected(exc, f"pull of a {source.kind} source")  # where, never a value or secret
    return (
        f"{source.name} sent something Crisis Desk could not handle "
        f"({exc.__class__.__name__}); nothing from this pull was kept, and it will be tried "
        "again later."
    )


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
    settled = False  # the claim was released by recording success or failure
    try:
        try:
            page, http = fetch_page(source, secrets, now, session)
            with write_transaction(store.db):  # BEGIN IMMEDIATE: a worker may have written
                # A pull that brings mentions is an import batch, so it can be undone.
                batch_id = store.batches.start("pull", source.name, source.kind)
                result = store.mentions.add_many(page.mentions, batch_id=batch_id)
                if result.added:
                    store.batches.finish(
                        batch_id, result.added, result.duplicates, page.rejected, []
                    )
                else:
                    store.batches.discard(batch_id)
                store.sources.record_success(
                    source, page.cursor, result.added, now, http.rate.as_text()
                )
            settled = True
            return PullOutcome(name, result.added, result.duplicates, rejected=page.rejected)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of one source is that source's
            message = failure_sentence(exc, source, store)
            try:
                store.sources.record_failure(source, message, now, next_attempt(source, now, exc))
                settled = True
            except (sqlite3.Error, OSError, UserError):
                pass  # the workspace cannot be written now; the outcome still says why
            return PullOutcome(name, error=message)
    finally:
        if not settled:
            # If even that fails, the claim lapses by itself after a few minutes.
            with contextlib.suppress(sqlite3.Error, OSError, UserError):
                store.sources.release(source.id)


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
    store.detection.recheck()  # the windows, watch queries and reach, after every pull
    return outcomes


def score_new(store: Store, outcomes: list[PullOutcome]) -> None:
    """New mentions get their sentiment right away, so the spike alarm counts them."""
    from app.mentions.sentiment import score_pending

    if any(o.new for o in outcomes):
        score_pending(store, workers=1)

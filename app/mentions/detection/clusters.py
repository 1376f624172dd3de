"""Coordinated posts: near-identical texts from many accounts in a short time (a review bomb, a
copy-and-paste campaign), and the export of one for a platform's or review site's appeal.

Texts are compared after taking out what a campaign varies for free (case, links, @handles,
punctuation, spacing); two posts are near-identical when their normalised edit-distance
similarity (`rapidfuzz.fuzz.ratio`, in C++) is at least `SIMILAR`: a few words changed, added or
misspelt in a post of a dozen words. Near-identical pairs are joined into clusters; a cluster
counts when it holds posts from at least `MIN_ACCOUNTS` different accounts. Ordinary people
complaining about the same event use their own words and stay apart. Only posts within `SPAN` of
each other are compared, which keeps a day of mentions quick to read.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process

from app.errors import Cancelled
from app.files import write_atomic
from app.mentions.model import Mention
from app.mentions.repository import MentionRepository
from app.text import csv_safe_row, plural
from app.timeutil import format_duration, to_iso

SIMILAR = 80  # rapidfuzz's 0-100 similarity of the normalised texts
MIN_ACCOUNTS = 5
MIN_WORDS = 5  # "Terrible!!" from ten people is agreement, not a campaign
SPAN = timedelta(hours=6)
LOW_FOLLOWERS = 50
LIMIT = 20_000

_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")
_NOISE = re.compile(r"[^\w#]+")
_HASHTAG = re.compile(r"#\w+")


def normalise(text: str) -> str:
    text = _HANDLE.sub(" ", _URL.sub(" ", text.casefold()))
    return " ".join(_NOISE.sub(" ", text).split())


@dataclass
class Cluster:
    number: int
    posts: list[Mention]  # oldest first

    @property
    def accounts(self) -> int:
        return len({_account(m) for m in self.posts})

    @property
    def start(self) -> datetime:
        return self.posts[0].posted_at

    @property
    def end(self) -> datetime:
        return self.posts[-1].posted_at

    @property
    def text(self) -> str:
        """The most common wording."""
        return Counter(" ".join(m.text.split()) for m in self.posts).most_common(1)[0][0]

    @property
    def low_follower_share(self) -> float:
        known = [m.author_followers for m in self.posts if m.author_followers is not None]
        return sum(f < LOW_FOLLOWERS for f in known) / len(known) if known else 0.0

    @property
    def hashtags(self) -> list[str]:
        """Hashtags in nearly every post of the cluster."""
        counts = Counter(
            t for m in self.posts for t in {h.casefold() for h in _HASHTAG.findall(m.text)}
        )
        return sorted(t for t, n in counts.items() if n >= 0.8 * len(self.posts))

    @property
    def sources(self) -> list[str]:
        return [name for name, _n in Counter(m.source for m in self.posts).most_common()]

    def headline(self) -> str:
        took = self.end - self.start
        span = "at once" if took < timedelta(minutes=1) else f"in {format_duration(took)}"
        return (
            f"{plural(len(self.posts), 'near-identical post')} from "
            f"{plural(self.accounts, 'account')} {span}"
        )

    def signals(self) -> list[str]:
        said = []
        if self.low_follower_share >= 0.5:
            said.append(
                f"{self.low_follower_share:.0%} from accounts with under {LOW_FOLLOWERS} followers"
            )
        if self.hashtags:
            said.append("the same hashtags: " + " ".join(self.hashtags))
        if len(self.sources) == 1:
            said.append(f"all on {self.sources[0]}")
        return said

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "headline": self.headline(),
            "posts": len(self.posts),
            "accounts": self.accounts,
            "start": to_iso(self.start),
            "end": to_iso(self.end),
            "text": self.text,
            "low_follower_share": round(self.low_follower_share, 3),
            "hashtags": self.hashtags,
            "sources": self.sources,
            "signals": self.signals(),
            "mention_ids": [m.id for m in self.posts],
        }


def _account(mention: Mention) -> str:
    return (mention.author_handle or mention.author_name or f"#{mention.id}").casefold()


def find_clusters(
    mentions: MentionRepository,
    since: datetime,
    until: datetime,
    *,
    min_accounts: int = MIN_ACCOUNTS,
    similar: int = SIMILAR,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Cluster]:
    """Clusters of near-identical posts from at least `min_accounts` accounts, posted in
    [since, until), biggest first. `progress(done, total)` hears how many texts have been
    compared; `cancelled()` returning True stops the work with `Cancelled`."""
    posts = [
        m
        for m in mentions.between(since, until, LIMIT)
        if len(normalise(m.text).split()) >= MIN_WORDS
    ]
    texts = [normalise(m.text) for m in posts]
    # The same normalised text is one text to compare; its posts come along.
    unique: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        unique.setdefault(text, []).append(index)
    keys = list(unique)
    firsts = [posts[unique[k][0]].posted_at for k in keys]
    lasts = [posts[unique[k][-1]].posted_at for k in keys]
    order = sorted(range(len(keys)), key=lambda i: firsts[i])
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ordered_keys = [keys[i] for i in order]
    ordered_firsts = [firsts[i] for i in order]
    for position, i in enumerate(order):
        if position % 200 == 0:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(position, len(order))
        # Only texts first posted within SPAN after this one's last post are compared.
        stop = bisect_right(ordered_firsts, lasts[i] + SPAN)
        if stop <= position + 1:
            continue
        matches = process.extract(
            keys[i],
            ordered_keys[position + 1 : stop],
            scorer=fuzz.ratio,
            score_cutoff=similar,
            limit=None,
        )
        for _choice, _score, found in matches:
            a, b = root(i), root(order[position + 1 + found])
            if a != b:
                parent[b] = a
    if progress is not None:
        progress(len(order), len(order))
    groups: dict[int, list[Mention]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(root(index), []).extend(posts[p] for p in unique[key])
    clusters = [
        sorted(group, key=lambda m: (m.posted_at, m.id))
        for group in groups.values()
        if len({_account(m) for m in group}) >= min_accounts
    ]
    clusters.sort(key=lambda group: (-len({_account(m) for m in group}), group[0].posted_at))
    return [Cluster(number, group) for number, group in enumerate(clusters, start=1)]


EXPORT_COLUMNS = (
    "posted_at_utc", "source", "author_name", "author_handle", "followers", "url", "text",
    "mention_id",
)  # fmt: skip


def cluster_csv(cluster: Cluster) -> str:
    """The cluster as CSV for an appeal: every post with its time, account, link and text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for m in cluster.posts:
        writer.writerow(
            csv_safe_row(
                [
                    to_iso(m.posted_at),
                    m.source,
                    m.author_name,
                    m.author_handle,
                    "" if m.author_followers is None else m.author_followers,
                    m.url,
                    m.text,
                    m.id,
                ]
            )  # fmt: skip
        )
    return out.getvalue()


def export_cluster(cluster: Cluster, path: Path | str) -> Path:
    """Write the cluster's CSV whole or not at all (a temporary name, then a rename)."""
    return write_atomic(path, "\ufeff" + cluster_csv(cluster))  # BOM: Excel reads it as UTF-8

"""Generated mention streams for the detection tests: a daily rhythm (the demo's), weekends
busier or quieter, a slow trend, Poisson noise minute by minute; and storms on top."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.demo.mentions import DAY_PROFILE, poisson
from app.mentions.model import NewMention

MONDAY = datetime(2026, 11, 2, tzinfo=UTC)
CALM_TEXTS = [
    "Lovely sourdough from the bakery this morning",
    "Queue was long but the croissants were worth it",
    "Does the Riverside shop open on Sundays?",
    "Great coffee and friendly staff at the bakery",
    "Picked up a cinnamon bun on the way to work",
    "The new seasonal menu looks good, trying it this week",
]


@dataclass
class Post:
    at: datetime
    text: str
    negative: bool
    author: str
    followers: int = 50
    source: str = "x"


def quiet_stream(
    start: datetime = MONDAY,
    days: int = 18,
    scale: float = 3.0,
    seed: int = 1,
    weekend: float = 1.5,
    trend: float = 0.01,
    end: datetime | None = None,
) -> list[Post]:
    """Ordinary days: DAY_PROFILE per hour (smoothed within the hour) times `scale`, weekends
    times `weekend`, growing by `trend` a day; 10% negative."""
    rng = random.Random(seed)
    posts = []
    for h in range(days * 24):
        hour = start + timedelta(hours=h)
        factor = (weekend if hour.weekday() >= 5 else 1.0) * (1 + trend * h / 24) * scale
        here, after = DAY_PROFILE[hour.hour] * factor, DAY_PROFILE[(hour.hour + 1) % 24] * factor
        for minute in range(60):
            moment = hour + timedelta(minutes=minute)
            if end is not None and moment >= end:
                return posts
            for _ in range(poisson(rng, (here + (after - here) * minute / 60) / 60)):
                posts.append(
                    Post(
                        moment + timedelta(seconds=rng.randrange(60)),
                        rng.choice(CALM_TEXTS),
                        rng.random() < 0.1,
                        f"regular{rng.randrange(400)}",
                        rng.randrange(20, 900),
                    )
                )
    return posts


def storm(
    at: datetime, per_minute: float, rise: int = 60, decline: int = 150, seed: int = 9,
    ragged: bool = True, texts: list[str] | None = None,
) -> list[Post]:  # fmt: skip
    """A storm from `at`: `per_minute` extra mentions for `rise` minutes, then a decline over
    `decline` minutes that is ragged (every other 20 minutes at a third) when asked."""
    rng = random.Random(seed)
    texts = texts or [
        "Got food poisoning after the custard tart from the bakery, sick all night",
        "Food poisoning from that bakery?? Three of us are ill",
        "Avoid the bakery, people are sick after eating there",
    ]
    posts = []
    for minute in range(rise + decline):
        level = per_minute
        if minute >= rise:
            level *= 1 - (minute - rise) / decline
            if ragged and ((minute - rise) // 20) % 2:
                level *= 0.35
        for _ in range(poisson(rng, level)):
            posts.append(
                Post(
                    at + timedelta(minutes=minute, seconds=rng.randrange(60)),
                    rng.choice(texts),
                    rng.random() < 0.8,
                    f"angry{rng.randrange(5000)}",
                    rng.randrange(20, 3000),
                )
            )
    return posts


def night_build(night: datetime, posts: int) -> list[Post]:
    """A slow build: an angry post every six minutes from `night` (ten an hour)."""
    return [
        Post(night + timedelta(minutes=6 * k), "Sick all night after the sausage rolls", True,
             f"angry{k}")
        for k in range(posts)
    ]  # fmt: skip


def store_posts(store, posts: list[Post], source_prefix: str = "g") -> list[int]:
    """Add the posts (each its own id) and their sentiment, in one transaction."""
    posts = sorted(posts, key=lambda p: p.at)
    with store.db.atomic():
        result = store.mentions.add_many(
            NewMention(
                source=p.source,
                text=p.text,
                external_id=f"{source_prefix}{i}-{p.at.timestamp():.0f}",
                author_name=p.author.title(),
                author_handle=p.author,
                author_followers=p.followers,
                posted_at=p.at,
            )
            for i, p in enumerate(posts)
        )
        store.mentions.set_sentiments(
            [
                ("negative" if p.negative else "positive", -0.5 if p.negative else 0.5, mid)
                for mid, p in zip(result.added_ids, posts, strict=True)
            ]
        )
    return result.added_ids


def review_bomb(start: datetime, rng: random.Random) -> list[Post]:
    """37 near-identical one-star reviews (a few small edits) from 37 new accounts with few
    followers, within 40 minutes of `start`."""
    base = "This bakery served me mouldy bread and the owner laughed at me, avoid at all costs"
    edits = [
        lambda t: t,
        lambda t: t.upper(),
        lambda t: t.replace("mouldy", "moldy"),
        lambda t: t + "!!!",
        lambda t: t.replace("avoid at all costs", "avoid at all cost #boycott"),
        lambda t: "Honestly, " + t,
        lambda t: t.replace("laughed at me", "laughed"),
    ]
    return [
        Post(
            start + timedelta(minutes=rng.randrange(40)),
            rng.choice(edits)(base),
            True,
            f"newacct{i}",
            rng.randrange(0, 30),
            "google-reviews",
        )  # fmt: skip
        for i in range(37)
    ]


COMPLAINTS = [
    "Waited forty minutes at the Riverside bakery and my order was still wrong",
    "The bread I bought yesterday was stale by the evening, not great",
    "Staff at the bakery seemed stressed today, queue out of the door",
    "Not impressed with the bakery after the news about sick customers",
    "Our custard tarts tasted a bit off this morning, we threw them away",
    "Why is the bakery not answering the phone? Tried five times about my refund",
    "I used to love this bakery but the prices keep going up and the portions down",
    "The bakery on Market Street has been closed all morning without a sign",
    "My kids were ill after the birthday cake from the bakery, still waiting for a reply",
    "Please respond to my email about the order, it has been three days",
]

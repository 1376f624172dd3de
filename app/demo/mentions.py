"""The demo's mentions: six days of Hearth & Crumb, with a food-safety scare going viral.

About 3,000 mentions, generated deterministically (`random.Random(seed)`) from small pieces of
text: mostly neutral and positive before; then a customer's post about feeling ill after a
pastry spreads, and volume and negative share jump within hours; then a slow recovery.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from app.mentions.model import NewMention

if TYPE_CHECKING:
    from app.store import Store

SEED = 20261120
DAYS = 6
SPIKE_HOUR = 14  # the viral post: an afternoon, at least 18 hours before "now"

PASTRIES = ["almond croissant", "cinnamon bun", "pain au chocolat", "custard tart",
            "cardamom knot", "sausage roll", "lemon drizzle", "cheese scone"]  # fmt: skip
SHOPS = ["Old Town", "Riverside", "North Hill"]
BRAND = ["Hearth & Crumb", "@hearthandcrumb", "Hearth and Crumb", "H&C"]
NAMES = ["Sophie", "Tom", "Priya", "Jamal", "Ella", "Marek", "Aisha", "Ben", "Chloe", "Dan",
         "Fatima", "George", "Hannah", "Ivan", "Jess", "Kofi", "Laura", "Mo", "Nina", "Owen",
         "Rosa", "Sam", "Tariq", "Una", "Vik", "Wendy", "Yusuf", "Zoe"]  # fmt: skip
SURNAMES = ["Hart", "Patel", "Nowak", "Okafor", "Reid", "Silva", "Byrne", "Khan", "Moore",
            "Evans", "Clarke", "Ahmed", "Walsh", "Price"]  # fmt: skip

POSITIVE = [
    "Best {pastry} in town, {brand} never disappoints ☕",
    "Lovely morning at {brand} {shop}, the staff are so friendly!",
    "That {pastry} from {brand} is honestly perfect. Great start to the weekend",
    "Brilliant sourdough from {brand} again. Love this place ❤️",
    "Five stars for {brand} {shop}: warm welcome, great coffee, amazing {pastry}.",
    "Treated myself to a {pastry} at {brand}. Delicious and worth the queue!",
    "So happy {brand} opened in {shop}, the bread is wonderful",
]
NEUTRAL = [
    "Is {brand} {shop} open on Sunday mornings?",
    "Picked up a {pastry} from {brand} {shop} on the way to work",
    "Does anyone know if {brand} does gluten-free bread?",
    "Meeting at {brand} {shop} at 10 tomorrow",
    "{brand} has a new seasonal menu in {shop}, trying it this week",
    "Which {brand} shop has the most seats? Need somewhere to work for an hour",
]
GRUMBLE = [
    "Queue at {brand} {shop} was really slow this morning",
    "{brand} ran out of {pastry} before 9 again, disappointing",
    "Bit pricey for a {pastry} at {brand} tbh",
]
VIRAL = (
    "Feeling really ill since yesterday after eating a {pastry} from Hearth & Crumb {shop}. "
    "Stomach cramps all night, my partner had one too and is sick as well. Has anyone else "
    "had this?? Please share so nobody else gets poisoned 😷"
)
SCARE = [
    "Just saw the post about people getting sick after {brand} {shop}. Anyone else ill?",
    "My {relation} was sick all night after a {pastry} from {brand}. Awful. Reporting it.",
    "Food poisoning from {brand}?? This is horrible, hope everyone is ok",
    "Disgusting. {brand} needs to close {shop} until this is investigated",
    "Never going to {brand} again after this. Terrible hygiene, people are sick",
    "Shared: customers say they got ill after {pastry} from {brand} {shop} #foodpoisoning",
    "Why is {brand} silent?? People are sick and they post cake photos. Shameful",
    "Threw away the {pastry} I bought at {brand} today. Not risking it. Scary",
    "Environmental health should check {brand} {shop} now. Unacceptable and dangerous",
    "Worst bakery scandal in town, {brand} poisoned half the street apparently 🤢",
    "Is it safe to eat at {brand} right now? Seeing lots of people ill",
    "Cancelled our order from {brand} for the party, too worried about this sickness story",
]
NEWS = [
    "Council investigating reports of illness linked to {brand} bakery",
    "Customers report sickness after eating at {brand} {shop}, bakery yet to comment",
    "Food safety officers visit {brand} after illness complaints",
]
RECOVERY = [
    "{brand} says it has closed the {shop} kitchen for a deep clean and is working with "
    "inspectors. Good that they responded",
    "Glad {brand} apologised and explained what happened. Will wait for the inspection result",
    "Still worried about {brand} after the sickness reports, not going back yet",
    "{brand} {shop} reopened, inspectors found the fridge fault fixed. Fair play for being open",
    "Respect to {brand} for the honest update. Back for a {pastry} next week",
]
RELATIONS = ["son", "daughter", "mum", "husband", "wife", "flatmate", "friend"]

CALM_SOURCES = ["instagram", "google-reviews", "facebook-group", "x", "tiktok"]
CALM_WEIGHTS = [35, 25, 20, 15, 5]
CRISIS_SOURCES = ["x", "facebook-group", "tiktok", "instagram", "reddit", "google-reviews"]
CRISIS_WEIGHTS = [28, 24, 18, 14, 10, 6]
URL_BASES = {
    "instagram": "https://instagram.example/p/",
    "google-reviews": "https://maps.example/review/",
    "facebook-group": "https://facebook.example/groups/oldtownneighbours/posts/",
    "x": "https://x.example/status/",
    "tiktok": "https://tiktok.example/video/",
    "reddit": "https://reddit.example/r/localtown/comments/",
    "news": "https://localnews.example/article/",
}

# Mentions per hour on a calm day, by hour of the day (UTC, the demo's Europe/London).
DAY_PROFILE = [0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.5, 4, 7, 8, 7, 8, 10, 9, 6, 5, 5, 6, 6, 5, 3,
               2, 1, 0.6]  # fmt: skip


def poisson(rng: random.Random, rate: float) -> int:
    """A Poisson count with mean `rate` (for generated streams: the demo's, the tests')."""
    if rate > 30:  # normal approximation for big rates
        return max(0, round(rng.gauss(rate, math.sqrt(rate))))
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _crisis_rate(hours_since: float) -> float:
    """Extra mentions per hour, `hours_since` the viral post: steep rise, slow decline."""
    if hours_since < 0:
        return 0.0
    ramp = [30, 110, 230, 280, 260]
    if hours_since < len(ramp):
        return ramp[int(hours_since)]
    return 260 * math.exp(-(hours_since - 4) / 7)


def demo_mentions(now: datetime, seed: int = SEED) -> list[NewMention]:
    rng = random.Random(seed)
    end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=DAYS)
    spike_at = end.replace(hour=SPIKE_HOUR) - timedelta(days=1)
    if end - spike_at < timedelta(hours=18):
        spike_at -= timedelta(days=1)
    people = [
        (f"{first} {last}", f"{first.lower()}_{last.lower()}{rng.randint(1, 99)}")
        for first in NAMES
        for last in rng.sample(SURNAMES, 4)
    ]
    mentions: list[NewMention] = []
    hour = start
    while hour < end:
        since = (hour - spike_at).total_seconds() / 3600
        calm = DAY_PROFILE[hour.hour] * 1.6
        extra = _crisis_rate(since) * max(0.25, DAY_PROFILE[hour.hour] / 6) ** 0.3
        if 0 <= since < 1:
            mentions.append(_viral(rng, spike_at))
        for _ in range(poisson(rng, calm + extra)):
            crisis = rng.random() < extra / (calm + extra) if extra else False
            mentions.append(_mention(rng, hour, since, crisis, people))
        hour += timedelta(hours=1)
    mentions.sort(key=lambda m: m.posted_at or since)  # in the order they were posted
    return mentions


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        pastry=rng.choice(PASTRIES),
        shop=rng.choice(SHOPS),
        brand=rng.choice(BRAND),
        relation=rng.choice(RELATIONS),
    )


def _viral(rng: random.Random, spike_at: datetime) -> NewMention:
    return NewMention(
        source="facebook-group",
        external_id="demo-viral-post",
        text=VIRAL.format(pastry="custard tart", shop="Old Town"),
        author_name="Sophie Hart",
        author_handle="sophie_eats",
        author_followers=2140,
        url=URL_BASES["facebook-group"] + "88120431",
        language="en",
        posted_at=spike_at + timedelta(minutes=7),
        raw={"group": "Old Town Neighbours", "reactions": 1840, "shares": 612},
    )


def _mention(rng, hour, since, crisis, people) -> NewMention:
    if crisis:
        source = rng.choices(CRISIS_SOURCES, CRISIS_WEIGHTS)[0]
        if since > 2 and rng.random() < 0.03:
            source, pool = "news", NEWS
        elif since > 14 and rng.random() < min(0.6, (since - 14) / 20):
            pool = RECOVERY
        else:
            pool = SCARE
    else:
        source = rng.choices(CALM_SOURCES, CALM_WEIGHTS)[0]
        roll = rng.random()
        pool = POSITIVE if roll < 0.5 else NEUTRAL if roll < 0.88 else GRUMBLE
    name, handle = rng.choice(people)
    if source == "news":
        name, handle = "Town Courier", "towncourier"
    number = rng.randrange(10**7, 10**8)
    return NewMention(
        source=source,
        external_id=f"demo-{number}",
        text=_fill(rng, rng.choice(pool)),
        author_name=name,
        author_handle=handle,
        author_followers=int(rng.paretovariate(1.2) * 80),
        url=URL_BASES[source] + str(number),
        language="en",
        posted_at=hour
        + timedelta(seconds=_after_the_viral_post(rng.randrange(3600), crisis, since)),
        raw={"demo": True},
    )


def _after_the_viral_post(seconds: int, crisis: bool, since: float) -> int:
    """In the viral post's hour the scare's posts come after it (posted at minute 7), as
    reactions do: the spike's explanation then finds who started it."""
    if crisis and 0 <= since < 1:
        return 450 + seconds * (3600 - 450) // 3600
    return seconds


def add_demo_mentions(store: Store) -> None:
    """Add the mentions, score them, and leave the inbox looking worked on."""
    from app.mentions.sentiment import score_pending

    now = store.clock()
    with store.db.atomic():
        store.mentions.add_many(demo_mentions(now))
        viral = store.mentions.id_for("demo-viral-post")
        assert viral is not None  # added just above
        store.mentions.set_status([viral], "escalated")
        store.mentions.set_severity([viral], 3)
        store.mentions.add_tag([viral], "food-safety")
        store.mentions.set_reply_draft(
            viral,
            "Sophie, we're so sorry you and your partner are unwell. We've taken the custard "
            "tarts off sale while we find out what happened. Could you message us so we can "
            "help and learn more?",
        )
        store.watches.save("Food safety", 'sick OR ill OR poisoning OR "food poisoning"')
        store.watches.save("Reviews", "source:google-reviews")
        store.watches.save("Press", "source:news")
    score_pending(store, workers=1)

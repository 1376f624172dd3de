"""Offline sentiment: the shipped model's labels, scored after import (both cores for big
backlogs); handles, links and the business's own names never carry sentiment; a mention in a
language the model does not read is not scored; the owner's correction wins and is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.business.model import BusinessProfile
from app.mentions import sentiment
from app.mentions.language import detect, language_of
from app.mentions.model import MentionFilter, NewMention, TriageError
from app.mentions.reader import Masks, words
from app.mentions.spikes import overview
from app.sources.base import SourceSettings


def test_labels_of_clear_texts():
    assert sentiment.score_text("Got really sick after the pastry, disgusting")[0] == "negative"
    assert sentiment.score_text("Lovely staff and the best croissants, love it")[0] == "positive"
    assert sentiment.score_text("Is the Riverside shop open on Sunday?")[0] == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "been waiting for my order for 2 hours and still no reply",
        "The battery died after a week and they refused a refund",
        "Waited 40 minutes for a cold coffee. Never again.",
        "doesn't work, want my money back",
    ],
)
def test_complaints_without_feeling_words_are_negative(text):
    assert sentiment.score_text(text)[0] == "negative"


def test_the_reading_says_which_words_decided_it():
    reading = sentiment.read("The croissants were stale and the staff were rude")
    assert reading.label == "negative"
    assert {"stale", "rude"} & set(reading.reasons)
    assert not {"the", "and", "were"} & set(reading.reasons)


# --- what never carries sentiment -------------------------------------------------------------

POSITIVE_NAMES = ["Happy Fit Gym", "Sweet Home Bakery", "Best Smile Dental", "Joy & Love Cafe"]
PLAIN_TEXTS = [
    "the class was cancelled again and nobody told us",
    "is the shop open on Sunday?",
    "my order arrived today",
    "the staff were rude and the room was dirty",
    "thank you, lovely morning",
]


@pytest.mark.parametrize("name", POSITIVE_NAMES)
def test_a_business_named_with_positive_words_changes_no_label(name):
    masks = Masks(sentiment.business_names(name))
    squashed = "".join(ch for ch in name if ch.isalnum())
    for text in PLAIN_TEXTS:
        plain = sentiment.score_text(text)
        for with_name in (
            f"{name}: {text}",
            f"{text} @{squashed}",
            f"{text} #{squashed}",
            f"#{squashed.lower()} {text} {name.upper()}",
            f"{name.rsplit(' ', 1)[0]} {text}",  # "Sweet Home", without "Bakery"
        ):
            assert sentiment.score_text(with_name, masks) == plain, with_name


def test_handles_and_links_change_no_label():
    for text in PLAIN_TEXTS:
        plain = sentiment.score_text(text)
        assert sentiment.score_text(f"@united @LoveYourBrand {text}") == plain
        assert sentiment.score_text(f"{text} https://great.example/happy-love") == plain
        assert sentiment.score_text(f"{text} best@happy.example") == plain


def test_handles_are_not_words():
    assert words("@united is late") == ["is", "late"]
    assert sentiment.score_text("@united is late") == sentiment.score_text("is late")


def test_the_names_come_from_the_profile_and_the_sources(store):
    store.business.save(BusinessProfile(name="Happy Fit Gym", website="https://happyfit.example"))
    store.sources.add(SourceSettings("Mastodon", "mastodon", "", "", {"tag": "HappyFitLeeds"}))
    store.sources.add(
        SourceSettings("Reddit", "reddit", '"Joyful Lifts" OR happyfit -jobs', "", {})
    )
    store.sources.add(SourceSettings("Topic", "reddit", "sick", "", {}))
    masks = sentiment.masks_for(store)
    text = "Happy Fit and Happy Fit Gym, happyfit, #HappyFitLeeds, Joyful Lifts"
    masked = " ".join(words(text, masks))
    assert "happy" not in masked and "joyful" not in masked and "fit" not in masked
    assert "sick" in words("I feel sick", masks)  # a topic query is not a name


def test_changing_the_business_name_reads_the_mentions_again(store):
    store.mentions.add_many([NewMention(source="x", text="Happy Fit is closed today")])
    sentiment.score_pending(store)
    store.business.save(BusinessProfile(name="Happy Fit"))
    assert sentiment.score_pending(store) == 1  # read again, with the new name masked


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("El servicio es muy malo y no me gusta nada", "es"),
        ("Le service est nul, je ne reviendrai pas", "fr"),
        ("Das ist nicht gut und viel zu teuer", "de"),
        ("O atendimento foi péssimo e não gostei", "pt"),
        ("Это ужасное обслуживание", ""),
        ("Terrible!!!", "en"),
        ("Café au lait was great", "en"),
        ("the croissants were stale", "en"),
    ],
)
def test_the_language_check(text, code):
    assert detect(text) == code


def test_a_mention_in_another_language_is_not_scored(store):
    assert language_of("anything", "es-ES") == "es"
    assert language_of("Das ist nicht gut", "en") == "en"  # the source's word wins
    store.mentions.add_many(
        [
            NewMention(source="x", text="El pan estaba malo y el servicio fue muy lento"),
            NewMention(source="bluesky", text="great bread", language="fr"),
            NewMention(source="x", text="great bread and lovely staff"),
        ]
    )
    assert sentiment.score_pending(store) == 3
    assert store.mentions.count(MentionFilter("sentiment:language")) == 2
    assert store.mentions.count(MentionFilter("sentiment:positive")) == 1
    assert sentiment.read("El pan estaba malo y el servicio fue muy lento").label == "language"


# --- scoring in the store -------------------------------------------------------------------


def test_score_pending_fills_every_mention_once(store):
    store.mentions.add_many(
        NewMention(source="x", text=f"{word} number {i}")
        for i in range(50)
        for word in ("awful", "great")
    )
    assert store.mentions.unscored_count() == 100
    seen = []
    assert sentiment.score_pending(store, progress=lambda d, t: seen.append((d, t))) == 100
    assert seen[-1] == (100, 100)
    assert store.mentions.count(MentionFilter("sentiment:negative")) == 50
    assert store.mentions.count(MentionFilter("sentiment:positive")) == 50
    assert sentiment.score_pending(store) == 0


def test_parallel_scoring_gives_the_same_labels(store, monkeypatch):
    monkeypatch.setattr(sentiment, "PARALLEL_FROM", 10)
    monkeypatch.setattr(sentiment, "CHUNK", 7)
    texts = [f"terrible service {i}" for i in range(30)] + [f"lovely cake {i}" for i in range(10)]
    store.mentions.add_many(NewMention(source="x", text=text) for text in texts)
    assert sentiment.score_pending(store, workers=2) == 40
    assert store.mentions.count(MentionFilter("sentiment:negative")) == 30
    assert store.mentions.count(MentionFilter("sentiment:positive")) == 10


def test_cancel_keeps_what_was_scored(store, monkeypatch):
    monkeypatch.setattr(sentiment, "CHUNK", 10)
    store.mentions.add_many(NewMention(source="x", text=f"fine day {i}") for i in range(30))
    done = sentiment.score_pending(store, cancelled=lambda: store.mentions.unscored_count() <= 20)
    assert done == 10 and store.mentions.unscored_count() == 20


# --- the owner's correction -----------------------------------------------------------------


def test_a_correction_wins_and_is_kept(store):
    store.mentions.add_many([NewMention(source="x", text="lovely cakes, will be back")])
    sentiment.score_pending(store)
    mention = store.mentions.page(MentionFilter(), 0, 1)[0]
    assert mention.sentiment == "positive"
    sentiment.correct(store, mention.id, "negative")  # sarcasm the model missed
    assert store.mentions.get(mention.id).sentiment == "negative"
    assert store.mentions.sentiment_corrected_at(mention.id) is not None
    store.mentions.forget_model_sentiments()  # a new model, or a new business name
    sentiment.score_pending(store)
    store.mentions.set_sentiments([("positive", 0.9, mention.id)])  # a late worker's result
    assert store.mentions.get(mention.id).sentiment == "negative"
    with pytest.raises(TriageError):
        sentiment.correct(store, mention.id, "furious")


def test_correcting_a_label_changes_the_charts_negative_share(store):
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    hour = now - timedelta(hours=2)
    store.mentions.add_many(
        NewMention(source="x", text=f"lovely cakes {i}", posted_at=hour + timedelta(minutes=i))
        for i in range(4)
    )
    sentiment.score_pending(store)
    counted = [h for h in overview(store, now).hours if h.count]
    assert [(h.count, h.negative) for h in counted] == [(4, 0)]
    first = store.mentions.page(MentionFilter(), 0, 4)[0]
    sentiment.correct(store, first.id, "negative")
    counted = [h for h in overview(store, now).hours if h.count]
    assert [(h.count, h.negative) for h in counted] == [(4, 1)]


def test_a_name_with_a_shorter_name_inside_is_masked_whole(store):
    """ "Crumb & Co" holds "Crumb" (the name without "Co"): the whole name is masked, so "Co"
    is never read or given as a reason (found by hand: "Why negative: ill, Co, too")."""
    store.business.save(BusinessProfile(name="Crumb & Co", website="https://crumbandco.example"))
    masks = sentiment.masks_for(store)
    text = "Environmental health should look at Crumb & Co, friends were ill"
    assert "co" not in words(text, masks) and "crumb" not in words(text, masks)
    reading = sentiment.read(text, masks=masks)
    assert reading.label == "negative" and "ill" in reading.reasons
    assert not {"Co", "Crumb"} & set(reading.reasons)
    tags = words("#crumbandco and @CrumbCo were great", masks)
    assert "crumbandco" not in tags and "crumbco" not in tags and "great" in tags

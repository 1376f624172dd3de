"""Offline sentiment: labels from VADER, scored after import, with both cores for big backlogs."""

from __future__ import annotations

from app.mentions import sentiment
from app.mentions.model import MentionFilter, NewMention


def test_labels_of_clear_texts():
    assert sentiment.score_text("Got really sick after the pastry, disgusting")[0] == "negative"
    assert sentiment.score_text("Lovely staff and the best croissants, love it")[0] == "positive"
    assert sentiment.score_text("Is the Riverside shop open on Sunday?")[0] == "neutral"


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
    store.mentions.add_many(NewMention(source="x", text=f"terrible service {i}") for i in range(40))
    assert sentiment.score_pending(store, workers=2) == 40
    assert store.mentions.count(MentionFilter("sentiment:negative")) == 40


def test_cancel_keeps_what_was_scored(store, monkeypatch):
    monkeypatch.setattr(sentiment, "CHUNK", 10)
    store.mentions.add_many(NewMention(source="x", text=f"fine day {i}") for i in range(30))
    done = sentiment.score_pending(store, cancelled=lambda: store.mentions.unscored_count() <= 20)
    assert done == 10 and store.mentions.unscored_count() == 20

"""The search grammar over a small real store: each feature, typos, and random text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.mentions.model import MentionFilter, NewMention
from app.mentions.search import QueryError, compile_query, describe, parse_query

T0 = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
ROWS = [
    ("x", "jane_bakes", "Jane Baker", "Got sick after the almond croissant", 0),
    ("x", "tom", "Tom", "Food poisoning at the bakery? Asking for a refund", 1),
    ("instagram", "ann", "Ann", "Lovely croissants and friendly staff", 2),
    ("rss:Google Alerts", "", "Town Courier", "Council looks into illness reports", 3),
    ("tiktok", "ben", "Ben", "I was ill all night, never again", 24),
    ("google-reviews", "cara", "Cara Café", "Crème brûlée was perfect; café au lait too", 48),
]


@pytest.fixture
def filled(store):
    store.mentions.add_many(
        NewMention(
            source=source,
            text=text,
            author_handle=handle,
            author_name=name,
            posted_at=T0 + timedelta(hours=hours),
        )
        for source, handle, name, text, hours in ROWS
    )
    return store


def texts(store, query: str) -> set[str]:
    found = store.mentions.page(MentionFilter(query), 0, 100)
    assert store.mentions.count(MentionFilter(query)) == len(found)
    return {m.text.split()[0] for m in found}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"Got", "Food", "Lovely", "Council", "I", "Crème"}),
        ("croissant", {"Got"}),
        ("croissant*", {"Got", "Lovely"}),
        ("sick OR ill", {"Got", "I"}),
        ('"food poisoning"', {"Food"}),
        ('"poisoning food"', set()),
        ("bakery -refund", set()),
        ("-croissant* -ill", {"Food", "Council", "Crème"}),
        ("from:jane_bakes", {"Got"}),
        ("from:@JANE_BAKES", {"Got"}),
        ('from:"Town Courier"', {"Council"}),
        ("source:rss", {"Council"}),
        ("source:X", {"Got", "Food"}),
        ("-source:x -source:rss", {"Lovely", "I", "Crème"}),
        ("status:new source:tiktok", {"I"}),
        ("status:needs-reply", set()),
        ("after:2026-11-19", {"I", "Crème"}),
        ("before:2026-11-19 croissant*", {"Got", "Lovely"}),
        ("on:2026-11-19", {"I"}),
        ("date:2026-11-18..2026-11-19", {"Got", "Food", "Lovely", "Council", "I"}),
        ("date:2026-11-20..", {"Crème"}),
        ("cafe", {"Crème"}),  # accents are folded
        ("jane", {"Got"}),  # the author is searched too
        ("sick OR from:ann", {"Got", "Lovely"}),
        ('x"y "; DROP TABLE mentions; --"', set()),
        ("NEAR(sick ill) AND ^col:*", set()),
        ('( ) * - " "', {"Got", "Food", "Lovely", "Council", "I", "Crème"}),
    ],
)
def test_grammar(filled, query, expected):
    assert texts(filled, query) == expected
    assert filled.mentions.total() == len(ROWS)


def test_status_sentiment_tag_and_severity_filters(filled):
    ann = filled.mentions.search("from:ann")[0]
    filled.mentions.set_status([ann.id], "needs_reply")
    filled.mentions.add_tag([ann.id], "Praise")
    filled.mentions.set_severity([ann.id], 2)
    filled.mentions.set_sentiments([("positive", 0.8, ann.id)])
    for query in ("status:needs-reply", "tag:praise", "severity:2", "sentiment:positive"):
        assert texts(filled, query) == {"Lovely"}, query
    assert texts(filled, "sentiment:unscored") == {"Got", "Food", "Council", "I", "Crème"}
    assert texts(filled, "tag:prai") == set()


def test_relative_dates_follow_the_store_clock(filled):
    # FIXED_NOW is 2026-11-20 09:30; the last mention was posted on 2026-11-20 12:00.
    assert texts(filled, "last:1d") == {"I", "Crème"}
    assert texts(filled, "last:3d") == {"Got", "Food", "Lovely", "Council", "I", "Crème"}


@pytest.mark.parametrize(
    "query, hint",
    [
        ('"unclosed', "quote is not closed"),
        ("sentiment:angry", "negative, neutral or positive"),
        ("status:done", "not a status"),
        ("after:yesterday", "not a date"),
        ("last:forever", "last:24h"),
        ("severity:9", "from 1 to 4"),
        ("date:soon", "date:2026-11-18..2026-11-20"),
        (" ".join(["w"] * 40), "more than 32 parts"),
    ],
)
def test_typos_give_a_gentle_message(filled, query, hint):
    with pytest.raises(QueryError, match=hint):
        filled.mentions.count(MentionFilter(query))


def test_id_finds_the_mentions_chosen_elsewhere(filled):
    """The coordinated-posts window's "Show in Inbox" searches its cluster by number."""
    ann, ben = filled.mentions.search("from:ann")[0], filled.mentions.search("from:ben")[0]
    assert texts(filled, f"id:{ann.id},{ben.id}") == {"Lovely", "I"}
    assert texts(filled, f"id:{ann.id} croissant*") == {"Lovely"}
    assert describe(parse_query(f"id:{ann.id},{ben.id}")) == "one of 2 chosen mentions"
    with pytest.raises(QueryError, match="mention numbers"):
        filled.mentions.count(MentionFilter("id:1,two"))


def test_user_text_never_reaches_sql_unquoted():
    where, params = compile_query(parse_query('x" OR 1=1 --'))
    assert "1=1" not in where and '"x"""' in params[0]


def test_describe_reads_the_query_back():
    assert describe(parse_query('sick OR ill -refund "food poisoning"')) == (
        "“sick” or “ill”; not “refund”; “food poisoning”"
    )


def test_saved_searches_count_unread(filled):
    saved_id = filled.watches.save("Illness", "sick OR ill")
    (saved,) = filled.watches.all()
    assert (saved.id, saved.unread) == (saved_id, 2)
    filled.watches.mark_seen(saved_id)
    assert filled.watches.all()[0].unread == 0
    filled.mentions.add(NewMention(source="x", text="so ill today"))
    assert filled.watches.all()[0].unread == 1
    with pytest.raises(QueryError):
        filled.watches.save("Broken", '"oops')


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(list('abc xyz"-*:()^+.éß@_\x00') + ["from:", "date:", " OR ", "..", "1"]),
        max_size=20,
    ).map("".join)
)
def test_random_text_gives_results_or_a_gentle_message(filled, text):
    try:
        filled.mentions.count(MentionFilter(text))
        filled.mentions.page(MentionFilter(text), 0, 5)
    except QueryError as exc:
        assert str(exc)


def test_cli_search_json_and_a_typo(cli, tmp_path):
    import json

    from app.store import open_store

    db = tmp_path / "w.db"
    with open_store(db) as store:
        store.mentions.add_many(
            NewMention(source=source, text=text, author_handle=handle, posted_at=T0)
            for source, handle, _name, text, _hours in ROWS
        )

    def run(*args):
        return cli("--db", str(db), "search", *args)

    found = json.loads(run("croissant* -source:instagram", "--json").out)
    assert found["total"] == 1 and found["mentions"][0]["author_handle"] == "jane_bakes"
    assert "not" in found["means"]
    plain = run("sick OR ill", "--limit", "1")
    assert plain.code == 0 and plain.out.startswith("2 mentions match")
    typo = run('"unclosed')
    assert typo.code == 1 and "quote is not closed" in typo.err
    assert len(typo.err.strip().splitlines()) == 1

"""The checker on real published crisis statements (tests/fixtures/statements/corpus.json,
annotated by hand: what each contains and its faults), and on the sentences the issue found
it getting wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.statements.checker import CheckContext, check_statement, insert_suggestion
from app.statements.corpus import load, report, score
from app.statements.grammar import ELEMENTS, clock_times, read_sentence

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "statements" / "corpus.json"


@pytest.fixture(scope="module")
def corpus():
    return load(CORPUS)


def test_the_corpus_is_forty_cited_annotated_statements(corpus):
    assert len(corpus) >= 40
    assert len({entry["id"] for entry in corpus}) == len(corpus)
    for entry in corpus:
        assert entry["who"] and entry["when"] and entry["where"] and entry["text"]
        assert set(entry["contains"]) <= set(ELEMENTS)


def test_no_element_a_statement_contains_is_reported_missing_in_over_5_percent(corpus):
    result = score(corpus)
    print("\n".join(report(result)))
    assert result.reported_missing() <= 0.05, result.missed
    for element in ELEMENTS:
        misses = [m for m in result.missed if m[1] == element]
        assert len(misses) <= max(1, 0.05 * result.annotated.get(element, 0)), misses


def test_every_annotated_non_apology_and_promise_is_found(corpus):
    result = score(corpus)
    assert result.faults_annotated["non-apology"] >= 3
    assert result.faults_annotated["promise"] >= 5
    missed = [m for m in result.faults_missed if m[1] in ("non-apology", "promise")]
    assert missed == []


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        ("Huge apologies to our customers.", "apology"),
        ("We are removing the content and halting any further rollout.", "action"),
        (
            "Shortly after discovering the intrusion, we engaged a leading cybersecurity firm "
            "to conduct an investigation.",
            "action",
        ),
        ("I will be joining our regional vice president to speak with partners.", "action"),
        ("We'll communicate the results of our review by April 30th.", "next-update"),
        ("I share all of those sentiments.", "empathy"),
        ("No one should ever be mistreated this way.", "empathy"),
        ("I apologize for having to re-accommodate these customers.", "non-apology"),
        ("We are going to fix what's broken so this never happens again.", "promise"),
        ("We will make sure this won't happen again.", "promise"),
        ("We regret any inconvenience this may cause.", "non-apology"),
        ("We are sorry if you feel let down.", "non-apology"),
        ("We're sorry you feel that way.", "non-apology"),
        ("The truly horrific event that occurred on this flight upset us all.", "acknowledgement"),
        ("Hearth & Crumb has closed the Riverside kitchen.", "action"),
    ],
)
def test_what_the_issue_found_wrong_now_reads_right(sentence, act):
    reading = read_sentence(sentence, frozenset({"hearth crumb"}))
    assert act in reading.acts, reading.acts
    if act == "non-apology":
        assert "apology" not in reading.acts


@pytest.mark.parametrize(
    "sentence",
    [
        "We are sorry for what happened.",  # "happened" alone names nothing
        "We take full responsibility.",
        "We made mistakes.",
        "We are committed to our customers.",
    ],
)
def test_what_is_not_an_action(sentence):
    assert "action" not in read_sentence(sentence).acts


def test_the_most_criticised_statement_ranks_below_the_most_praised(corpus):
    by_id = {entry["id"]: entry for entry in corpus}

    def standing(entry_id: str) -> int:
        """Elements it has, less the faults it shows."""
        entry = by_id[entry_id]
        result = check_statement(
            entry["text"], context=CheckContext(names=tuple(entry["business"]))
        )
        faults = {"non-apology", "blame", "speculation", "promise"}
        return len(result.contains()) - sum(f.rule in faults for f in result.findings)

    # Munoz's first statement ("re-accommodate") against his second, the day after.
    assert standing("united-2017-04-10") < standing("united-2017-04-11")


def test_clock_times():
    assert clock_times("Next update at 3 pm, then 10:00 and noon.") == [(15, 0), (10, 0), (12, 0)]
    assert clock_times("We have 3 shops and 150 staff.") == []


def test_the_next_update_in_the_text_must_match_the_countdown():
    due = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    local = due.astimezone()
    text = (
        "We know that customers became ill. We are sorry and we understand how worrying this is. "
        "We have closed the kitchen. Call us on 020 7946 0321. "
        "We will post the next update by {}."
    )
    context = CheckContext(next_update_at=due)
    agrees = check_statement(text.format(f"{local:%H:%M}"), context=context)
    assert "update-time" not in agrees.rules()
    other = f"{(local.hour + 1) % 24:02d}:{local.minute:02d}"
    wrong = check_statement(text.format(other), context=context)
    finding = next(f for f in wrong.findings if f.rule == "update-time")
    assert other in finding.detail and f"{local:%H:%M}" in finding.detail
    assert "next update" in finding.sentence


def test_each_missing_element_offers_a_sentence_that_clears_it():
    context = CheckContext(
        suggestions={
            "next-update": "We will post our next update at 15:00.",
            "help-channel": "If you need help, call us on 020 7946 0321.",
            "action": "Right now we are working to close the Riverside kitchen.",
            "acknowledgement": "We know that customers became ill after eating our tarts.",
        }
    )
    text = "Thanks for your patience!"
    for _ in range(len(ELEMENTS)):
        result = check_statement(text, context=context)
        missing = [f for f in result.findings if f.rule in ELEMENTS]
        if not missing:
            break
        assert missing[0].suggestion
        text = insert_suggestion(text, missing[0].suggestion)
    assert not {f.rule for f in check_statement(text, context=context).findings} & set(ELEMENTS)
    assert "call us on 020 7946 0321" in text

"""The statement checker on a set of good and bad statements, written the way real businesses
write them: each case lists the rules it must raise, and good statements must raise none."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.statements.checker import RULES, check_statement

GOOD = [
    # A holding statement: acknowledges, apologises, cares, acts, says when and where.
    """We know that several customers became ill after eating our custard tarts from the
Riverside shop on Tuesday. We are so sorry. We understand how worrying this is, especially
for parents. We have closed the Riverside kitchen and removed every custard tart from sale.
We are working with the council's food safety team. We will post the next update by 3 pm
today. If you or your family feel unwell, please call our hotline on 020 7946 0321.""",
    # An apology after a mistaken post.
    """Yesterday we posted a joke on Instagram that mocked people with food allergies. It was
wrong and it hurt people. We are sorry. We understand why so many of you are upset. We have
deleted the post and we are retraining our team on what we share. We will share what we have
changed by Friday. You can email us at hello@hearthandcrumb.example.""",
    # An update.
    """Update on Wednesday's illness reports. We are sorry again to everyone who was affected.
We know this has been a frightening week. The council inspected our kitchen today. We have
thrown away all custard and cream stock and replaced our fridges. We are offering a full
refund to anyone who bought from Riverside this week. Our next update will be tomorrow at
noon. Call 020 7946 0321 or visit hearthandcrumb.example/update for help.""",
    # A data breach notice from a dental practice.
    """On Monday we learned that an email with appointment times was sent to the wrong patients.
We are truly sorry. Your trust matters to us and we know how upsetting this is. We have
contacted every patient involved and reported it to the regulator. We are reviewing how our
reminders are sent. We will write to you again within 48 hours. Questions? Call us on
01632 960 123.""",
    # A gym's service failure.
    """This morning our booking app failed and many of you missed your classes. We are sorry
for letting you down. We understand how frustrating it is to plan your day around a class.
We have moved all bookings to paper at the front desk and we are refunding today's class fees.
We will update you here at 6 pm. For help, message us or call 0161 496 0000.""",
    # Short post for X.
    """We are sorry. Customers became ill after eating our tarts on Tuesday and we know how
worrying this is. We have closed the Riverside kitchen. Next update at 3 pm. Help:
hearthandcrumb.example/help""",
]

BAD = [
    ("We regret if anyone was offended by our post.", {"non-apology", "apology"}),
    ("We are sorry you feel that way about our cakes.", {"non-apology", "apology"}),
    ("Mistakes were made in the kitchen last week.", {"non-apology", "apology"}),
    ("We apologise for any inconvenience this may have caused.", {"non-apology", "apology"}),
    ("We regret that some customers were disappointed.", {"non-apology"}),
    (
        "To those who were offended, we apologise if our words came across badly.",
        {"non-apology", "apology"},
    ),
    (
        "We are sorry. The problem was caused by a junior member of staff who ignored our rules.",
        {"blame"},
    ),
    ("We are sorry. Customers should have read the allergen label on the shelf.", {"blame"}),
    ("We are sorry. Our supplier is to blame for the contaminated cream.", {"blame"}),
    ("We are sorry. This was due to a third-party delivery company and not our fault.", {"blame"}),
    ("We are sorry. This will never happen again.", {"promise"}),
    ("We are sorry. We are 100% certain our kitchen is completely safe.", {"promise"}),
    ("We are sorry. It was probably a stomach bug going around the town.", {"speculation"}),
    ("We guarantee that every product is safe to eat.", {"promise", "apology"}),
    # "what happened" names nothing: it is no acknowledgement.
    (
        "We are sorry for what happened.",
        {"acknowledgement", "empathy", "action", "next-update", "help-channel"},
    ),
    (
        "Going forward we will leverage our stakeholders to remediate the situation.",
        {"jargon", "apology"},
    ),
    (
        "Pursuant to our policy, we hereby notify customers of the aforementioned matter.",
        {"jargon"},
    ),
    ("At this point in time we are unable to comment on the incident.", {"jargon", "apology"}),
    (
        "Hearth & Crumb is deeply committed to excellence and the highest standards of food "
        "safety in everything it does, and has always been recognised across the region and "
        "beyond for the quality, freshness and integrity of its baked goods and the care of its "
        "wonderful staff.",
        {"long-sentence", "reading-grade"},
    ),
    (
        "Notwithstanding the foregoing considerations regarding organisational accountability, "
        "comprehensive remediation initiatives are being systematically implemented.",
        {"reading-grade", "jargon"},
    ),
    (
        "We are aware of posts on social media.",
        {"apology", "empathy", "action", "next-update", "help-channel"},
    ),
    (
        "Thanks for your patience!",
        {"acknowledgement", "apology", "empathy", "action", "next-update", "help-channel"},
    ),
    ("We are sorry that you were upset by our decision, but rules are rules.", {"non-apology"}),
    ("The individual responsible has been dismissed. We are sorry.", {"blame"}),
    ("We are sorry. Guests misread our menu, which clearly says nuts.", {"blame"}),
    ("We are sorry. This must have been caused by a faulty fridge.", {"speculation"}),
    ("", {"acknowledgement", "apology", "empathy", "action", "next-update", "help-channel"}),
]


@pytest.mark.parametrize("statement", GOOD, ids=[f"good-{i}" for i in range(len(GOOD))])
def test_good_statements_raise_nothing(statement):
    result = check_statement(statement)
    assert result.findings == [], [(f.rule, f.sentence) for f in result.findings]


@pytest.mark.parametrize("statement, expected", BAD, ids=[f"bad-{i}" for i in range(len(BAD))])
def test_bad_statements_raise_the_expected_rules(statement, expected):
    result = check_statement(statement)
    assert expected <= result.rules(), (expected - result.rules(), result.rules())


def test_there_are_at_least_thirty_statements():
    assert len(GOOD) + len(BAD) >= 30


def test_finding_names_the_sentence_and_the_why():
    result = check_statement(
        "We are sorry. Our supplier is to blame. We will never let this happen again."
    )
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["blame"].sentence == "Our supplier is to blame."
    assert by_rule["promise"].sentence == "We will never let this happen again."
    assert by_rule["promise"].detail == "“never let this happen again”"
    assert "Practice" in by_rule["blame"].why
    assert by_rule["next-update"].sentence == ""  # a missing element


def test_channel_length_and_counts():
    text = GOOD[0]
    assert "length" in check_statement(text, channel="x").rules()
    assert "length" not in check_statement(text, channel="website").rules()
    result = check_statement(text, channel="sms")
    assert result.limit == 160 and result.characters > 160 and result.words > 50
    with pytest.raises(ValueError, match="Unknown channel"):
        check_statement(text, channel="fax")


def test_dismissed_findings_stay_dismissed():
    first = check_statement("We are sorry. This will never happen again.")
    promise = next(f for f in first.findings if f.rule == "promise")
    again = check_statement(
        "We are sorry. This will never happen again.",
        dismissed={promise.key: "We have removed custard from the menu for good."},
    )
    assert "promise" not in again.rules()


def test_markdown_is_read_as_the_reader_sees_it():
    result = check_statement("## Update\n\n- We are **sorry**.\n- [Call us](tel:02079460321)")
    assert "apology" not in result.rules()
    assert all("**" not in f.sentence for f in result.findings)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600), st.sampled_from([None, "x", "sms", "website"]))
def test_any_text_is_checked_without_error(text, channel):
    result = check_statement(text, channel=channel)
    assert result.rules() <= set(RULES)
    assert result.words >= 0 and result.characters >= 0


def test_command_line(cli, tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("We regret if anyone was offended.\n", encoding="utf-8")
    result = cli("check-statement", str(draft), "--channel", "x", "--json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert set(document) == {"findings", "grade", "words", "characters", "sentences"}
    assert {"rule", "sentence", "why", "detail", "suggestion"} == set(document["findings"][0])
    assert document["sentences"][0]["does"] == {"non-apology": "if anyone was offended"}
    assert "non-apology" in {f["rule"] for f in document["findings"]}
    plain = cli("check-statement", str(draft))
    assert "non-apology" in plain.out
    missing = cli("check-statement", str(tmp_path / "none.md"))
    assert missing.code == 1 and len(missing.err.strip().splitlines()) == 1

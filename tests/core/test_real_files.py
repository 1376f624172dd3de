"""Real files written by other programs (tests/fixtures/SOURCES.md says whose): address books,
feeds in undeclared encodings, exports saved by spreadsheets. Each comes in whole and readable,
or is refused or rejected for a reason a person would agree with."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.contacts.importing import import_contacts_file, parse_contacts_file, read_text
from app.imports.encoding import decode
from app.mentions.importers import MentionImportError, NoDateColumn, import_mentions
from app.mentions.model import MentionFilter
from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from app.sources.rss import _entry_time
from tests.conftest import FIXED_NOW

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VCARDS = FIXTURES / "vcard"
EXPORTS = FIXTURES / "exports"
FEEDS = FIXTURES / "feeds"


def card_count(path: Path) -> int:
    text, _decision = decode(path.read_bytes())
    return text.upper().count("BEGIN:VCARD")


# --- vCards -----------------------------------------------------------------------------------

# Cards that hold nothing to call or write to: rejected, rightly.
EMPTY_CARDS = {"aosp_v21_android_custom_prop.vcf": 1}


@pytest.mark.parametrize("name", sorted(p.name for p in VCARDS.glob("*.vcf")))
def test_every_real_card_is_a_contact_or_rightly_rejected(name):
    path = VCARDS / name
    parsed = parse_contacts_file(path)
    rejected = EMPTY_CARDS.get(name, 0)
    assert len(parsed.contacts) + len(parsed.problems) == card_count(path)
    assert len(parsed.problems) == rejected, parsed.problems
    for _where, contact in parsed.contacts:
        text = " ".join([contact.name, contact.organisation, contact.notes])
        assert contact.name.strip()
        assert "\ufffd" not in text and not any("\x80" <= c <= "\x9f" for c in text)


def one(name: str):
    parsed = parse_contacts_file(VCARDS / name)
    return [contact for _where, contact in parsed.contacts]


def test_an_unescaped_comma_in_fn_keeps_the_whole_name():
    (gmail,) = one("ezvcard_John_Doe_GMAIL.vcf")  # FN:Mr. John Richter, James Doe Sr.
    assert gmail.name == "Mr. John Richter, James Doe Sr."


def test_an_unescaped_comma_in_a_note_keeps_the_whole_note():
    (outlook,) = one("ezvcard_John_Doe_MS_OUTLOOK.vcf")  # vCard 2.1, commas not escaped
    assert "WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED" in outlook.notes
    assert outlook.notes.rstrip().endswith("SUCH DAMAGE.")


def test_cards_with_only_an_email_are_kept_and_named_by_it():
    contacts = one("android_v21_multi-contact.vcf")
    assert [c.name for c in contacts[:2]] == ["john.doe@company.com", "jane.doe@company.com"]


def test_an_organisation_only_card_is_an_organisation_contact(tmp_path):
    # AOSP's v40_sort_as card with its FN and N taken out: what an address book writes for
    # the insurer or the council office (no real export of such a card was found).
    lines = (VCARDS / "aosp_v40_sort_as.vcf").read_bytes().split(b"\r\n")
    card = tmp_path / "org.vcf"
    card.write_bytes(b"\r\n".join(ln for ln in lines if not ln.startswith((b"FN", b"N;"))))
    (org,) = [c for _w, c in parse_contacts_file(card).contacts]
    assert (org.name, org.organisation, org.kind) == ("グーグル", "グーグル, 検索部門", "external")


def test_a_line_folded_inside_a_utf8_character_is_joined_on_the_bytes(tmp_path):
    # The same real card folded at 75 octets by byte count, splitting 藤 (E8 97 A4) after E8,
    # as exporters that count bytes do (ez-vcard issue 80, SimpleMobileTools issue 891).
    data = (VCARDS / "aosp_v40_sort_as.vcf").read_bytes()
    folded = data.replace(b"FN:\xe5\xae\x89\xe8\x97\xa4", b"FN:\xe5\xae\x89\xe8\r\n \x97\xa4")
    assert folded != data
    path = tmp_path / "folded.vcf"
    path.write_bytes(folded)
    (contact,) = [c for _w, c in parse_contacts_file(path).contacts]
    assert contact.name == "安藤 ロイド"


def test_quoted_printable_without_a_charset_is_utf8_else_the_files_code_page(tmp_path):
    # Android's export with its CHARSET=UTF-8 parameters taken out, as older phones write it.
    data = (VCARDS / "android_v21_multi-contact.vcf").read_bytes()
    path = tmp_path / "no-charset.vcf"
    path.write_bytes(data.replace(b"CHARSET=UTF-8;", b""))
    names = [c.name for _w, c in parse_contacts_file(path).contacts]
    assert "Ñ Ñ Ñ Ñ Ñ" in names and not any("Ã" in n for n in names)
    # Windows-1252 bytes in the quoted-printable value: not UTF-8, so the legacy reading.
    outlook = tmp_path / "cp1252.vcf"
    outlook.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:Ren=E9e Z=FCrcher\r\n"
        b"TEL:+41 44 000 00 00\r\nEND:VCARD\r\n"
    )
    assert parse_contacts_file(outlook).contacts[0][1].name == "Renée Zürcher"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(tmp_path, encoding):
    # The real Gmail export saved as UTF-16 without a byte-order mark, as some Windows tools do.
    text = (VCARDS / "ezvcard_John_Doe_GMAIL.vcf").read_bytes().decode("utf-8")
    path = tmp_path / "utf16.vcf"
    path.write_bytes(text.encode(encoding))
    (contact,) = [c for _w, c in parse_contacts_file(path).contacts]
    assert contact.name == "Mr. John Richter, James Doe Sr."
    assert read_text(text.encode(encoding)).startswith("BEGIN:VCARD")


def test_tel_uris_are_plain_numbers():
    (simon,) = one("ezvcard_rfc6350-example.vcf")
    assert [p.number for p in simon.phones] == ["+1-418-656-9254 ext. 102", "+1-418-262-6501"]


def test_nested_cards_are_their_own_contacts_and_the_outer_card_stays_whole():
    parent, first, second = one("aosp_v21_nest.vcf")
    assert (parent.name, [p.number for p in parent.phones]) == ("parent", ["1"])
    assert (first.name, second.name) == ("nest1", "nest2")


def test_a_vcard3_agent_value_is_its_own_card():
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Frank Dawson\r\nTEL:+1-919-676-9515\r\n"
        "AGENT:BEGIN:VCARD\\nFN:Joe Friday\\nTEL:+1-919-555-7878\\nEND:VCARD\\n\r\n"
        "END:VCARD\r\n"
    )
    from app.contacts.vcard import parse_vcards

    names = [c.name for _w, c in parse_vcards(text).contacts]
    assert names == ["Frank Dawson", "Joe Friday"]


def test_reimporting_finds_cards_with_no_email_or_phone_by_name_and_organisation(store):
    path = VCARDS / "aosp_v21_simple_2.vcf"  # FN:Ando Roid, nothing else
    assert len(import_contacts_file(store.contacts, path).new) == 1
    again = import_contacts_file(store.contacts, path)
    assert again.new == [] and "same name and organisation" in again.duplicates[0][2]
    assert store.contacts.count() == 1


def test_every_real_address_book_imports_once(store):
    total = 0
    for path in sorted(VCARDS.glob("*.vcf")):
        preview = import_contacts_file(store.contacts, path)
        total += len(preview.new)
    assert store.contacts.count() == total
    for path in sorted(VCARDS.glob("*.vcf")):
        assert import_contacts_file(store.contacts, path).new == [], path.name
    assert store.contacts.count() == total


# --- feeds ---------------------------------------------------------------------------------

UNDECLARED = [
    ("feedparser_koi8r_undeclared.xml", "Как пережить новогоднюю ночь"),
    ("feedparser_eucjp_undeclared.xml", "ゲーム三昧な正月"),
    ("feedparser_gb2312_undeclared.xml", "不归移民漫画系列"),
    ("feedparser_tis620_undeclared.xml", "สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์"),
    ("feedparser_shiftjis_undeclared.xml", "DrecomRSSに記事投稿が反映されない"),
    ("feedparser_euckr_undeclared.xml", "한글닉네임"),
    ("feedparser_windows1255_undeclared.xml", "האם תדפיס נייר"),
]


def pull(httpserver, store, name: str, content_type: str = "text/xml"):
    httpserver.expect_request("/feed").respond_with_data(
        (FEEDS / name).read_bytes(), content_type=content_type
    )
    store.sources.add(SourceSettings("Feed", "rss", options={"url": httpserver.url_for("/feed")}))
    return pull_source(store, "Feed", MemorySecretStore(), now=FIXED_NOW)


@pytest.mark.parametrize("name, words", UNDECLARED, ids=[u[0] for u in UNDECLARED])
def test_feeds_in_undeclared_legacy_encodings_come_through_readable(httpserver, store, name, words):
    outcome = pull(httpserver, store, name)
    assert outcome.ok and outcome.new == 1, outcome
    (text,) = [r["text"] for r in store.db.query("SELECT text FROM mentions")]
    assert words in text and "\ufffd" not in text


@pytest.mark.parametrize(
    "name",
    [
        "feedparser_utf-16le-autodetect_nobom.xml",
        "feedparser_utf-16be-autodetect_nobom.xml",
        "feedparser_utf-16le-bom.xml",
        "feedparser_big5_undeclared.xml",
    ],
)
def test_valid_empty_feeds_are_zero_new_not_a_failure(httpserver, store, name):
    outcome = pull(httpserver, store, name, content_type="text/plain")
    assert outcome.ok and (outcome.new, outcome.error) == (0, ""), outcome


def test_pull_all_exits_0_with_an_empty_feed(httpserver, cli, tmp_path):
    db = tmp_path / "w.db"
    assert cli("--db", db, "init").code == 0
    httpserver.expect_request("/empty").respond_with_data(
        (FEEDS / "feedparser_utf-16be-autodetect_nobom.xml").read_bytes(),
        content_type="application/xml",
    )
    url = httpserver.url_for("/empty")
    assert cli("--db", db, "sources", "add", "rss", "--name", "Empty", "--url", url).code == 0
    result = cli("--db", db, "pull", "--all")
    assert result.code == 0, result.err
    assert "Empty: 0 new, 0 already in the inbox." in result.out


@pytest.mark.parametrize(
    "raw, expected",
    [
        # CSDN's feeds write this; feedparser read it as the 1st of November.
        ("2020/1/10 14:33:00", datetime(2020, 1, 10, 14, 33, tzinfo=UTC)),
        ("2020/04/09 18:28:27", datetime(2020, 4, 9, 18, 28, 27, tzinfo=UTC)),
        ("24-02-2015 11.35", datetime(2015, 2, 24, 11, 35, tzinfo=UTC)),
        ("Tuesday, February 24th 2015, 11:35 am GMT", datetime(2015, 2, 24, 11, 35, tzinfo=UTC)),
    ],
)
def test_feed_dates_feedparser_leaves_or_misreads_get_a_second_chance(raw, expected):
    import feedparser

    document = f"<rss version='2.0'><channel><item><title>x</title><pubDate>{raw}</pubDate>"
    (entry,) = feedparser.parse(document + "</item></channel></rss>").entries
    assert _entry_time(entry) == expected


def test_portuguese_and_other_real_feeds_keep_their_own_times(httpserver, store):
    outcome = pull(httpserver, store, "rss20_uol_iso-8859-1_undeclared.xml")
    assert outcome.ok
    dates = {r["posted_at"][:7] for r in store.db.query("SELECT posted_at FROM mentions")}
    assert dates == {"2018-09"}


# --- exports -------------------------------------------------------------------------------


def test_a_spreadsheet_damaged_tweet_export_comes_in_whole(store):
    path = EXPORTS / "538_twitter-ratio_realDonaldTrump.csv"
    result = import_mentions(store, path)
    assert (result.imported, result.duplicates, result.rejected_count) == (3232, 0, 0)
    # The same words at five different times are five posts, not one.
    assert store.mentions.count(MentionFilter('"MAKE AMERICA GREAT AGAIN"')) >= 5
    (first,) = store.mentions.search('"respectful conversation with the widow"')
    assert first.posted_at == datetime(2017, 10, 23, 12, 30, tzinfo=UTC)  # 10/23/17 12:30
    assert any("month first" in n for n in result.notes)


def test_excel_for_mac_bytes_are_read_as_mac_roman_not_control_characters(store):
    result = import_mentions(store, EXPORTS / "538_twitter-ratio_BarackObama.csv")
    assert (result.imported, result.encoding) == (3207, "mac_roman")
    texts = [r["text"] for r in store.db.query("SELECT text FROM mentions")]
    assert not any(any("\x80" <= c <= "\x9f" for c in t) or "\ufffd" in t for t in texts)


def test_ids_in_scientific_notation_are_not_dedupe_keys(store):
    result = import_mentions(store, EXPORTS / "538_trump-twitter_poll_tweets.csv")
    assert (result.imported, result.duplicates) == (448, 0)
    assert any("7.02608E+17" in n and "not used to find duplicates" in n for n in result.notes)
    ids = [r["external_id"] for r in store.db.query("SELECT external_id FROM mentions")]
    assert not any("E+" in i for i in ids) and any(len(i) == 18 for i in ids)


def test_emoji_and_many_languages_from_the_streaming_api(store):
    path = EXPORTS / "538_mayweather-mcgregor_tweets.csv"
    result = import_mentions(store, path, undated=False)
    assert (result.imported, result.rejected_count, result.encoding) == (12118, 0, "utf-8")
    (turkish,) = store.mentions.search('"Ringe çıkmadan ateş etmeye başladı"')
    assert "😃" in turkish.text and turkish.author_handle == "aaLiysr"


@pytest.mark.parametrize(
    "name, count",
    [
        ("twarc_flat.jsonl", 100),
        ("twarc_two_tweets.jsonl", 1),
        ("twarc_geo_tweets.jsonl", 2),
        ("twarc_mentions_tweet.jsonl", 1),
        ("twarc_cashtags.jsonl", 1),
    ],
)
def test_api_answers_saved_a_page_a_line_import_their_items(store, name, count):
    result = import_mentions(store, EXPORTS / name)
    assert (result.imported, result.rejected_count) == (count, 0)


def test_an_unknown_date_column_is_found_by_its_values_and_said(cli, tmp_path):
    db = tmp_path / "w.db"
    assert cli("--db", db, "init").code == 0
    result = cli("--db", db, "import", "mentions", EXPORTS / "538_ahca_polls.csv", "--no-sentiment")
    assert result.code == 0, result.err
    assert "Posted at: from the column “Start”, because its values are dates." in result.out
    assert "read month first, as the file's own" in result.out
    found = json.loads(cli("--db", db, "search", "health", "--json").out)["mentions"]
    assert found and all(m["posted_at"].startswith("2017") for m in found)


def test_no_date_column_is_refused_on_the_command_line_until_the_owner_says(cli, tmp_path):
    db = tmp_path / "w.db"
    assert cli("--db", db, "init").code == 0
    path = EXPORTS / "538_twitter-ratio_BarackObama.csv"
    refused = cli("--db", db, "import", "mentions", path, "--map", "posted_at=")
    assert refused.code == 1
    assert "every mention would be dated now" in refused.err
    assert "created_at" in refused.err and "--map posted_at=COLUMN" in refused.err
    assert "--undated" in refused.err
    assert json.loads(cli("--db", db, "info", "--json").out)["tables"]["mentions"] == 0
    accepted = cli("--db", db, "import", "mentions", path, "--map", "posted_at=", "--undated")
    assert accepted.code == 0 and "dated with the time of this import" in accepted.out


def test_a_blank_date_in_a_dated_file_is_rejected_and_listed_not_stamped(store, tmp_path):
    rows = (EXPORTS / "538_trump-twitter_poll_tweets.csv").read_text("utf-8").splitlines()
    header, first, second, *rest = rows
    blank = second.split(",", 2)
    path = tmp_path / "blank.csv"
    path.write_text("\n".join([header, first, f"{blank[0]},,{blank[2]}", *rest]) + "\n")
    result = import_mentions(store, path)
    assert result.rejected_count == 1 and result.rejected[0].line == 3
    assert "it has no date" in result.rejected[0].reason
    with_now = import_mentions(store, path, undated=True)
    assert with_now.imported == 1 and with_now.undated == 1


def test_a_file_whose_every_row_is_rejected_fails(cli, tmp_path):
    db = tmp_path / "w.db"
    assert cli("--db", db, "init").code == 0
    path = tmp_path / "dates.csv"
    path.write_text("text,date\nhello there,yesterday\nanother one,soon\n", encoding="utf-8")
    result = cli("--db", db, "import", "mentions", path)
    assert result.code == 1
    assert "Nothing could be imported" in result.err and "line 2: the date" in result.err


def test_a_wrong_import_is_undone_and_the_right_one_counts(store):
    path = EXPORTS / "twarc_flat.jsonl"
    wrong = import_mentions(store, path, mapping={"posted_at": ""}, undated=True)
    assert wrong.imported == 100
    ids = wrong.added_ids
    store.mentions.set_status(ids[:2], "needs_reply")
    store.mentions.add_tag([ids[2]], "food-safety")
    store.evidence.add(ids[3], "shot.png", b"\x89PNG")
    store.mentions.set_incident([ids[4]], 1)
    undone = store.batches.undo(wrong.batch_id)
    assert (undone.removed, [i for i, _t in undone.kept]) == (95, ids[:5])
    assert store.mentions.total() == 5
    right = import_mentions(store, path)
    assert (right.imported, right.duplicates) == (95, 5)
    assert store.mentions.total() == 100
    # The kept ones took their real time from the right import.
    kept = store.mentions.get(ids[0])
    assert kept.posted_at.year == 2021 and kept.status == "needs_reply"
    with pytest.raises(MentionImportError):
        import_mentions(store, path, mapping={"posted_at": ""})
    assert isinstance(NoDateColumn("x"), MentionImportError)

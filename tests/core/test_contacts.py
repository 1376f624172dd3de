"""Contacts: CRUD, groups, search, the call tree, and CSV / vCard in and out with real exports."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.contacts.csv_files import contacts_from_csv, contacts_to_csv, guess_mapping, read_csv
from app.contacts.importing import (
    Cancelled,
    commit_import,
    import_contacts_file,
    parse_contacts_file,
    preview_import,
    read_text,
)
from app.contacts.model import CallTreeLink, Contact, ContactImportError, Phone
from app.contacts.vcard import contacts_to_vcard, parse_vcards
from app.demo.workspace import DEMO_CONTACTS

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vcard"

# What each real export holds, read from the files: name, phone numbers, emails; and the
# number of cards with no name that must be reported, not imported.
EXPECTED = {
    "outlook-2003_v21.vcf": (
        [
            (
                "John Doe III",
                ["BusinessPhone", "HomePhone", "MobilePhone", "BusinessFaxPhone"],
                ["jdoe@hotmail.com"],
            )
        ],
        0,
    ),
    "outlook-2007_v21_quoted-printable.vcf": (
        [
            (
                "Mr. Michael Angstadt Jr.",
                ["(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333"],
                ["mike.angstadt@gmail.com"],
            )
        ],
        0,
    ),
    "iphone-ios5_v30_itemgroups.vcf": (
        [
            (
                "Mr. John Richter James Doe Sr.",
                [f"905-{n}-1234" for n in (555, 666, 777, 888, 999, 111, 222)],
                ["john.doe@ibm.com"],
            )
        ],
        0,
    ),
    "macos-address-book_v30.vcf": (
        [
            (
                "Mr. John Richter,James Doe Sr.",
                [f"905-{n}-1234" for n in (777, 666, 555, 888, 999, 111, 222)],
                ["john.doe@ibm.com"],
            )
        ],
        0,
    ),
    # Cards with only an email are kept, named by it (they were "no name" before).
    "android_v21_multi-contact.vcf": (
        [
            ("john.doe@company.com", [], ["john.doe@company.com"]),
            ("jane.doe@company.com", [], ["jane.doe@company.com"]),
            ("Ñ Ñ Ñ Ñ Ñ", ["123456789"], []),
            ("Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", ["123456", "234567", "3456789", "45678901"], []),
            ("Ñ Ñ Ñ Ñ", ["123456", "123456", "123456"], ["bob@company.com", "Ñ" * 14]),
            ("ÑÑÑÑ", ["55556666"], ["henry@company.com"]),
        ],
        0,
    ),
    "google-contacts_v30_itemgroups.vcf": (
        [
            (
                "VCard Test",
                [f"55555511{n}" for n in range(11, 22)],
                [
                    "email@example.com",
                    "homeemail@example.com",
                    "workemail@example.com",
                    "otheremail@example.com",
                    "customcategory@example.com",
                ],
            )
        ],
        0,
    ),
    "google-contacts_v30_multi-contact.vcf": (
        [
            ("Arnold Smith", [], ["asmithk@gmail.com"]),
            ("Chris Beatle", [], ["chrisy55d@yahoo.com"]),
            ("Doug White", [], ["dwhite@gmail.com"]),
        ],
        0,
    ),
    "thunderbird_v30.vcf": (
        [
            (
                "John Doe",
                ["555-555-1111", "555-555-2222", "555-555-5555", "555-555-3333", "555-555-4444"],
                ["doe.john@hotmail.com"]
                + [f"additional-email{n}@company.com" for n in ("", "1", "2", "3")],
            )
        ],
        0,
    ),
    "evolution_v30.vcf": (
        [
            (
                "Mr. John Richter, James Doe Sr.",
                ["905-666-1234", "905-555-1234"],
                ["john.doe@ibm.com"],
            )
        ],
        0,
    ),
    "lotus-notes_v30.vcf": (
        [
            (
                "Mr. Doe John I Johny",
                ["+1 (212) 204-34456", "00-1-212-555-7777"],
                ["john.doe@ibm.com", "billy_bob@gmail.com"],
            )
        ],
        0,
    ),
}


def test_every_fixture_of_the_first_ten_is_covered():
    # The other real files are covered by tests/core/test_real_files.py.
    first = [p.name for p in FIXTURES.glob("*.vcf") if not p.name.startswith(("aosp_", "ez", "vo"))]
    assert sorted(first) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_vcard_exports_come_in_with_names_phones_and_emails(store, name):
    expected, nameless = EXPECTED[name]
    parsed = parse_contacts_file(FIXTURES / name)
    got = [(c.name, [p.number for p in c.phones], c.emails) for _where, c in parsed.contacts]
    assert got == expected
    assert len(parsed.problems) == nameless
    assert all("no name" in p.reason and p.where.startswith("card ") for p in parsed.problems)
    preview = import_contacts_file(store.contacts, FIXTURES / name)
    assert len(preview.rejected) == nameless
    assert sorted(c.name for c in store.contacts.all()) == sorted(n for n, _p, _e in expected)
    assert preview.duplicates == []


def test_phone_labels_and_organisation_from_real_exports():
    iphone = parse_contacts_file(FIXTURES / "iphone-ios5_v30_itemgroups.vcf").contacts[0][1]
    labels = [p.label for p in iphone.phones]
    assert labels[:3] == ["mobile", "home", "work"] and "work fax" in labels
    assert iphone.organisation.startswith("IBM") and iphone.role == "Money Counter"


def test_crud_groups_and_search(store):
    maya = store.contacts.save(
        Contact(
            "  Maya  Okafor ", phones=[Phone("mobile", "+44 7700 900101")], groups=["Crisis team"]
        )
    )
    assert maya.name == "Maya Okafor" and maya.id
    store.contacts.save(
        Contact("Jonathan Hale", "external", organisation="Hale & Morrow", groups=["Advisers"])
    )
    assert store.contacts.groups() == ["Advisers", "Crisis team"]
    assert [c.name for c in store.contacts.search("hale")] == ["Jonathan Hale"]
    assert [c.name for c in store.contacts.search("7700")] == ["Maya Okafor"]
    assert [c.name for c in store.contacts.search("", group="Advisers")] == ["Jonathan Hale"]
    maya.role = "Owner"
    store.contacts.save(maya)
    assert store.contacts.get(maya.id).role == "Owner"
    store.contacts.delete(maya.id)
    assert [c.name for c in store.contacts.all()] == ["Jonathan Hale"]
    with pytest.raises(ValueError, match="no name"):
        store.contacts.save(Contact("   "))


def test_call_tree_order_and_delete_moves_their_calls_up(store):
    a, b, c = (store.contacts.save(Contact(n)).id for n in ("Ann", "Ben", "Cat"))
    store.contacts.set_call_tree(
        4, [CallTreeLink(4, a), CallTreeLink(4, b, a), CallTreeLink(4, c, b)]
    )
    assert store.contacts.call_order(4) == [(0, a, None), (1, b, a), (2, c, b)]
    with pytest.raises(ValueError):
        store.contacts.set_call_tree(3, [CallTreeLink(3, a, c)])  # caller not in the tree
    store.contacts.delete(b)
    assert store.contacts.call_order(4) == [(0, a, None), (1, c, a)]


def test_csv_and_vcard_round_trip_give_the_same_contacts(store, tmp_path):
    originals = [Contact(**{**c.__dict__, "id": None}) for c in DEMO_CONTACTS]
    for kind, writer in (("csv", contacts_to_csv), ("vcf", contacts_to_vcard)):
        path = tmp_path / f"out.{kind}"
        path.write_text(writer(originals), encoding="utf-8")
        parsed = parse_contacts_file(path)
        assert parsed.problems == []
        assert [c for _w, c in parsed.contacts] == originals, kind


def test_duplicates_by_email_or_phone_are_reported_not_added(store, tmp_path):
    store.contacts.save(Contact("Maya Okafor", emails=["maya@example.com"]))
    path = tmp_path / "in.csv"
    path.write_text(
        "Name;Email;Mobile\n"
        "Maya O.;MAYA@example.com;\n"
        "Ben;;+44 7700 900222\n"
        "Ben;;07700-900222\n"
        ";nobody@example.com;\n",
        encoding="utf-8",
    )
    preview = import_contacts_file(store.contacts, path)
    assert [c.name for c in store.contacts.all()] == ["Ben", "Maya Okafor"]
    assert [d[2] for d in preview.duplicates][0].startswith("same email as Maya Okafor")
    assert [r.where for r in preview.rejected] == ["line 5"]
    assert preview.as_dict()["imported"] == 1


def test_csv_in_windows_1252_with_semicolons_and_a_mapping(store):
    data = "Vorname;Nachname;Firma;Telefon (mobil)\r\nJürgen;Müller;Bäckerei Süß;0176 1234567\r\n"
    table = read_csv(read_text(data.encode("cp1252")))
    assert table.delimiter == ";"
    mapping = guess_mapping(table.headers)
    assert mapping[3] == "phone"
    parsed = contacts_from_csv(table, ["first_name", "last_name", "organisation", "phone"])
    contact = parsed.contacts[0][1]
    assert contact.name == "Jürgen Müller" and contact.organisation == "Bäckerei Süß"
    assert contact.phones == [Phone("mobile", "0176 1234567")]


def test_a_csv_without_a_name_column_asks_for_one():
    table = read_csv("Email,Phone\na@example.com,123\n")
    with pytest.raises(ContactImportError, match="name"):
        contacts_from_csv(table, guess_mapping(table.headers))


@pytest.mark.parametrize(
    "data, reason",
    [(b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"), (b"BEGIN:VCARD", None)],
)
def test_files_that_are_not_contacts_say_so(tmp_path, data, reason):
    path = tmp_path / "x.dat"
    path.write_bytes(data)
    if reason is None:  # a card with nothing in it: reported per card, not fatal
        parsed = parse_contacts_file(path)
        assert parsed.contacts == [] and "no name" in parsed.problems[0].reason
        return
    with pytest.raises(ContactImportError, match=reason):
        parse_contacts_file(path)


def test_a_malformed_card_is_reported_and_the_rest_come_in():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nTEL:123456\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nthis line is not a property\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Four Point Oh\nEMAIL:four@example.com\nEND:VCARD\n"
    )
    parsed = parse_vcards(text)
    assert [c.name for _w, c in parsed.contacts] == ["Good One", "Four Point Oh"]
    assert [p.where for p in parsed.problems] == ["card 2 (line 6)"]


def test_ten_thousand_cards_import_in_one_transaction_and_cancel_leaves_nothing(store):
    text = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\nEND:VCARD\r\n"
        for n in range(10_000)
    )
    seen = []
    parsed = parse_vcards(text, progress=lambda done, total: seen.append((done, total)))
    assert len(parsed.contacts) == 10_000 and seen[-1] == (10_000, 10_000)
    preview = preview_import(store.contacts, parsed)
    calls = iter(range(100_000))
    with pytest.raises(Cancelled):
        commit_import(store.contacts, preview.new, cancelled=lambda: next(calls) >= 5000)
    assert store.contacts.count() == 0
    assert commit_import(store.contacts, preview.new) == 10_000
    assert store.contacts.count() == 10_000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda s: s.encode("utf-8"))))
def test_csv_importer_never_raises_anything_but_its_own_error(data):
    try:
        table = read_csv(read_text(data))
        contacts_from_csv(table, guess_mapping(table.headers))
    except ContactImportError:
        pass


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_csv_rows_with_any_text_become_contacts_or_reasons(rows):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows([["Name", "Email", "Phone", "Notes"], *rows])
    try:
        table = read_csv(out.getvalue())
        parsed = contacts_from_csv(table, ["name", "email", "phone", "notes"])
    except ContactImportError:
        return
    assert len(parsed.contacts) + len(parsed.problems) == len(table.rows)


def test_an_import_guesses_who_is_from_outside_and_leaves_out_phone_groups():
    from app.contacts.vcard import parse_vcards

    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Amara Lewis\r\nORG:Lewis & Co Solicitors\r\n"
        "CATEGORIES:myContacts,Advisers\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tom Reid\r\nTITLE:Reporter\r\nORG:Riverside Gazette\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Adebayo\r\nTITLE:Shop manager\r\n"
        "CATEGORIES:myContacts,Crisis team\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Hill\r\nTITLE:Lawyer\r\n"
        "X-CRISISDESK-KIND:internal\r\nEND:VCARD\r\n"
    )
    parsed = {c.name: c for _where, c in parse_vcards(cards).contacts}
    assert parsed["Amara Lewis"].kind == "external"
    assert parsed["Amara Lewis"].groups == ["Advisers"]  # "myContacts" is the phone's own
    assert parsed["Tom Reid"].kind == "external"
    assert parsed["Grace Adebayo"].kind == "internal"
    assert parsed["Grace Adebayo"].groups == ["Crisis team"]
    assert parsed["Sam Hill"].kind == "internal"  # said in the file: kept as said


def test_the_team_stays_the_team_when_its_job_sounds_like_outside(store):
    """A "Social media" job, or anyone whose organisation is the business itself, is the team;
    the solicitor and the paper are still outside."""
    from app.contacts.importing import preview_import
    from app.contacts.model import ParsedContacts
    from app.contacts.vcard import parse_vcards

    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maja Lind\r\nTITLE:Social media\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Leo Hart\r\nTITLE:Press and communications\r\n"
        "ORG:Crumb and Co Ltd\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ravi Patel\r\nTITLE:Solicitor\r\n"
        "ORG:Patel & Moore Solicitors\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Cole\r\nTITLE:Reporter\r\nORG:Town Courier\r\n"
        "END:VCARD\r\n"
    )
    parsed = parse_vcards(cards)
    assert {c.name: c.kind for _w, c in parsed.contacts}["Maja Lind"] == "internal"
    preview = preview_import(store.contacts, ParsedContacts(parsed.contacts), "Crumb & Co")
    kinds = {c.name: c.kind for c in preview.new}
    assert kinds == {
        "Maja Lind": "internal",
        "Leo Hart": "internal",  # the business's own press officer
        "Ravi Patel": "external",
        "Ann Cole": "external",
    }

"""`crisisdesk export plan` and `import contacts`, as a script would run them (in-process, through
the shared `cli` fixture; the PDF is written by Qt offscreen)."""

import json
import shutil
import subprocess

import pytest

from app.store import open_store

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed, so the PDF's text cannot be read",
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, templates):
    """The demo as `crisisdesk demo` leaves it; these tests only read it."""
    return templates.copy(templates.cli_demo(), tmp_path_factory.mktemp("binder") / "demo.db")


@needs_pdftotext
def test_export_plan_writes_a_binder_with_every_role_level_and_contact(cli, demo_db, tmp_path):
    out = tmp_path / "binder.pdf"
    result = cli("--db", str(demo_db), "export", "plan", "-o", str(out))
    assert result.code == 0, result.err
    assert "pages" in result.out
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    with open_store(demo_db) as store:
        plan = store.plan.get_current()
        contacts = store.contacts.all()
    for role in plan.roles:
        assert role.name in flat, role.name
    for level in plan.ladder:
        assert f"Level {level.level}" in flat and level.name in flat
    for contact in contacts:
        assert contact.name in flat, contact.name
    for playbook in plan.playbooks:
        assert playbook.name in flat
    assert "Call tree" in flat and "Contact sheet" in flat and "Page 1 of" in flat
    # The font is embedded, so the text is real text on any machine.
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts


def test_export_refuses_to_overwrite_and_without_a_plan(cli, demo_db, tmp_path, copy_empty):
    out = tmp_path / "b.pdf"
    out.write_bytes(b"keep me")
    result = cli("--db", str(demo_db), "export", "plan", "-o", str(out))
    assert result.code == 1 and "--force" in result.err
    assert out.read_bytes() == b"keep me"
    empty = copy_empty(tmp_path / "empty.db")
    result = cli("--db", str(empty), "export", "plan", "-o", str(tmp_path / "x.pdf"))
    assert result.code == 1 and "no plan yet" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_import_contacts_reports_rows_and_json(cli, tmp_path, copy_empty):
    db = copy_empty(tmp_path / "w.db")
    vcf = "tests/fixtures/vcard/android_v21_multi-contact.vcf"
    result = cli("--db", str(db), "import", "contacts", vcf, "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["imported"] == 6  # two cards with only an email are named by it
    assert report["rejected"] == []
    again = cli("--db", str(db), "import", "contacts", vcf)
    assert again.code == 0
    assert "Imported 0 contacts; 6 already there, 0 rejected." in again.out
    assert "already in your contacts" in again.out
    nothing = cli("--db", str(db), "import", "contacts", "tests/fixtures/vcard/aosp_v21_nest.vcf")
    assert "Imported 3 contacts;" in nothing.out
    one = cli("--db", str(db), "import", "contacts", "tests/fixtures/vcard/aosp_v21_sip.vcf")
    assert "Imported 1 contact;" in one.out


def test_import_of_a_file_that_is_not_contacts_changes_nothing(cli, tmp_path, copy_empty):
    db = copy_empty(tmp_path / "w.db")
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    before = db.read_bytes()
    result = cli("--db", str(db), "import", "contacts", str(bad))
    assert result.code == 1 and "not a text file" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert db.read_bytes() == before
    missing = cli("--db", str(db), "import", "contacts", str(tmp_path / "none.vcf"))
    assert missing.code == 1 and "no file" in missing.err

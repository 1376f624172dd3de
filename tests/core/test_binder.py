"""`crisisdesk export plan` and `import contacts`, as a script would run them: real processes."""

import json
import shutil
import subprocess

import pytest

from app.store import open_store
from tests.core.test_cli import crisisdesk

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed, so the PDF's text cannot be read",
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("binder") / "demo.db"
    assert crisisdesk("demo", "--db", str(path)).returncode == 0
    return path


@needs_pdftotext
def test_export_plan_writes_a_binder_with_every_role_level_and_contact(demo_db, tmp_path):
    out = tmp_path / "binder.pdf"
    result = crisisdesk("--db", str(demo_db), "export", "plan", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "pages" in result.stdout
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


def test_export_refuses_to_overwrite_and_without_a_plan(demo_db, tmp_path):
    out = tmp_path / "b.pdf"
    out.write_bytes(b"keep me")
    result = crisisdesk("--db", str(demo_db), "export", "plan", "-o", str(out))
    assert result.returncode == 1 and "--force" in result.stderr
    assert out.read_bytes() == b"keep me"
    empty = tmp_path / "empty.db"
    open_store(empty).close()
    result = crisisdesk("--db", str(empty), "export", "plan", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and "no plan yet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_import_contacts_reports_rows_and_json(tmp_path):
    db = tmp_path / "w.db"
    open_store(db).close()
    vcf = "tests/fixtures/vcard/android_v21_multi-contact.vcf"
    result = crisisdesk("--db", str(db), "import", "contacts", vcf, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["imported"] == 4
    assert [r["where"] for r in report["rejected"]] == ["card 1 (line 1)", "card 2 (line 6)"]
    again = crisisdesk("--db", str(db), "import", "contacts", vcf)
    assert again.returncode == 0
    assert "Imported 0 contacts; 4 already there, 2 rejected." in again.stdout
    assert "no name" in again.stdout


def test_import_of_a_file_that_is_not_contacts_changes_nothing(tmp_path):
    db = tmp_path / "w.db"
    open_store(db).close()
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    before = db.read_bytes()
    result = crisisdesk("--db", str(db), "import", "contacts", str(bad))
    assert result.returncode == 1 and "not a text file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before
    missing = crisisdesk("--db", str(db), "import", "contacts", str(tmp_path / "none.vcf"))
    assert missing.returncode == 1 and "no file" in missing.stderr

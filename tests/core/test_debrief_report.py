"""`crisisdesk export debrief` on the demo: the PDF's own text (read back by pdftotext) holds
the summary, every metric value, every corrective action and every published statement.
The command runs in-process; Qt writes the PDF offscreen."""

import re
import shutil
import subprocess

import pytest

from app.store import open_store

PDFTOTEXT = shutil.which("pdftotext")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils); CI installs it")
def test_debrief_pdf_holds_everything(cli, tmp_path, copy_cli_demo):
    db = copy_cli_demo(tmp_path / "demo.db")
    pdf = tmp_path / "report.pdf"
    result = cli("--db", str(db), "export", "debrief", "1", "-o", str(pdf))
    assert result.code == 0, result.err
    raw = subprocess.run(
        [PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Drop the running header and footer, which a page break puts inside a sentence.
    running = ("Hearth & Crumb — Debrief", "Printed ", "Blameless review", "Page ")
    text = words(
        "\n".join(line for line in raw.splitlines() if not line.strip().startswith(running))
    )
    with open_store(db) as store:
        debrief = store.debriefs.for_incident(1)
        assert words(debrief.summary)[:120] in text
        for metric in store.debriefs.metrics(1):
            assert words(metric.display) in text, metric.label
        for action in store.incidents.tasks(1, "corrective"):
            assert words(action.title) in text
        published = {p.statement_id for p in store.statements.publications(incident_id=1)}
        assert len(published) == 4
        for statement_id in published:
            statement = store.statements.get(statement_id)
            assert words(statement.title) in text
            first_sentence = words(statement.body).split(". ")[0]
            assert first_sentence[:60] in text
        for lesson in debrief.lessons:
            assert words(lesson.text)[:50] in text


def test_debrief_markdown_and_refusals(cli, tmp_path, copy_cli_demo):
    db = copy_cli_demo(tmp_path / "demo.db")
    md = tmp_path / "report.md"
    ok = cli("--db", str(db), "export", "debrief", "1", "-o", str(md))
    assert ok.code == 0, ok.err
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Debrief: Customers ill after custard tarts")
    assert "| Update cadence kept |" in text
    missing = cli("--db", str(db), "export", "debrief", "9", "-o", str(tmp_path / "x.pdf"))
    assert missing.code == 1 and "no incident" in missing.err

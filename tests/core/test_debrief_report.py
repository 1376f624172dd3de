"""`crisisdesk export debrief` on the demo: the PDF's own text (read back by pdftotext) holds
the summary, every metric value, every corrective action and every published statement."""

import re
import shutil
import subprocess
import sys

import pytest

from app.store import open_store

PDFTOTEXT = shutil.which("pdftotext")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils); CI installs it")
def test_debrief_pdf_holds_everything(tmp_path):
    db = tmp_path / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "app", "demo", "--db", str(db)], check=True, capture_output=True
    )
    pdf = tmp_path / "report.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "export", "debrief", "1", "-o", str(pdf)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
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


def test_debrief_markdown_and_refusals(tmp_path):
    db = tmp_path / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "app", "demo", "--db", str(db)], check=True, capture_output=True
    )
    md = tmp_path / "report.md"
    ok = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "export", "debrief", "1", "-o", str(md)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Debrief: Customers ill after custard tarts")
    assert "| Update cadence kept |" in text
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--db",
            str(db),
            "export",
            "debrief",
            "9",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and "no incident" in missing.stderr

"""CSV exports neutralise formulas (OWASP "CSV injection"): a cell a spreadsheet would run —
=HYPERLINK(...), @SUM(...), +cmd|... — is written with a leading quote, while phone numbers
and plain negative numbers stay as typed, and the file reads back into the same contacts."""

from __future__ import annotations

import csv
import io

import pytest

from app.contacts.csv_files import contacts_to_csv
from app.contacts.importing import parse_contacts_file
from app.contacts.model import Contact, Phone
from app.store import open_store
from app.text import csv_safe_cell
from tests.robustness.render_hostile import FORMULA

RUNS = ("=", "+", "-", "@", "\t", "\r")


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize(
    "value",
    [
        FORMULA,
        "=1+1",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "-",
        "+",
        "=",
        "-1+A1",
        "+44 20 7946 0000 ext. 3",
        "@cmd|'/C calc'!A0",
        '@HYPERLINK("http://evil.example")',
        "@a | @b!A0",
    ],
)
def test_a_cell_that_would_run_is_quoted(value):
    assert csv_safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["+44 20 7946 0000", "-12.50", "+1 (555) 010-0199", "+44 7700 900123 | +44 7700 900124", ""],
)
def test_phone_numbers_and_negative_numbers_stay_readable(value):
    assert csv_safe_cell(value) == value


@pytest.mark.parametrize(
    "value", ["Maya Okafor", "mobile: +44 7700 900123", "a=b", "x@y.z", "@maya.bakes", "@a | @b_c"]
)
def test_ordinary_text_is_untouched(value):
    assert csv_safe_cell(value) == value


def test_the_contacts_export_of_a_hostile_workspace_runs_nothing(tmp_path, hostile_workspace):
    db = hostile_workspace(tmp_path)
    with open_store(db) as store:
        text = contacts_to_csv(store.contacts.all())
    assert FORMULA not in cells(text)
    assert "'" + FORMULA in cells(text)
    for cell in cells(text):
        if cell.startswith(RUNS):
            assert csv_safe_cell(cell) == cell, cell  # only plain numbers are left unquoted


def test_phone_numbers_survive_a_round_trip(tmp_path):
    people = [
        Contact("Bare Number", phones=[Phone("", "+44 20 7946 0000")], emails=["a@example.com"]),
        Contact("Two Numbers", phones=[Phone("", "+44 7700 900123"), Phone("", "-1")]),
    ]
    path = tmp_path / "contacts.csv"
    path.write_text(contacts_to_csv(people), encoding="utf-8")
    assert "+44 20 7946 0000" in cells(path.read_text(encoding="utf-8"))
    parsed = parse_contacts_file(path)
    assert [c.phones for _where, c in parsed.contacts] == [p.phones for p in people]


def test_the_contacts_page_exports_a_quoted_csv(qtbot, tmp_path, hostile_workspace, monkeypatch):
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog

    from app.secrets import MemorySecretStore
    from ui.main import MainWindow

    db = hostile_workspace(tmp_path)
    target = tmp_path / "out" / "contacts.csv"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    with open_store(db) as store:
        window = MainWindow(store, settings, secrets=MemorySecretStore())
        qtbot.addWidget(window)
        window.pages["contacts"].export("csv")
        window.close()
    exported = cells(target.read_text(encoding="utf-8"))
    assert "'" + FORMULA in exported and FORMULA not in exported
    assert [p.name for p in target.parent.iterdir()] == ["contacts.csv"]  # no temporary left

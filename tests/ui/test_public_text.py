"""What the public sees, driven as the owner would: no public text filled from help text, a
public headline on the landing page made from the window, approval only with the checklist
done or set aside with reasons, publishing only where it fits, and every export offered to
open, starting in Documents."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.business.model import BusinessProfile
from app.onboarding import start_from_template
from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401
from ui.dialogs import exports
from ui.dialogs.statements import (
    ApproveDialog,
    LandingPageDialog,
    NewStatementDialog,
    PublishDialog,
)


def _bakery(phone: str):
    def prepare(store):
        start_from_template(store, BusinessProfile(name="Hearth & Crumb", phone=phone))
        incident = store.incidents.declare("Customers ill after custard tarts (Riverside)", 3)
        store.incidents.save_assessment(
            incident.id, {"what_happened": "Some of you were ill after our custard tarts."}
        )

    return prepare


def _new_holding_statement(window, monkeypatch):
    incident = window.store.incidents.all(open_only=True)[0]

    def choose(dialog):
        dialog.stage.setCurrentIndex(dialog.stage.findData("holding"))
        dialog.incident.setCurrentIndex(dialog.incident.findData(incident.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewStatementDialog, "exec", choose)
    window.go_to("statements")
    page = window.pages["statements"]
    page.new_item()
    return incident, page.editor


@pytest.fixture
def saved_to(monkeypatch, tmp_path):
    """Answer every save dialog with a file in tmp_path; remember where each one started."""
    started = []
    out = tmp_path / "out"
    out.mkdir()

    def answer(parent, title, suggestion, filters):
        started.append(Path(suggestion).parent)
        return str(out / Path(suggestion).name), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    monkeypatch.setattr(exports, "_last_folder", None)
    return started


def test_the_holding_statement_takes_the_business_phone_never_a_hint(make_window, monkeypatch):
    window = make_window(prepare=_bakery("+44 20 7946 0321"))
    _incident, editor = _new_holding_statement(window, monkeypatch)
    text = editor.editor.toPlainText()
    assert "call us on +44 20 7946 0321" in text
    assert "main shop number" not in text and "spare mobile" not in text


def test_an_unknown_value_stays_visible_and_blocks_approval(qtbot, make_window, monkeypatch):
    window = make_window(prepare=_bakery(""))
    _incident, editor = _new_holding_statement(window, monkeypatch)
    text = editor.editor.toPlainText()
    assert "{{hotline}}" in text and "{{landing_page}}" in text
    editor._refresh_reading()
    assert editor.variables.isVisible()
    assert "{{hotline}}: Put the hotline's number" in editor.variables.text()
    for row in range(editor.checklist.count()):
        editor.checklist.item(row).setCheckState(Qt.CheckState.Checked)
    said = []
    monkeypatch.setattr(ApproveDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    editor.approve()
    assert said and "{{hotline}}" in said[0]
    assert window.store.statements.get(editor.statement.id).status == "draft"


def test_approval_with_nothing_ticked_asks_a_reason_for_each_step(qtbot, make_window, monkeypatch):
    window = make_window(prepare=_bakery("+44 20 7946 0321"))
    _incident, editor = _new_holding_statement(window, monkeypatch)
    filled = {"landing_page": "hearthandcrumb.example/update", "email": "hello@hc.example"}
    text = re.sub(
        r"\{\{(\w+)\}\}", lambda m: filled.get(m.group(1), "Sam Baker"), editor.editor.toPlainText()
    )
    editor.editor.setPlainText(text)
    editor.save_version()
    seen = {}

    def answer(dialog: ApproveDialog):
        seen["steps"] = list(dialog.reasons)
        assert not dialog.ok_button.isEnabled()  # 0 of 5 ticked: no approving yet
        qtbot.keyClicks(dialog.approver, "Sam Baker")  # no contacts yet: nobody is proposed
        for step, box in dialog.reasons.items():
            qtbot.keyClicks(box, f"Not today: {step[:10]}")
        assert dialog.ok_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ApproveDialog, "exec", answer)
    editor.approve()
    store = window.store
    assert len(seen["steps"]) == 5
    statement = store.statements.get(editor.statement.id)
    assert statement.status == "approved"
    entries = store.statements.checklist(statement.id)
    assert all(entry.set_aside.startswith("Not today") for entry in entries)
    # ... and it can be taken back before it goes out.
    monkeypatch.setattr(
        "ui.pages.statements.editor.QInputDialog.getText",
        staticmethod(lambda *a, **k: ("The inspector called back", True)),
    )
    assert editor.withdraw_button.isVisible()
    editor.withdraw_button.click()
    assert store.statements.get(statement.id).status == "draft"


def test_an_x_post_too_long_cannot_be_recorded_until_a_short_version_fits(
    qtbot, make_window, monkeypatch
):
    window = make_window(demo=True)
    store = window.store
    incident = store.incidents.declare("Mould on the sourdough", 3)
    body = "We are sorry. " * 37  # 518 characters
    sid = store.statements.create("Update", "update", body, incident.id)
    for entry in store.statements.checklist(sid):
        store.statements.tick(sid, entry.item, True)
    store.statements.approve(sid, "Maya Okafor", "Decision maker")
    window.go_to("statements")
    page = window.pages["statements"]
    page.show_statement(sid)
    editor = page.editor
    shown = {}

    def tick_x(dialog: PublishDialog):
        for row in range(dialog.channels.count()):
            item = dialog.channels.item(row)
            shown[item.data(Qt.ItemDataRole.UserRole)] = item
            item.setCheckState(Qt.CheckState.Checked)  # the owner tries every box
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PublishDialog, "exec", tick_x)
    editor.publish_button.click()
    channels = {p.channel for p in store.statements.publications(statement_id=sid)}
    assert "x" not in channels and "sms" not in channels and "website" in channels
    assert "too long" in shown["x"].text()
    # The short version with a link fits, and then X can be recorded.
    editor.channel.setCurrentIndex(editor.channel.findData("x"))
    editor.channels_pane.shorten_button.click()
    assert len(editor.channel_text.toPlainText()) <= 280
    assert "hearthandcrumb.example/update" in editor.channel_text.toPlainText()
    editor.publish_button.click()
    assert "x" in {p.channel for p in store.statements.publications(statement_id=sid)}


def test_the_landing_page_is_made_from_the_window_with_a_public_headline(
    qtbot, make_window, monkeypatch, saved_to, tmp_path
):
    window = make_window(demo=True)
    store = window.store
    incident = next(i for i in store.incidents.all() if store.statements.all(i.id))
    statement = store.statements.all(incident.id)[0]
    window.go_to("statements")
    page = window.pages["statements"]
    page.show_statement(statement.id)
    editor = page.editor
    assert editor.landing_button.isEnabled()

    def headline(dialog: LandingPageDialog):
        dialog.headline.setText("Our custard tarts: what happened and what we changed")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LandingPageDialog, "exec", headline)
    editor.landing_button.click()
    assert saved_to == [exports.documents_folder()]
    (written,) = (tmp_path / "out").glob("*.html")
    html = written.read_text(encoding="utf-8")
    assert "<h1>Our custard tarts: what happened and what we changed</h1>" in html
    assert incident.title not in html
    assert store.incidents.get(incident.id).public_title.startswith("Our custard tarts")
    offered = [d for d in window.findChildren(exports.ExportedDialog) if d.isVisible()]
    assert offered and offered[-1].path == written
    assert offered[-1].open_button.text() == "Open"
    assert offered[-1].folder_button.text() == "Show in folder"


def test_every_export_starts_in_documents_and_offers_open(
    qtbot, make_window, monkeypatch, saved_to, tmp_path
):
    window = make_window(demo=True)
    window.go_to("plan")
    window.pages["plan"].export_button.click()
    window.go_to("contacts")
    window.pages["contacts"].export("vcf")
    incident = window.store.incidents.all()[0]
    window.open_incident(incident.id)
    window.pages["incidents"].room.timeline_tab.export_timeline()
    assert saved_to[0] == exports.documents_folder()
    out = tmp_path / "out"
    assert all(folder == out for folder in saved_to[1:])  # then where the last one went
    written = sorted(p.suffix for p in out.iterdir())
    assert written == [".md", ".pdf", ".vcf"]
    offered = {d.path.suffix for d in window.findChildren(exports.ExportedDialog)}
    assert offered == {".md", ".pdf", ".vcf"}


def test_a_next_update_time_that_disagrees_with_the_countdown_is_found(
    qtbot, make_window, monkeypatch
):
    """The text says "next update by" a time the countdown does not: the checker says so in
    the editor, and says nothing once the text keeps the countdown's time."""
    window = make_window(prepare=_bakery("+44 20 7946 0321"))
    incident, editor = _new_holding_statement(window, monkeypatch)
    due = incident.next_update_due_at.astimezone()
    wrong = due.replace(hour=(due.hour + 3) % 24)
    body = editor.editor.toPlainText()
    editor.editor.setPlainText(
        re.sub(r"next update by [^.]*\.", f"next update by {wrong:%H:%M}.", body)
    )
    editor._refresh_reading()
    findings = [editor.findings.item(i).text() for i in range(editor.findings.count())]
    said = [f for f in findings if f.startswith("update-time")]
    assert said and f"{wrong:%H:%M}" in said[0] and f"{due:%H:%M}" in said[0]
    editor.editor.setPlainText(
        re.sub(r"next update by [^.]*\.", f"next update by {due:%H:%M}.", body)
    )
    editor._refresh_reading()
    findings = [editor.findings.item(i).text() for i in range(editor.findings.count())]
    assert not any(f.startswith("update-time") for f in findings)

"""The Statements page end to end: template, checker, checklist, approval by the plan's role,
publishing onto the timeline; and a kill while typing loses at most a few seconds."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.store import open_store
from ui.dialogs.statements import ApproveDialog, NewStatementDialog, PublishDialog
from ui.pages.statements.editor import AUTOSAVE_MS


def test_write_check_tick_approve_publish(qtbot, make_window, monkeypatch):
    def prepare(store):
        incident = store.incidents.declare("Allergen label missing on walnut bread", 3)
        store.incidents.save_assessment(
            incident.id, {"what_happened": "Our walnut loaves were sold without a nut warning."}
        )

    window = make_window(prepare=prepare, demo=True)
    store = window.store
    incident = store.incidents.all(open_only=True)[0]
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = window.pages["statements"]
    assert window.current_page_key() == "statements"

    def choose_holding(dialog):
        dialog.stage.setCurrentIndex(dialog.stage.findData("holding"))
        dialog.incident.setCurrentIndex(dialog.incident.findData(incident.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewStatementDialog, "exec", choose_holding)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    statement = editor.statement
    assert statement.stage == "holding" and statement.incident_id == incident.id
    body = editor.editor.toPlainText()
    assert "walnut loaves were sold without a nut warning" in body
    assert "{{" not in body  # every variable came from the plan and the incident

    # Type a careless sentence: the checker catches it.
    editor.editor.moveCursor(editor.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.editor, "This will never happen again.")
    qtbot.waitUntil(
        lambda: any(
            "promise" in editor.findings.item(i).text() for i in range(editor.findings.count())
        ),
        timeout=3000,
    )
    # Take it back out and save a version.
    editor.editor.setPlainText(body)
    qtbot.keyClick(editor.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    editor._refresh_reading()
    assert not any(
        "promise" in editor.findings.item(i).text() for i in range(editor.findings.count())
    )

    # Tick the checklist.
    for row in range(editor.checklist.count()):
        editor.checklist.item(row).setCheckState(Qt.CheckState.Checked)
    assert len(store.statements.get(statement.id).checklist) == editor.checklist.count()

    # The SMS variant shows its limit.
    editor.channel.setCurrentIndex(editor.channel.findData("sms"))
    assert "/ 160 characters" in editor.channel_count.text()

    # Approve with Ctrl+Enter: the plan's decision maker is proposed.
    asked = {}

    def approve_as(dialog):
        asked["name"] = dialog.approver.text()
        asked["open"] = list(dialog.reasons)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ApproveDialog, "exec", approve_as)
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(asked), timeout=3000)  # a shortcut clicks after a moment
    approved = store.statements.get(statement.id)
    assert approved.status == "approved"
    assert (approved.approved_by, approved.approved_role) == ("Maya Okafor", "Decision maker")
    assert asked == {"name": "Maya Okafor", "open": []}  # every step was ticked

    # Publish on two channels: on the timeline, and the countdown restarts.
    def tick_two(dialog):
        for row in range(dialog.channels.count()):
            if dialog.channels.item(row).data(Qt.ItemDataRole.UserRole) in ("instagram", "website"):
                dialog.channels.item(row).setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PublishDialog, "exec", tick_two)
    editor.publish_button.click()
    assert store.statements.get(statement.id).status == "published"
    timeline = [e.text for e in store.incidents.timeline(incident.id)]
    assert any("approved by Maya Okafor" in t for t in timeline)
    assert "Published “Holding statement” on Instagram" in timeline
    assert "Published “Holding statement” on Website" in timeline
    assert store.incidents.get(incident.id).last_update_at is not None


def test_hostile_markdown_does_not_reach_the_preview(qtbot, make_window):
    window = make_window(demo=True)
    sid = window.store.statements.create(
        "x",
        "update",
        "<script>alert(1)</script>[x](javascript:alert(1)) "
        '<img src="https://evil.example/p.gif" onerror="alert(2)"> **fine**',
    )
    window.go_to("statements")
    page = window.pages["statements"]
    page.show_statement(sid)
    page.editor._refresh_reading()
    html = page.editor.preview.toHtml().lower()
    assert "<script" not in html and "javascript:" not in html and "evil.example" not in html
    assert "fine" in html


def test_killing_the_app_while_typing_loses_at_most_seconds(tmp_path, copy_cli_demo):
    db = copy_cli_demo(tmp_path / "w.db")  # as open_store(db) and build_demo leave it
    with open_store(db) as store:
        sid = store.statements.create("Draft", "update", "Start.", None)
    script = textwrap.dedent(f"""
        import os, sys, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QSettings
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from app.secrets import MemorySecretStore
        from app.store import open_store
        from ui.main import MainWindow
        window = MainWindow(open_store({str(db)!r}), QSettings({str(tmp_path / "s.ini")!r},
                            QSettings.Format.IniFormat), secrets=MemorySecretStore())
        window.show()
        window.go_to("statements")
        page = window.pages["statements"]
        page.show_statement({sid})
        editor = page.editor.editor
        editor.setFocus()
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        for word in "We have replaced the fridge and retrained the team".split():
            QTest.keyClicks(editor, " " + word)
            app.processEvents()
        print("typed", flush=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.05)
    """)
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    assert process.stdout.readline().strip() == "typed", process.stderr.read()
    time.sleep(AUTOSAVE_MS / 1000 + 1.5)  # the autosave interval, and a margin
    process.send_signal(signal.SIGKILL)
    process.wait()
    with open_store(db) as store:
        recovered = store.statements.recoveries()
        assert [r.statement_id for r in recovered] == [sid]
        assert recovered[0].body == "Start. We have replaced the fridge and retrained the team"
        assert store.statements.get(sid).body == "Start."  # the saved version is untouched

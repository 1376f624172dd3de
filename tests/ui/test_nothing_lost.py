"""Nothing typed is lost: the assessment saves itself, a note typed but not added is asked
about, and a failure in background work is said in the window."""

from PySide6.QtCore import Qt

from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401
from ui.dialogs import ask


def _open_incident(window):
    store = window.store
    incident = store.incidents.declare("Customers ill after the custard tarts", 3)
    window.announce({"incidents"})
    window.open_incident(incident.id)
    return incident, window.pages["incidents"].room


def test_assessment_typed_survives_a_visit_to_another_page(qtbot, make_window):
    window = make_window(demo=True)
    incident, room = _open_incident(window)
    room.tabs.setCurrentWidget(room.assessment_tab)
    box = room.assessment_tab.sheet["what_happened"]
    box.setFocus()
    qtbot.keyClicks(box, "Three customers were sick after eating custard tarts")
    facts = room.assessment_tab.sheet["facts"]
    qtbot.keyClicks(facts, "Batch 14, Riverside")
    # Straight to another page, before the autosave timer fires, and back.
    window.go_to("inbox")
    assert window.current_page_key() == "inbox"
    saved = window.store.incidents.get(incident.id).assessment
    assert saved["what_happened"] == "Three customers were sick after eating custard tarts"
    assert saved["facts"] == "Batch 14, Riverside"
    window.open_incident(incident.id)
    assert box.toPlainText() == "Three customers were sick after eating custard tarts"


def test_assessment_saves_itself_while_typing(qtbot, make_window):
    window = make_window(demo=True)
    incident, room = _open_incident(window)
    room.tabs.setCurrentWidget(room.assessment_tab)
    qtbot.keyClicks(room.assessment_tab.sheet["unknowns"], "Which batch")
    qtbot.waitUntil(
        lambda: window.store.incidents.get(incident.id).assessment.get("unknowns") == "Which batch",
        timeout=3000,
    )
    assert "Saved" in room.assessment_tab.saved_note.text()


def test_a_note_typed_but_not_added_is_asked_about(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    incident, room = _open_incident(window)
    room.tabs.setCurrentWidget(room.timeline_tab)
    qtbot.keyClicks(room.note, "Inspector booked for 14:00")
    asked = []

    def answer(_parent, _title, text, choices, **_kw):
        asked.append(text)
        return "cancel" if len(asked) == 1 else "add"

    monkeypatch.setattr(ask, "choose", answer)
    window.go_to("dashboard")  # "Stay here"
    assert window.current_page_key() == "incidents"
    assert "a note for the timeline" in asked[0]
    window.go_to("dashboard")  # "Add it now"
    assert window.current_page_key() == "dashboard"
    notes = [e.text for e in window.store.incidents.timeline(incident.id) if e.kind == "note"]
    assert notes == ["Inspector booked for 14:00"]


def test_switching_incidents_keeps_a_half_typed_task(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    incident, room = _open_incident(window)
    other = window.store.incidents.all()[-1]
    assert other.id != incident.id
    room.tabs.setCurrentWidget(room.tasks_tab)
    qtbot.keyClicks(room.tasks_tab.tasks.what, "Call the council")
    monkeypatch.setattr(ask, "choose", lambda *a, **k: "add")
    page = window.pages["incidents"]
    for row in range(page.list.count()):
        if page.list.item(row).data(Qt.ItemDataRole.UserRole) == other.id:
            page.list.setCurrentRow(row)
    assert room.incident.id == other.id
    assert [t.title for t in window.store.incidents.tasks(incident.id, "task")] == [
        "Call the council"
    ]


def test_a_failed_debrief_export_is_said_even_when_its_progress_window_is_closed(
    qtbot, make_window, monkeypatch, tmp_path
):
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from ui.wizards.debrief import export_debrief_pdf

    window = make_window(demo=True)
    store = window.store
    incident = next(i for i in store.incidents.all() if i.status in ("resolved", "closed"))
    debrief = store.debriefs.start(incident)
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: said.append(a[1:3]))
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where a folder should be")  # the export cannot be written
    op = export_debrief_pdf(window.pages["debriefs"], store, debrief.id, not_a_folder / "d.pdf")
    for dialog in window.findChildren(QProgressDialog):
        dialog.close()  # the owner closes the progress window
    qtbot.waitUntil(lambda: not op.running, timeout=30000)
    assert op.outcome == "failed"
    assert len(said) == 1 and said[0][0] == "Export debrief" and said[0][1]


def test_escape_in_a_dialog_asks_before_throwing_typing_away(qtbot, make_window, monkeypatch):
    from ui.dialogs.mentions import AddMentionDialog

    window = make_window(demo=True)
    dialog = AddMentionDialog(window.clock(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    answers = iter(["keep", "discard"])
    asked = []

    def answer(_parent, _title, text, _choices, **_kw):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(ask, "choose", answer)
    dialog.reject()  # nothing typed yet: closes without a question
    assert asked == [] and not dialog.isVisible()
    dialog = AddMentionDialog(window.clock(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.text, "A caller said the tart made her ill")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # "Keep editing"
    assert dialog.isVisible() and dialog.text.toPlainText().startswith("A caller")
    dialog.reject()  # "Discard it"
    assert not dialog.isVisible() and len(asked) == 2

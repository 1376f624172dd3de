"""From finding to fix in the statement editor: a missing next update offers the sentence the
plan and the incident give, one click inserts it, and the checker reads the draft again."""

from PySide6.QtCore import Qt


def _findings(editor) -> list[str]:
    return [editor.findings.item(i).text() for i in range(editor.findings.count())]


def test_inserting_the_suggested_next_update_clears_the_finding(qtbot, make_window):
    def prepare(store):
        incident = store.incidents.declare("Mould on sourdough loaves", 3)
        store.statements.create(
            "Mould on sourdough",
            "holding",
            "We know that two customers found mould on our sourdough. We are so sorry.",
            incident.id,
        )

    window = make_window(prepare=prepare, demo=True)
    store = window.store
    incident = store.incidents.all(open_only=True)[0]
    statement = next(s for s in store.statements.all() if s.title == "Mould on sourdough")
    window.go_to("statements")
    page = window.pages["statements"]
    page.show_statement(statement.id)
    editor = page.editor
    editor._refresh_reading()
    row = next(i for i, text in enumerate(_findings(editor)) if text.startswith("next-update"))
    due = f"{incident.next_update_due_at.astimezone():%H:%M}"
    assert f"We will post our next update at {due}." in _findings(editor)[row]
    assert not editor.insert_button.isEnabled()

    editor.findings.setCurrentRow(row)
    assert editor.insert_button.isEnabled()
    qtbot.mouseClick(editor.insert_button, Qt.MouseButton.LeftButton)

    assert editor.editor.toPlainText().rstrip().endswith(f"We will post our next update at {due}.")
    assert not any(t.startswith(("next-update", "update-time")) for t in _findings(editor))
    saved = store.statements.recoveries()
    assert any(f"next update at {due}" in r.body for r in saved) or (
        f"next update at {due}" in store.statements.get(statement.id).body
    )
    # One Undo takes the sentence back out, and the finding returns.
    editor.editor.undo()
    editor._refresh_reading()
    assert any(t.startswith("next-update") for t in _findings(editor))

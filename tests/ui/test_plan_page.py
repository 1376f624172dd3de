"""The Plan page as the owner uses it: start from the template, edit in place, save revisions,
compare and restore them, never lose an edit, print the binder."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTextBrowser

from app.onboarding import start_empty
from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401 (autouse fixture)
from ui.dialogs.plan import SaveRevisionDialog

Yes, Cancel = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel
Save, Discard = QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard


@pytest.fixture
def save_with(monkeypatch):
    """Answer the save dialog with a summary and name, as the owner would type them."""
    seen = {}

    def use(summary="Edited", author="Maya"):
        def fill(dialog: SaveRevisionDialog):
            seen["what"] = dialog.findChild(QTextBrowser).toPlainText()
            dialog.summary.setText(summary)
            dialog.author.setText(author)
            dialog.accept()
            return True

        monkeypatch.setattr(SaveRevisionDialog, "exec", fill)
        return seen

    return use


def open_plan(qtbot, make_window, prepare=None):
    """The Plan page on the demo, or on a new workspace that `prepare(store)` fills."""
    window = make_window(prepare=prepare, demo=prepare is None)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "plan"
    return window, window.pages["plan"]


def test_an_empty_workspace_offers_the_template(qtbot, make_window):
    window, page = open_plan(qtbot, make_window, start_empty)
    assert page.empty.isVisible() and not page.tabs.isVisible()
    assert not page.save_button.isVisible()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    plan = window.store.plan.get_current()
    assert plan is not None and len(plan.playbooks) == 7
    assert page.tabs.isVisible() and not page.empty.isVisible()
    assert page.roles_editor.list.count() == len(plan.roles)


def test_edit_a_role_in_place_and_save_with_ctrl_s(qtbot, make_window, save_with):
    window, page = open_plan(qtbot, make_window)
    seen = save_with("Renamed the spokesperson", "Maya Okafor")
    editor = page.roles_editor
    editor.list.setCurrentRow(1)
    name = editor.widgets["name"]
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Press spokesperson")
    assert editor.list.item(1).text() == "Press spokesperson"
    assert page.is_dirty() and page.save_button.isEnabled()
    assert "Unsaved changes" in page.status_label.text()
    qtbot.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    revisions = window.store.plan.revisions()
    assert revisions[0].summary == "Renamed the spokesperson"
    assert revisions[0].author == "Maya Okafor"
    assert revisions[0].plan.roles[1].name == "Press spokesperson"
    assert "Press spokesperson: name “Spokesperson” → “Press spokesperson”" in seen["what"]
    # The ladder follows the new name: level 3 still tells the spokesperson.
    assert "Press spokesperson" in revisions[0].plan.level(3).notify
    assert "Spokesperson" not in revisions[0].plan.level(3).notify
    assert not page.is_dirty()


def test_change_a_ladder_level_and_read_the_diff_in_revisions(qtbot, make_window, save_with):
    window, page = open_plan(qtbot, make_window)
    save_with("Hourly is too slow at level 3")
    page.tabs.setCurrentWidget(page.ladder_editor)
    ladder = page.ladder_editor
    ladder.list.setCurrentRow(2)  # Level 3
    cadence = ladder.widgets["cadence_min"]
    cadence.setFocus()
    cadence.selectAll()
    qtbot.keyClicks(cadence, "45")
    who = ladder.widgets["notify"]
    legal = who.findItems("Legal adviser", Qt.MatchFlag.MatchExactly)[0]
    legal.setCheckState(Qt.CheckState.Checked)
    qtbot.keyClick(cadence, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    level3 = window.store.plan.get_current().level(3)
    assert level3.cadence_min == 45 and "Legal adviser" in level3.notify
    page.tabs.setCurrentIndex(4)
    page.revision_list.setCurrentRow(0)
    text = page.diff_view.toPlainText()
    assert "Level 3 · Serious: update cadence 1 hour → 45 min" in text
    assert "who is told + “Legal adviser”" in text


def test_add_a_playbook_with_ctrl_n_and_edit_its_checklist(qtbot, make_window, save_with):
    window, page = open_plan(qtbot, make_window)
    save_with("Added a playbook for a supplier recall")
    page.tabs.setCurrentWidget(page.playbooks_editor)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.playbooks_editor
    qtbot.keyClicks(editor.widgets["name"], "Supplier recall")
    checklist = editor.widgets["first_hour"]  # a list of steps: type one, press Enter
    for step in ("Check the recall notice", "Pull the product"):
        qtbot.keyClicks(checklist.entry, step)
        qtbot.keyClick(checklist.entry, Qt.Key.Key_Return)
    assert checklist.list.count() == 2
    page.save_button.click()
    playbook = window.store.plan.get_current().playbooks[-1]
    assert playbook.name == "Supplier recall"
    assert playbook.first_hour == ["Check the recall notice", "Pull the product"]


def test_leaving_with_unsaved_changes_asks_and_cancel_keeps_the_edit(
    qtbot, make_window, monkeypatch
):
    window, page = open_plan(qtbot, make_window)
    revisions_before = len(window.store.plan.revisions())
    answers = [Cancel, Discard]
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return answers.pop(0)

    monkeypatch.setattr("ui.pages.plan.page.QMessageBox.question", answer)
    name = page.roles_editor.widgets["name"]
    qtbot.keyClicks(name, " (acting)")
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "plan"  # Cancel: still here, edit kept
    assert page.is_dirty() and "did not save" in asked[0]
    assert window.sidebar.currentRow() == 1
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "contacts"  # Discard: gone, store unchanged
    assert not page.is_dirty()
    assert len(window.store.plan.revisions()) == revisions_before


def test_closing_the_window_with_unsaved_changes_can_save_them(
    qtbot, make_window, monkeypatch, save_with
):
    window, page = open_plan(qtbot, make_window)
    save_with("Saved on the way out")
    monkeypatch.setattr("ui.pages.plan.page.QMessageBox.question", lambda *a, **k: Save)
    qtbot.keyClicks(page.roles_editor.widgets["responsibilities"], " Also signs off refunds.")
    store = window.store
    revisions_before = len(store.plan.revisions())
    path = store.path
    window.close()
    from app.store import open_store

    with open_store(path) as again:
        assert len(again.plan.revisions()) == revisions_before + 1
        assert again.plan.revisions()[0].summary == "Saved on the way out"


def test_restore_an_earlier_revision_asks_first(qtbot, make_window, monkeypatch):
    window, page = open_plan(qtbot, make_window)
    count = len(window.store.plan.revisions())
    monkeypatch.setattr("ui.pages.plan.page.QMessageBox.question", lambda *a, **k: Cancel)
    page.tabs.setCurrentIndex(4)
    page.revision_list.setCurrentRow(count - 1)  # revision 1, the template, is the oldest
    page.restore_button.click()
    assert len(window.store.plan.revisions()) == count
    monkeypatch.setattr("ui.pages.plan.page.QMessageBox.question", lambda *a, **k: Yes)
    page.revision_list.setCurrentRow(count - 1)
    page.compare_button.click()
    assert page.revision_title.text() == "From revision 1 to the current plan"
    assert "Decision maker: primary nobody → Maya Okafor" in page.diff_view.toPlainText()
    page.restore_button.click()
    revisions = window.store.plan.revisions()
    assert len(revisions) == count + 1 and revisions[0].summary.startswith("Restored revision 1")
    assert revisions[0].plan == revisions[-1].plan


def test_mark_reviewed_and_export_the_binder(qtbot, make_window, monkeypatch, tmp_path):
    window, page = open_plan(qtbot, make_window)
    window.store.settings.set("plan_reviewed_at", "2025-01-01T00:00:00+00:00")
    qtbot.mouseClick(page.review_button, Qt.MouseButton.LeftButton)
    assert window.store.settings.get("plan_reviewed_at").startswith("2026-11-20")
    out = tmp_path / "binder"
    monkeypatch.setattr(
        "ui.dialogs.exports.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), "")
    )
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    pdf = tmp_path / "binder.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "binder" in window.statusBar().currentMessage()


def test_a_system_colour_scheme_switch_keeps_an_unsaved_plan_edit(qtbot, make_window, monkeypatch):
    """The operating system turns dark while a plan edit is unsaved: the window recolours in
    place, so the edit stays exactly as typed and nothing needs asking (an unexpected question
    would fail this test); the menu's switch back to light does the same."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from ui import theme

    window, page = open_plan(qtbot, make_window)
    name = page.roles_editor.widgets["name"]
    name.setFocus()
    qtbot.keyClicks(name, " (acting)")
    typed = name.text()
    assert page.is_dirty() and typed.endswith(" (acting)")
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)  # the OS is dark now
    try:
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert theme.current() is theme.DARK
        assert QApplication.palette().window().color().name() == theme.DARK.window
        assert window.pages["plan"] is page and page.roles_editor.widgets["name"] is name
        assert name.text() == typed and page.is_dirty()
        assert "Unsaved changes" in page.status_label.text()
        assert window.current_page_key() == "plan"
        window.set_appearance("light")
        assert theme.current() is theme.LIGHT
        assert name.text() == typed and page.is_dirty()
    finally:
        theme.apply_theme(QApplication.instance(), "light")
    revisions, path = len(window.store.plan.revisions()), window.store.path
    monkeypatch.setattr("ui.pages.plan.page.QMessageBox.question", lambda *a, **k: Discard)
    window.close()  # the edit was never saved behind the owner's back
    from app.store import open_store

    with open_store(path) as again:
        assert len(again.plan.revisions()) == revisions

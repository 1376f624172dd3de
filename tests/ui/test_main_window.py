"""The shell as a user meets it: the welcome, navigation by mouse and keyboard, window state."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from app.onboarding import start_empty
from app.paths import demo_workspace
from ui.dialogs.business import BusinessProfileDialog
from ui.main import PAGE_KEYS


def test_new_workspace_opens_on_the_welcome(make_window):
    window = make_window()
    assert window.current_page_key() == "welcome"
    assert set(window.pages["welcome"].cards) == {"template", "demo", "empty"}


def test_start_empty_goes_to_a_quiet_dashboard(qtbot, make_window):
    window = make_window()
    qtbot.mouseClick(window.pages["welcome"].cards["empty"], Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "dashboard"
    assert window.store.settings.get("welcome_done") == "empty"


def test_start_from_template_asks_for_the_business_and_saves_it(qtbot, make_window, monkeypatch):
    window = make_window()

    def fill_and_accept(dialog: BusinessProfileDialog):
        dialog.fields["name"].setText("Bright Smile Dental")
        dialog.fields["kind"].setText("Dental practice")
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BusinessProfileDialog, "exec", fill_and_accept)
    window.pages["welcome"].cards["template"].setFocus()
    qtbot.keyClick(window.pages["welcome"].cards["template"], Qt.Key.Key_Return)
    assert window.store.business.get().name == "Bright Smile Dental"
    assert window.store.settings.get("welcome_done") == "template"
    assert window.current_page_key() == "dashboard"
    assert "Bright Smile Dental" in window.windowTitle()


def test_business_dialog_refuses_an_empty_name(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(
        "ui.dialogs.business.QMessageBox.information", lambda *a: shown.append(a[2])
    )
    dialog = BusinessProfileDialog(None)
    qtbot.addWidget(dialog)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert shown and "name" in shown[0]


def test_open_demo_from_the_welcome_switches_workspace(qtbot, make_window):
    window = make_window()
    qtbot.mouseClick(window.pages["welcome"].cards["demo"], Qt.MouseButton.LeftButton)
    assert window.store.path == demo_workspace()
    assert window.store.business.get().name == "Hearth & Crumb"
    assert window.current_page_key() == "dashboard"


@pytest.mark.parametrize("number, key", list(enumerate(PAGE_KEYS, start=1)))
def test_ctrl_number_goes_to_each_page(qtbot, make_window, number, key):
    window = make_window(prepare=start_empty)
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == key
    assert window.sidebar.currentRow() == number - 1


def test_sidebar_click_navigates_and_page_is_remembered(qtbot, make_window, settings, tmp_path):
    window = make_window(prepare=start_empty)
    inbox_row = window.sidebar.visualItemRect(window.sidebar.item(PAGE_KEYS.index("inbox")))
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=inbox_row.center())
    assert window.current_page_key() == "inbox"
    window.close()
    # The offscreen screen is small, so the restored size is clamped: check what was saved.
    assert settings.value("window/geometry") is not None
    again = make_window(path=tmp_path / "ui.db")
    assert again.current_page_key() == "inbox"


def test_quick_search_runs_a_command(qtbot, make_window, monkeypatch):
    window = make_window(prepare=start_empty)
    from ui.dialogs import palette

    def type_and_run(dialog):
        dialog.query.setText("contacts")
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    monkeypatch.setattr(palette.CommandPaletteDialog, "exec", type_and_run)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "contacts"


def test_dashboard_shows_the_demo_spike_and_a_quiet_day_otherwise(qtbot, tmp_path, make_window):
    declared = make_window(demo=True, path=tmp_path / "declared.db")
    assert not declared.pages["dashboard"].banner.isVisible()  # the demo declared it already

    def demo_before_declaring(store):
        store.db.execute("UPDATE spikes SET status = 'awaiting incident'")
        store.db.conn.commit()

    window = make_window(prepare=demo_before_declaring, demo=True)
    assert window.current_page_key() == "dashboard"
    dashboard = window.pages["dashboard"]
    assert dashboard.banner.isVisible()
    assert dashboard.banner.headline.text().startswith("Mentions spiked at")
    texts = [w.text() for w in dashboard.findChildren(type(window.business_label))]
    assert "All quiet." not in texts
    assert "Hearth & Crumb" in window.business_label.text()
    from app.business.model import BusinessProfile

    def business_only(store):
        store.business.save(BusinessProfile(name="Quiet Bakery"))
        start_empty(store)

    quiet = make_window(prepare=business_only, path=tmp_path / "quiet.db")
    texts = [w.text() for w in quiet.pages["dashboard"].findChildren(type(window.business_label))]
    assert "All quiet." in texts


def test_a_bad_workspace_is_refused_with_a_message_and_the_current_one_kept(
    qtbot, make_window, tmp_path, monkeypatch
):
    window = make_window(prepare=start_empty)
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    warnings = []
    monkeypatch.setattr("ui.main.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    assert window.switch_to(bad) is False
    assert warnings and "not a Crisis Desk workspace" in warnings[0]
    assert window.store.path == tmp_path / "ui.db"
    assert bad.read_text() == "not a database"


def test_the_shell_has_menus_and_an_about_box(make_window):
    window = make_window(prepare=start_empty)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&View", "&Drill", "&Help"]
    assert window.act_shortcuts.shortcut().toString() == "F1"
    assert window.workspace_label.text() == "Workspace: ui.db"  # the file, not its schema


def test_restore_from_the_window_replaces_the_workspace(
    qtbot, make_window, tmp_path, monkeypatch, copy_cli_demo
):
    from app.backup import backup_workspace

    demo = copy_cli_demo(tmp_path / "demo.db")  # as open_store(demo) and build_demo leave it
    backup_workspace(demo, tmp_path / "demo-backup.db")
    window = make_window(prepare=start_empty)
    monkeypatch.setattr(
        "ui.actions.QFileDialog.getOpenFileName",
        lambda *a, **k: (str(tmp_path / "demo-backup.db"), ""),
    )
    monkeypatch.setattr(
        "ui.actions.QMessageBox.question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    window.restore_dialog()
    assert window.store.business.get().name == "Hearth & Crumb"
    assert list(tmp_path.glob("ui.before-restore-*.db"))


def test_clicking_the_words_on_a_welcome_card_chooses_it(qtbot, make_window):
    window = make_window()
    card = window.pages["welcome"].cards["empty"]
    words = [w for w in card.findChildren(type(window.business_label)) if w.text()][-1]
    from PySide6.QtTest import QTest

    # Through the window, as a real click is routed: the label lets it through to the card.
    at = words.mapTo(window, words.rect().center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), at)
    assert window.current_page_key() == "dashboard"

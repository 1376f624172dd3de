"""The Sources window as a user drives it: fill the form, test the connection, save, pull now."""

import json
from pathlib import Path

from PySide6.QtCore import Qt

from app.onboarding import start_empty

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_add_test_save_and_pull_a_hacker_news_source(qtbot, make_window, httpserver):
    httpserver.expect_request("/api/v1/search_by_date").respond_with_data(
        (FIXTURES / "api/hn_algolia_search_by_date_story.json").read_bytes(),
        content_type="application/json",
    )
    window = make_window(prepare=start_empty)
    qtbot.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.sources_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.empty_hint.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("hackernews"))
    assert not dialog.fields["url"].isVisible()  # only the fields Hacker News uses
    qtbot.keyClicks(dialog.name, "HN about us")
    qtbot.keyClicks(dialog.fields["query"], "apple")
    dialog.base_url.setText(httpserver.url_for("/"))

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connection works" in dialog.status.text(), timeout=10000)
    assert "20 items" in dialog.status.text()
    assert window.store.db["sources"].count == 0  # testing saves nothing

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in window.store.sources.all()] == ["HN about us"]
    assert dialog.table.rowCount() == 1 and not dialog.empty_hint.isVisible()

    qtbot.mouseClick(dialog.pull_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store.db["mentions"].count == 20, timeout=10000)
    qtbot.waitUntil(lambda: "Working" in dialog.status.text(), timeout=10000)
    assert "20 new" in window.statusBar().currentMessage()


def test_test_connection_explains_a_failure(qtbot, make_window, httpserver):
    httpserver.expect_request("/feed").respond_with_data("nope", status=404)
    window = make_window(prepare=start_empty)
    window.open_sources()
    dialog = window.sources_dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("rss"))
    dialog.name.setText("Broken feed")
    dialog.fields["url"].setText(httpserver.url_for("/feed"))
    dialog.test_connection()
    qtbot.waitUntil(lambda: "Connection failed" in dialog.status.text(), timeout=10000)
    assert "does not exist (404)" in dialog.status.text()


def test_missing_fields_are_named_and_nothing_is_saved(qtbot, make_window):
    window = make_window(prepare=start_empty)
    window.open_sources()
    dialog = window.sources_dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("bluesky"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = dialog.status.text()
    assert "name" in text and "query" in text and "handle" in text
    assert window.store.db["sources"].count == 0


def test_secret_goes_to_the_secret_store_not_the_workspace(qtbot, make_window, tmp_path):
    window = make_window(prepare=start_empty)
    window.open_sources()
    dialog = window.sources_dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("bluesky"))
    dialog.name.setText("Sky")
    dialog.fields["query"].setText("hearth and crumb")
    dialog.fields["handle"].setText("hearth.bsky.social")
    dialog.secret.setText("very-secret-app-password")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    source = window.store.sources.get("Sky")
    assert window.secrets.get(source.secret_name) == "very-secret-app-password"
    window.store.db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"very-secret-app-password" not in path.read_bytes(), path
    assert json.dumps(source.options).find("very-secret") == -1


def test_pause_all_pulls(qtbot, make_window):
    window = make_window(prepare=start_empty)
    window.open_sources()
    window.sources_dialog.pause_box.setChecked(True)
    assert window.store.sources.paused()

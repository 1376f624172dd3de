"""The Inbox as the owner uses it: search, keyboard triage, bulk actions, watch queries, import
with a preview and Cancel, manual entry, evidence, the spike banner."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.business.model import BusinessProfile
from app.mentions.model import MentionFilter, NewMention
from app.mentions.sentiment import score_pending
from app.onboarding import start_empty
from tests.conftest import FIXED_NOW
from ui.dialogs import mentions as mention_dialogs
from ui.models import mentions as mention_model

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mentions"
TEXTS = [
    "Got sick after the almond croissant",
    "Lovely staff at Old Town",
    "Is Riverside open on Sunday?",
    "Food poisoning at the bakery??",
    "Best sourdough in town",
    "Queue was slow this morning",
]


def fill(store, count: int = 12) -> None:
    store.business.save(BusinessProfile(name="Hearth & Crumb"))
    start_empty(store)
    store.mentions.add_many(
        NewMention(
            source="x" if i % 2 else "instagram",
            text=f"{TEXTS[i % len(TEXTS)]} #{i}",
            author_handle=f"user{i}",
            author_name=f"User {i}",
            url=f"https://x.example/{i}",
            posted_at=FIXED_NOW - timedelta(hours=i),
        )
        for i in reversed(range(count))  # oldest first, as exports and pulls arrive
    )
    score_pending(store, workers=1)


@pytest.fixture
def inbox(qtbot, make_window):
    window = make_window(prepare=fill)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.pages["inbox"]
    assert window.current_page_key() == "inbox"
    page.table.setFocus()
    return window, page


def status_of(page, text: str) -> tuple[str, str]:
    (mention,) = page.store.mentions.search(f'"{text}"')
    return mention.status, mention.status_reason


def current_text(page) -> str:
    return page.reading.mention.text


def test_opens_newest_first_with_the_reading_pane(inbox):
    _window, page = inbox
    assert page.model.rowCount() == 12
    assert current_text(page).endswith("#0")  # the newest
    assert page.reading.text.toPlainText() == current_text(page)
    assert "12 mentions" in page.hint.text()


def test_search_box_filters_and_typos_are_gentle(qtbot, inbox):
    _window, page = inbox
    qtbot.mouseClick(page.search, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.search, "sick OR poisoning -source:instagram")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    texts = {page.model.mention_at(r).text for r in range(page.model.rowCount())}
    assert texts == {"Food poisoning at the bakery?? #3", "Food poisoning at the bakery?? #9"}
    page.search.clear()
    qtbot.keyClicks(page.search, 'sentiment:grumpy "unclosed')
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert "quote is not closed" in page.hint.text()
    assert page.model.rowCount() == 2  # the last good result stays


def test_keyboard_triage(qtbot, inbox, monkeypatch):
    _window, page = inbox
    table = page.table
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert current_text(page).endswith("#1")
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert current_text(page).endswith("#0")
    qtbot.keyClick(table, Qt.Key.Key_E)  # escalate, then on to the next
    assert status_of(page, "#0")[0] == "escalated"
    assert current_text(page).endswith("#1")

    def choose(self):
        self.choice.setCurrentText("Not about us" if "Ignore" in self.windowTitle() else "")
        if self.windowTitle() == "Hide":
            self.choice.setCurrentIndex(0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(mention_dialogs.ReasonDialog, "exec", choose)
    qtbot.keyClick(table, Qt.Key.Key_I)
    assert status_of(page, "#1") == ("ignored", "Not about us")
    assert current_text(page).endswith("#2")
    qtbot.keyClick(table, Qt.Key.Key_H)
    assert status_of(page, "#2") == ("hidden", "Hate or harassment")
    qtbot.keyClick(table, Qt.Key.Key_K)
    qtbot.keyClick(table, Qt.Key.Key_U)  # hiding is reversible
    assert status_of(page, "#2") == ("new", "")
    qtbot.keyClick(table, Qt.Key.Key_3)
    assert page.store.mentions.search('"#2"')[0].severity == 3
    assert "3 Serious" in page.model.data(page.model.index(2, 4))

    def tag(self):
        self.tag.setCurrentText("Food Safety")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(mention_dialogs.TagDialog, "exec", tag)
    qtbot.keyClick(table, Qt.Key.Key_T)
    assert page.store.mentions.search('"#2"')[0].tags == ["food-safety"]
    assert page.store.mentions.total() == 12  # triage never deletes


def test_reply_key_marks_needs_reply_and_keeps_the_draft(qtbot, inbox):
    _window, page = inbox
    qtbot.keyClick(page.table, Qt.Key.Key_R)
    assert status_of(page, "#0")[0] == "needs_reply"
    assert page.reading.reply.hasFocus()
    qtbot.keyClicks(page.reading.reply, "So sorry, please message us.")
    assert page.reading.counter.text() == "28 / 2,200"  # instagram's limit
    # Saved as it is typed: closing the window now would not lose it.
    assert page.store.mentions.search('"#0"')[0].reply_draft == "So sorry, please message us."
    page.reading.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "So sorry, please message us."
    assert page.store.mentions.search('"#0"')[0].reply_draft == "So sorry, please message us."


def test_bulk_actions_apply_to_every_selected_row(qtbot, inbox):
    _window, page = inbox
    page.select_row(0)
    for _ in range(3):
        qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(page.selected_rows()) == 4
    qtbot.keyClick(page.table, Qt.Key.Key_E)
    assert page.store.mentions.count(MentionFilter("status:escalated")) == 4
    selection = page.table.selectionModel()
    selection.select(
        page.model.index(6, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    selection.select(
        page.model.index(8, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.keyClick(page.table, Qt.Key.Key_2)
    assert page.store.mentions.count(MentionFilter("severity:2")) == 2


def test_status_views(qtbot, inbox):
    _window, page = inbox
    ids = [page.model.mention_at(r).id for r in (0, 1)]
    page.store.mentions.set_status(ids, "hidden", "Spam or scam")
    page.view.setCurrentText("Hidden")
    assert page.model.rowCount() == 2
    page.view.setCurrentText("To do (new, needs reply, escalated)")
    assert page.model.rowCount() == 10
    page.view.setCurrentText("Everything")
    assert page.model.rowCount() == 12


def test_watch_queries_count_new_mentions_in_the_sidebar(qtbot, inbox, monkeypatch):
    window, page = inbox
    page.search.setText("croissant OR poisoning")
    page.apply_filter()
    monkeypatch.setattr(
        "ui.pages.inbox.page.QInputDialog.getText", lambda *a, **k: ("Food safety", True)
    )
    page.save_search()
    inbox_item = window.sidebar.item(3)
    assert inbox_item.text() == "Inbox"  # everything seen so far
    page.store.mentions.add(NewMention(source="x", text="a croissant made me ill"))
    page.refresh()
    assert inbox_item.text() == "Inbox   1"
    link = page.watch_row.itemAt(0).widget()
    assert link.text() == "Food safety · 1 new"
    link.click()
    assert page.search.text() == "croissant OR poisoning"
    assert inbox_item.text() == "Inbox"


def test_import_dialog_previews_maps_and_imports(qtbot, inbox):
    _window, page = inbox
    page.import_file(FIXTURES / "windows1252_semicolon.csv")
    dialog = page.import_dialog
    assert "Windows-1252" in dialog.facts.text() and "semicolon" in dialog.facts.text()
    assert dialog.combos["text"].currentText() == "Message"
    assert dialog.table.item(0, 0).text().startswith("Café au lait")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result_summary is not None, timeout=10000)
    assert "Imported 2 mentions" in dialog.status.text()
    dialog.import_button.click()  # "Done"
    qtbot.waitUntil(lambda: page.sentiment_worker is None, timeout=10000)
    assert page.store.mentions.total() == 14
    assert page.model.rowCount() == 14


def test_import_dialog_column_mapping_is_remembered(qtbot, inbox, tmp_path):
    _window, page = inbox
    path = tmp_path / "odd.csv"
    path.write_text("Words,When\nhello there,2026-11-20 08:00\n", encoding="utf-8")
    page.import_file(path)
    dialog = page.import_dialog
    dialog.import_button.click()
    assert "Choose the column" in dialog.status.text()
    dialog.combos["text"].setCurrentText("Words")
    dialog.combos["posted_at"].setCurrentText("When")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result_summary is not None, timeout=10000)
    dialog.accept()
    again = tmp_path / "odd2.csv"
    again.write_text("Words,When\nsecond,2026-11-20 09:00\n", encoding="utf-8")
    page.import_file(again)
    assert page.import_dialog.combos["text"].currentText() == "Words"
    assert "last time" in page.import_dialog.facts.text()
    page.import_dialog.reject()
    qtbot.waitUntil(lambda: page.sentiment_worker is None, timeout=10000)


def test_cancel_during_import_leaves_nothing(qtbot, inbox, tmp_path):
    _window, page = inbox
    path = tmp_path / "many.csv"
    path.write_text(
        "text,date\n" + "".join(f"post {i},2026-11-20\n" for i in range(40000)),
        encoding="utf-8",
    )
    page.import_file(path)
    dialog = page.import_dialog
    dialog.import_button.click()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20000)
    assert "cancelled" in dialog.status.text() and dialog.result_summary is None
    assert page.store.mentions.total() == 12


def test_a_broken_file_is_refused_with_a_message(qtbot, inbox, monkeypatch):
    _window, page = inbox
    shown = []
    monkeypatch.setattr("ui.pages.inbox.page.QMessageBox.warning", lambda *a: shown.append(a[2]))
    page.import_file(FIXTURES / "binary.csv")
    assert shown and "binary" in shown[0] and page.import_dialog is None


def test_add_mentions_by_hand_one_or_several(qtbot, inbox, monkeypatch):
    _window, page = inbox

    def one(self):
        self.text.setPlainText("Caller said the tart made her ill")
        self.author.setText("Mrs Patel (phone)")
        self.source.setCurrentText("phone call")
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(mention_dialogs.AddMentionDialog, "exec", one)
    qtbot.keyClick(page.window(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    (call,) = page.store.mentions.search('source:"phone call"')
    assert call.author_name == "Mrs Patel (phone)"

    def several(self):
        self.tabs.setCurrentIndex(1)
        self.lines.setPlainText("https://tiktok.example/v/1\n\nhttps://tiktok.example/v/2\n")
        self.source.setCurrentText("tiktok")
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(mention_dialogs.AddMentionDialog, "exec", several)
    page.new_item()
    found = page.store.mentions.search("source:tiktok")
    assert sorted(m.url for m in found) == [
        "https://tiktok.example/v/1",
        "https://tiktok.example/v/2",
    ]


def test_evidence_is_kept_inside_the_workspace(qtbot, inbox, tmp_path):
    from PySide6.QtGui import QColor, QImage

    _window, page = inbox
    shot = tmp_path / "screenshot.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(shot))
    page.reading.attach_file(shot)
    shot.unlink()  # the post (and the file) may be gone; the proof is not
    mention = page.reading.mention
    (evidence,) = page.store.evidence.of(mention.id)
    assert evidence.filename == "screenshot.png" and evidence.media_type == "image/png"
    assert page.reading.evidence.count() == 1
    page.reading.evidence.setCurrentRow(0)
    assert page.reading.preview.pixmap().width() == 40


def test_paged_model_jumps_to_the_end(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(mention_model, "PAGE_SIZE", 50)
    monkeypatch.setattr(mention_model, "CACHED_PAGES", 3)
    window = make_window(prepare=lambda s: fill(s, 1000))
    window.go_to("inbox")
    page = window.pages["inbox"]
    page.view.setCurrentText("Everything")
    assert page.model.rowCount() == 1000
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert current_text(page).endswith("#999")  # the oldest
    assert len(page.model._pages) <= 3
    page.select_row(500)
    assert current_text(page).endswith("#500")


def test_spike_banner_declares_an_incident(qtbot, make_window, monkeypatch):
    """From the spike banner to a declared incident with the spike's mentions, a confirmed
    level and the plan's people to reach: the owner's first minute, end to end."""
    from PySide6.QtWidgets import QDialog

    from ui.dialogs.declare import DeclareIncidentDialog

    def demo_without_its_incident(store):
        store.db.execute("UPDATE spikes SET status = 'awaiting incident'")
        store.db.conn.commit()

    def confirm(dialog):
        qtbot.keyClicks(dialog.title, "Custard tart posts going viral")
        dialog.crisis_type.setCurrentIndex(dialog.crisis_type.findData("food_safety"))
        qtbot.mouseClick(dialog.matrix.cells[(3, 2)], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.declare_button, Qt.MouseButton.LeftButton)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DeclareIncidentDialog, "exec", confirm)
    window = make_window(prepare=demo_without_its_incident, demo=True)
    window.go_to("inbox")
    page = window.pages["inbox"]
    qtbot.waitUntil(page.banner.isVisible, timeout=10000)  # found in the background
    spike = page.banner.spike
    qtbot.mouseClick(page.banner.declare_button, Qt.MouseButton.LeftButton)
    incident = window.store.incidents.all(open_only=True)[0]
    assert incident.title == "Custard tart posts going viral" and incident.level == 3
    assert window.current_page_key() == "incidents"
    room = window.pages["incidents"].room
    everyone = room.people.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
    assert room.incident.id == incident.id and len(everyone) >= 5
    total, _negative = window.store.incidents.mention_stats(incident.id)
    assert total == spike.count
    recorded = next(
        r
        for r in page.store.mentions.recorded_spikes()
        if r["hour_start"] == spike.start.isoformat()
    )
    assert recorded["status"] == "declared"
    window.go_to("inbox")
    assert not page.banner.isVisible()  # the alarm stops once it is an incident


def test_spike_banner_shows_the_spike(qtbot, make_window):
    def demo_without_its_incident(store):
        store.db.execute("UPDATE spikes SET status = 'awaiting incident'")
        store.db.conn.commit()

    window = make_window(prepare=demo_without_its_incident, demo=True)
    window.go_to("inbox")
    page = window.pages["inbox"]
    qtbot.waitUntil(page.banner.isVisible, timeout=10000)
    (recorded,) = page.store.mentions.recorded_spikes()
    qtbot.mouseClick(page.banner.show_button, Qt.MouseButton.LeftButton)
    assert page.search.text().startswith("date:")
    assert recorded["count"] > 2000 and page.model.count_text() == "2,000+ mentions"
    assert page.model.canFetchMore()  # the count grows as the owner scrolls to the end
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: not page.model.canFetchMore(), timeout=5000)
    assert page.model.rowCount() == recorded["count"]
    page.sensitivity.setCurrentIndex(page.sensitivity.findData("strict"))
    page.sensitivity.activated.emit(page.sensitivity.currentIndex())
    assert page.store.settings.get("spike_sensitivity") == "strict"
    qtbot.waitUntil(lambda: page.overview_worker is None, timeout=10000)
    assert page.banner.isVisible()  # the demo's scare is big enough even for strict


def test_empty_inbox_says_what_would_fill_it(qtbot, make_window):
    window = make_window(prepare=start_empty)
    window.go_to("inbox")
    page = window.pages["inbox"]
    assert page.empty.isVisible()
    assert not page.search_bar.isVisible()
    assert not page.splitter.isVisible()


def test_file_menu_import_opens_the_dialog_on_the_inbox(qtbot, make_window, monkeypatch):
    window = make_window(prepare=fill)
    monkeypatch.setattr(
        "ui.pages.inbox.page.QFileDialog.getOpenFileName",
        lambda *a, **k: (str(FIXTURES / "lines.ndjson"), ""),
    )
    window.act_import.trigger()
    assert window.current_page_key() == "inbox"
    dialog = window.pages["inbox"].import_dialog
    assert dialog is not None and "NDJSON" in dialog.facts.text()
    dialog.reject()

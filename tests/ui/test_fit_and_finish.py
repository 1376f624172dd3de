"""Fit and finish, driven as the owner would: the business time zone, the tasks row, the
inbox's reading pane and counts, people's phones, the Dashboard's honesty, the plan's
durations and diffs, contacts from a phone, Ctrl+K, the shortcuts sheet, the status bar."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from tests.ui.fit import clipped
from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401
from ui.dialogs.business import BusinessProfileDialog


def test_the_business_profile_has_a_time_zone(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))

    def fill(dialog: BusinessProfileDialog):
        assert dialog.timezone.accessibleName() == "Time zone"
        dialog.timezone.setCurrentText("Mars/Olympus")
        dialog.accept()  # refused: not a zone
        assert said and "Mars/Olympus" in said[0] and not dialog.result()
        dialog.timezone.setCurrentText("Europe/London")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BusinessProfileDialog, "exec", fill)
    window.edit_business()
    assert window.store.business.get().timezone == "Europe/London"


def _palette(window, monkeypatch, text):
    from ui.dialogs.palette import CommandPaletteDialog

    seen = {}

    def run(dialog: CommandPaletteDialog):
        dialog.query.setText(text)
        dialog._search_content()
        seen["rows"] = [dialog.results.item(i).text() for i in range(dialog.results.count())]
        seen["dialog"] = dialog
        return 0

    monkeypatch.setattr(CommandPaletteDialog, "exec", run)
    window.open_palette()
    return seen


def test_quick_search_finds_content_and_page_actions(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    seen = _palette(window, monkeypatch, "custard")
    rows = seen["rows"]
    assert any(r.startswith("Incident: Customers ill after custard tarts") for r in rows)
    assert any(r.startswith("Mention: ") for r in rows)
    assert any(r.startswith("Statement: ") for r in rows)
    assert any(
        r.startswith("Contact: Maya Okafor")
        for r in _palette(window, monkeypatch, "okafor")["rows"]
    )
    rows = _palette(window, monkeypatch, "import")["rows"]
    assert any(r.startswith("Inbox: Import mentions") for r in rows)
    assert any(r.startswith("Contacts: Import") for r in rows)
    # Choosing a contact opens the Contacts page on that person.
    seen = _palette(window, monkeypatch, "rachel kim")
    dialog = seen["dialog"]
    dialog.results.setCurrentRow(0)
    dialog._run_current()
    assert window.current_page_key() == "contacts"
    assert window.pages["contacts"].selected_contact().name == "Rachel Kim"
    # And a mention opens the Inbox on it.
    seen = _palette(window, monkeypatch, "sourdough")
    dialog = seen["dialog"]
    row = next(i for i, r in enumerate(seen["rows"]) if r.startswith("Mention: "))
    dialog.results.setCurrentRow(row)
    dialog._run_current()
    assert window.current_page_key() == "inbox"
    assert "sourdough" in window.pages["inbox"].reading.mention.text.lower()


def test_the_shortcuts_sheet_is_whole_and_lists_each_key_once(qtbot, make_window):
    from ui.dialogs.help import ShortcutsDialog, shortcut_rows

    window = make_window(demo=True)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)  # the layout settles after the sheet takes its height
    assert dialog.sheet.verticalScrollBar().maximum() == 0  # nothing cut off, no scrolling
    assert dialog.sheet.horizontalScrollBar().maximum() == 0
    assert dialog.height() <= 800
    keys = [(place, keys) for place, keys, _what in shortcut_rows()]
    assert len(keys) == len(set(keys))
    everywhere = [k for place, k in keys if place == "Everywhere"]
    text = dialog.sheet.toPlainText()
    for action in window.all_actions():
        shortcut = action.shortcut().toString()
        if shortcut and not shortcut.startswith("Ctrl+") or shortcut in ("", "Ctrl+1"):
            continue
        assert shortcut in text or shortcut[:5] in "".join(everywhere), shortcut
    assert "Ctrl+N" in everywhere and text.count("Ctrl+N\\n") <= 1


def test_the_status_bar_names_the_file_and_marks_the_demo(make_window, tmp_path):
    from app.onboarding import start_empty

    window = make_window(demo=True)
    assert "schema" not in window.workspace_label.text()
    assert window.workspace_label.text() == "Workspace: ui.db"
    assert window.demo_label.isVisible() and "Demo" in window.windowTitle()
    assert "Demo workspace" in window.business_label.text()
    other = tmp_path / "bakery.db"
    window.switch_to(other)
    start_empty(window.store)
    window._update_labels()
    assert not window.demo_label.isVisible() and "Demo" not in window.windowTitle()


def test_open_recent_lists_the_workspaces_opened_before(make_window, tmp_path):
    window = make_window(demo=True)
    first = window.store.path
    window.switch_to(tmp_path / "second.db")
    window._fill_recent()
    entries = [a for a in window.recent_menu.actions() if a.isEnabled()]
    assert len(entries) == 1 and "ui.db" in entries[0].text()
    entries[0].trigger()
    assert window.store.path == first


def _inbox(window):
    window.go_to("inbox")
    page = window.pages["inbox"]
    page.view.setCurrentIndex(0)  # To do
    return page


def test_several_chosen_mentions_show_no_single_reply_box(qtbot, make_window):
    from PySide6.QtCore import QItemSelectionModel

    window = make_window(demo=True)
    page = _inbox(window)
    page.select_row(0)
    assert page.reading.reply.isVisible()
    for row in (1, 2):
        page.table.selectionModel().select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    reading = page.reading
    assert not reading.reply.isVisible() and not reading.copy_button.isVisible()
    assert reading.many.isVisible() and reading.many.text().startswith("3 mentions chosen")
    assert reading.triage_buttons["escalate"].isVisible()


def test_the_count_follows_triage_and_search_hints_are_not_errors(qtbot, make_window):
    from ui import theme

    window = make_window(demo=True)
    page = _inbox(window)
    page.search.setText("sourdough")
    page.apply_filter()
    before = page.model.count_now()[0]
    assert f"{before:,} mention" in page.hint.text()
    page.table.setFocus()
    page.select_row(0)
    qtbot.keyClick(page.table, Qt.Key.Key_D)  # replied: it leaves the To do view
    assert f"{before - 1:,} mention" in page.hint.text()
    page.search.setText('"unfinished')
    page.apply_filter()
    assert page.hint.text().startswith("Not searched yet")
    assert theme.current().negative not in page.hint.styleSheet()


def test_evidence_is_marked_shown_at_once_and_can_come_with_a_new_mention(
    qtbot, make_window, monkeypatch, tmp_path
):
    from PySide6.QtGui import QImage

    from ui.dialogs.mentions import AddMentionDialog

    picture = tmp_path / "screenshot.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    image.save(str(picture))
    window = make_window(demo=True)
    page = _inbox(window)

    def add(dialog: AddMentionDialog):
        dialog.text.setPlainText("A caller said the tart made her ill")
        dialog.source.setCurrentText("phone call")
        dialog.add_evidence([picture])
        assert "screenshot.png" in dialog.evidence_list.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddMentionDialog, "exec", add)
    page.new_item()
    added = window.store.mentions.search('"made her ill"', limit=1)[0]
    assert [e.filename for e in window.store.evidence.of(added.id)] == ["screenshot.png"]
    page.show_mention_id(added.id, '"made her ill"')
    row = page.table.currentIndex().row()
    assert page.model.index(row, 2).data(Qt.ItemDataRole.DecorationRole) is not None
    assert page.model.index(row + 1, 2).data(Qt.ItemDataRole.DecorationRole) is None
    assert page.reading.preview.isVisible()  # the picture shows without a click on its name


def test_people_to_reach_show_phones_under_whoever_calls_them(qtbot, make_window, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    window = make_window(demo=True)
    incident = window.store.incidents.declare("Mould on the sourdough", 3)
    window.announce({"incidents"})
    window.open_incident(incident.id)
    people = window.pages["incidents"].room.people
    assert people.headerItem().text(1) == "Phone"
    top = people.topLevelItem(0)
    assert top.text(0) == "Maya Okafor" and top.text(1).startswith("+44")
    called = [top.child(i).text(0) for i in range(top.childCount())]
    assert "Daniel Reyes" in called  # Maya calls Daniel, as the demo's call tree says
    # "Email…" without a mail program: the email is copied and that is said.
    said = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    people.setCurrentItem(top)
    window.pages["incidents"].room.people_tab.email_button.click()
    assert said and "copied" in said[0]
    from PySide6.QtGui import QGuiApplication

    assert "Subject: [Level 3 · Serious]" in QGuiApplication.clipboard().text()


def test_the_tasks_row_has_room_and_labels(qtbot, make_window):
    window = make_window(demo=True)
    window.resize(1280, 800)
    incident = window.store.incidents.declare("Mould on the sourdough", 3)
    window.announce({"incidents"})
    window.open_incident(incident.id)
    room = window.pages["incidents"].room
    room.tabs.setCurrentWidget(room.tasks_tab)
    tasks = room.tasks_tab.tasks
    qtbot.waitUntil(lambda: tasks.what.width() > 0)
    assert tasks.what.width() >= 200
    assert clipped(room.tasks_tab) == []  # nothing cut off, nothing over anything else
    assert tasks.due.width() >= tasks.due.sizeHint().width()
    captions = [w.text() for w in tasks.findChildren(QLabel)]
    assert "Owner" in captions and "Due" in captions
    assert not tasks.tree.horizontalScrollBar().isVisible()


def _dashboard_words(window) -> str:
    from PySide6.QtWidgets import QApplication

    window.go_to("dashboard")
    QApplication.processEvents()  # new rows show once the event loop runs
    page = window.pages["dashboard"]
    return " ".join(w.text() for w in page.findChildren(QLabel) if w.isVisible())


def test_the_dashboard_never_says_all_quiet_beside_an_unexplained_spike(make_window):
    window = make_window(demo=True)
    words = _dashboard_words(window)
    assert "All quiet now." in words
    assert "you declared it as “Customers ill after custard tarts (Riverside)”, now closed" in words
    # Contacts are there: no "add the people you would call".
    assert "Add the people you would call" not in words
    assert "Check who calls whom" in words


def test_a_spike_nobody_looked_at_is_not_all_quiet(make_window):
    window = make_window(demo=True)
    store = window.store
    store.db.execute("DELETE FROM spikes")  # as if the alarm's spike was never acted on
    store.db.execute("UPDATE incidents SET origin = 'manual'")
    window.pages["dashboard"].banner.recent = None
    words = _dashboard_words(window)
    assert "All quiet" not in words


def test_roles_with_nobody_point_to_the_contacts_already_there(make_window):
    from app.attention import attention_items

    window = make_window(demo=True)
    store = window.store
    plan = store.plan.get_current()
    for role in plan.roles:
        role.primary_id = None
    store.plan.save(plan, "Nobody named")
    items = [i for i in attention_items(store, store.clock()) if "roles have nobody" in i.text]
    assert items and f"from your {store.contacts.count()} contacts" in items[0].detail


def test_plan_durations_read_as_people_say_them_and_checklists_are_lists(qtbot, make_window):
    from ui.widgets.editors import DurationSpinBox, StepsEditor

    window = make_window(demo=True)
    window.go_to("plan")
    page = window.pages["plan"]
    page.tabs.setCurrentWidget(page.ladder_editor)
    ladder = page.ladder_editor
    ladder.list.setCurrentRow(0)  # Level 1: tell within a day
    within = ladder.widgets["notify_within_min"]
    assert isinstance(within, DurationSpinBox)
    assert within.buttonSymbols() != within.ButtonSymbols.NoButtons  # arrows, and a frame
    assert within.text() == minutes_for(within.value())
    within.setFocus()
    within.selectAll()
    qtbot.keyClicks(within, "2 h")
    assert within.value() == 120
    page.tabs.setCurrentWidget(page.channels_editor)
    steps = page.channels_editor.widgets["checklist"]
    assert isinstance(steps, StepsEditor) and steps.list.count() >= 3
    detail = page.channels_editor.widgets["detail"]
    page.channels_editor.list.setCurrentRow(0)  # the hotline
    assert "The number to call" in detail.placeholderText()
    page.draft = None  # leave without the unsaved-changes question


def minutes_for(value: int) -> str:
    from ui.widgets.editors import minutes_text

    return minutes_text(value)


def test_a_vcard_import_shows_who_comes_in_and_who_is_from_outside(qtbot, make_window, tmp_path):
    from app.contacts.importing import preview_import
    from app.contacts.vcard import parse_vcards
    from ui.dialogs.contacts import ImportReviewDialog

    window = make_window(demo=True)
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Amara Lewis\r\nORG:Lewis & Co Solicitors\r\n"
        "TEL:+44 20 7946 0999\r\nCATEGORIES:myContacts\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Baker\r\nTITLE:Counter staff\r\nEND:VCARD\r\n"
    )
    preview = preview_import(window.store.contacts, parse_vcards(cards))
    dialog = ImportReviewDialog(preview, "phone.vcf", window)
    qtbot.addWidget(dialog)
    rows = {dialog.people.item(r, 0).text(): r for r in range(dialog.people.rowCount())}
    assert set(rows) == {"Amara Lewis", "Jo Baker"}  # names, not only counts
    assert dialog.people.item(rows["Amara Lewis"], 4).text() == "Outside"
    assert dialog.people.item(rows["Jo Baker"], 4).text() == "Team"
    dialog.people.cellDoubleClicked.emit(rows["Jo Baker"], 4)  # the owner knows better
    assert preview.new[rows["Jo Baker"]].kind == "external"


def test_the_call_tree_keeps_its_caller_and_offers_the_next_person(qtbot, make_window):
    window = make_window(demo=True)
    window.go_to("contacts")
    page = window.pages["contacts"]
    page.tabs.setCurrentIndex(1)
    tree = page.call_tree
    tree.level.setCurrentIndex(tree.level.findData(1))
    tree.person.setCurrentText("Maya Okafor")
    tree.add_button.click()
    top = tree.tree.topLevelItem(0)
    tree._call_under(top)  # a double-click on Maya: the next ones are called by her
    added = []
    for _ in range(3):
        added.append(tree.person.currentText())
        tree.add_button.click()  # one click each: the caller stays, the next person is up
        assert tree.caller.currentText() == "Maya Okafor"
    names = window.store.contacts.names()
    under_maya = [names[c] for d, c, _ in window.store.contacts.call_order(1) if d == 1]
    assert under_maya == added


def test_the_template_plan_s_nine_watches_fit_beside_the_count(qtbot, make_window):
    """A new workspace watches nine searches; the Inbox row shows the busiest with new
    matches and every watch in a menu, with nothing cut off at 1280×800."""
    from app.business.model import BusinessProfile
    from app.mentions.model import NewMention
    from app.onboarding import start_from_template

    def prepare(store):
        start_from_template(store, BusinessProfile(name="Crumb & Co"))
        store.mentions.add(NewMention(source="x", text="Friends were ill after a pasty"))
        for saved in store.watches.all():
            store.watches.mark_seen(saved.id)

    window = make_window(prepare=prepare)
    window.resize(1280, 800)
    window.go_to("inbox")
    page = window.pages["inbox"]
    for text in ("Food poisoning, my kids were ill", "Environmental health should inspect"):
        page.store.mentions.add(NewMention(source="x", text=text))
    page.refresh()
    qtbot.waitUntil(lambda: page.watch_row.count() > 0)
    shown = [page.watch_row.itemAt(i).widget() for i in range(page.watch_row.count())]
    assert len(page.store.watches.all()) >= 9
    assert len(shown) <= 4 and shown[-1].text().startswith("Watches (")
    assert any(w.text().endswith("new") for w in shown[:-1])
    menu = shown[-1].menu().actions()
    assert len(menu) == len(page.store.watches.all())
    assert [c for c in clipped(page) if "Watch" in c or "new" in c] == []
    assert page.hint.height() <= page.hint.fontMetrics().height() * 2 + 4


def test_a_bad_day_s_dashboard_scrolls_instead_of_squeezing(qtbot, make_window):
    """An alert in the banner, three more alerts, roles with nobody, readiness and the chart
    are more than 800 pixels: the page scrolls, every line keeps its words whole, and the
    banner's alert is not said twice."""
    from datetime import timedelta

    from app.business.model import BusinessProfile
    from app.mentions.detection.model import Alert
    from app.onboarding import start_from_template
    from tests.conftest import FIXED_NOW

    def prepare(store):
        start_from_template(store, BusinessProfile(name="Crumb & Co"))
        for minutes, who in enumerate(("Sam Reid", "Dan Cole", "Jo Hart", "Priti Shah")):
            store.detection.add_alert(
                Alert(
                    "watch",
                    FIXED_NOW - timedelta(minutes=10 - minutes),
                    f"Watch “Food safety”: {who} — “My kids were sick all night after the "
                    "sausage rolls from Crumb & Co High Street, and so were the neighbours”",
                    'A new mention matches "food poisoning" OR sick OR ill OR vomiting OR '
                    '"stomach ache" (and 39 more), on instagram. Watch alerts come at most '
                    "once every 60 minutes.",
                    query="sick OR ill",
                )
            )

    window = make_window(prepare=prepare)
    window.resize(1280, 800)
    window.go_to("dashboard")
    page = window.pages["dashboard"]
    for _ in range(3):
        qtbot.wait(20)  # boxes that grew for their words: the layout settles
    assert page.banner.isVisible() and page.banner.alert is not None
    rows = [w for w in page.findChildren(QWidget) if type(w).__name__ == "AttentionRow"]
    assert len(rows) >= 3
    assert all(row.accessibleName() != page.banner.alert.title for row in rows)
    assert clipped(page) == []


def test_a_call_tree_made_for_another_level_still_nests_the_people(make_window):
    """The owner drew the call tree for level 4 only: a level 3 incident's people are still
    listed under whoever calls them (and the tree adds nobody the ladder does not tell)."""
    from app.contacts.model import CallTreeLink

    def prepare(store):
        links = store.contacts.call_tree(3)
        store.contacts.set_call_tree(
            4, [CallTreeLink(4, link.callee_id, link.caller_id) for link in links]
        )
        store.contacts.set_call_tree(3, [])

    window = make_window(demo=True, prepare=prepare)
    told = {p.name for p in window.store.incidents.plan_facts().step(3).people}
    incident = window.store.incidents.declare("Mould on the sourdough", 3)
    window.announce({"incidents"})
    window.open_incident(incident.id)
    people = window.pages["incidents"].room.people
    top = people.topLevelItem(0)
    assert top.text(0) == "Maya Okafor"
    assert "Daniel Reyes" in [top.child(i).text(0) for i in range(top.childCount())]
    assert {p.name for p in window.store.incidents.people(incident.id)} == told

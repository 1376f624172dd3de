"""The Contacts page as the owner uses it: add, search as you type, filter by group, delete
(with where the plan uses them), import a vCard or CSV, export, and edit the call tree."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.contacts.importing import parse_contacts_file
from app.onboarding import start_empty
from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401 (autouse fixture)
from ui.dialogs.contacts import ContactDialog, CsvMappingDialog, ImportReviewDialog

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vcard"
Yes = QMessageBox.StandardButton.Yes


def open_contacts(qtbot, make_window, prepare=None):
    """The Contacts page on the demo, or on a new workspace that `prepare(store)` fills."""
    window = make_window(prepare=prepare, demo=prepare is None)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "contacts"
    return window, window.pages["contacts"]


def test_empty_state_then_add_a_contact_with_ctrl_n(qtbot, make_window, monkeypatch):
    window, page = open_contacts(qtbot, make_window, start_empty)
    assert page.stack.currentIndex() == 0  # the empty state, with its actions

    def type_into(dialog: ContactDialog):
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
        dialog.name.setFocus()
        qtbot.keyClicks(dialog.name, "Jonathan Hale")
        dialog.kind.setCurrentIndex(1)
        qtbot.keyClicks(dialog.role, "Solicitor")
        qtbot.keyClicks(dialog.phones, "work: +44 20 7946 0410")
        qtbot.keyClicks(dialog.emails, "j.hale@halemorrow.example")
        qtbot.keyClicks(dialog.groups, "Advisers")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        return dialog.result()

    monkeypatch.setattr(ContactDialog, "exec", type_into)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    [contact] = window.store.contacts.all()
    assert (contact.name, contact.kind, contact.role) == ("Jonathan Hale", "external", "Solicitor")
    assert contact.phones[0].label == "work" and contact.phones[0].number == "+44 20 7946 0410"
    assert contact.groups == ["Advisers"]
    assert page.stack.currentIndex() == 1 and page.proxy.rowCount() == 1


def test_a_contact_needs_a_name(qtbot, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    dialog = ContactDialog(None, [])
    qtbot.addWidget(dialog)
    dialog.accept()
    assert told == ["Type the person's name."] and dialog.result() == 0


def test_search_as_you_type_and_group_filter(qtbot, make_window):
    _window, page = open_contacts(qtbot, make_window)
    assert page.proxy.rowCount() == 15
    qtbot.keyClicks(page.search, "hale")
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 0).data() == "Jonathan Hale"
    page.search.clear()
    qtbot.keyClicks(page.search, "7700 9001")
    assert page.proxy.rowCount() == 11
    page.search.clear()
    page.group.setCurrentText("Shop managers")
    assert page.proxy.rowCount() == 3 and page.count_label.text() == "3 of 15"
    qtbot.keyClicks(page.search, "zzz")
    assert page.proxy.rowCount() == 0 and not page.no_match.isHidden()


def test_edit_a_contact_by_double_click(qtbot, make_window, monkeypatch):
    window, page = open_contacts(qtbot, make_window)
    qtbot.keyClicks(page.search, "Tomasz")

    def change_role(dialog: ContactDialog):
        dialog.role.setText("Head baker and allergen lead")
        dialog.accept()
        return True

    monkeypatch.setattr(ContactDialog, "exec", change_role)
    rect = page.table.visualRect(page.proxy.index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    tomasz = next(c for c in window.store.contacts.all() if c.name == "Tomasz Nowak")
    assert tomasz.role == "Head baker and allergen lead"


def test_delete_asks_and_names_where_the_plan_uses_them(qtbot, make_window, monkeypatch):
    window, page = open_contacts(qtbot, make_window)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or Yes)
    qtbot.keyClicks(page.search, "Maya")
    page.table.selectRow(0)
    page.delete_button.click()
    assert "primary for Decision maker" in asked[0] and "primary for Spokesperson" in asked[0]
    assert "call tree for level 4, level 3, level 2" in asked[0]
    store = window.store
    assert "Maya Okafor" not in store.contacts.names().values()
    plan = store.plan.get_current()
    assert plan.roles[0].primary_id is None and plan.roles[0].backup_id is not None
    assert store.plan.revisions()[0].summary == "Removed Maya Okafor (contact deleted)"
    # Whoever Maya called is now called first, so nobody drops out of the tree.
    names = store.contacts.names()
    first = {names[c] for d, c, _ in store.contacts.call_order(4) if d == 0}
    assert {"Daniel Reyes", "Jonathan Hale", "Priya Shah"} <= first


def test_import_a_vcard_reviews_then_adds_in_the_background(qtbot, make_window, monkeypatch):
    window, page = open_contacts(qtbot, make_window, start_empty)
    reviewed = []

    def accept(dialog: ImportReviewDialog):
        reviewed.append(dialog.import_button.text())
        return True

    monkeypatch.setattr(ImportReviewDialog, "exec", accept)
    monkeypatch.setattr(
        "ui.pages.contacts.QFileDialog.getOpenFileName",
        lambda *a, **k: (str(FIXTURES / "android_v21_multi-contact.vcf"), ""),
    )
    page.import_button.click()
    # Six: the two cards with only an email are kept, named by it.
    qtbot.waitUntil(
        lambda: not page.is_busy() and window.store.contacts.count() == 6, timeout=10000
    )
    assert reviewed == ["Import 6 contacts"]
    assert page.proxy.rowCount() == 6


def test_import_a_semicolon_csv_through_the_column_mapping(
    qtbot, make_window, monkeypatch, tmp_path
):
    window, page = open_contacts(qtbot, make_window, start_empty)
    csv = tmp_path / "outlook.csv"
    csv.write_bytes(
        "First Name;Last Name;Company;Mobile Phone;E-mail Address\r\n"
        "Zoë;Ångström;Café Noir;07700 900555;zoe@cafenoir.example\r\n"
        ";;;;nobody@example.com\r\n".encode("cp1252")
    )
    mapped = []

    def check_mapping(dialog: CsvMappingDialog):
        mapped.append(dialog.mapping())
        dialog.accept()
        return True

    monkeypatch.setattr(CsvMappingDialog, "exec", check_mapping)
    monkeypatch.setattr(ImportReviewDialog, "exec", lambda dialog: True)
    page.import_file(csv)
    qtbot.waitUntil(
        lambda: not page.is_busy() and window.store.contacts.count() == 1, timeout=10000
    )
    assert mapped == [["first_name", "last_name", "organisation", "phone", "email"]]
    [contact] = window.store.contacts.all()
    assert contact.name == "Zoë Ångström" and contact.emails == ["zoe@cafenoir.example"]


def test_export_vcard_then_import_gives_the_same_contacts(
    qtbot, make_window, monkeypatch, tmp_path
):
    window, page = open_contacts(qtbot, make_window)
    out = tmp_path / "all.vcf"
    monkeypatch.setattr(
        "ui.pages.contacts.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), "")
    )
    page.export("vcf")
    again = [c for _w, c in parse_contacts_file(out).contacts]
    assert [c.name for c in again] == [c.name for c in window.store.contacts.all()]
    assert again[0].phones == window.store.contacts.all()[0].phones


def test_call_tree_add_and_remove(qtbot, make_window):
    window, page = open_contacts(qtbot, make_window)
    page.tabs.setCurrentIndex(1)
    tree = page.call_tree
    tree.level.setCurrentIndex(tree.level.findData(1))
    assert tree.tree.topLevelItemCount() == 0 and not tree.empty_hint.isHidden()
    tree.person.setCurrentText("Priya Shah")
    tree.add_button.click()
    tree.person.setCurrentText("Ellie Park")
    tree.caller.setCurrentText("Priya Shah")
    tree.add_button.click()
    names = window.store.contacts.names()
    order = [(depth, names[callee]) for depth, callee, _c in window.store.contacts.call_order(1)]
    assert order == [(0, "Priya Shah"), (1, "Ellie Park")]
    tree.tree.setCurrentItem(tree.tree.topLevelItem(0))
    tree.remove_button.click()
    order = [(depth, names[callee]) for depth, callee, _c in window.store.contacts.call_order(1)]
    assert order == [(0, "Ellie Park")]  # her caller left, so she is called first now


def test_cancelling_a_big_import_leaves_nothing_behind(qtbot, make_window, monkeypatch, tmp_path):
    window, page = open_contacts(qtbot, make_window, start_empty)
    big = tmp_path / "everyone.vcf"
    big.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nTEL:+44 7700 9{n:05d}\r\nEND:VCARD\r\n"
            for n in range(10_000)
        )
    )
    monkeypatch.setattr(ImportReviewDialog, "exec", lambda dialog: True)
    from ui import ops

    real_start = ops.start

    def press_cancel_on_adding(worker):
        if worker.fn.__name__ == "add_all":
            worker.cancel()  # as if Cancel were pressed while the rows go in
        return real_start(worker)

    monkeypatch.setattr(ops, "start", press_cancel_on_adding)
    page.import_file(big)
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage(), timeout=30000)
    assert window.store.contacts.count() == 0
    assert page.stack.currentIndex() == 0

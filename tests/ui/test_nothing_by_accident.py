"""Nothing changes by accident: the wheel does not change a value it only passes over; ending
an incident says what is still open and can be taken back; one double-click opens one editor."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QSpinBox

from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401


def scroll_over(widget, notches: int = -3) -> None:
    """The mouse wheel turned over the middle of `widget` (negative: towards the owner)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_an_incident_status_changes_nothing(make_window):
    window = make_window(demo=True)
    store = window.store
    incident = store.incidents.all()[0]
    before = store.incidents.timeline(incident.id)
    window.open_incident(incident.id)
    room = window.pages["incidents"].room
    assert not room.status.hasFocus()
    scroll_over(room.status, notches=3)
    scroll_over(room.status, notches=-3)
    assert room.status.currentData() == incident.status
    assert store.incidents.get(incident.id).status == incident.status
    assert store.incidents.timeline(incident.id) == before


def test_the_wheel_over_a_mention_severity_scrolls_the_pane_instead(make_window):
    window = make_window(demo=True)
    window.resize(1280, 800)
    window.go_to("inbox")
    inbox = window.pages["inbox"]
    mention = inbox.reading.mention
    assert mention is not None and mention.severity is None
    pane: QScrollArea = inbox.reading
    pane.resize(pane.width(), 200)  # a short pane that scrolls
    bar = pane.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(0)
    scroll_over(inbox.reading.severity, notches=-2)
    assert inbox.reading.severity.currentIndex() == 0
    assert window.store.mentions.get(mention.id).severity is None
    assert bar.value() > 0  # the wheel went to the page


def test_a_focused_combo_still_takes_the_wheel(make_window):
    window = make_window(demo=True)
    window.go_to("inbox")
    view: QComboBox = window.pages["inbox"].view
    view.setFocus()
    assert view.hasFocus()
    scroll_over(view, notches=-1)
    assert view.currentIndex() == 1


def test_value_widgets_do_not_take_focus_from_the_wheel(make_window):
    window = make_window(demo=True)
    window.go_to("plan")
    spins = window.pages["plan"].findChildren(QSpinBox)
    combos = window.findChildren(QComboBox)
    assert spins and combos
    for widget in [*spins, *combos]:
        widget.ensurePolished()
        assert widget.focusPolicy() != Qt.FocusPolicy.WheelFocus, widget.accessibleName()


def _choose_status(room, status: str) -> None:
    index = room.status.findData(status)
    room.status.setCurrentIndex(index)
    room.status.activated.emit(index)


def test_resolving_says_what_is_open_asks_why_and_can_be_undone(qtbot, make_window, monkeypatch):
    from ui.dialogs.incidents import EndIncidentDialog

    window = make_window(demo=True)
    store = window.store
    incident = store.incidents.declare("Mould on the sourdough", 3)
    store.incidents.add_task(incident.id, "Call the flour supplier", "Maya Okafor", None, "task")
    window.announce({"incidents"})
    window.open_incident(incident.id)
    room = window.pages["incidents"].room
    deadline = store.incidents.get(incident.id).next_update_due_at
    assert window.crisis_bar.isVisible()
    page_top = window.stack.mapTo(window, window.stack.rect().topLeft()).y()
    seen = {}

    def answer(dialog):
        seen["open"] = [w.accessibleName() for w in dialog.findChildren(type(dialog.reason))]
        seen["text"] = " ".join(w.text() for w in dialog.findChildren(type(room.title)) if w.text())
        assert not dialog.ok_button.isEnabled()  # no reason, no resolving
        qtbot.keyClicks(dialog.reason, "Inspector found no mould in the kitchen")
        assert dialog.ok_button.isEnabled()
        dialog.accept()
        return dialog.result()

    # First the owner changes their mind: nothing happens.
    monkeypatch.setattr(EndIncidentDialog, "exec", lambda dialog: 0)
    _choose_status(room, "resolved")
    assert store.incidents.get(incident.id).status == "investigating"
    assert room.status.currentData() == "investigating"

    monkeypatch.setattr(EndIncidentDialog, "exec", answer)
    _choose_status(room, "resolved")
    assert "not reached" in seen["text"] and "Call the flour supplier" in seen["text"]
    resolved = store.incidents.get(incident.id)
    assert resolved.status == "resolved" and resolved.next_update_due_at is None
    last = store.incidents.timeline(incident.id)[-1]
    assert last.text.endswith("Inspector found no mould in the kitchen")
    # The bar stays, saying what happened, so the page does not jump.
    bar = window.crisis_bar
    assert bar.isVisible() and bar.undo.isVisible()
    assert "resolved" in bar.title.text()
    assert window.stack.mapTo(window, window.stack.rect().topLeft()).y() == page_top
    # Undo: open again, with the deadline it had.
    qtbot.mouseClick(bar.undo, Qt.MouseButton.LeftButton)
    again = store.incidents.get(incident.id)
    assert again.status == "investigating" and again.next_update_due_at == deadline
    assert bar.isVisible() and not bar.undo.isVisible() and bar.title.text() == incident.title


def test_closing_mentions_the_debrief(make_window, monkeypatch):
    from ui.dialogs.incidents import EndIncidentDialog

    window = make_window(demo=True)
    store = window.store
    incident = store.incidents.declare("Rude reply from our account", 2)
    store.incidents.set_status(incident.id, "resolved", "Apologised")
    window.announce({"incidents"})
    window.open_incident(incident.id)
    room = window.pages["incidents"].room
    texts = []

    def answer(dialog):
        texts.extend(w.text() for w in dialog.findChildren(type(room.title)))
        return 0

    monkeypatch.setattr(EndIncidentDialog, "exec", answer)
    _choose_status(room, "closed")
    assert any("debrief is not done" in t for t in texts)
    assert store.incidents.get(incident.id).status == "resolved"


def test_double_clicking_a_contact_opens_one_editor(qtbot, make_window, monkeypatch):
    from ui.dialogs.contacts import ContactDialog

    window = make_window(demo=True)
    window.go_to("contacts")
    page = window.pages["contacts"]
    opened = []
    monkeypatch.setattr(ContactDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    table = page.table
    where, viewport = table.visualRect(page.proxy.index(0, 0)).center(), table.viewport()
    # A real double-click: press, release, press (the double-click), release.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=where)
    assert len(opened) == 1
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(opened) == 2

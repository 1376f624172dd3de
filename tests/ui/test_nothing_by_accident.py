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

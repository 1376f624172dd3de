"""Nothing changes by accident: a combo box, spin box (dates and times included) or slider
ignores the mouse wheel unless it has the keyboard focus, and the wheel scrolls the page under
it instead. One filter on the application does it for every such widget, in every window and
dialog, so no page can forget it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

_GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def _guarded(widget: QObject) -> QWidget | None:
    """The value widget `widget` is (or is inside, like a spin box's line edit), if any."""
    while isinstance(widget, QWidget) and not widget.isWindow():
        if isinstance(widget, _GUARDED) and not isinstance(widget, QScrollBar):
            return widget
        widget = widget.parentWidget()
    return None


class WheelGuard(QObject):
    """The application's event filter: see the module docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, _GUARDED):
            prefer_click_focus(watched)  # type: ignore[arg-type]
            return False
        if kind != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        target = _guarded(watched)
        if target is None or target.hasFocus():
            return False
        _pass_to_page(watched, event)  # type: ignore[arg-type]
        event.accept()
        return True


def _pass_to_page(widget: QWidget, event: QWheelEvent) -> None:
    """Give the wheel to what holds the widget (a scroll area scrolls), as Qt does with a
    wheel event nobody takes: up the parents until one accepts it."""
    position = event.position()
    current = widget
    while not current.isWindow() and current.parentWidget() is not None:
        position += current.pos().toPointF()
        current = current.parentWidget()
        if _guarded(current) is not None:
            continue  # still inside the guarded widget (or another one holding it)
        copy = QWheelEvent(
            position,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
            event.source(),
        )
        copy.ignore()
        QApplication.sendEvent(current, copy)
        if copy.isAccepted():
            return


_guard: WheelGuard | None = None


def install_wheel_guard() -> None:
    """Install the guard on the application once (the window does it; so do tests)."""
    global _guard
    app = QApplication.instance()
    if app is None or _guard is not None:
        return
    _guard = WheelGuard(app)
    app.installEventFilter(_guard)


def prefer_click_focus(widget: QWidget) -> None:
    """A value widget takes focus by click or Tab, never by the wheel (Qt's WheelFocus)."""
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

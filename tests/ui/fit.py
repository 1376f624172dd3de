"""What "does not fit" means, measured on live widgets: a label, button, check box, combo box,
spin box or placeholder whose words need more room than it has (wider, or taller); tabs that
no longer fit their bar; a table that scrolls sideways or whose column headings are cut."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QScrollBar,
    QStackedLayout,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionSpinBox,
    QStyleOptionViewItem,
    QTabBar,
    QWidget,
)

SLACK = 2  # pixels of rounding


def _name(widget: QWidget) -> str:
    text = ""
    for getter in ("text", "currentText", "placeholderText", "accessibleName"):
        value = getattr(widget, getter, None)
        if callable(value):
            try:
                text = value()
            except TypeError:
                continue
            if text:
                break
    return f"{type(widget).__name__} “{' '.join(str(text).split())[:60]}”"


def _showing(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def clipped(root: QWidget) -> list[str]:
    """Every piece of text under `root` that is cut off, and every pair of widgets a squeezed
    layout put one over the other, as a sentence saying where."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _showing(widget) or isinstance(widget, QScrollBar):
            continue
        problem = _problem(widget)
        if problem:
            found.append(f"{_name(widget)}: {problem}")
        layout = widget.layout()
        if layout is not None and not isinstance(layout, QStackedLayout):
            laid = [w for w in _laid_out(layout) if _showing(w)]
            for index, one in enumerate(laid):
                for other in laid[index + 1 :]:
                    if one.geometry().adjusted(1, 1, -1, -1).intersects(other.geometry()):
                        found.append(f"{_name(one)} overlaps {_name(other)}")
    return found


def _laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets a layout places, its nested layouts' included."""
    widgets = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            widgets.append(item.widget())
        elif item.layout() is not None and not isinstance(item.layout(), QStackedLayout):
            widgets.extend(_laid_out(item.layout()))
    return widgets


def _cut_row(widget: QListWidget) -> str:
    """A row of a list whose words need more height than the row has (cut, or "…"): asked of
    the list's own delegate at the row's width, as the list lays it out."""
    viewport = widget.viewport().rect()
    for row in range(widget.count()):
        item = widget.item(row)
        rect = widget.visualItemRect(item)
        if not rect.intersects(viewport) or not item.text():
            continue
        option = QStyleOptionViewItem()
        widget.initViewItemOption(option)
        option.rect = rect
        index = widget.indexFromItem(item)
        need = widget.itemDelegate().sizeHint(option, index)
        if need.height() > rect.height() + SLACK:
            return f"row “{item.text()[:50]}” cut ({rect.height()} px high, needs {need.height()})"
    return ""


def _problem(widget: QWidget) -> str:
    squeezed = _squeezed(widget)
    return squeezed or _too_narrow(widget)


def _squeezed(widget: QWidget) -> str:
    """A button, choice or text field laid out lower than its own minimum: its words are cut
    at the bottom (a dialog shown shorter than its layout needs)."""
    if not isinstance(widget, (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)):
        return ""
    if isinstance(widget, QAbstractButton) and not widget.text():
        return ""
    need = widget.minimumSizeHint().height()
    return f"{widget.height()} px high, needs {need}" if need > widget.height() + SLACK else ""


def _too_narrow(widget: QWidget) -> str:
    metrics = widget.fontMetrics()
    if isinstance(widget, QLabel):
        if not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
            return ""
        if widget.wordWrap():
            need = widget.heightForWidth(widget.width())
            return (
                f"needs {need} px high, has {widget.height()}"
                if need > widget.height() + SLACK
                else ""
            )
        need = widget.sizeHint().width()
        return f"needs {need} px, has {widget.width()}" if need > widget.width() + SLACK else ""
    if isinstance(widget, QAbstractButton) and widget.text():
        need = widget.sizeHint().width()
        return f"needs {need} px, has {widget.width()}" if need > widget.width() + SLACK else ""
    if isinstance(widget, QComboBox):
        # The words are drawn in the edit field, beside the arrow: do they fit in it?
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        field = widget.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            widget,
        )
        room = field.width() - (
            widget.iconSize().width() + 4 if not option.currentIcon.isNull() else 0
        )
        text = widget.currentText()
        need = metrics.horizontalAdvance(text)
        return f"shows “{text}” in {room} px (needs {need})" if text and need > room + SLACK else ""
    if isinstance(widget, QAbstractSpinBox):
        option = QStyleOptionSpinBox()
        widget.initStyleOption(option)
        field = widget.style().subControlRect(
            QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxEditField, widget
        )
        text = widget.text()
        need = metrics.horizontalAdvance(text)
        return (
            f"shows “{text}” in {field.width()} px (needs {need})"
            if text and need > field.width() + SLACK
            else ""
        )
    if isinstance(widget, QLineEdit):
        if widget.text() or not widget.placeholderText():
            return ""
        parent = widget.parentWidget()
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return ""
        need = metrics.horizontalAdvance(widget.placeholderText()) + 18
        return (
            f"cuts its hint at {widget.width()} px (needs {need})" if need > widget.width() else ""
        )
    if isinstance(widget, QTabBar):
        need = sum(widget.tabSizeHint(i).width() for i in range(widget.count()))
        return (
            f"tabs need {need} px, the bar has {widget.width()}"
            if need > widget.width() + SLACK
            else ""
        )
    if isinstance(widget, QAbstractItemView):
        if widget.horizontalScrollBar().isVisible():
            return "scrolls sideways"
        if isinstance(widget, QListWidget):
            return _cut_row(widget)
        return ""
    if isinstance(widget, QHeaderView) and widget.orientation().name == "Horizontal":
        for section in range(widget.count()):
            if widget.isSectionHidden(section):
                continue
            text = (
                widget.model().headerData(section, widget.orientation()) if widget.model() else ""
            )
            if not text:
                continue
            need = metrics.horizontalAdvance(str(text)) + 16
            if need > widget.sectionSize(section) + SLACK:
                return f"heading “{text}” cut ({widget.sectionSize(section)} px, needs {need})"
    return ""

"""The small pieces every page uses: plain-text labels, buttons, cards, level chips, flat
tables, status-bar notes; one place for the house style.

Text from outside (mentions, names, feeds, file names) is shown as plain text: `label` makes
plain-text labels unless asked for markup, `plain` keeps a tooltip or message box text literal,
and `open_web_link` hands only http(s) links to the browser.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtGui import Qt as GuiQt  # Qt's namespace functions for text live in QtGui
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from app.text import WEB_SCHEMES, safe_web_url
from ui import theme
from ui.widgets.icons import icon


def plain(text: str) -> str:
    """`text` for a place that guesses HTML (tooltips, message boxes, progress dialogs): shown
    literally. Qt renders such text as rich text when it looks like HTML (Qt.mightBeRichText),
    so a name like `<img src=...>` would load an image; those texts are escaped instead."""
    text = text or ""
    if not GuiQt.mightBeRichText(text):
        return text
    return GuiQt.convertFromPlainText(text, GuiQt.WhiteSpaceMode.WhiteSpaceNormal)


def plain_label(text: str = "") -> QLabel:
    """A QLabel that shows its text literally, whatever it looks like."""
    widget = QLabel()
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    return widget


def open_web_link(url: str | None) -> bool:
    """Open a link that came from outside in the browser, only when it is http(s); any other
    scheme (file:, smb:, ssh:, javascript:) is never handed to the operating system."""
    safe = safe_web_url(url)
    if safe is None:
        return False
    qurl = QUrl(safe)
    if not qurl.isValid() or qurl.scheme().lower() not in WEB_SCHEMES or not qurl.host():
        return False  # Qt read the address differently from us: refuse rather than guess
    return QDesktopServices.openUrl(qurl)


def label(text: str, object_name: str = "", wrap: bool = True, rich: bool = False) -> QLabel:
    """A label of the house style; plain text unless `rich` (markup we wrote, data escaped)."""
    widget = QLabel()
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setText(text)
    if object_name:
        widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def primary_button(text: str, icon_name: str | None = None, tooltip: str = "") -> QPushButton:
    """The one filled button of a page: a verb."""
    button = QPushButton(text)
    button.setObjectName("Primary")
    if icon_name:
        button.setIcon(icon(icon_name, role="accent_text"))
    button.setToolTip(plain(tooltip))
    button.setAccessibleName(text)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def button(text: str, icon_name: str | None = None, tooltip: str = "") -> QPushButton:
    widget = QPushButton(text)
    if icon_name:
        widget.setIcon(icon(icon_name))
    widget.setToolTip(plain(tooltip))
    widget.setAccessibleName(text)
    return widget


def link_button(text: str, tooltip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName("Link")
    widget.setFlat(True)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setToolTip(plain(tooltip))
    widget.setAccessibleName(text)
    return widget


class _WrappedHeight(QObject):
    """A page's layout does not give a box of wrapped words the lines they need when the page
    is short (an alert above, five cards, a chart at 1280×800): it squeezes the words in half.
    At each resize the box asks for the height its words need at its width, so the page
    scrolls instead."""

    def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            fit_wrapped_height(watched)
        return False


def fit_wrapped_height(widget: QWidget) -> None:
    """Ask for the height `widget`'s wrapped words need at its width (after they change)."""
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        need = layout.totalHeightForWidth(widget.width())
        if need > 0 and widget.minimumHeight() != need:
            widget.setMinimumHeight(need)


def hold_wrapped_height(widget: QWidget) -> None:
    """Keep `widget` (a card, a banner) as tall as its wrapped words need at its width."""
    widget.installEventFilter(_WrappedHeight(widget))


class Card(QFrame):
    """A rounded surface; clickable cards emit `clicked` and take Enter/Space from the keyboard."""

    clicked = Signal()

    def __init__(self, clickable: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.setProperty("clickable", clickable)
        self._clickable = clickable
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 16, 20, 16)
        self.body.setSpacing(8)
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def showEvent(self, event):  # noqa: N802 (Qt override)
        if self._clickable:
            # A click anywhere on the card, its words included, is a click on the card.
            for child in self.findChildren(QLabel):
                child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        super().showEvent(event)

    def mouseReleaseEvent(self, event):  # noqa: N802 (Qt override)
        if self._clickable and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event):  # noqa: N802 (Qt override)
        if self._clickable and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
        ):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


def show_status(host: QObject, text: str, milliseconds: int = 8000) -> None:
    """A short note in the status bar of the main window that holds `host` ("Imported 12
    contacts."); dialogs pass it on to the window behind them."""
    widget = host
    while widget is not None and not isinstance(widget, QMainWindow):
        widget = widget.parent()
    if widget is not None:
        widget.statusBar().showMessage(text, milliseconds)


def spacer() -> QWidget:
    widget = QWidget()
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return widget


def clear_layout(layout) -> None:
    """Remove and delete everything in a layout, nested layouts included (for rebuilt lists)."""
    while layout.count():
        child = layout.takeAt(0)
        widget = child.widget()
        if widget is not None:
            widget.hide()  # a widget waiting for deleteLater must not paint meanwhile
            widget.setParent(None)
            widget.deleteLater()
        elif child.layout():
            clear_layout(child.layout())


def level_colour(level: int) -> str:
    c = theme.current()
    return {1: c.level1, 2: c.level2, 3: c.level3, 4: c.level4}.get(level, c.level1)


class LevelChip(QLabel):
    """The level as a coloured chip with its word ("Level 3 · Serious"): never colour alone."""

    def __init__(self, level: int = 1, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.set_level(level)

    def set_level(self, level: int) -> None:
        from app.levels import level_label

        self.setText(level_label(level))
        self.setAccessibleName(level_label(level))
        self.setStyleSheet(
            f"background: {level_colour(level)}; color: {theme.current().chip_text}; "
            "border-radius: 10px; "
            "padding: 3px 10px; font-weight: 600;"
        )
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)


def tree(headers: list[str], name: str, stretch: int | None = None) -> QTreeWidget:
    """A flat table of rows (no tree lines). With `stretch`, that column takes the spare width
    and the others fit their contents, so the table fits its width: no sideways scrolling."""
    widget = QTreeWidget()
    widget.setHeaderLabels(headers)
    widget.setRootIsDecorated(False)
    widget.setAccessibleName(name)
    widget.setUniformRowHeights(True)
    if stretch is not None:
        header = widget.header()
        header.setStretchLastSection(False)
        for column in range(len(headers)):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column == stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    return widget


def wrap_list(widget: QListWidget) -> QListWidget:
    """A list whose rows wrap their words and are laid out again when its width changes, so a
    long line shows whole (never cut with "…" at a width it once had)."""
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setResizeMode(QListView.ResizeMode.Adjust)
    widget.setUniformItemSizes(False)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


def select_by_id(widget: QListWidget, item_id: int) -> None:
    """Select the row whose UserRole data is `item_id`, without signalling a new choice."""
    for row in range(widget.count()):
        if widget.item(row).data(Qt.ItemDataRole.UserRole) == item_id:
            widget.blockSignals(True)
            widget.setCurrentRow(row)
            widget.blockSignals(False)
            return

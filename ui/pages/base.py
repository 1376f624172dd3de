"""What every page of the main window is: a header (title, purpose, one primary action) and a
body, the signals the window connects on every page, and the questions it asks every page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.widgets import label


class Page(QWidget):
    """A page of the main window.

    Signals (the window connects each on every page):
    - `navigate(key)`: go to another page ("inbox"), an incident ("incident:3") or "business".
    - `changed(domains)`: this page just changed these domains ({"incidents"}); the window tells
      the other pages, which refresh themselves when they are on screen.
    - `badge(text)`: the sidebar's note for this page ("12" new in watch queries, "" for none).
    - `declare_with(mention ids)`, `declare_spike(spike)`: open the declare dialog with these.
    """

    title = ""
    subtitle = ""
    shows: frozenset[str] = frozenset()  # the domains whose changes this page shows

    navigate = Signal(str)
    changed = Signal(object)  # set[str]
    badge = Signal(str)
    declare_with = Signal(list)
    declare_spike = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._reporting = False
        self.retired = False  # set when the window lets go of this page (another workspace)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(16)
        header = QHBoxLayout()
        header.setSpacing(16)
        titles = QVBoxLayout()
        titles.setSpacing(4)
        self.title_label = label(self.title, "PageTitle")
        self.subtitle_label = label(self.subtitle, "PageSubtitle")
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        header.addLayout(titles, 1)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(8)
        header.addLayout(self.actions)
        header.setAlignment(self.actions, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(16)
        outer.addLayout(self.body, 1)

    # --- what the window asks -----------------------------------------------------------

    def refresh(self, domains: set[str] | None = None) -> None:
        """Reload from the store: everything when shown (`None`), or what shows `domains`."""

    def confirm_leave(self) -> bool:
        """May the window leave this page or close? A page with unsaved work asks first."""
        return True

    def new_item(self) -> None:
        """Ctrl+N on this page; pages that create things override it."""

    def commands(self) -> list[tuple[str, QIcon, Callable[[], None]]]:
        """What Ctrl+K offers to do on this page: its header's buttons (a page adds its own)."""
        found = []
        for index in range(self.actions.count()):
            widget = self.actions.itemAt(index).widget()
            if isinstance(widget, QPushButton) and not widget.isHidden() and widget.isEnabled():
                found.append((widget.text().replace("&", ""), widget.icon(), widget.click))
        return found

    def badge_text(self) -> str:
        return ""

    def restyle(self) -> None:
        """The colour scheme changed: recolour what is not drawn from the palette (nothing is
        rebuilt, so nothing typed is lost)."""

    # --- changes ------------------------------------------------------------------------

    def report_changes(self, *domains: str) -> None:
        """Tell the window what this page just changed (it has updated itself already)."""
        self._reporting = True
        try:
            self.changed.emit(set(domains))
        finally:
            self._reporting = False

    def follow_changes(self, domains: set[str]) -> None:
        """The window says `domains` changed: refresh if they show here and this page is on
        screen (a hidden page refreshes when it is shown)."""
        if self._reporting or not self.isVisible() or not (self.shows & domains):
            return
        self.refresh(domains)

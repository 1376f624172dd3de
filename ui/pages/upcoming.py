"""A page whose area has not landed yet: says plainly what it will do, never pretends."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.widgets import Card, Page, icon, label, spacer


class UpcomingPage(Page):
    def __init__(self, title: str, subtitle: str, icon_name: str, promises: list[str], parent=None):
        self.title = title
        self.subtitle = subtitle
        super().__init__(parent)
        card = Card()
        heading = label("Coming soon", "CardTitle")
        card.body.addWidget(heading)
        card.body.addWidget(
            label(
                "This part of Crisis Desk is being built. When it arrives, here you will:",
                "Muted",
            )
        )
        for promise in promises:
            row = label(f"•  {promise}")
            card.body.addWidget(row)
        badge = label("")
        badge.setPixmap(icon(icon_name).pixmap(48, 48))
        badge.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(badge)
        self.body.addWidget(card)
        self.body.addWidget(spacer(), 1)

"""The first-run welcome: three clear ways to begin, and a teammate's way to join."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.pages.base import Page
from ui.widgets import Card, IconBadge, label, plain, spacer

CHOICES = (
    (
        "template",
        "mdi6.clipboard-check-outline",
        "Start from the template plan",
        "Tell us your business's name; you get a ready crisis plan written for a small "
        "business, with roles, an escalation ladder and playbooks to adjust.",
    ),
    (
        "demo",
        "mdi6.storefront-outline",
        "Open the demo workspace",
        "Look around Hearth & Crumb, a three-shop bakery-café in a food-safety scare. "
        "Nothing you do there touches your own workspace.",
    ),
    (
        "empty",
        "mdi6.file-outline",
        "Start empty",
        "A blank workspace. You can load the template plan or the demo later from the File menu.",
    ),
)


class WelcomePage(Page):
    title = "Welcome to Crisis Desk"
    subtitle = (
        "One calm place for a bad day: your plan, who to call, what people are saying, "
        "what to say back, and what to learn afterwards. How would you like to begin?"
    )

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.cards: dict[str, Card] = {}
        for key, icon_name, heading, text in CHOICES:
            card = Card(clickable=True)
            card.setAccessibleName(heading)
            card.setToolTip(plain(heading))
            card.body.addWidget(
                IconBadge(icon_name, role="accent", size=40), 0, Qt.AlignmentFlag.AlignLeft
            )
            card.body.addWidget(label(heading, "CardTitle"))
            card.body.addWidget(label(text, "Muted"))
            card.body.addStretch(1)
            card.setMinimumHeight(200)
            card.clicked.connect(lambda key=key: self.chosen.emit(key))
            row.addWidget(card, 1)
            self.cards[key] = card
        self.body.addLayout(row)
        self.join_card = self._join_card()
        self.body.addWidget(self.join_card)
        privacy = label(
            "Everything stays on this computer. Nothing is sent anywhere unless you ask "
            "Crisis Desk to fetch mentions from a source, or to share with your team.",
            "Muted",
        )
        privacy.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(privacy)
        self.body.addWidget(spacer(), 1)

    def _join_card(self) -> Card:
        """A teammate's way in: their invitation code and the shared folder."""
        card = Card(clickable=True)
        heading = "Join your team's workspace"
        card.setAccessibleName(heading)
        card.setToolTip("Use the invitation code a teammate gave you")
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(IconBadge("mdi6.account-multiple-outline", role="accent", size=40))
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(label(heading, "CardTitle"))
        words.addWidget(
            label(
                "A teammate already uses Crisis Desk and gave you an invitation code: get "
                "your own copy of their workspace through the folder you share.",
                "Muted",
            )
        )
        row.addLayout(words, 1)
        card.body.addLayout(row)
        card.clicked.connect(lambda: self.chosen.emit("join"))
        return card

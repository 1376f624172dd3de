"""The room's "Mentions" tab: the mentions attached to the incident, with how many are
negative."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidgetItem, QVBoxLayout

from app.incidents.model import Incident
from ui.format import counted, sentiment, share, when
from ui.pages.incidents.tab import RoomTab
from ui.widgets import label, tree


class MentionsTab(RoomTab):
    def __init__(self, store, clock, parent=None):
        super().__init__(store, clock, parent)
        self._shown: tuple[int, int] | None = None  # (incident, count) in the list
        layout = QVBoxLayout(self)
        self.mention_summary = label("", "SectionTitle")
        layout.addWidget(self.mention_summary)
        layout.addWidget(
            label(
                "Attach mentions from the Inbox (select them, then “Attach to "
                "incident”), or declare from a spike to bring its mentions.",
                "Muted",
            )
        )
        self.mention_list = tree(
            ["When", "Who", "Sentiment", "Text"], "Mentions of this incident", stretch=3
        )
        layout.addWidget(self.mention_list, 1)

    def load(self, incident: Incident) -> None:
        super().load(incident)
        total, negative = self.store.incidents.mention_stats(incident.id)
        negative_share = f", {share(negative / total)} negative" if total else ""
        self.mention_summary.setText(f"{counted(total, 'mention')} attached{negative_share}")
        if self._shown == (incident.id, total):
            return  # a tick or a note does not change the list: keep it, skip the query
        self._shown = (incident.id, total)
        self.mention_list.clear()
        for mention in self.store.mentions.for_incident(incident.id):
            text = " ".join(mention.text.split())[:200]
            item = QTreeWidgetItem(
                [when(mention.posted_at), mention.author, sentiment(mention.sentiment), text]
            )
            self.mention_list.addTopLevelItem(item)

"""The statement dialogs: start a new statement from a template; approve it (with the
checklist done or each open step set aside with a reason); record where it was published
(only where it fits; Crisis Desk sends nothing itself); and make the landing page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from app.statements.model import CHANNELS, STAGES, Statement
from ui.dialogs.base import KeepsTyping, dialog_layout, save_cancel_buttons
from ui.format import counted
from ui.widgets import label, plain


class NewStatementDialog(QDialog):
    def __init__(self, store, incident_id: int | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("New statement")
        self.setMinimumWidth(520)
        layout = QFormLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.stage = QComboBox()
        for key, name in STAGES.items():
            self.stage.addItem(name, key)
        self.incident = QComboBox()
        self.incident.addItem("No incident", None)
        for incident in store.incidents.all():
            self.incident.addItem(f"{incident.title} ({incident.status})", incident.id)
        if incident_id is not None:
            self.incident.setCurrentIndex(self.incident.findData(incident_id))
        elif self.incident.count() > 1:
            self.incident.setCurrentIndex(1)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Leave empty to use the kind, e.g. “Holding statement”")
        layout.addRow("Kind", self.stage)
        layout.addRow("For incident", self.incident)
        layout.addRow("Title", self.title)
        layout.addRow(
            label(
                "It starts from a template filled in from your plan and the "
                "incident; anything it cannot fill stays visible for you.",
                "Muted",
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start writing")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)


class ApproveDialog(KeepsTyping, QDialog):
    """Who approves, and for each checklist step not done yet, why it does not apply."""

    def __init__(
        self,
        statement: Statement,
        role: str,
        person: str,
        open_items: list[str],
        findings: int,
        parent=None,
    ):
        super().__init__(parent)
        layout = dialog_layout(self, "Approve statement", 600)
        layout.addWidget(
            label(f"Approve “{statement.title}”, version {statement.version}?", "SectionTitle")
        )
        form = QFormLayout()
        self.approver = QLineEdit(person)
        self.approver.setAccessibleName("Who approves")
        self.approver.setPlaceholderText("Name of the person approving")
        form.addRow(f"Approved by ({role})", self.approver)
        layout.addLayout(form)
        self.reasons: dict[str, QLineEdit] = {}
        if open_items:
            layout.addWidget(
                label(
                    f"{len(open_items)} checklist step{'s are' if len(open_items) != 1 else ' is'}"
                    " not ticked. Tick them on the Checklist tab, or say here why each does not "
                    "apply this time (the reasons are kept with the statement).",
                    "Muted",
                )
            )
            for item in open_items:  # the step in full, and the reason under it
                layout.addWidget(label(f"•  {item}"))
                reason = QLineEdit()
                reason.setAccessibleName(f"Why “{item}” does not apply")
                reason.setPlaceholderText("Why it does not apply this time")
                reason.setContentsMargins(18, 0, 0, 4)
                layout.addWidget(reason)
                self.reasons[item] = reason
                reason.textChanged.connect(self._check)
        if findings:
            layout.addWidget(
                label(
                    f"The checker has {findings} finding{'s' if findings != 1 else ''} you "
                    "have not dismissed; read them on the Checker tab before you approve.",
                    "Muted",
                )
            )
        buttons = save_cancel_buttons(self, "Approve")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.approver.textChanged.connect(self._check)
        layout.addWidget(buttons)
        self._check()
        self.remember_typing()

    def _check(self) -> None:
        self.ok_button.setEnabled(self.ready())

    def ready(self) -> bool:
        return bool(self.approver.text().strip()) and all(
            box.text().strip() for box in self.reasons.values()
        )

    def accept(self) -> None:
        if self.ready():
            super().accept()

    def set_aside(self) -> dict[str, str]:
        return {item: box.text().strip() for item, box in self.reasons.items()}


class PublishDialog(QDialog):
    """Where it went out: Crisis Desk sends nothing, it records what the owner posted. A
    channel it is too long for cannot be ticked until a shorter version fits."""

    def __init__(self, statement: Statement, too_long: dict[str, str] | None = None, parent=None):
        super().__init__(parent)
        too_long = too_long or {}
        self.setWindowTitle("Record where it was published")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(
            label(
                "Copy each channel's text from the Channels tab and post it yourself. Then tick "
                "where it went out; it lands on the incident's timeline and restarts the update "
                "countdown.",
                "Muted",
            )
        )
        self.channels = QListWidget()
        for key, name in CHANNELS.items():
            why = too_long.get(key, "")
            item = QListWidgetItem(f"{name} — too long" if why else name)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            if why:  # shown, greyed, and not tickable until a version that fits exists
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(plain(why))
            self.channels.addItem(item)
        self.channels.setAccessibleName("Channels")
        self.channels.setSpacing(3)
        self.channels.setMinimumHeight(self.channels.sizeHintForRow(0) * (len(CHANNELS) + 1))
        layout.addWidget(self.channels)
        if too_long:
            names = ", ".join(CHANNELS[k] for k in CHANNELS if k in too_long)
            layout.addWidget(
                label(
                    f"Too long for {names}: write a shorter version on the Channels tab "
                    "(“Short version with a link”), then record it there.",
                    "Muted",
                )
            )
        self.url = QLineEdit()
        self.url.setPlaceholderText("Link to the post (optional)")
        self.url.setAccessibleName("Link to the post")
        layout.addWidget(self.url)
        buttons = save_cancel_buttons(self, "Record")
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [
            self.channels.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.channels.count())
            if self.channels.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
            and self.channels.item(i).checkState() == Qt.CheckState.Checked
        ]


class LandingPageDialog(KeepsTyping, QDialog):
    """The page for customers: its public headline and what it will hold."""

    def __init__(
        self,
        incident_title: str,
        headline: str,
        suggestion: str,
        published: list[str],
        parent=None,
    ):
        super().__init__(parent)
        layout = dialog_layout(self, "Landing page", 560)
        layout.addWidget(
            label(
                "One page for your customers with every published update, newest first, and "
                "how to reach you. Put it on your website (for example as /update) or send the "
                "file. It has no scripts and loads nothing from anywhere.",
                "Muted",
            )
        )
        form = QFormLayout()
        self.headline = QLineEdit(headline)
        self.headline.setPlaceholderText(suggestion)
        self.headline.setAccessibleName("Headline for the public")
        form.addRow("Headline for the public", self.headline)
        layout.addLayout(form)
        layout.addWidget(
            label(
                f"Customers read this headline. The incident's own title (“{incident_title}”) "
                "stays inside Crisis Desk.",
                "Muted",
            )
        )
        if published:
            layout.addWidget(
                label(f"It holds {counted(len(published), 'published update')}:", wrap=False)
            )
            for title in published[:6]:
                layout.addWidget(label(f"•  {title}"))
        else:
            layout.addWidget(label("Nothing is published yet: the page will say so.", "Muted"))
        layout.addStretch(1)
        layout.addWidget(save_cancel_buttons(self, "Save the page…"))
        self.remember_typing()

    def title(self) -> str:
        return " ".join(self.headline.text().split())

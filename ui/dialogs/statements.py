"""The statement dialogs: start a new statement from a template, and record where one was
published (Crisis Desk sends nothing itself)."""

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
from ui.widgets import label


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


class PublishDialog(QDialog):
    """Where it went out: Crisis Desk sends nothing, it records what the owner posted."""

    def __init__(self, statement: Statement, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Record where it was published")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
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
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.channels.addItem(item)
        self.channels.setAccessibleName("Channels")
        layout.addWidget(self.channels)
        self.url = QLineEdit()
        self.url.setPlaceholderText("Link to the post (optional)")
        layout.addWidget(self.url)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [
            self.channels.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.channels.count())
            if self.channels.item(i).checkState() == Qt.CheckState.Checked
        ]

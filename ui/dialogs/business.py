"""Edit the business profile: the facts that fill plans, statements and reports."""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import Qt, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
)

from app.business.model import BusinessProfile
from ui.dialogs.base import KeepsTyping
from ui.widgets import label, plain


def system_timezone() -> str:
    """This computer's time zone by its IANA name ("Europe/London"), or "" if unknown."""
    zone = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return zone if zone in available_timezones() else ""


class BusinessProfileDialog(KeepsTyping, QDialog):
    def __init__(self, profile: BusinessProfile | None, intro: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Your business")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        if intro:
            layout.addWidget(label(intro, "Muted"))
        form = QFormLayout()
        form.setSpacing(8)
        profile = profile or BusinessProfile(name="")
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        specs = (
            ("name", "Business name", "e.g. Hearth & Crumb"),
            ("kind", "What you do", "e.g. Bakery-café, three shops"),
            ("locations", "Shops or sites", "One per line"),
            ("phone", "Main phone", ""),
            ("email", "Main email", ""),
            ("website", "Website", "https://…"),
            ("about", "About", "A few lines a journalist could quote"),
        )
        for key, caption, hint in specs:
            multiline = key in ("locations", "about")
            widget = QPlainTextEdit() if multiline else QLineEdit()
            widget.setPlaceholderText(hint)
            if multiline:
                widget.setPlainText(getattr(profile, key))
                widget.setFixedHeight(72)
                widget.setTabChangesFocus(True)
            else:
                widget.setText(getattr(profile, key))
            widget.setAccessibleName(caption)
            form.addRow(caption, widget)
            self.fields[key] = widget
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.setAccessibleName("Time zone")
        self.timezone.addItems(sorted(available_timezones()))
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.timezone.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.timezone.setCurrentText(profile.timezone or system_timezone())
        form.addRow("Time zone", self.timezone)
        form.addRow(
            "",
            label(
                "Times in imported files that do not say their zone, and dates you search "
                "for, are read in this time zone.",
                "Muted",
            ),
        )
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.remember_typing()

    def profile(self) -> BusinessProfile:
        values = {
            key: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()).strip()
            for key, w in self.fields.items()
        }
        return BusinessProfile(timezone=self.timezone.currentText().strip(), **values)

    def accept(self) -> None:
        if not self.fields["name"].text().strip():
            QMessageBox.information(
                self, "Your business", "Type your business's name: customers will see it."
            )
            self.fields["name"].setFocus()
            return
        zone = self.timezone.currentText().strip()
        if zone and zone not in available_timezones():
            QMessageBox.information(
                self,
                "Your business",
                plain(
                    f"“{zone}” is not a time zone Crisis Desk knows. Choose one from the list, "
                    "e.g. Europe/London."
                ),
            )
            self.timezone.setFocus()
            return
        super().accept()

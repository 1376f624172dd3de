"""Edit the business profile: the facts that fill plans, statements and reports."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
)

from app.business.model import BusinessProfile
from ui.widgets import label


class BusinessProfileDialog(QDialog):
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
        self._timezone = profile.timezone
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def profile(self) -> BusinessProfile:
        values = {
            key: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()).strip()
            for key, w in self.fields.items()
        }
        return BusinessProfile(timezone=self._timezone, **values)

    def accept(self) -> None:
        if not self.fields["name"].text().strip():
            QMessageBox.information(
                self, "Your business", "Type your business's name: customers will see it."
            )
            self.fields["name"].setFocus()
            return
        super().accept()

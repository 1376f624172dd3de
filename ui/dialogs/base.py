"""Small shared pieces for dialogs, so every dialog looks and keys the same."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout


def dialog_layout(dialog: QDialog, title: str, width: int) -> QVBoxLayout:
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(width)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    return layout


def save_cancel_buttons(dialog: QDialog, ok_text: str | None = None) -> QDialogButtonBox:
    """Save (or `ok_text`) and Cancel; Ctrl+Enter saves, as in every editor."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog).activated.connect(dialog.accept)
    return buttons

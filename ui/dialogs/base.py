"""Small shared pieces for dialogs, so every dialog looks and keys the same."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import ask


class _TallEnough(QObject):
    """Qt sizes a new window from its parts' preferred sizes, which for wrapped words assume
    another width: when shown, and when its words change (a longer preview), the dialog grows
    until every wrapped line has its room; it never shrinks under the owner's hand."""

    def eventFilter(self, watched, event):  # noqa: N802 (Qt override)
        kind = event.type()
        if not isinstance(watched, QWidget):
            return False
        if kind == QEvent.Type.Show or (kind == QEvent.Type.LayoutRequest and watched.isVisible()):
            layout = watched.layout()
            if layout is not None and layout.hasHeightForWidth():
                need = layout.totalHeightForWidth(watched.width())
                screen = watched.screen()
                if screen is not None:  # never taller than the screen it is on
                    need = min(need, screen.availableGeometry().height())
                if need > watched.height():
                    watched.resize(watched.width(), need)
        return False


def fit_wrapped_text(dialog: QWidget) -> None:
    dialog.installEventFilter(_TallEnough(dialog))


def dialog_layout(dialog: QDialog, title: str, width: int) -> QVBoxLayout:
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(width)
    fit_wrapped_text(dialog)
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


class KeepsTyping:
    """For a dialog where the owner types: Escape, Cancel or the window's close button asks
    before what was typed is thrown away. Call `remember_typing()` once it is built."""

    _typed_at_start: tuple[str, ...] | None = None

    def _typed(self) -> tuple[str, ...]:
        texts = [edit.text() for edit in self.findChildren(QLineEdit)]  # type: ignore[attr-defined]
        texts += [edit.toPlainText() for edit in self.findChildren(QPlainTextEdit)]  # type: ignore[attr-defined]
        return tuple(texts)

    def remember_typing(self) -> None:
        self._typed_at_start = self._typed()

    def reject(self) -> None:
        if self._typed_at_start is not None and self._typed() != self._typed_at_start:
            answer = ask.choose(
                self,  # type: ignore[arg-type]
                self.windowTitle(),  # type: ignore[attr-defined]
                "Throw away what you typed here?",
                [("keep", "Keep editing"), ("discard", "Discard it")],
                default="keep",
            )
            if answer != "discard":
                return
        super().reject()  # type: ignore[misc]

"""One question in plain words, with buttons that say what they do ("Add it", "Discard", "Stay
here") instead of Yes and No. Tests answer it by replacing `choose`."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.widgets import plain


def choose(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[tuple[str, str]],
    default: str = "",
    detail: str = "",
) -> str:
    """Ask; returns the key of the chosen button, or "cancel" when the box is closed.

    `choices` are (key, button text); the key "cancel" is the Escape button."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(plain(text))
    if detail:
        box.setInformativeText(plain(detail))
    buttons = {}
    for key, caption in choices:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if key == "cancel"
            else QMessageBox.ButtonRole.DestructiveRole
            if key in ("discard", "drop")
            else QMessageBox.ButtonRole.AcceptRole
        )
        buttons[box.addButton(caption, role)] = key
        if key == default:
            box.setDefaultButton(list(buttons)[-1])
        if key == "cancel":
            box.setEscapeButton(list(buttons)[-1])
    box.exec()
    return buttons.get(box.clickedButton(), "cancel")


def join_words(items: list[str]) -> str:
    """["a note", "a task"] -> "a note and a task"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

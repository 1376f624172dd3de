"""Sharing with the team: turn it on, invite a teammate (code and QR), see what waits, settle a
"two people changed this" card; and joining from a teammate's invitation."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.paths import data_dir
from app.secrets import SecretStore
from app.sharing import local
from app.store import Store, open_store
from ui.dialogs.base import dialog_layout, save_cancel_buttons
from ui.widgets import button, label, plain, plain_label, primary_button

EXPLAIN = (
    "Each laptop keeps its own copy and works offline. Your changes travel as small encrypted "
    "files through a folder your team already shares — OneDrive, Dropbox, Google Drive, a "
    "network drive, Syncthing, even a USB stick — and your teammates' changes come back the "
    "same way. Passwords and tokens never leave this laptop. Never put the workspace file "
    "itself in that folder."
)


def qr_pixmap(text: str, scale: int = 4) -> QPixmap:
    data = io.BytesIO()
    segno.make(text, error="m").save(data, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(data.getvalue(), "PNG")
    return pixmap


def _folder_row(parent: QWidget, edit: QLineEdit) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    browse = button("Choose…", "mdi6.folder-open-outline")
    browse.clicked.connect(
        lambda: edit.setText(
            QFileDialog.getExistingDirectory(parent, "The shared folder", edit.text())
            or edit.text()
        )
    )
    row.addWidget(browse)
    return row


class ShareDialog(QDialog):
    """Sharing's one window: off → turn it on; on → invite, sync, settle conflicts.

    `sync_now` starts a round (the window's scheduler); `state()` is the window's sentence about
    the last round. `changed(set)` names what the dialog changed: "sharing" when it was turned
    on, "statements" when a person chose a version."""

    changed = Signal(object)

    def __init__(self, store: Store, sync_now=None, parent=None, state=None):
        super().__init__(parent)
        self.store = store
        self.sync_now = sync_now
        self.state = state
        self.layout_ = dialog_layout(self, "Share with your team", 620)
        self.body = QWidget()
        self.layout_.addWidget(self.body)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.layout_.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.layout_.removeWidget(self.body)
        self.body.hide()
        self.body.deleteLater()
        self.body = QWidget()
        self.layout_.insertWidget(0, self.body)
        config = local.read_config(self.store.settings)
        if config is None:
            self._off(self.body)
        else:
            self._on(self.body, config)
        self.body.show()

    # --- sharing is off --------------------------------------------------------------------

    def _off(self, host: QWidget) -> None:
        column = QVBoxLayout(host)
        column.addWidget(label(EXPLAIN))
        form = QFormLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("The folder your sync tool shares with the team")
        self.folder.setAccessibleName("Shared folder")
        form.addRow("Shared folder", _folder_row(self, self.folder))
        self.person = QLineEdit()
        self.person.setPlaceholderText("Your name, shown on what you do")
        self.person.setAccessibleName("Your name")
        form.addRow("Your name", self.person)
        column.addLayout(form)
        self.error = label("", "Error")
        column.addWidget(self.error)
        turn_on = primary_button("Turn sharing on", "mdi6.account-multiple-plus-outline")
        turn_on.clicked.connect(self._turn_on)
        column.addWidget(turn_on, 0, Qt.AlignmentFlag.AlignLeft)

    def _turn_on(self) -> None:
        if not self.folder.text().strip():
            self.error.setText("Choose the folder your team shares.")
            return
        try:
            local.share_on(
                self.store, Path(self.folder.text().strip()), self.person.text(), SecretStore()
            )
        except UserError as exc:
            self.error.setText(plain(str(exc)))
            return
        self.refresh()
        self.changed.emit({"sharing"})

    # --- sharing is on ---------------------------------------------------------------------

    def _on(self, host: QWidget, config) -> None:
        column = QVBoxLayout(host)
        status = local.status(self.store, config)
        column.addWidget(
            label(
                f"Shared through {config.folder}. This laptop is number {config.device} "
                f"({config.person}). "
                + (
                    f"{status['waiting']} file(s) from teammates wait for the next sync."
                    if status["waiting"]
                    else "You have everything your teammates have sent."
                )
            )
        )
        if self.state is not None and self.state():
            self.state_label = label(self.state(), "Muted")
            self.state_label.setAccessibleName("Last sync")
            column.addWidget(self.state_label)
        if not status["folder_reachable"]:
            column.addWidget(label("The shared folder cannot be reached right now; your "
                                   "changes wait here until it can.", "Error"))  # fmt: skip
        actions = QHBoxLayout()
        invite = button(
            "Invite a teammate…",
            "mdi6.account-plus-outline",
            "A code for one teammate's laptop: it holds the workspace key",
        )
        invite.clicked.connect(lambda: self._invite(column))
        actions.addWidget(invite)
        if self.sync_now is not None:
            now = button("Sync now", "mdi6.sync", "Send your changes and take your teammates' now")
            now.clicked.connect(self._sync_now)
            actions.addWidget(now)
        actions.addStretch(1)
        column.addLayout(actions)
        cards = local.open_conflicts(self.store, config)
        if cards:
            column.addWidget(label("Two people changed this", "CardTitle"))
            column.addWidget(
                label(
                    "Only the lines that differ are shown. Choose the version to keep; the "
                    "other stays among the statement's versions.",
                    "Muted",
                )
            )
        for card in cards:
            column.addWidget(self._card(card, config.person))

    def _sync_now(self) -> None:
        if self.sync_now is not None:
            self.sync_now()
        self.refresh()  # "syncing…"; the window refreshes it again when the round ends

    def _invite(self, column) -> None:
        try:
            code, device = local.invite(self.store)
        except UserError as exc:
            column.addWidget(label(plain(str(exc)), "Error"))
            return
        column.addWidget(
            label(
                f"Invitation for laptop {device}: give it to one teammate, in person or by "
                "phone. They choose “Join your team's workspace” on the welcome screen (or File → "
                "Join a shared workspace…) and type the code, or scan the QR code with their "
                "phone and copy it from there."
            )  # fmt: skip
        )
        row = QHBoxLayout()
        qr = plain_label()
        qr.setPixmap(qr_pixmap(code))
        row.addWidget(qr)
        text = QLineEdit(code)
        text.setReadOnly(True)
        text.setCursorPosition(0)
        text.setAccessibleName("Invitation code")
        text.setToolTip("The invitation code: copy it, or let your teammate scan the QR code")
        row.addWidget(text, 1, Qt.AlignmentFlag.AlignVCenter)
        copy = button("Copy", "mdi6.content-copy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        row.addWidget(copy)
        column.addLayout(row)

    def _card(self, card: local.ConflictCard, person: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(label(f"“{card.title}”: {card.kept_person} and "
                               f"{card.other_person} both changed it."))  # fmt: skip
        kept, other = local.differences(card.kept_text, card.other_text)
        for who, text in ((f"{card.kept_person}'s (the text now)", kept),
                          (f"{card.other_person}'s", other)):  # fmt: skip
            column.addWidget(label(who, "Muted"))
            view = QPlainTextEdit(text)
            view.setReadOnly(True)
            view.setAccessibleName(who)
            view.setMaximumHeight(90)
            column.addWidget(view)
        row = QHBoxLayout()
        keep = button(
            f"Keep {card.kept_person}'s", None, "The text stays as it is now; the card goes"
        )
        keep.clicked.connect(lambda: self._settle(card, False, person))
        other = button(
            f"Use {card.other_person}'s",
            None,
            "Their version becomes the text; the one now is kept among the versions",
        )
        other.clicked.connect(lambda: self._settle(card, True, person))
        row.addWidget(keep)
        row.addWidget(other)
        row.addStretch(1)
        column.addLayout(row)
        return box

    def _settle(self, card: local.ConflictCard, use_other: bool, person: str) -> None:
        if use_other:
            answer = QMessageBox.question(
                self,
                "Use the other version",
                plain(
                    f"{card.other_person}'s version becomes the text of “{card.title}” on "
                    f"every laptop. The text now ({card.kept_person}'s) stays among the "
                    "statement's versions, so you can go back to it."
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        local.settle(self.store, card, use_other, person)
        self.refresh()
        self.changed.emit({"statements", "sharing"})


class JoinDialog(QDialog):
    """Join a teammate's shared workspace: this laptop gets its own copy of it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = dialog_layout(self, "Join a shared workspace", 560)
        layout.addWidget(label("Type the invitation code a teammate gave you, and choose the "
                               "shared folder as it appears on this laptop."))  # fmt: skip
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText("CD1-…")
        self.code.setAccessibleName("Invitation code")
        form.addRow("Invitation code", self.code)
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Shared folder")
        form.addRow("Shared folder", _folder_row(self, self.folder))
        self.person = QLineEdit()
        self.person.setAccessibleName("Your name")
        form.addRow("Your name", self.person)
        self.target = QLineEdit(str(data_dir() / "shared-workspace.db"))
        self.target.setAccessibleName("Where to keep your copy")
        form.addRow("Keep your copy in", self.target)
        layout.addLayout(form)
        self.error = label("", "Error")
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self, "Join"))
        self.joined: Path | None = None

    def accept(self) -> None:
        target = Path(self.target.text().strip()).expanduser()
        try:
            local.join(
                self.code.text(),
                Path(self.folder.text().strip()),
                target,
                self.person.text(),
                SecretStore(),
                open_store,
            )
        except UserError as exc:
            self.error.setText(plain(str(exc)))
            return
        self.joined = target
        super().accept()

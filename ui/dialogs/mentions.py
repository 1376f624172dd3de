"""Small dialogs of the Inbox: add a mention by hand (or several at once), give a reason to
ignore or hide, add a tag."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.mentions.model import GUIDELINES, IGNORE_REASONS, NewMention
from ui.dialogs.base import KeepsTyping
from ui.widgets import button, label

MANUAL_SOURCES = [
    "facebook-group",
    "instagram",
    "tiktok",
    "google-reviews",
    "x",
    "reddit",
    "news",
    "phone call",
    "email",
    "in person",
    "other",
]
_URL = re.compile(r"^https?://\S+$")


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName("Primary")
    ok.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AddMentionDialog(KeepsTyping, QDialog):
    """What no API reaches: a local Facebook group, TikTok, a review site, a phone call."""

    def __init__(self, now: datetime, parent=None):
        super().__init__(parent)
        self.now = now
        self.setWindowTitle("Add mentions by hand")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        self.tabs = QTabWidget()
        one = QWidget()
        form = QFormLayout(one)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What they said, word for word")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(96)
        self.author = QLineEdit()
        self.author.setPlaceholderText("e.g. Sophie Hart, or “caller, did not give a name”")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… (if there is a link)")
        self.when = QDateTimeEdit(QDateTime(now.astimezone()))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(MANUAL_SOURCES)
        self.evidence_files: list[Path] = []
        evidence = QWidget()
        evidence_row = QHBoxLayout(evidence)
        evidence_row.setContentsMargins(0, 0, 0, 0)
        self.evidence_button = button(
            "Add files…", "mdi6.paperclip", "Screenshots or files kept with it as proof"
        )
        self.evidence_button.clicked.connect(self.choose_evidence)
        self.evidence_list = label(
            "None yet: a screenshot keeps the proof if the post goes.", "Muted"
        )
        evidence_row.addWidget(self.evidence_button)
        evidence_row.addWidget(self.evidence_list, 1)
        for caption, widget in (
            ("What was said", self.text),
            ("Who said it", self.author),
            ("Link", self.url),
            ("When", self.when),
            ("Where", self.source),
            ("Evidence", evidence),
        ):
            widget.setAccessibleName(caption)
            form.addRow(caption, widget)
        self.tabs.addTab(one, "One mention")
        many = QWidget()
        many_layout = QVBoxLayout(many)
        many_layout.addWidget(
            label(
                "Paste links or lines, one mention per line. They are added with the source "
                "and time chosen on the first tab.",
                "Muted",
            )
        )
        self.lines = QPlainTextEdit()
        self.lines.setAccessibleName("Several mentions, one per line")
        self.lines.setPlaceholderText("https://…\nhttps://…\nA caller said the tart made her ill")
        many_layout.addWidget(self.lines)
        self.tabs.addTab(many, "Several at once")
        layout.addWidget(self.tabs)
        layout.addWidget(_buttons(self, "Add"))
        self.remember_typing()

    def choose_evidence(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Evidence for this mention", str(Path.home()), "All files (*)"
        )
        self.add_evidence([Path(name) for name in names])

    def add_evidence(self, paths: list[Path]) -> None:
        self.evidence_files += [p for p in paths if p not in self.evidence_files]
        if self.evidence_files:
            self.evidence_list.setText(", ".join(p.name for p in self.evidence_files))

    def mentions(self) -> list[NewMention]:
        when = self.when.dateTime().toPython()
        posted = (when.astimezone() if when.tzinfo is None else when).astimezone(UTC)
        source = self.source.currentText().strip() or "manual"
        if self.tabs.currentIndex() == 1:
            found = []
            for line in self.lines.toPlainText().splitlines():
                line = line.strip()
                if line:
                    url = line if _URL.match(line) else ""
                    found.append(NewMention(source=source, text=line, url=url, posted_at=posted))
            return found
        text = self.text.toPlainText().strip()
        if not text:
            return []
        return [
            NewMention(
                source=source,
                text=text,
                author_name=self.author.text().strip(),
                url=self.url.text().strip(),
                posted_at=posted,
            )
        ]

    def accept(self) -> None:
        if not self.mentions():
            QMessageBox.information(
                self, "Add mentions", "Type what was said, or paste at least one line."
            )
            return
        super().accept()


class ReasonDialog(QDialog):
    """Ignoring needs a reason; hiding needs the community guideline the mention breaks."""

    def __init__(self, title: str, prompt: str, reasons: tuple[str, ...], ok: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(label(prompt))
        self.choice = QComboBox()
        self.choice.setEditable(True)
        self.choice.addItems(list(reasons))
        self.choice.setAccessibleName(title)
        layout.addWidget(self.choice)
        layout.addWidget(
            label("Nothing is deleted: you can put it back from the Hidden list.", "Muted")
        )
        layout.addWidget(_buttons(self, ok))

    def reason(self) -> str:
        return self.choice.currentText().strip()


class TagDialog(QDialog):
    def __init__(self, known: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Add a tag")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(label("A short word to group mentions, e.g. food-safety or staff."))
        self.tag = QComboBox()
        self.tag.setEditable(True)
        self.tag.addItems(known)
        self.tag.setCurrentText("")
        self.tag.setAccessibleName("Tag")
        layout.addWidget(self.tag)
        layout.addWidget(_buttons(self, "Add tag"))

    def value(self) -> str:
        return self.tag.currentText().strip()


def ask_reason(parent, action: str, many: str) -> str:
    """The reason to ignore, or the guideline broken to hide; "" when the owner cancels."""
    if action == "hide":
        dialog = ReasonDialog(
            "Hide",
            f"Which community guideline does {many} break?",
            GUIDELINES,
            "Hide",
            parent,
        )
    else:
        dialog = ReasonDialog(
            "Ignore", f"Why are you ignoring {many}?", IGNORE_REASONS, "Ignore", parent
        )
    return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else ""


def ask_tag(parent, known: list[str]) -> str:
    dialog = TagDialog(known, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else ""

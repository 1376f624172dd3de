"""Every export the same way: the save dialog starts in the Documents folder (or where the
last export went), and what was written is offered to open or to show in its folder.

    path = exports.save_path(self, "Export plan binder", "Hearth & Crumb - binder.pdf",
                             "PDF (*.pdf)", ".pdf")
    ... write it ...
    exports.done(self, path, "Wrote the plan binder (12 pages).")
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget

from ui.dialogs.base import dialog_layout
from ui.widgets import label, plain, plain_label, show_status

_last_folder: Path | None = None  # where the last export went, for this session


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder() -> Path:
    """Where a save dialog opens: the last export's folder, else Documents (never the hidden
    data folder the workspace lives in, never the program's folder)."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    return documents_folder()


def safe_file_name(name: str) -> str:
    """A suggested file name without characters file systems refuse."""
    cleaned = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    return " ".join(cleaned.split()).strip(" .") or "export"


def save_path(
    parent: QWidget, title: str, file_name: str, filters: str, suffix: str = ""
) -> Path | None:
    """Ask where to save; None when the owner cancels. `suffix` (".pdf") is added if missing."""
    global _last_folder
    suggestion = start_folder() / safe_file_name(file_name)
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggestion), filters)
    if not name:
        return None
    path = Path(name)
    if suffix and path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    _last_folder = path.parent
    return path


def done(parent: QWidget, path: Path, sentence: str) -> ExportedDialog:
    """Say what was written, in the status bar and in a small window that offers Open and
    Show in folder (it does not wait: the owner may simply go on)."""
    show_status(parent, sentence, 10000)
    dialog = ExportedDialog(path, sentence, parent)
    dialog.open()
    return dialog


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """The file's folder in the file manager, with the file selected where the system can."""
    if sys.platform == "win32":
        return QProcess.startDetached("explorer", [f"/select,{path}"])[0]
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-R", str(path)])[0]
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class ExportedDialog(QDialog):
    def __init__(self, path: Path, sentence: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        layout = dialog_layout(self, "Exported", 480)
        layout.addWidget(label(sentence, "SectionTitle"))
        where = plain_label(str(path))
        where.setObjectName("Muted")
        where.setWordWrap(True)
        where.setToolTip(plain(str(path)))
        layout.addWidget(where)
        self.problem = label("", "Muted")
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setObjectName("Primary")
        self.folder_button = buttons.addButton(
            "Show in folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.clicked.connect(self._open)
        self.folder_button.clicked.connect(self._show)
        self.close_button.clicked.connect(self.reject)
        self.open_button.setDefault(True)
        layout.addWidget(buttons)

    def _open(self) -> None:
        if open_file(self.path):
            self.accept()
        else:
            self._say("No program on this computer opens this kind of file; use Show in folder.")

    def _show(self) -> None:
        if show_in_folder(self.path):
            self.accept()
        else:
            self._say(f"The file manager could not be opened. The file is in {self.path.parent}.")

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)

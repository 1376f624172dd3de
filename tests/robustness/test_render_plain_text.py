"""Text from outside is shown as plain text, never as rich text: Qt labels, tooltips and message
boxes guess HTML (Qt.AutoText), so an imported author name could show a local image and a fake
"Call our NEW hotline" headline. A window on a workspace full of hostile text is walked page by
page; and the code is read for the two ways back in (a bare QLabel, an unescaped message)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QModelIndex, QSettings, Qt  # noqa: E402
from PySide6.QtGui import Qt as GuiQt  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMessageBox, QWidget  # noqa: E402

from app.secrets import MemorySecretStore  # noqa: E402
from app.store import open_store  # noqa: E402
from tests.robustness.render_hostile import HOSTILE  # noqa: E402

UI = Path(__file__).resolve().parents[2] / "ui"
MARK = "<h1>Call our NEW hotline"


@pytest.fixture
def hostile_window(qtbot, tmp_path, hostile_workspace, monkeypatch):
    from ui.main import MainWindow

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
    db = hostile_workspace(tmp_path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store = open_store(db)
    window = MainWindow(store, settings, secrets=MemorySecretStore())
    qtbot.addWidget(window)
    window.show()
    yield window
    store.close()


def shown_as_html(text: str, text_format: Qt.TextFormat) -> bool:
    """Would Qt lay this text out as HTML, with the hostile markup active?"""
    if MARK not in text:
        return False
    if text_format == Qt.TextFormat.PlainText:
        return False
    return text_format == Qt.TextFormat.RichText or GuiQt.mightBeRichText(text)


def rich_outside_text(root: QWidget) -> list[str]:
    """Every label, tooltip and item tooltip under `root` that would render the hostile HTML."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel) and shown_as_html(widget.text(), widget.textFormat()):
            found.append(f"label {widget.objectName() or widget!r}: {widget.text()[:80]}")
        if shown_as_html(widget.toolTip(), Qt.TextFormat.AutoText):
            found.append(f"tooltip of {widget!r}: {widget.toolTip()[:80]}")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root_index = QModelIndex()
            try:
                columns = model.columnCount(root_index)
            except TypeError:  # a list model keeps its one column private
                columns = 1
            for row in range(min(model.rowCount(root_index), 60)):
                for column in range(columns):
                    tip = model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str) and shown_as_html(tip, Qt.TextFormat.AutoText):
                        found.append(f"item tooltip in {widget.accessibleName()}: {tip[:80]}")
    return found


def test_an_imported_author_name_shows_literally_in_the_reading_pane(hostile_window, qtbot):
    hostile_window.go_to("inbox")
    page = hostile_window.pages["inbox"]
    (mention,) = [
        page.model.mention_at(row)
        for row in range(page.model.rowCount())
        if page.model.mention_at(row).url == "file:///etc/passwd"
    ]
    page.reading.show_mention(mention)
    meta = page.reading.meta
    assert meta.textFormat() == Qt.TextFormat.PlainText
    assert HOSTILE in meta.text() and "<h1>" in meta.text()
    assert rich_outside_text(page) == []


@pytest.mark.parametrize(
    "key", ["dashboard", "plan", "contacts", "inbox", "incidents", "statements", "debriefs"]
)
def test_no_page_renders_outside_text_as_html(hostile_window, key):
    hostile_window.go_to(key)
    page = hostile_window.pages[key]
    page.refresh()
    assert rich_outside_text(hostile_window) == []


def test_the_contact_list_and_message_boxes_keep_names_literal(hostile_window, monkeypatch):
    hostile_window.go_to("contacts")
    page = hostile_window.pages["contacts"]
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel,
    )
    contact = next(c for c in page.store.contacts.all() if c.name == HOSTILE)
    page._select(contact.id)
    page.delete_selected()
    assert len(asked) == 1
    for text in asked:
        assert not shown_as_html(text, Qt.TextFormat.AutoText), text
        assert "&lt;h1&gt;Call our NEW hotline" in text  # escaped, so shown as typed


# --- the code itself: no way back to guessed HTML ----------------------------------------------


def _calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _is_literal(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_plain(node) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", "") == "plain"


def test_labels_are_made_plain_and_guessing_texts_go_through_plain():
    """A bare QLabel guesses HTML; ui.widgets.label/plain_label do not. Message boxes, tooltips
    and progress labels cannot be told, so any text that is not a literal goes through plain()."""
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        if path.relative_to(UI).as_posix() == "widgets/basic.py":
            continue
        for call in _calls(path):
            func = call.func
            where = f"{path.relative_to(UI.parent)}:{call.lineno}"
            if getattr(func, "id", "") == "QLabel":
                offenders.append(f"{where}: QLabel(...) (use ui.widgets.label or plain_label)")
            if not isinstance(func, ast.Attribute):
                continue
            if (
                getattr(func.value, "id", "") == "QMessageBox"
                and func.attr in ("warning", "information", "question", "critical")
                and len(call.args) >= 3
                and not (_is_literal(call.args[2]) or _is_plain(call.args[2]))
            ):
                offenders.append(f"{where}: QMessageBox.{func.attr} text without plain()")
            if func.attr in ("setToolTip", "setLabelText", "setStatusTip") and call.args:
                text = call.args[-1]
                if isinstance(text, ast.IfExp):
                    branches = [text.body, text.orelse]
                    while isinstance(branches[-1], ast.IfExp):
                        last = branches.pop()
                        branches += [last.body, last.orelse]
                else:
                    branches = [text]
                if not all(_is_literal(b) or _is_plain(b) or _is_numbers(b) for b in branches):
                    offenders.append(f"{where}: {func.attr} without plain()")
            if func.attr == "setTextFormat" and "RichText" in ast.unparse(call):
                offenders.append(f"{where}: RichText label (use label(..., rich=True) and escape)")
    assert offenders == []


def _is_numbers(node) -> bool:
    """An f-string whose only values are numbers formatted with a spec (counts, hours)."""
    return isinstance(node, ast.JoinedStr) and all(
        isinstance(v, ast.Constant) or (isinstance(v, ast.FormattedValue) and v.format_spec)
        for v in node.values
    )


def test_rich_labels_are_the_reviewed_few():
    """Markup we write ourselves, with every piece of data escaped, and nothing else."""
    rich = []
    for path in sorted(UI.rglob("*.py")):
        for call in _calls(path):
            if any(k.arg == "rich" for k in call.keywords):
                rich.append(f"{path.relative_to(UI.parent)}:{ast.unparse(call)[:60]}")
    assert sorted(rich) == sorted(
        [
            "ui/pages/inbox/reading.py:label('', rich=True)",
            "ui/pages/plan/page.py:label(f'<b>{heading}</b>: {escape(words)}', rich=True)",
        ]
    ), rich

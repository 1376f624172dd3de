"""The plan's section editors: a list of items on the left and the chosen item's fields on the
right, edited in place in the draft plan; one editor each for roles, the ladder, channels and
playbooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.plan.model import CHANNEL_HINTS, CHANNEL_KINDS, Channel, Plan, Playbook, Role, new_key
from ui.dialogs.clusters import PLAYBOOKS
from ui.widgets import (
    button,
    icon,
    level_colour,
    link_button,
    plain,
)
from ui.widgets.editors import DurationSpinBox, StepsEditor


@dataclass(frozen=True)
class FieldSpec:
    attr: str
    caption: str
    kind: str  # line | text | lines | contact | minutes | roles | choice
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()


class SectionEditor(QWidget):
    """A list of items on the left, the selected item's fields on the right, edited in place."""

    changed = Signal()
    renamed = Signal(str, str)  # old name, new name
    shown = Signal(object)  # the item now shown (None for none)
    coordinated: QPushButton | None = None  # the playbooks' "Look for coordinated posts"

    def __init__(
        self,
        noun: str,
        items: Callable[[], list],
        specs: list[FieldSpec],
        title_of: Callable[[object], str],
        make_new: Callable[[], object] | None = None,
        colour_of: Callable[[object], str | None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.noun = noun
        self.items = items
        self.specs = specs
        self.title_of = title_of
        self.make_new = make_new
        self.colour_of = colour_of
        self.contacts: list[tuple[int, str]] = []
        self.role_names: Callable[[], list[str]] = list
        self.hints: dict[str, Callable[[object], str]] = {}  # a field's hint by the item
        self._loading = False

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.list = QListWidget()
        self.list.setAccessibleName(f"{noun.capitalize()}s")
        self.list.setMinimumWidth(220)
        self.list.setMaximumWidth(300)
        self.list.currentRowChanged.connect(self._show_current)
        left.addWidget(self.list, 1)
        if make_new is not None:
            buttons = QHBoxLayout()
            self.add_button = button(f"Add {noun}", "mdi6.plus", f"Add a {noun} (Ctrl+N)")
            self.remove_button = button("Remove", "mdi6.delete-outline", f"Remove this {noun}")
            self.add_button.clicked.connect(self.add_item)
            self.remove_button.clicked.connect(self.remove_item)
            buttons.addWidget(self.add_button)
            buttons.addWidget(self.remove_button)
            buttons.addStretch(1)
            left.addLayout(buttons)
        row.addLayout(left)

        self.form_host = QWidget()
        column = QVBoxLayout(self.form_host)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.widgets: dict[str, QWidget] = {}
        for spec in specs:
            widget = self._make_widget(spec)
            widget.setAccessibleName(spec.caption)
            self.widgets[spec.attr] = widget
            form.addRow(spec.caption, widget)
        row.addWidget(self.form_host, 1)

    # --- widgets -------------------------------------------------------------------------

    def _make_widget(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "line":
            widget = QLineEdit()
            widget.setPlaceholderText(spec.hint)
            widget.textEdited.connect(lambda _t, s=spec: self._store(s))
        elif spec.kind == "text":
            widget = QPlainTextEdit()
            widget.setPlaceholderText(spec.hint)
            widget.setTabChangesFocus(True)
            widget.setMinimumHeight(90)
            widget.setMaximumHeight(150)
            widget.textChanged.connect(lambda s=spec: self._store(s))
        elif spec.kind == "lines":  # a checklist: a list of steps, not lines of text
            widget = StepsEditor("step")
            widget.setMinimumHeight(170)
            widget.setMaximumHeight(260)
            widget.changed.connect(lambda s=spec: self._store(s))
        elif spec.kind in ("contact", "choice"):
            widget = QComboBox()
            widget.currentIndexChanged.connect(lambda _i, s=spec: self._store(s))
            for value, text in spec.choices:
                widget.addItem(text, value)
        elif spec.kind == "minutes":  # "1 day", not "1440 min"; Fusion's own frame and arrows
            widget = DurationSpinBox()
            widget.setMinimumWidth(150)
            widget.setMaximumWidth(180)
            widget.valueChanged.connect(lambda _v, s=spec: self._store(s))
        elif spec.kind == "roles":
            widget = QListWidget()
            widget.setMaximumHeight(130)
            widget.itemChanged.connect(lambda _i, s=spec: self._store(s))
        else:  # pragma: no cover - a programming error
            raise ValueError(spec.kind)
        if spec.hint and not isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setToolTip(plain(spec.hint))
        return widget

    def refresh_hints(self) -> None:
        item = self.current()
        for attr, hint in self.hints.items():
            widget = self.widgets[attr]
            if item is not None and isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setPlaceholderText(hint(item))

    def set_contacts(self, contacts: list[tuple[int, str]]) -> None:
        self.contacts = contacts
        for spec in self.specs:
            if spec.kind != "contact":
                continue
            combo: QComboBox = self.widgets[spec.attr]
            self._loading = True
            combo.clear()
            combo.addItem("Nobody yet", None)
            for contact_id, name in contacts:
                combo.addItem(name, contact_id)
            self._loading = False
        self._show_current(self.list.currentRow())

    # --- items ---------------------------------------------------------------------------

    def reload(self, keep_row: int | None = None) -> None:
        row = self.list.currentRow() if keep_row is None else keep_row
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.items():
            entry = QListWidgetItem(self.title_of(item))
            entry.setSizeHint(QSize(0, 34))
            if self.colour_of and (colour := self.colour_of(item)):
                entry.setIcon(icon("mdi6.circle", colour))
            self.list.addItem(entry)
        self.list.blockSignals(False)
        count = self.list.count()
        self.list.setCurrentRow(min(max(row, 0), count - 1) if count else -1)
        self._show_current(self.list.currentRow())

    def current(self):
        items = self.items()
        row = self.list.currentRow()
        return items[row] if 0 <= row < len(items) else None

    def add_item(self) -> None:
        if self.make_new is None:
            return
        self.items().append(self.make_new())
        self.reload(keep_row=len(self.items()) - 1)
        first = self.widgets[self.specs[0].attr]
        first.setFocus()
        if isinstance(first, QLineEdit):
            first.selectAll()
        self.changed.emit()

    def remove_item(self) -> None:
        item = self.current()
        if item is None:
            return
        answer = QMessageBox.question(
            self,
            f"Remove {self.noun}",
            plain(
                f"Remove “{self.title_of(item)}” from the plan?\n\n"
                "Nothing is lost for good: earlier revisions keep it until you save."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.list.currentRow()
        del self.items()[row]
        self.reload(keep_row=row)
        self.changed.emit()

    # --- binding -------------------------------------------------------------------------

    def _show_current(self, _row: int) -> None:
        item = self.current()
        self.form_host.setEnabled(item is not None)
        self.shown.emit(item)
        if item is None:
            return
        self._loading = True
        try:
            for spec in self.specs:
                self._load(spec, item)
        finally:
            self._loading = False

    def _load(self, spec: FieldSpec, item) -> None:
        widget = self.widgets[spec.attr]
        value = getattr(item, spec.attr)
        if spec.attr in self.hints and isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setPlaceholderText(self.hints[spec.attr](item))
        if spec.kind == "line":
            widget.setText(value)
        elif spec.kind == "text":
            widget.setPlainText(value)
        elif spec.kind == "lines":
            widget.set_steps(list(value))
        elif spec.kind in ("contact", "choice"):
            index = widget.findData(value)
            if index < 0 and spec.kind == "contact":
                index = 0
            widget.setCurrentIndex(max(index, 0))
        elif spec.kind == "minutes":
            widget.setValue(int(value))
        elif spec.kind == "roles":
            widget.clear()
            names = self.role_names()
            for name in [*names, *[n for n in value if n not in names]]:
                entry = QListWidgetItem(name)
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(
                    Qt.CheckState.Checked if name in value else Qt.CheckState.Unchecked
                )
                widget.addItem(entry)

    def _store(self, spec: FieldSpec) -> None:
        if self._loading:
            return
        item = self.current()
        if item is None:
            return
        widget = self.widgets[spec.attr]
        if spec.kind == "line":
            value = widget.text()
        elif spec.kind == "text":
            value = widget.toPlainText()
        elif spec.kind == "lines":
            value = widget.steps()
        elif spec.kind in ("contact", "choice"):
            value = widget.currentData()
        elif spec.kind == "minutes":
            value = widget.value()
        else:  # roles
            value = [
                widget.item(i).text()
                for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked
            ]
        before = getattr(item, spec.attr)
        setattr(item, spec.attr, value)
        if spec.attr == "name" and before != value:
            self.renamed.emit(before, value)
        entry = self.list.currentItem()
        if entry is not None:
            entry.setText(self.title_of(item))
        self.changed.emit()


def roles_editor(draft: Callable[[], Plan | None]) -> SectionEditor:
    """The roles: who does what in a crisis, and who stands in."""
    editor = SectionEditor(
        "role",
        lambda: draft().roles if draft() else [],
        [
            FieldSpec("name", "Role", "line", "e.g. Spokesperson"),
            FieldSpec(
                "responsibilities",
                "Responsibilities",
                "text",
                "What this person does in a crisis",
            ),
            FieldSpec("primary_id", "Primary", "contact"),
            FieldSpec("backup_id", "Backup", "contact"),
        ],
        lambda r: r.name or "(new role)",
        lambda: Role(new_key("role", {r.key for r in draft().roles}), "New role"),
    )
    return editor


def ladder_editor(draft: Callable[[], Plan | None]) -> SectionEditor:
    """The escalation ladder: four fixed levels, each with who is told and how fast."""
    editor = SectionEditor(
        "level",
        lambda: draft().ladder if draft() else [],
        [
            FieldSpec("name", "Name", "line"),
            FieldSpec("trigger", "When (trigger)", "text", "What has to happen for this level"),
            FieldSpec("notify", "Who is told", "roles", "Tick the roles to tell"),
            FieldSpec("notify_within_min", "Tell them within", "minutes"),
            FieldSpec("first_update_min", "First public update within", "minutes"),
            FieldSpec("cadence_min", "Then update every", "minutes"),
        ],
        lambda lvl: lvl.title,
        None,
        lambda lvl: level_colour(lvl.level),
    )
    editor.role_names = lambda: [r.name for r in draft().roles]
    return editor


def channels_editor(draft: Callable[[], Plan | None]) -> SectionEditor:
    """The channels: where you speak, who owns each, and its activation checklist."""
    editor = SectionEditor(
        "channel",
        lambda: draft().channels if draft() else [],
        [
            FieldSpec("name", "Channel", "line", "e.g. Customer hotline"),
            FieldSpec("kind", "Kind", "choice", choices=tuple(CHANNEL_KINDS.items())),
            FieldSpec("detail", "Details", "text", "Number, address, link or accounts"),
            FieldSpec("owner_id", "Owner", "contact"),
            FieldSpec("checklist", "Activation checklist", "lines", "One step per line"),
        ],
        lambda c: c.name or "(new channel)",
        lambda: Channel(
            new_key("channel", {c.key for c in draft().channels}), "other", "New channel"
        ),
    )
    # What the details should hold depends on the kind: a hint in the empty field, never a
    # value (a hint once ended up in a holding statement as the number to call).
    editor.hints["detail"] = lambda c: CHANNEL_HINTS.get(c.kind, CHANNEL_HINTS["other"])
    editor.widgets["kind"].currentIndexChanged.connect(lambda _i: editor.refresh_hints())
    return editor


def playbooks_editor(draft: Callable[[], Plan | None]) -> SectionEditor:
    """The playbooks: one per kind of crisis, with a first-hour checklist."""
    editor = SectionEditor(
        "playbook",
        lambda: draft().playbooks if draft() else [],
        [
            FieldSpec("name", "Crisis type", "line"),
            FieldSpec("strategy", "Response strategy", "text"),
            FieldSpec("first_hour", "First-hour checklist", "lines", "One step per line"),
            FieldSpec(
                "holding_statement",
                "Holding statement",
                "text",
                "Use {{business}}, {{date}}, {{next_update}} … for what you fill in on the day",
            ),
        ],
        lambda p: p.name or "(new playbook)",
        lambda: Playbook(
            new_key("playbook", {p.key for p in draft().playbooks}), "New crisis type"
        ),
    )
    # Review bombing and misinformation: a link to look for coordinated posts, under the form.
    link = editor.coordinated = link_button(
        "Look for coordinated posts",
        "Near-identical posts from many accounts in a short time, to export for an appeal to "
        "the platform or review site",
    )
    link.setVisible(False)
    column = editor.form_host.layout()
    assert isinstance(column, QVBoxLayout)
    column.insertWidget(1, link, 0, Qt.AlignmentFlag.AlignLeft)
    editor.shown.connect(lambda p: link.setVisible(p is not None and p.key in PLAYBOOKS))
    return editor

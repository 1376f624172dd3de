"""The Incidents page and the incident room: the screen the owner lives in during the bad hours.

Left: every incident, open ones first. Right: the room for one incident — level, status, the
update countdown, who must be told, the checklists, tasks and corrective actions, the
assessment sheet, the timeline and the incident's mentions.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDateTime, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.files import write_atomic
from app.incidents.messages import escalation_message
from app.incidents.repository import (
    ASSESSMENT_FIELDS,
    OPEN_STATUSES,
    STATUSES,
    Incident,
    IncidentError,
    format_duration,
    plan_facts,
    timeline_markdown,
)
from app.incidents.severity import level_label
from app.timeutil import Clock
from ui import theme
from ui.dialogs.base import dialog_layout, save_cancel_buttons
from ui.dialogs.declare import DeclareIncidentDialog
from ui.pages.base import Page
from ui.widgets import (
    LevelChip,
    button,
    label,
    level_colour,
    plain,
    primary_button,
    select_by_id,
    show_status,
    tree,
)

SENTIMENT_WORDS = {"negative": "− negative", "neutral": "neutral", "positive": "+ positive"}
TIMELINE_FILTERS = (
    ("Everything", None),
    ("Level and status", ("declared", "severity", "status")),
    ("People reached", ("reached",)),
    ("Tasks and actions", ("task", "task-done", "action", "action-done", "checklist")),
    ("Statements", ("statement-approved", "statement-published")),
    ("Notes", ("note",)),
)


def local(moment, with_day: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone().strftime("%a %d %b %H:%M" if with_day else "%H:%M")


def countdown_text(incident: Incident, now) -> tuple[str, bool]:
    """("Next update due in 12 min", overdue?) for the room, the crisis bar and the Dashboard."""
    due_in = incident.update_due_in(now)
    if due_in is None:
        return ("No update due", False)
    if due_in.total_seconds() < 0:
        return (f"Update overdue by {format_duration(due_in)}", True)
    return (
        f"Next update due in {format_duration(due_in)} ({local(incident.next_update_due_at)})",
        False,
    )


def _form_dialog(dialog: QDialog, title: str, rows, ok_text: str) -> None:
    """A short form (caption, widget) with Save/Cancel; Ctrl+Enter saves."""
    layout = dialog_layout(dialog, title, 420)
    form = QFormLayout()
    for caption, widget in rows:
        form.addRow(caption, widget)
    layout.addLayout(form)
    layout.addWidget(save_cancel_buttons(dialog, ok_text))


class ChangeLevelDialog(QDialog):
    def __init__(self, current: int, parent=None):
        super().__init__(parent)
        self.level = QComboBox()
        for number in range(1, 5):
            self.level.addItem(level_label(number), number)
        self.level.setCurrentIndex(current - 1)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("What changed? e.g. a journalist called")
        _form_dialog(
            self, "Change level", [("New level", self.level), ("Why", self.reason)], "Change level"
        )


class RecordUpdateDialog(QDialog):
    """Record an update you published elsewhere: it goes on the timeline and restarts the clock."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Update 2: kitchen inspected")
        self.channel = QComboBox()
        self.channel.setEditable(True)
        self.channel.addItems(["website", "Instagram", "Facebook", "X", "email", "phone message"])
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… (optional)")
        _form_dialog(
            self,
            "Record a published update",
            [("Update", self.title), ("Where", self.channel), ("Link", self.url)],
            "Record",
        )


class IncidentRoom(QWidget):
    """One incident. Emits `changed` after anything it writes, so lists and bars refresh."""

    changed = Signal()

    def __init__(self, store, clock: Clock, parent=None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self.incident: Incident | None = None
        self._mentions_shown: tuple[int, int] | None = None  # (incident, count) in the list
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 0, 0, 0)
        outer.setSpacing(12)

        top = QHBoxLayout()
        top.setSpacing(12)
        self.chip = LevelChip(1)
        self.title = label("", "SectionTitle")
        top.addWidget(self.chip)
        top.addWidget(self.title, 1)
        outer.addLayout(top)

        controls = QHBoxLayout()
        controls.setSpacing(8)
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(status.capitalize(), status)
        self.status.setAccessibleName("Status")
        self.status.setToolTip(
            "Investigating → identified → monitoring → resolved; closed after the debrief"
        )
        self.status.activated.connect(self._status_chosen)
        self.countdown = label("")
        self.countdown.setAccessibleName("Next update")
        self.level_button = button(
            "Change level…", "mdi6.stairs", "Escalate or de-escalate, with a reason"
        )
        self.level_button.clicked.connect(self.change_level)
        self.update_button = primary_button(
            "Record update…",
            "mdi6.bullhorn-outline",
            "You published an update: restart the countdown",
        )
        self.update_button.clicked.connect(self.record_update)
        controls.addWidget(label("Status"))
        controls.addWidget(self.status)
        controls.addWidget(self.level_button)
        controls.addSpacing(12)
        controls.addWidget(self.countdown, 1)
        controls.addWidget(self.update_button)
        outer.addLayout(controls)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._people_tab(), "People to reach")
        self.tabs.addTab(self._checklist_tab(), "Checklists")
        self.tabs.addTab(self._assessment_tab(), "Assessment")
        self.tabs.addTab(self._tasks_tab(), "Tasks")
        self.tabs.addTab(self._timeline_tab(), "Timeline")
        self.tabs.addTab(self._mentions_tab(), "Mentions")
        outer.addWidget(self.tabs, 1)

    # --- tabs ----------------------------------------------------------------------------

    def _people_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            label(
                "Tick each person when you have reached them; the time is recorded. Select "
                "someone to email them or copy a text message for them.",
                "Muted",
            )
        )
        self.people = tree(["Person", "Role", "Tell by", "Reached"], "People to reach")
        header = self.people.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.people.itemChanged.connect(self._person_ticked)
        layout.addWidget(self.people, 1)
        actions = QHBoxLayout()
        self.email_button = button(
            "Email…", "mdi6.email-outline", "Open a prepared email in your mail program"
        )
        self.email_button.clicked.connect(self.email_person)
        self.eml_button = button(
            "Save .eml…", "mdi6.email-arrow-right-outline", "Save the email as a draft file"
        )
        self.eml_button.clicked.connect(self.save_eml)
        self.sms_button = button(
            "Copy text message",
            "mdi6.message-text-outline",
            "Copy a short text to send from your phone",
        )
        self.sms_button.clicked.connect(self.copy_sms)
        for widget in (self.email_button, self.eml_button, self.sms_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        layout.addLayout(actions)
        return tab

    def _checklist_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.setSpacing(16)
        for caption, attribute, name in (
            ("First hour (from the playbook)", "first_hour", "First-hour checklist"),
            ("Crisis channels", "channels", "Channel activation checklist"),
        ):
            column = QVBoxLayout()
            column.addWidget(label(caption, "SectionTitle"))
            widget = QListWidget()
            widget.setWordWrap(True)
            widget.setSpacing(2)
            widget.setAccessibleName(name)
            widget.itemChanged.connect(self._item_ticked)
            column.addWidget(widget, 1)
            setattr(self, attribute, widget)
            layout.addLayout(column, 1)
        return tab

    def _assessment_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            label(
                "Write down what you know and what you do not; keep it up to date "
                "as facts come in.",
                "Muted",
            )
        )
        form = QFormLayout()
        self.sheet: dict[str, QPlainTextEdit] = {}
        for key, caption in ASSESSMENT_FIELDS:
            box = QPlainTextEdit()
            box.setTabChangesFocus(True)
            box.setFixedHeight(54)
            box.setAccessibleName(caption)
            form.addRow(caption, box)
            self.sheet[key] = box
        self.root_confirmed = QCheckBox("The root cause is confirmed (not just a guess)")
        form.addRow("", self.root_confirmed)
        layout.addLayout(form)
        save = primary_button("Save assessment", "mdi6.content-save-outline", "Ctrl+S")
        save.setShortcut("Ctrl+S")
        save.clicked.connect(self.save_assessment)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        return tab

    def _task_table(self, caption: str, kind: str):
        box = QVBoxLayout()
        box.addWidget(label(caption, "SectionTitle"))
        table = tree(["Done", "What", "Owner", "Due"], caption, stretch=1)
        table.itemChanged.connect(self._task_ticked)
        box.addWidget(table, 1)
        row = QHBoxLayout()
        what = QLineEdit()
        what.setPlaceholderText("What needs doing?" if kind == "task" else "What fixes the cause?")
        what.setAccessibleName(f"New {kind}")
        owner = QComboBox()
        owner.setEditable(True)
        owner.setAccessibleName("Owner")
        owner.setMinimumWidth(160)
        due = QDateTimeEdit()
        due.setCalendarPopup(True)
        due.setDisplayFormat("ddd dd MMM HH:mm")
        due.setAccessibleName("Due")
        add = button("Add", "mdi6.plus")
        add.clicked.connect(lambda: self.add_task(kind, what, owner, due))
        what.returnPressed.connect(add.click)
        for widget, stretch in ((what, 2), (owner, 1), (due, 0), (add, 0)):
            row.addWidget(widget, stretch)
        box.addLayout(row)
        return box, table, owner, due

    def _tasks_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.setSpacing(16)
        tasks, self.task_tree, self.task_owner, self.task_due = self._task_table(
            "Tasks now", "task"
        )
        actions, self.action_tree, self.action_owner, self.action_due = self._task_table(
            "Corrective actions (fix the cause)", "corrective"
        )
        layout.addLayout(tasks, 1)
        layout.addLayout(actions, 1)
        return tab

    def _timeline_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.timeline_filter = QComboBox()
        for caption, kinds in TIMELINE_FILTERS:
            self.timeline_filter.addItem(caption, kinds)
        self.timeline_filter.setAccessibleName("Show")
        self.timeline_filter.currentIndexChanged.connect(self._fill_timeline)
        export = button(
            "Export Markdown…", "mdi6.language-markdown-outline", "Save the timeline as Markdown"
        )
        export.clicked.connect(self.export_timeline)
        row.addWidget(label("Show"))
        row.addWidget(self.timeline_filter)
        row.addStretch(1)
        row.addWidget(export)
        layout.addLayout(row)
        self.timeline = tree(["When", "What happened"], "Timeline")
        self.timeline.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.timeline, 1)
        note_row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText(
            "Add a note to the timeline, e.g. “Council inspector booked for 14:00”"
        )
        self.note.setAccessibleName("Note")
        add = button("Add note", "mdi6.note-plus-outline")
        add.clicked.connect(self.add_note)
        self.note.returnPressed.connect(add.click)
        note_row.addWidget(self.note, 1)
        note_row.addWidget(add)
        layout.addLayout(note_row)
        return tab

    def _mentions_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.mention_summary = label("", "SectionTitle")
        layout.addWidget(self.mention_summary)
        layout.addWidget(
            label(
                "Attach mentions from the Inbox (select them, then “Attach to "
                "incident”), or declare from a spike to bring its mentions.",
                "Muted",
            )
        )
        self.mention_list = tree(
            ["When", "Who", "Sentiment", "Text"], "Mentions of this incident", stretch=3
        )
        layout.addWidget(self.mention_list, 1)
        return tab

    # --- loading -------------------------------------------------------------------------

    def load(self, incident_id: int) -> None:
        self.incident = self.store.incidents.get(incident_id)
        incident = self.incident
        self.chip.set_level(incident.level)
        self.title.setText(incident.title)
        self.status.setCurrentIndex(STATUSES.index(incident.status))
        # Updates and level changes belong to an open incident; reopen it by its status first.
        for control in (self.update_button, self.level_button):
            control.setEnabled(incident.is_open)
        self.refresh_countdown()
        self._fill_people()
        self._fill_checklists()
        for key, box in self.sheet.items():
            box.setPlainText(incident.assessment.get(key, ""))
        self.root_confirmed.setChecked(bool(incident.assessment.get("root_cause_confirmed")))
        self._fill_tasks()
        self._fill_timeline()
        self._fill_mentions()

    def refresh_countdown(self) -> None:
        if self.incident is None:
            return
        text, overdue = countdown_text(self.incident, self.clock())
        colour = level_colour(4) if overdue else theme.current().text
        self.countdown.setText(text)
        self.countdown.setStyleSheet(f"color: {colour}; font-weight: 600;")

    def _fill_people(self) -> None:
        now = self.clock()
        self.people.blockSignals(True)
        self.people.clear()
        for person in self.store.incidents.people(self.incident.id):
            reached = local(person.reached_at) + (f" · {person.how}" if person.how else "")
            item = QTreeWidgetItem([person.name, person.role, local(person.due_at), reached])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Checked if person.reached_at else Qt.CheckState.Unchecked
            )
            item.setData(0, Qt.ItemDataRole.UserRole, person.id)
            tip = " · ".join(x for x in (person.phone, person.email) if x)
            item.setToolTip(0, plain(tip or "No phone or email in the plan"))
            if self.incident.is_open and person.overdue(now):
                item.setForeground(2, QColor(level_colour(4)))
                item.setText(2, f"{local(person.due_at)} — late")
            self.people.addTopLevelItem(item)
        self.people.blockSignals(False)
        if self.people.topLevelItemCount():
            self.people.setCurrentItem(self.people.topLevelItem(0))

    def _fill_checklists(self) -> None:
        for widget, which in ((self.first_hour, "first-hour"), (self.channels, "channels")):
            widget.blockSignals(True)
            widget.clear()
            for entry in self.store.incidents.checklist(self.incident.id, which):
                item = QListWidgetItem(entry.text)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if entry.done_at else Qt.CheckState.Unchecked
                )
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                if entry.done_at:
                    item.setToolTip(plain(f"Done at {local(entry.done_at)}"))
                widget.addItem(item)
            if not widget.count():
                empty = QListWidgetItem("Nothing here: the plan has no checklist for this.")
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                widget.addItem(empty)
            widget.blockSignals(False)

    def _fill_tasks(self) -> None:
        now = self.clock()
        owners = [c.name for c in self.store.contacts.all()]
        for table, kind, owner, due in (
            (self.task_tree, "task", self.task_owner, self.task_due),
            (self.action_tree, "corrective", self.action_owner, self.action_due),
        ):
            table.blockSignals(True)
            table.clear()
            for task in self.store.incidents.tasks(self.incident.id, kind):
                item = QTreeWidgetItem(["", task.title, task.owner, local(task.due_at, True)])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    0, Qt.CheckState.Checked if task.done_at else Qt.CheckState.Unchecked
                )
                item.setData(0, Qt.ItemDataRole.UserRole, task.id)
                if self.incident.is_open and task.overdue(now):
                    item.setForeground(3, QColor(level_colour(4)))
                    item.setText(3, f"{local(task.due_at, True)} — overdue")
                table.addTopLevelItem(item)
            table.blockSignals(False)
            current = owner.currentText()
            owner.clear()
            owner.addItems(owners)
            owner.setCurrentText(current)
            hours = 1 if kind == "task" else 24 * 7
            due.setDateTime(QDateTime(now.astimezone() + timedelta(hours=hours)))

    def _fill_timeline(self) -> None:
        if self.incident is None:
            return
        kinds = self.timeline_filter.currentData()
        self.timeline.clear()
        for event in self.store.incidents.timeline(self.incident.id, kinds):
            item = QTreeWidgetItem([local(event.at, True), event.text])
            item.setToolTip(1, plain(event.text))
            self.timeline.addTopLevelItem(item)

    def _fill_mentions(self) -> None:
        total, negative = self.store.incidents.mention_stats(self.incident.id)
        share = f", {negative / total:.0%} negative" if total else ""
        self.mention_summary.setText(f"{total:,} mentions attached{share}")
        if self._mentions_shown == (self.incident.id, total):
            return  # a tick or a note does not change the list: keep it, skip the query
        self._mentions_shown = (self.incident.id, total)
        self.mention_list.clear()
        for mention in self.store.mentions.for_incident(self.incident.id):
            sentiment = SENTIMENT_WORDS.get(mention.sentiment or "", "")
            text = " ".join(mention.text.split())[:200]
            item = QTreeWidgetItem(
                [local(mention.posted_at, True), mention.author, sentiment, text]
            )
            self.mention_list.addTopLevelItem(item)

    # --- actions -------------------------------------------------------------------------

    def _after_change(self) -> None:
        self.load(self.incident.id)
        self.changed.emit()

    def _status_chosen(self) -> None:
        status = self.status.currentData()
        if status == self.incident.status:
            return
        if (
            status == "closed"
            and QMessageBox.question(
                self,
                "Close incident",
                "Close this incident? Closing is meant for after the debrief; "
                "you can reopen it later.",
            )
            != QMessageBox.StandardButton.Yes
        ):
            self.status.setCurrentIndex(STATUSES.index(self.incident.status))
            return
        self.store.incidents.set_status(self.incident.id, status)
        self._after_change()

    def change_level(self) -> None:
        dialog = ChangeLevelDialog(self.incident.level, self)
        if not dialog.exec():
            return
        try:
            self.store.incidents.change_level(
                self.incident.id,
                dialog.level.currentData(),
                dialog.reason.text(),
                plan_facts(self.store),
            )
        except IncidentError as exc:
            QMessageBox.information(self, "Change level", plain(str(exc)))
            return
        self._after_change()

    def record_update(self) -> None:
        dialog = RecordUpdateDialog(self)
        if not dialog.exec() or not dialog.title.text().strip():
            return
        self.store.incidents.record_published_update(
            self.incident.id,
            dialog.title.text().strip(),
            dialog.channel.currentText(),
            plan_facts(self.store),
            dialog.url.text().strip(),
        )
        self._after_change()

    def _person_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        reached = item.checkState(0) == Qt.CheckState.Checked
        self.store.incidents.mark_reached(item.data(0, Qt.ItemDataRole.UserRole), "", reached)
        self._after_change()

    def _item_ticked(self, item: QListWidgetItem) -> None:
        item_id = item.data(Qt.ItemDataRole.UserRole)
        if item_id is None:
            return
        self.store.incidents.tick(item_id, item.checkState() == Qt.CheckState.Checked)
        self._after_change()

    def _task_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        self.store.incidents.complete_task(
            item.data(0, Qt.ItemDataRole.UserRole), item.checkState(0) == Qt.CheckState.Checked
        )
        self._after_change()

    def add_task(self, kind: str, what: QLineEdit, owner: QComboBox, due: QDateTimeEdit) -> None:
        try:
            self.store.incidents.add_task(
                self.incident.id,
                what.text(),
                owner.currentText().strip(),
                due.dateTime().toPython().astimezone(),
                kind,
            )
        except IncidentError as exc:
            QMessageBox.information(self, "Tasks", plain(str(exc)))
            return
        what.clear()
        self._after_change()

    def save_assessment(self) -> None:
        sheet = {key: box.toPlainText().strip() for key, box in self.sheet.items()}
        sheet["root_cause_confirmed"] = self.root_confirmed.isChecked()
        self.store.incidents.save_assessment(
            self.incident.id, sheet, self.incident.impact, self.incident.reach
        )
        show_status(self, "Assessment saved.", 4000)
        self.incident = self.store.incidents.get(self.incident.id)

    def add_note(self) -> None:
        try:
            self.store.incidents.add_note(self.incident.id, self.note.text())
        except IncidentError:
            return
        self.note.clear()
        self._after_change()

    def export_timeline(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export timeline", f"incident-{self.incident.id}-timeline.md", "Markdown (*.md)"
        )
        if name:
            text = timeline_markdown(self.incident, self.store.incidents.timeline(self.incident.id))
            self._write(name, text, "Export timeline")

    def _write(self, name: str, data: str | bytes, title: str) -> bool:
        """Write an export whole or not at all; a failure is said in one sentence."""
        try:
            write_atomic(name, data)
        except UserError as exc:
            QMessageBox.warning(self, title, plain(str(exc)))
            return False
        return True

    def _selected_person(self):
        item = self.people.currentItem()
        if item is None:
            return None
        person_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next(
            (p for p in self.store.incidents.people(self.incident.id) if p.id == person_id), None
        )

    def _message(self, person):
        business = self.store.business.get()
        return escalation_message(
            self.incident, person, business.name if business else "Our business"
        )

    def email_person(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        QDesktopServices.openUrl(QUrl(self._message(person).mailto(person.email)))

    def save_eml(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save email draft", f"{person.name}.eml", "Email (*.eml)"
        )
        if name:
            self._write(name, self._message(person).eml(person.email), "Save email draft")

    def copy_sms(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        QGuiApplication.clipboard().setText(self._message(person).sms)
        show_status(
            self,
            f"Copied a text message for {person.name}"
            + (f" ({person.phone})" if person.phone else ""),
            5000,
        )


class IncidentsPage(Page):
    title = "Incidents"
    subtitle = "Declare, assess, tell the right people, and update on time."

    shows = frozenset({"incidents"})

    def __init__(self, store, clock: Clock, parent=None):
        super().__init__(parent)
        self.store = store
        self.clock = clock
        declare = primary_button("Declare incident", "mdi6.alert-octagon-outline", "Ctrl+N")
        declare.clicked.connect(lambda: self.declare())
        self.actions.addWidget(declare)
        split = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName("Incidents")
        self.list.setFixedWidth(250)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.currentItemChanged.connect(self._selected)
        left_layout.addWidget(self.list, 1)
        split.addWidget(left)
        self.room = IncidentRoom(store, clock)
        self.room.changed.connect(self._room_changed)
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addWidget(label("No incidents.", "BigQuiet"))
        empty_layout.addWidget(
            label(
                "When something goes wrong, declare an incident here, from a spike in the Inbox, "
                "or from mentions you select. Crisis Desk then tells you who to call, how fast, "
                "and when your next update is due. On a quiet day, run a 20-minute drill.",
                "Muted",
            )
        )
        drill = button("Run a drill", "mdi6.run-fast", "Declare a practice incident")
        drill.clicked.connect(lambda: self.declare(title="Drill: "))
        empty_layout.addWidget(drill, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)
        split.addWidget(self.empty)
        split.addWidget(self.room)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 1)
        split.setSizes([260, 900, 900])
        self.body.addWidget(split, 1)
        self.refresh()

    def refresh(self, domains: set[str] | None = None) -> None:
        current = self.room.incident.id if self.room.incident else None
        incidents = self.store.incidents.all()
        incidents.sort(key=lambda i: (i.status not in OPEN_STATUSES, -i.declared_at.timestamp()))
        self.list.blockSignals(True)
        self.list.clear()
        for incident in incidents:
            item = QListWidgetItem(f"{incident.title}\n{incident.level_label} · {incident.status}")
            item.setData(Qt.ItemDataRole.UserRole, incident.id)
            item.setToolTip(plain(f"Declared {local(incident.declared_at, True)}"))
            colour = level_colour(incident.level) if incident.is_open else theme.current().muted
            item.setForeground(QColor(colour))
            self.list.addItem(item)
        self.list.blockSignals(False)
        has_any = bool(incidents)
        self.empty.setVisible(not has_any)
        self.room.setVisible(has_any)
        self.list.parentWidget().setVisible(has_any)
        if has_any:
            ids = [i.id for i in incidents]
            self.show_incident(current if current in ids else ids[0])

    def show_incident(self, incident_id: int) -> None:
        select_by_id(self.list, incident_id)
        self.room.load(incident_id)

    def _selected(self, item, _previous=None) -> None:
        if item is not None:
            self.room.load(item.data(Qt.ItemDataRole.UserRole))

    def refresh_countdown(self) -> None:
        self.room.refresh_countdown()

    def _room_changed(self) -> None:
        self.refresh()
        self.report_changes("incidents")

    def new_item(self) -> None:
        self.declare()

    def declare(self, mention_ids=None, title: str = "", origin: str = "manual") -> Incident | None:
        dialog = DeclareIncidentDialog(
            self.store,
            plan_facts(self.store),
            mention_ids=mention_ids,
            title=title,
            origin=origin,
            parent=self,
        )
        if not dialog.exec() or dialog.incident is None:
            return None
        self.refresh()
        self.show_incident(dialog.incident.id)
        self.report_changes("incidents", "mentions")
        return dialog.incident

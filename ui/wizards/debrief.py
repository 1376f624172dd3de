"""The debrief wizard: seven steps from summary to report, the draft saved after every step so
it can be left and resumed days later. Prompts are blameless: about what happened, not who."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.debriefs.lessons import describe_change
from app.debriefs.metrics import chart_span
from app.debriefs.model import Debrief, Lesson
from app.errors import UserError
from app.files import write_atomic
from app.reports.content import debrief_html, debrief_markdown
from ui.charts import HourPoint, MentionChart
from ui.dialogs import exports
from ui.format import when
from ui.ops import Op, StoreOp
from ui.widgets import button, label, plain, tree, wrap_list
from ui.widgets.lessons import EntryLine, LessonEditor

STEPS = (
    "Summary",
    "Timeline",
    "Metrics",
    "What went well, what did not",
    "Root cause and corrective actions",
    "Lessons and plan changes",
    "Review and export",
)


class ItemList(QVBoxLayout):
    """One item at a time: type, press Enter; select and press Delete to remove."""

    def __init__(self, prompt: str, placeholder: str):
        super().__init__()
        self.addWidget(label(prompt, "SectionTitle"))
        self.entry = EntryLine()
        self.entry.setPlaceholderText(placeholder)
        self.entry.setAccessibleName(prompt)
        self.list = QListWidget()
        wrap_list(self.list)
        self.list.setAccessibleName(prompt)
        self.entry.returnPressed.connect(self._add)
        self.addWidget(self.entry)
        self.addWidget(self.list, 1)
        remove = button("Remove selected", "mdi6.minus-circle-outline")
        remove.clicked.connect(lambda: self.list.takeItem(self.list.currentRow()))
        self.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)

    def _add(self) -> None:
        text = self.entry.text().strip()
        if text:
            self.list.addItem(text)
            self.entry.clear()

    def items(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def set_items(self, items: list[str]) -> None:
        self.list.clear()
        self.list.addItems(items)


class DebriefWizard(QWizard):
    def __init__(self, store, debrief: Debrief, parent=None):
        super().__init__(parent)
        self.store = store
        self.debrief = debrief
        self.incident = store.incidents.get(debrief.incident_id)
        self.setWindowTitle(f"Debrief — {self.incident.title}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(1000, 720)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Mark complete")
        builders = (
            self._summary,
            self._timeline,
            self._metrics,
            self._well,
            self._cause,
            self._lessons,
            self._review,
        )
        for index, (title, build) in enumerate(zip(STEPS, builders, strict=True)):
            page = QWizardPage()
            page.setTitle(f"{index + 1} of {len(STEPS)} · {title}")
            build(page)
            self.setPage(index, page)
        # A draft resumes at its step with the steps before it behind Back: it starts at the
        # first and walks forward once shown (a wizard started later on has no Back).
        self._resume_at = min(max(debrief.step, 0), len(STEPS) - 1)
        self._resuming = False
        self.currentIdChanged.connect(self._step_changed)
        self._load()

    # --- pages ---------------------------------------------------------------------------

    def _summary(self, page: QWizardPage) -> None:
        layout = QVBoxLayout(page)
        layout.addWidget(
            label(
                "Drafted from the incident; say it the way you would tell a "
                "friend in the trade: what happened, what you did, how it ended.",
                "Muted",
            )
        )
        self.summary = QPlainTextEdit()
        self.summary.setAccessibleName("Summary")
        layout.addWidget(self.summary)

    def _timeline(self, page: QWizardPage) -> None:
        layout = QVBoxLayout(page)
        layout.addWidget(
            label(
                "Mark the key moments, add what people remember, and correct a "
                "time if it was recorded late (the original is kept).",
                "Muted",
            )
        )
        self.events = tree(["Key", "When", "What happened", "Note"], "Timeline", stretch=2)
        self.events.itemChanged.connect(self._key_moment)
        self.events.currentItemChanged.connect(self._event_selected)
        layout.addWidget(self.events, 1)
        row = QHBoxLayout()
        self.note = EntryLine()
        self.note.setPlaceholderText("A note on the selected moment")
        self.note.setAccessibleName("Note")
        save_note = button("Save note", "mdi6.note-edit-outline")
        save_note.clicked.connect(self._save_note)
        self.note.returnPressed.connect(save_note.click)
        self.corrected = QDateTimeEdit()
        self.corrected.setDisplayFormat("ddd dd MMM HH:mm")
        self.corrected.setAccessibleName("Corrected time")
        correct = button("Correct time", "mdi6.clock-edit-outline")
        correct.clicked.connect(self._correct_time)
        for widget, stretch in ((self.note, 1), (save_note, 0), (self.corrected, 0), (correct, 0)):
            row.addWidget(widget, stretch)
        layout.addLayout(row)

    def _metrics(self, page: QWizardPage) -> None:
        layout = QVBoxLayout(page)
        self.metric_table = tree(["Measure", "Value", "How it was computed"], "Metrics", stretch=2)
        layout.addWidget(self.metric_table, 3)
        hindsight = QHBoxLayout()
        self.hindsight_line = label("", "Muted")
        self.hindsight_line.setAccessibleName("When could we have known")
        self.use_setting = button(
            "Use this alarm setting",
            "mdi6.bell-cog-outline",
            "Set the spike alarm of this workspace to this sensitivity and window",
        )
        self.use_setting.clicked.connect(self._use_alarm_setting)
        hindsight.addWidget(self.hindsight_line, 1)
        hindsight.addWidget(self.use_setting, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(hindsight)
        self.chart = MentionChart()
        self.chart.setMinimumHeight(180)
        layout.addWidget(self.chart, 2)

    def _well(self, page: QWizardPage) -> None:
        layout = QHBoxLayout(page)
        self.went_well = ItemList(
            "What went well", "e.g. The holding statement was out in 38 minutes"
        )
        self.went_badly = ItemList(
            "What did not go well",
            "About what happened, not who: e.g. the managers heard it late",
        )
        layout.addLayout(self.went_well, 1)
        layout.addLayout(self.went_badly, 1)

    def _cause(self, page: QWizardPage) -> None:
        layout = QVBoxLayout(page)
        layout.addWidget(
            label("Root cause: the conditions that let it happen, not a person.", "SectionTitle")
        )
        self.root_cause = QPlainTextEdit()
        self.root_cause.setAccessibleName("Root cause")
        self.root_cause.setFixedHeight(80)
        layout.addWidget(self.root_cause)
        layout.addWidget(
            label(
                "Corrective actions: each with one owner and a due date; they "
                "stay on the Dashboard until done.",
                "SectionTitle",
            )
        )
        self.actions = tree(["Done", "Action", "Owner", "Due"], "Corrective actions", stretch=1)
        self.actions.itemChanged.connect(self._action_ticked)
        layout.addWidget(self.actions, 1)
        row = QHBoxLayout()
        self.action_title = EntryLine()
        self.action_title.setPlaceholderText("What fixes the cause?")
        self.action_title.setAccessibleName("New corrective action")
        self.action_owner = QComboBox()
        self.action_owner.setEditable(True)
        self.action_owner.addItems([c.name for c in self.store.contacts.all()])
        self.action_owner.setAccessibleName("Owner")
        self.action_due = QDateTimeEdit()
        self.action_due.setDisplayFormat("ddd dd MMM yyyy")
        self.action_due.setCalendarPopup(True)
        add = button("Add", "mdi6.plus")
        add.clicked.connect(self._add_action)
        self.action_title.returnPressed.connect(add.click)
        for widget, stretch in (
            (self.action_title, 2),
            (self.action_owner, 1),
            (self.action_due, 0),
            (add, 0),
        ):
            row.addWidget(widget, stretch)
        layout.addLayout(row)

    def _lessons(self, page: QWizardPage) -> None:
        layout = QVBoxLayout(page)
        layout.addWidget(
            label(
                "Each lesson can propose a change to the plan. Tick the ones you "
                "accept: they are applied as one new plan revision that names "
                "this debrief when you press Next.",
                "Muted",
            )
        )
        self.lesson_list = QListWidget()
        wrap_list(self.lesson_list)
        self.lesson_list.setAccessibleName("Lessons")
        layout.addWidget(self.lesson_list, 1)
        self.lessons_form = LessonEditor(self.store)
        self.lessons_form.added.connect(self._add_lesson)
        layout.addWidget(self.lessons_form)

    def _review(self, page: QWizardPage) -> None:
        layout = QVBoxLayout(page)
        self.report = QTextBrowser()
        self.report.setAccessibleName("The report")
        layout.addWidget(self.report, 1)
        row = QHBoxLayout()
        pdf = button("Export PDF…", "mdi6.file-pdf-box", "The report as it prints")
        pdf.setObjectName("Primary")
        pdf.clicked.connect(self.export_pdf)
        markdown = button("Export Markdown…", "mdi6.language-markdown-outline")
        markdown.clicked.connect(self.export_markdown)
        row.addWidget(pdf)
        row.addWidget(markdown)
        row.addStretch(1)
        layout.addLayout(row)

    # --- loading and saving --------------------------------------------------------------

    def _load(self) -> None:
        d = self.debrief
        self.summary.setPlainText(d.summary)
        self.went_well.set_items(d.went_well)
        self.went_badly.set_items(d.went_badly)
        self.root_cause.setPlainText(d.root_cause)
        self._fill_events()
        self._fill_metrics()
        self._fill_actions()
        self._fill_lessons()
        self.action_due.setDateTime(QDateTime(self.store.clock().astimezone() + timedelta(days=14)))

    def collect(self) -> None:
        d = self.debrief
        d.summary = self.summary.toPlainText().strip()
        d.went_well = self.went_well.items()
        d.went_badly = self.went_badly.items()
        d.root_cause = self.root_cause.toPlainText().strip()
        for row in range(self.lesson_list.count()):
            item = self.lesson_list.item(row)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:  # applied ones stay accepted
                d.lessons[row].accepted = item.checkState() == Qt.CheckState.Checked

    def save(self) -> None:
        self.collect()
        if self.currentId() >= 0:  # -1 while the wizard is closing: keep the last step
            self.debrief.step = self.currentId()
        self.store.debriefs.save_draft(self.debrief)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._resume_at and self.currentId() == 0:
            self._resuming = True
            try:
                while 0 <= self.currentId() < self._resume_at:
                    before = self.currentId()
                    self.next()
                    if self.currentId() == before:  # a step that will not let go: stay
                        break
            finally:
                self._resuming = False
            self._step_changed(self.currentId())

    def _step_changed(self, step: int) -> None:
        if self._resuming:  # walking back to where the draft was left: nothing to save yet
            return
        previous = self.debrief.step
        self.save()
        if previous == 5 and step == 6:  # leaving the lessons forward: apply accepted changes
            revision = self.store.debriefs.apply_lessons(self.debrief.id)
            self.debrief = self.store.debriefs.get(self.debrief.id)
            self._fill_lessons()
            if revision:
                QMessageBox.information(
                    self,
                    "Plan updated",
                    "Your accepted changes are now a new revision of the plan, "
                    "which names this debrief.",
                )
        if step == 6:
            self.report.setHtml(debrief_html(self.store, self.debrief.id, with_chart=False))

    def done(self, result: int) -> None:  # noqa: D401 (Qt override: closing saves the draft)
        self.save()
        if result == QWizard.DialogCode.Accepted:
            self.store.debriefs.complete(self.debrief.id)
            if self.store.incidents.get(self.incident.id).status == "resolved":
                self.store.incidents.set_status(self.incident.id, "closed")  # reviewed: done
        super().done(result)

    # --- timeline ------------------------------------------------------------------------

    def _fill_events(self) -> None:
        notes = self.store.incidents.annotations(self.incident.id)
        self.events.blockSignals(True)
        self.events.clear()
        for event in self.store.incidents.timeline(self.incident.id):
            at = when(event.at) + (f" (was {when(event.original_at)})" if event.original_at else "")
            item = QTreeWidgetItem(["", at, event.text, notes.get(event.id, "")])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Checked if event.key_moment else Qt.CheckState.Unchecked
            )
            item.setData(0, Qt.ItemDataRole.UserRole, event.id)
            item.setData(1, Qt.ItemDataRole.UserRole, event.at)
            self.events.addTopLevelItem(item)
        self.events.blockSignals(False)

    def _event_selected(self, item, _previous=None) -> None:
        if item is not None:
            self.note.setText(item.text(3))
            self.corrected.setDateTime(
                QDateTime(item.data(1, Qt.ItemDataRole.UserRole).astimezone())
            )

    def _key_moment(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self.store.incidents.annotate_event(
                item.data(0, Qt.ItemDataRole.UserRole),
                key_moment=item.checkState(0) == Qt.CheckState.Checked,
            )

    def _save_note(self) -> None:
        item = self.events.currentItem()
        if item is not None:
            self.store.incidents.annotate_event(
                item.data(0, Qt.ItemDataRole.UserRole), annotation=self.note.text()
            )
            item.setText(3, self.note.text().strip())

    def _correct_time(self) -> None:
        item = self.events.currentItem()
        if item is not None:
            self.store.incidents.annotate_event(
                item.data(0, Qt.ItemDataRole.UserRole),
                corrected_at=self.corrected.dateTime().toPython().astimezone(),
            )
            self._fill_events()

    # --- metrics -------------------------------------------------------------------------

    def _fill_metrics(self) -> None:
        from app.reports.content import TIMELINE_MARKER_KINDS

        self.metric_table.clear()
        for metric in self.store.debriefs.metrics(self.incident.id):
            self.metric_table.addTopLevelItem(
                QTreeWidgetItem([metric.label, metric.display, metric.how])
            )
        self._fill_hindsight()
        start, end = chart_span(self.incident, self.store.clock())
        self.chart.set_points(
            [
                HourPoint(h.hour, h.count, h.negative)
                for h in self.store.mentions.hourly_series(start, end)
            ]
        )
        self.chart.markers = [
            (e.at, e.kind.replace("statement-", "").replace("severity", "level"))
            for e in self.store.incidents.timeline(self.incident.id, TIMELINE_MARKER_KINDS)
        ]

    def _fill_hindsight(self) -> None:
        """ "When could we have known?": the setting that would have warned earliest without
        crying wolf, and one click to use it."""
        from app.mentions.detection.hindsight import best

        self.hindsight_choice = best(self.store.debriefs.hindsight(self.incident.id))
        current = self.store.detection.setting()
        if self.hindsight_choice is None:
            self.hindsight_line.setText(
                "When could we have known? No alarm setting would have warned you before you "
                "declared without false alarms."
            )
            self.use_setting.setVisible(False)
            return
        chosen = self.hindsight_choice.setting
        self.hindsight_line.setText(
            f"When could we have known? {self.hindsight_choice.line()}"
            + (" This is your alarm's setting." if chosen == current else "")
        )
        self.use_setting.setVisible(chosen != current)

    def _use_alarm_setting(self) -> None:
        if self.hindsight_choice is None:
            return
        self.collect()
        self.store.debriefs.save_draft(self.debrief)
        self.store.debriefs.choose_alarm_setting(self.debrief.id, self.hindsight_choice)
        self.debrief = self.store.debriefs.get(self.debrief.id)
        self._fill_lessons()
        self._fill_hindsight()

    # --- corrective actions --------------------------------------------------------------

    def _fill_actions(self) -> None:
        self.actions.blockSignals(True)
        self.actions.clear()
        for task in self.store.incidents.tasks(self.incident.id, "corrective"):
            item = QTreeWidgetItem(["", task.title, task.owner, when(task.due_at)])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Checked if task.done_at else Qt.CheckState.Unchecked
            )
            item.setData(0, Qt.ItemDataRole.UserRole, task.id)
            self.actions.addTopLevelItem(item)
        self.actions.blockSignals(False)

    def _add_action(self) -> None:
        title = self.action_title.text().strip()
        if not title:
            return
        self.store.incidents.add_task(
            self.incident.id,
            title,
            self.action_owner.currentText().strip(),
            self.action_due.dateTime().toPython().astimezone(),
            "corrective",
        )
        self.action_title.clear()
        self._fill_actions()

    def _action_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self.store.incidents.complete_task(
                item.data(0, Qt.ItemDataRole.UserRole), item.checkState(0) == Qt.CheckState.Checked
            )

    # --- lessons -------------------------------------------------------------------------

    def _add_lesson(self, text: str, change: dict) -> None:
        self.collect()
        self.debrief.lessons.append(Lesson(text, change, accepted=bool(change)))
        self._fill_lessons()

    def _fill_lessons(self) -> None:
        names = {c.id: c.name for c in self.store.contacts.all()}
        plan = self.store.plan.get_current()
        self.lesson_list.clear()
        for lesson in self.debrief.lessons:
            change = describe_change(lesson.change, names, plan) if lesson.change else ""
            text = lesson.text + (f"\n→ {change}" if change else "")
            if lesson.revision_id:
                text += "  (applied to the plan)"
            item = QListWidgetItem(text)
            if change and not lesson.revision_id:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if lesson.accepted else Qt.CheckState.Unchecked
                )
            self.lesson_list.addItem(item)

    # --- export --------------------------------------------------------------------------

    def export_markdown(self) -> None:
        path = exports.save_path(
            self,
            "Export debrief",
            f"Debrief - {self.incident.title}.md",
            "Markdown (*.md)",
            ".md",
        )
        if path is None:
            return
        self.save()
        try:  # whole or not at all: a full disk leaves the old file or none
            write_atomic(path, debrief_markdown(self.store, self.debrief.id))
        except UserError as exc:
            QMessageBox.warning(self, "Export debrief", plain(str(exc)))
            return
        exports.done(self, path, "Exported the debrief as Markdown.")

    def export_pdf(self, path: str | None = None) -> None:
        chosen = Path(path) if path else None
        if chosen is None:
            chosen = exports.save_path(
                self,
                "Export debrief",
                f"Debrief - {self.incident.title}.pdf",
                "PDF (*.pdf)",
                ".pdf",
            )
        if chosen is None:
            return
        self.save()
        export_debrief_pdf(self, self.store, self.debrief.id, chosen)


def export_debrief_pdf(parent, store, debrief_id: int, path: Path) -> Op:
    """Write the PDF as an op (its own store) with progress and Cancel; the chart is painted
    here first, because widgets live on the GUI thread."""
    from ui.pdf import debrief_chart, report_font_family, write_debrief

    report_font_family()  # fonts are registered on the GUI thread, before the op starts
    chart = debrief_chart(store, store.debriefs.get(debrief_id).incident_id)

    def export(own, job) -> int:
        def step(done, total):
            job.check()
            job.progress(done, total + 1)

        # write_debrief writes a temporary file and renames it: the PDF appears whole or not
        # at all, and Cancel (checked up to the rename) leaves the old file as it was.
        return write_debrief(
            own, debrief_id, path, progress=step, chart=chart, cancelled=job.cancelled
        )

    def written(pages: int) -> None:
        exports.done(parent, path, f"Wrote the debrief report ({pages} pages).")

    return (
        StoreOp(parent, store.path, export, title="Export debrief", clock=store.clock)
        .with_progress("Gathering the report", unit="steps", delay_ms=0)
        .success(written)
        .run_in_background()
    )

"""The drill's two dialogs: choosing a scenario and a speed before a drill ("Run a drill…"), and
its score afterwards — each expectation met or missed with the minute it happened, and the
debrief's own numbers — which the Debriefs page's list of drills opens again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
)

from app.debriefs.lessons import describe_change
from app.drills.model import MET, MISSED, SPEEDS, Scenario, ScenarioError, offset_text
from app.drills.scenario import read_scenario, shipped_scenarios
from app.drills.score import score_markdown
from app.errors import UserError
from app.files import write_atomic
from app.plan.model import CRISIS_TYPES
from app.store import Store
from app.text import plural
from ui.dialogs import ask, exports
from ui.dialogs.base import dialog_layout, save_cancel_buttons
from ui.widgets import button, label, plain, show_status, wrap_list
from ui.widgets.lessons import LessonEditor

SPEED_TIPS = {
    1: "Real time: as long as the scenario says",
    2: "Twice as fast",
    5: "Five times as fast: a half-hour scenario in six minutes",
    10: "Ten times as fast: to see it through quickly",
}


def scenario_line(scenario: Scenario) -> str:
    kind = CRISIS_TYPES.get(scenario.crisis_type, scenario.crisis_type)
    minutes = round(scenario.duration.total_seconds() / 60)
    facts = [kind, f"{minutes} min at 1×", plural(scenario.mention_count, "post")]
    return f"{scenario.title}\n{' · '.join(facts)}"


class StartDrillDialog(QDialog):
    """Choose a scenario (shipped, or a file of your own) and a speed; Start."""

    def __init__(self, playbooks: set[str] | None = None, parent=None):
        super().__init__(parent)
        self.playbooks = playbooks
        self.scenario: Scenario | None = None
        layout = dialog_layout(self, "Run a drill", 640)
        layout.addWidget(
            label(
                "A drill plays a pretend crisis — posts, a phone call, a fact coming out — "
                "into a sealed copy of your workspace, on a clock you can speed up or pause. "
                "Nothing you do in it touches your real workspace. At the end you get a score.",
                "Muted",
            )
        )
        self.list = QListWidget()
        self.list.setAccessibleName("Scenarios")
        wrap_list(self.list)
        self.list.setSpacing(2)
        self.list.setMinimumHeight(260)
        self.list.currentItemChanged.connect(self._chosen)
        self.list.itemActivated.connect(lambda *_: self.accept())
        layout.addWidget(self.list, 1)
        self.briefing = label("", "Muted")
        layout.addWidget(self.briefing)
        self.problem = label("", "Muted")
        self.problem.hide()
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        open_file = button(
            "Open a scenario file…", "mdi6.folder-open-outline", "A drill of your own (TOML)"
        )
        open_file.clicked.connect(self.choose_file)
        row.addWidget(open_file)
        row.addStretch(1)
        form = QFormLayout()
        self.speed = QComboBox()
        self.speed.setAccessibleName("Speed")
        for speed in SPEEDS:
            self.speed.addItem(f"{speed}×", speed)
            self.speed.setItemData(
                self.speed.count() - 1, SPEED_TIPS[speed], Qt.ItemDataRole.ToolTipRole
            )
        self.speed.setToolTip("How fast the drill clock runs; you can pause it at any time")
        form.addRow("Speed", self.speed)
        row.addLayout(form)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = QPushButton("Start drill")
        self.start_button.setObjectName("Primary")
        self.start_button.setDefault(True)
        self.start_button.setToolTip("Copy your workspace and start the drill clock")
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        problems = []
        for path in shipped_scenarios():
            try:
                self._add(read_scenario(path, playbooks))
            except ScenarioError as exc:
                problems.append(f"{path.name}: {exc}")
        if problems:  # a plan without a scenario's playbook: said, not hidden
            self.problem.setText(" ".join(problems[:2]))
            self.problem.show()
        if self.list.count():
            self.list.setCurrentRow(0)

    def _add(self, scenario: Scenario) -> QListWidgetItem:
        item = QListWidgetItem(scenario_line(scenario))
        item.setData(Qt.ItemDataRole.UserRole, scenario)
        item.setToolTip(plain(scenario.summary or scenario.title))
        self.list.addItem(item)
        return item

    def _chosen(self, item, _previous=None) -> None:
        scenario = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.scenario = scenario
        self.start_button.setEnabled(scenario is not None)
        self.briefing.setText(scenario.briefing.strip() if scenario else "")
        self.briefing.setVisible(bool(scenario and scenario.briefing))
        if scenario is not None:
            index = self.speed.findData(scenario.speed)
            if index >= 0:
                self.speed.setCurrentIndex(index)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open a scenario", str(exports.start_folder()), "Scenarios (*.toml)"
        )
        if name:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> bool:
        try:
            scenario = read_scenario(path, self.playbooks)
        except ScenarioError as exc:
            QMessageBox.warning(self, "Cannot use this scenario", plain(str(exc)))
            return False
        self.list.setCurrentItem(self._add(scenario))
        return True

    def chosen_speed(self) -> int:
        return int(self.speed.currentData())


def record_document(record) -> dict:
    """A kept DrillRecord as the score dialog and the report read it."""
    from dataclasses import asdict

    return {**asdict(record), "held_at": record.held_at.isoformat(), "summary": record.summary}


class DrillScoreDialog(QDialog):
    """The score: each expectation met or missed with the minute, the debrief's numbers;
    Export… writes it as a Markdown report."""

    def __init__(self, document: dict, parent=None, store: Store | None = None):
        super().__init__(parent)
        self.document = document
        self.store = store  # the real workspace, for lessons that change its plan
        self.lessons_dialog: DrillLessonsDialog | None = None
        title = document.get("title", "")
        layout = dialog_layout(self, f"Drill score — {title}", 820)
        layout.addWidget(label(document.get("summary", ""), "BigQuiet"))
        minutes = float(document.get("minutes") or 0)
        layout.addWidget(
            label(
                f"{title}: {minutes:.0f} minutes played at {float(document.get('speed', 1)):g}×. "
                + (
                    "Kept in the Drills list on the Debriefs page. "
                    if document.get("kept", True)
                    else ""
                )
                + "Your real workspace and its numbers were not touched.",
                "Muted",
            )
        )
        layout.addWidget(label("What the scenario expected", "SectionTitle"))
        self.expectations = QListWidget()
        self.expectations.setAccessibleName("Expectations")
        wrap_list(self.expectations)
        self.expectations.setSpacing(2)
        self.expectations.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.expectations.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for result in document.get("expectations", ()):
            self.expectations.addItem(expectation_line(result))
        self.expectations.setMinimumHeight(220)
        layout.addWidget(self.expectations, 1)
        metrics = document.get("metrics") or ()
        if metrics:
            layout.addWidget(label("The debrief's numbers", "SectionTitle"))
            grid = QGridLayout()  # two columns of "what: how much", so it fits the screen
            grid.setHorizontalSpacing(16)
            grid.setVerticalSpacing(4)
            half = (len(metrics) + 1) // 2
            for index, metric in enumerate(metrics):
                row, column = index % half, 2 * (index // half)
                name = label(str(metric.get("label", "")), "Muted")
                value = label(str(metric.get("display", "")))
                for widget in (name, value):
                    widget.setToolTip(plain(str(metric.get("how", ""))))
                grid.addWidget(name, row, column)
                grid.addWidget(value, row, column + 1)
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(3, 1)
            layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the score as a report to print or share")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        self.plan_button = QPushButton("Change my plan…")
        self.plan_button.setToolTip(
            "Write what the drill taught you; the changes you tick go into your real plan"
        )
        self.plan_button.setVisible(store is not None)
        buttons.addButton(self.plan_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.plan_button.clicked.connect(self.change_plan)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def lines(self) -> list[str]:
        return [self.expectations.item(r).text() for r in range(self.expectations.count())]

    def change_plan(self) -> DrillLessonsDialog | None:
        if self.store is None:
            return None
        self.lessons_dialog = DrillLessonsDialog(self.store, self.document, self)
        self.lessons_dialog.open()
        return self.lessons_dialog

    def export(self) -> Path | None:
        title = self.document.get("title", "drill")
        path = exports.save_path(
            self, "Export the drill score", f"Drill score - {title}.md", "Markdown (*.md)", ".md"
        )
        if path is None:
            return None
        write_atomic(path, score_markdown(self.document))
        exports.done(self, path, f"Wrote the drill score to {path.name}.")
        return path


def expectation_line(result: dict) -> str:
    status = result.get("status")
    mark = {MET: "✓ Met", MISSED: "✗ Missed"}.get(status, f"– {str(status).capitalize()}")
    minute = result.get("minute")
    when = f"T+{offset_text(float(minute) * 60)}" if minute is not None else "—"
    return f"{mark} · {when} · {result.get('label', '')}\n{result.get('detail', '')}"


class DrillLessonsDialog(QDialog):
    """What a drill taught, as changes to the real plan (as a debrief's lessons are): the
    lessons ticked go in as one new plan revision that names the drill. The drill itself stays
    out of every real metric; only the plan the owner chose to change changes."""

    def __init__(self, store: Store, document: dict, parent=None):
        super().__init__(parent)
        self.store = store
        self.document = document
        self.lessons: list[tuple[str, dict]] = []
        self.revision = None
        title = document.get("title", "")
        layout = dialog_layout(self, f"Lessons from the drill — {title}", 760)
        layout.addWidget(
            label(
                "Write what the drill showed and, where it applies, the change to your plan. "
                "The ones you tick are applied to your real plan as one new revision (the "
                "Plan page's Revisions can compare and restore it).",
                "Muted",
            )
        )
        self.lesson_list = QListWidget()
        wrap_list(self.lesson_list)
        self.lesson_list.setAccessibleName("Lessons")
        self.lesson_list.setMinimumHeight(140)
        self.lesson_list.itemChanged.connect(
            lambda _item: self.apply_button.setEnabled(bool(self.chosen()))
        )
        layout.addWidget(self.lesson_list, 1)
        self.form = LessonEditor(store)
        self.form.added.connect(self._add)
        layout.addWidget(self.form)
        buttons = save_cancel_buttons(self, "Change my plan")
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.apply_button.setEnabled(False)
        layout.addWidget(buttons)

    def _add(self, text: str, change: dict) -> None:
        self.lessons.append((text, change))
        names = {c.id: c.name for c in self.store.contacts.all()}
        described = describe_change(change, names, self.store.plan.get_current()) if change else ""
        item = QListWidgetItem(text + (f"\n→ {described}" if described else "  (no change)"))
        if change:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.lesson_list.addItem(item)
        self.apply_button.setEnabled(bool(self.chosen()))

    def chosen(self) -> list[tuple[str, dict]]:
        return [
            lesson
            for row, lesson in enumerate(self.lessons)
            if lesson[1] and self.lesson_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def accept(self) -> None:
        chosen = self.chosen()
        if not chosen:
            return
        title = self.document.get("title", "a drill")
        summary = f"From the drill “{title}”: " + "; ".join(text for text, _ in chosen)
        try:
            self.revision = self.store.debriefs.change_plan([c for _, c in chosen], summary)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), plain(str(exc)))
            return
        show_status(self, f"Your plan now has revision {self.revision.number}: {summary}", 10000)
        super().accept()

    def reject(self) -> None:
        if self.lessons:  # written here and not applied: ask before they are gone
            answer = ask.choose(
                self,
                self.windowTitle(),
                "Close without changing your plan? The lessons written here are not kept.",
                [("keep", "Keep writing"), ("discard", "Close")],
                default="keep",
            )
            if answer != "discard":
                return
        super().reject()

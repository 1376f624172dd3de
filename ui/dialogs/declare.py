"""Declare an incident: a title, the crisis type, and the severity matrix proposing a level of
the plan's ladder, which the owner confirms or overrides with a reason."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPushButton,
)

from app.incidents.model import IncidentError
from app.incidents.severity import IMPACT, REACH, propose_level
from app.levels import LEVEL_NAMES, level_label
from ui import theme
from ui.dialogs.base import KeepsTyping, dialog_layout
from ui.format import duration
from ui.widgets import LevelChip, label, level_colour, plain, plain_label


def _minutes(value: int) -> str:
    return duration(timedelta(minutes=value))


class SeverityMatrix(QGridLayout):
    """Impact down, reach across; each cell a button showing the level it proposes."""

    def __init__(self, on_pick):
        super().__init__()
        self.setSpacing(4)
        self.on_pick = on_pick
        self.cells: dict[tuple[int, int], QPushButton] = {}
        self.addWidget(label("Impact ↓  /  Reach →", "Muted"), 0, 0)
        for reach, (name, anchor) in REACH.items():
            head = label(name)
            head.setToolTip(plain(anchor))
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.addWidget(head, 0, reach)
        for impact, (name, anchor) in IMPACT.items():
            row_head = label(name)
            row_head.setToolTip(plain(anchor))
            self.addWidget(row_head, impact, 0)
            for reach in REACH:
                level = propose_level(impact, reach).level
                cell = QPushButton(LEVEL_NAMES[level])
                cell.setCheckable(True)
                cell.setAccessibleName(f"Impact {IMPACT[impact][0]}, reach {REACH[reach][0]}")
                cell.setToolTip(plain(f"{IMPACT[impact][1]}\n{REACH[reach][1]}"))
                cell.setStyleSheet(
                    f"QPushButton {{ border-left: 4px solid {level_colour(level)}; }}"
                    f"QPushButton:checked {{ background: {level_colour(level)}; "
                    f"color: {theme.current().chip_text}; }}"
                )
                cell.clicked.connect(lambda _=False, i=impact, r=reach: self.pick(i, r))
                self.addWidget(cell, impact, reach)
                self.cells[(impact, reach)] = cell

    def pick(self, impact: int, reach: int) -> None:
        for key, cell in self.cells.items():
            cell.setChecked(key == (impact, reach))
        self.on_pick(impact, reach)


class DeclareIncidentDialog(KeepsTyping, QDialog):
    def __init__(
        self,
        store,
        *,
        mention_ids=None,
        title: str = "",
        origin: str = "manual",
        parent=None,
    ):
        super().__init__(parent)
        self.store = store
        self.facts = store.incidents.plan_facts()  # who each level tells, for the preview
        self.mention_ids = list(mention_ids or [])
        self.origin = origin
        self.impact = self.reach = 0
        self.incident = None
        layout = dialog_layout(self, "Declare incident", 760)  # tall enough for the matrix
        intro = "Say what is happening, pick how bad and how wide it is, and confirm the level."
        if self.mention_ids:
            intro += f" {len(self.mention_ids)} mentions will be attached to it."
        layout.addWidget(label(intro, "Muted"))
        form = QFormLayout()
        self.title = QLineEdit(title)
        self.title.setPlaceholderText("e.g. Customers ill after custard tarts")
        self.title.setAccessibleName("Incident title")
        form.addRow("What is happening", self.title)
        self.crisis_type = QComboBox()
        self.crisis_type.addItem("Not sure yet", "")
        for key, playbook in self.facts.playbooks.items():
            self.crisis_type.addItem(playbook.name, key)
        self.crisis_type.setAccessibleName("Crisis type")
        form.addRow("Crisis type", self.crisis_type)
        layout.addLayout(form)
        layout.addWidget(label("How bad, and how far has it spread?", "SectionTitle"))
        self.matrix = SeverityMatrix(self._picked)
        layout.addLayout(self.matrix)
        self.proposal = label("Pick the cell that fits best; it proposes a level.", "Muted")
        layout.addWidget(self.proposal)
        level_form = QFormLayout()
        self.level = QComboBox()
        for number in sorted(self.facts.ladder):
            step = self.facts.ladder[number]
            self.level.addItem(level_label(number), number)
            self.level.setItemData(
                self.level.count() - 1, plain(step.trigger), Qt.ItemDataRole.ToolTipRole
            )
        self.level.setCurrentIndex(self.level.findData(2))
        self.level.setAccessibleName("Level")
        self.level.currentIndexChanged.connect(self._level_changed)
        self.chip = LevelChip(2)
        level_form.addRow("Level", self.level)
        level_form.addRow("", self.chip)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            "Why a different level than proposed? (goes on the timeline)"
        )
        self.reason.setAccessibleName("Reason for the level")
        level_form.addRow("Reason", self.reason)
        layout.addLayout(level_form)
        self.who = label("", "Muted")
        layout.addWidget(self.who)
        self.error = plain_label("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.current().negative};")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.declare_button = buttons.addButton(
            "Declare incident", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.declare_button.setObjectName("Primary")
        self.declare_button.setShortcut("Ctrl+Return")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._level_changed()
        self.remember_typing()

    def proposed_level(self) -> int | None:
        return propose_level(self.impact, self.reach).level if self.impact else None

    def _picked(self, impact: int, reach: int) -> None:
        self.impact, self.reach = impact, reach
        proposal = propose_level(impact, reach)
        self.proposal.setText(f"Proposed: {proposal.reason}")
        self.level.setCurrentIndex(self.level.findData(proposal.level))
        self._level_changed()

    def _level_changed(self) -> None:
        level = self.level.currentData()
        self.chip.set_level(level)
        step = self.facts.ladder[level]
        names = [p.name for _lvl, p in self.facts.people_up_to(level)]
        told = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        self.who.setText(
            f"When: {step.trigger}\n"
            f"Tell within {_minutes(step.notify_within_minutes)}: "
            f"{told or 'nobody named in the plan'}. First update within "
            f"{_minutes(step.first_update_minutes)}, then every {_minutes(step.cadence_minutes)}."
        )
        proposed = self.proposed_level()
        self.reason.setEnabled(proposed is not None and proposed != level)

    def accept(self) -> None:
        level = self.level.currentData()
        proposed = self.proposed_level()
        reason = ""
        if proposed is not None:
            reason = propose_level(self.impact, self.reach).reason
            if proposed != level:
                if not self.reason.text().strip():
                    self.error.setText("Say why you chose a different level than proposed.")
                    self.reason.setFocus()
                    return
                reason = f"proposed Level {proposed}, chosen {level}: {self.reason.text().strip()}"
        try:
            self.incident = self.store.incidents.declare(
                self.title.text(),
                level,
                crisis_type=self.crisis_type.currentData(),
                origin=self.origin,
                mention_ids=self.mention_ids,
                impact=self.impact,
                reach=self.reach,
                reason=reason,
            )
        except IncidentError as exc:
            self.error.setText(str(exc))
            self.title.setFocus()
            return
        super().accept()

"""The window's drill mode: "Run a drill…" opens the scenario chooser; starting swaps the window
onto the drill's sealed copy of the workspace and its drill clock (the same way it opens any
workspace, with the clock every page already asks for "now"), shows the drill band on every
page, and steps the drill from a timer; ending it — after asking — keeps the score, gives the
window its real workspace back as it was, and shows the score.

`DrillCommands` is a part of `MainWindow`; it expects the window's `store`, `clock`, `pages`,
`load_store`, `announce`, `refresh_incident_state`, `drill_band` and `statusBar`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMessageBox

from app.drills.model import SPEEDS, DrillEvent, DrillScore, Scenario, offset_text
from app.drills.runner import DrillRun, start_drill
from app.drills.sandbox import is_sandbox
from app.errors import UserError
from app.plan.model import CRISIS_TYPES
from ui import ops
from ui.dialogs.drills import DrillScoreDialog, StartDrillDialog
from ui.widgets import plain

TICK_MS = 500  # how often the window steps the drill, in real time; speed is the clock's job
NOTICE_KINDS = ("call", "email", "fact", "mentions", "reaction")


class DrillCommands:
    drill_run: DrillRun | None = None
    drill_score_dialog: DrillScoreDialog | None = None
    drill_dialog: StartDrillDialog | None = None
    pulls_were_on = False
    drill_keep = True
    last_drill_score: DrillScore | None = None
    drill_paused = False  # the owner's Pause (a manual clock, which tests move, is never "on")
    # Asked before a drill ends; tests answer it (the real one is a message box).
    ask_end_drill: Callable[[str, str], bool] | None = None

    def _build_drill_actions(self) -> None:
        self._real_store = None
        self._real_clock = None
        self.drill_timer = QTimer(self)
        self.drill_timer.setInterval(TICK_MS)
        self.drill_timer.timeout.connect(self.drill_tick)
        a = self._action
        self.act_drill = a(
            "Run a Drill…",
            self.open_drill_dialog,
            "Ctrl+Shift+D",
            "mdi6.run-fast",
            "Rehearse a crisis in a sealed copy of your workspace",
        )
        self.act_drill_pause = a(
            "Pause or Resume the Drill",
            self.toggle_drill_pause,
            "Ctrl+Shift+P",
            "mdi6.pause",
            "Stop or start the drill clock",
        )
        self.act_drill_end = a(
            "End the Drill…",
            lambda: self.end_drill(),
            None,
            "mdi6.flag-checkered",
            "Stop the drill and see your score",
        )
        self.drill_band.pause_clicked.connect(self.toggle_drill_pause)
        self.drill_band.end_clicked.connect(lambda: self.end_drill())
        self._drill_state_changed()

    def _build_drill_menu(self) -> None:
        bar = self.menuBar()
        menu = bar.addMenu("&Drill")
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_menu is not None:  # before Help, where menus usually end
            bar.insertMenu(help_menu, menu)
        menu.addAction(self.act_drill)
        menu.addAction(self.act_drill_pause)
        self.speed_menu = menu.addMenu("Speed")
        self.speed_menu.setToolTip("How fast the drill clock runs")
        group = QActionGroup(self)
        self.speed_actions: dict[int, QAction] = {}
        for speed in SPEEDS:
            action = QAction(f"{speed}×", self, checkable=True)
            action.triggered.connect(lambda _=False, s=speed: self.set_drill_speed(s))
            group.addAction(action)
            self.speed_menu.addAction(action)
            self.speed_actions[speed] = action
        menu.addSeparator()
        menu.addAction(self.act_drill_end)
        self._drill_state_changed()

    def drill_actions(self) -> list[QAction]:
        return [
            action
            for action in (self.act_drill, self.act_drill_pause, self.act_drill_end)
            if action.isEnabled()
        ]

    def _drill_state_changed(self) -> None:
        running = self.drill_run is not None
        self.act_drill.setEnabled(not running)
        self.act_drill_pause.setEnabled(running)
        self.act_drill_end.setEnabled(running)
        speed_menu = getattr(self, "speed_menu", None)
        if speed_menu is not None:
            speed_menu.setEnabled(running)
            if self.drill_run is not None:
                self.speed_actions[int(self.drill_run.clock.speed)].setChecked(True)
        # Nothing that opens, backs up or replaces a workspace while the window shows the copy.
        for action in (
            self.act_open,
            self.act_new_ws,
            self.act_demo,
            self.act_backup,
            self.act_restore,
            self.recent_menu.menuAction(),
        ):
            action.setEnabled(not running)

    # --- starting ------------------------------------------------------------------------

    def playbooks(self) -> set[str]:
        plan = self.store.plan.get_current()
        return set(CRISIS_TYPES) | ({p.key for p in plan.playbooks} if plan else set())

    def open_drill_dialog(self) -> StartDrillDialog | None:
        if self.drill_run is not None:
            self.statusBar().showMessage("A drill is running: end it first (Drill → End).", 8000)
            return None
        dialog = StartDrillDialog(self.playbooks(), self)
        self.drill_dialog = dialog

        def chosen() -> None:
            self.drill_dialog = None
            if dialog.scenario is not None:
                self.begin_drill(dialog.scenario, dialog.chosen_speed())

        dialog.accepted.connect(chosen)
        dialog.rejected.connect(lambda: setattr(self, "drill_dialog", None))
        dialog.open()
        return dialog

    def begin_drill(
        self,
        scenario: Scenario,
        speed: float = 1,
        *,
        manual: bool = False,
        start: datetime | None = None,
        keep: bool = True,
    ) -> DrillRun | None:
        """Copy the workspace, start the drill clock and show the copy on every page. A
        `manual` clock moves only when told (tests and screenshots move it themselves); a
        drill not to `keep` (a screenshot's) leaves no record in the list of drills."""
        if self.drill_run is not None or not self.confirm_leave():
            return None
        try:
            # T+0 is the window's own "now" (to the minute), so the copy's history lines up.
            start = start or self.clock().replace(second=0, microsecond=0)
            run = start_drill(self.store.path, scenario, speed=speed, manual=manual, start=start)
        except UserError as exc:
            QMessageBox.warning(self, "Cannot start the drill", plain(str(exc)))
            return None
        self.pulls_were_on = self.pulls.timer.isActive()
        self.pulls.stop()  # the copy never pulls; the real workspace's pulls wait for it
        self.drill_run = run
        self.drill_paused = False
        self.drill_keep = keep
        self._real_store, self._real_clock = self.store, self.clock
        self.clock = run.clock
        self.drill_band.start(scenario.title)
        self.load_store(run.store, remember=False)
        self._drill_labels()
        self._drill_state_changed()
        self.drill_tick()
        self.drill_timer.start()
        self.statusBar().showMessage(
            "Drill started in a sealed copy of your workspace: nothing here is real.", 10000
        )
        return run

    def _drill_labels(self) -> None:
        run = self.drill_run
        if run is None or self._real_store is None:
            return
        self.workspace_label.setText(f"Drill copy of {self._real_store.path.name}")
        self.workspace_label.setToolTip(plain(str(run.sandbox.path)))
        self.setWindowTitle(f"EXERCISE: {run.scenario.title} — Crisis Desk")

    # --- while it runs -------------------------------------------------------------------

    def drill_tick(self) -> list[DrillEvent]:
        """Play what is due, show the scenario's calls, emails, facts and posts, and have the
        pages that show what changed refresh themselves."""
        run = self.drill_run
        if run is None:
            return []
        events = run.step()
        domains: set[str] = set()
        for event in events:
            if event.by == "scenario" and event.kind in NOTICE_KINDS:
                self.drill_band.add_notice(
                    "T+" + offset_text(event.minute * 60), event.kind, event.title, event.text
                )
                if event.kind in ("call", "email", "fact"):
                    self.statusBar().showMessage(f"Drill: {event.title}", 15000)
            if event.mention_ids:
                domains |= {"mentions", "sentiment", "spikes"}
        self._show_drill_clock()
        if domains:
            self.announce(domains)
        else:
            self.refresh_incident_state()  # the countdowns follow the drill clock
        if run.finished and not run.stopped:
            self.statusBar().showMessage("The drill's time is up.", 10000)
            self.end_drill(ask=False)
        return events

    def _show_drill_clock(self) -> None:
        run = self.drill_run
        if run is None:
            return
        elapsed = min(run.clock() - run.started_at, run.scenario.duration)
        self.drill_band.show_clock(offset_text(elapsed), run.clock.speed, self.drill_paused)

    def set_drill_speed(self, speed: int) -> None:
        run = self.drill_run
        if run is None:
            return
        run.set_speed(speed)
        self.speed_actions[speed].setChecked(True)
        self._show_drill_clock()

    def show_sandbox_band(self) -> None:
        """A drill's copy opened as a workspace (`crisisdesk --db …/sandbox.db`, to play along
        with `crisisdesk drill run` in a terminal): the band says so, without drill controls."""
        sandboxed = self.drill_run is None and is_sandbox(self.store)
        if sandboxed:
            self.drill_band.start("a drill's copy, played from the terminal")
        elif self.drill_run is None:
            self.drill_band.hide()
        for widget in (self.drill_band.pause, self.drill_band.end, self.drill_band.toggle):
            widget.setVisible(not sandboxed)
        self.drill_band.clock_label.setVisible(not sandboxed)

    def toggle_drill_pause(self) -> None:
        run = self.drill_run
        if run is None:
            return
        self.drill_paused = not self.drill_paused
        if self.drill_paused:
            run.pause()
        else:
            run.resume()
        self._show_drill_clock()

    def autoplay_to(self, minutes: float) -> None:
        """Let the autopilot play the owner up to T+`minutes` on a manual drill clock, moving
        from one due moment to the next (the screenshots of a drill in progress)."""
        from app.drills.autopilot import Autopilot

        run = self.drill_run
        if run is None or not run.clock.manual:
            raise ValueError("autoplay needs a drill on a manual clock")
        pilot = Autopilot(run)
        target = run.started_at + timedelta(minutes=minutes)
        while self.drill_run is run:
            if pilot.act(self.drill_tick()):
                self.drill_tick()
            now = run.clock()
            if now >= target or self.drill_run is not run:
                break
            upcoming = [t for t in (run.next_due(), pilot.next_due()) if t and t > now]
            run.clock.advance_to(min([*upcoming, target]))

    # --- ending ----------------------------------------------------------------------------

    def _confirm_end(self) -> bool:
        title = "End the drill?"
        text = (
            "End the drill now? Your score counts what you did so far and is kept in the "
            "Drills list. The drill's copy of your workspace is thrown away, with anything "
            "typed in it; your real workspace comes back exactly as it was."
        )
        if self.ask_end_drill is not None:
            return self.ask_end_drill(title, text)
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        end = box.addButton("End drill", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep playing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is end

    def end_drill(self, ask: bool = True, show_score: bool = True) -> DrillScore | None:
        """Ask (unless the time is up), keep the score, give the window its real workspace
        back and show the score."""
        run = self.drill_run
        if run is None:
            return None
        if ask:
            self.drill_timer.stop()  # no step, and no "time is up", while the owner answers
            if not self._confirm_end():
                if self.drill_run is run:
                    self.drill_timer.start()
                return None
            if self.drill_run is not run:  # ended meanwhile
                return self.last_drill_score
        self.drill_timer.stop()
        score: DrillScore | None = None
        problem = ""
        try:
            score = run.finish(keep=self.drill_keep)
        except UserError as exc:  # the list of drills could not be written: said, not lost
            problem = str(exc)
        real_store, real_clock = self._real_store, self._real_clock
        assert real_store is not None and real_clock is not None
        ops.cancel_all(within=self)
        ops.wait_for_all(10_000)  # nothing may still read the copy when it is removed
        self.drill_run = None
        self.clock = real_clock
        self.load_store(real_store, remember=False)
        self._real_store = self._real_clock = None
        run.close()
        self.drill_band.hide()
        self._drill_state_changed()
        self.announce({"drills"})
        if self.pulls_were_on:
            self.pulls.start()
        if problem:
            QMessageBox.warning(self, "The score was not kept", plain(problem))
        self.last_drill_score = score
        if score is not None:
            self.statusBar().showMessage(f"Drill ended: {score.summary}.", 10000)
            if show_score:
                self.show_drill_score(score.as_dict(with_events=False))
        return score

    def show_drill_score(self, document: dict) -> DrillScoreDialog:
        dialog = DrillScoreDialog(document, self, store=self.store)  # the real one again
        self.drill_score_dialog = dialog
        dialog.open()
        return dialog

    def leave_drill_before_closing(self) -> bool:
        """Closing the window during a drill ends it first (after asking)."""
        if self.drill_run is not None:
            self.end_drill(show_score=False)
        return self.drill_run is None

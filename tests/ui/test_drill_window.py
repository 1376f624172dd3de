"""The window's drill mode: a shipped scenario played through the window at 10× on a drill clock
the test moves itself (never the wall clock), the owner declaring, escalating and publishing as
they would; the band on every page; End drill asking first; the score with each expectation and
its minute; and the real workspace the same, byte for byte, afterwards."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from app.drills.model import MET
from app.drills.repository import DrillRecords
from app.drills.scenario import find_scenario, read_scenario
from tests.conftest import FIXED_NOW
from tests.ui.helpers import no_unexpected_dialogs  # noqa: F401
from ui.dialogs.declare import DeclareIncidentDialog
from ui.dialogs.drills import DrillScoreDialog, StartDrillDialog
from ui.dialogs.incidents import ChangeLevelDialog
from ui.dialogs.statements import ApproveDialog, NewStatementDialog, PublishDialog
from ui.page_specs import PAGE_KEYS

START = FIXED_NOW + timedelta(hours=1)
STATEMENT = """We know that a child had an allergic reaction after eating one of our brownies \
sold as nut-free. We are so sorry. We understand how frightening this is for the family.

We have taken every brownie off sale in both shops while we find out what happened.

We will post our next update by 14:00 today. If you are worried, call us on 020 7946 0999."""


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_of(path) -> dict[str, str]:
    """The workspace file and its journal, as they are on disk."""
    return {
        p.name: sha256(p)
        for p in path.parent.iterdir()
        if p.is_file() and p.name.startswith(path.name)
    }


def at(window, minutes: float) -> list:
    """Move the drill clock to T+`minutes` and let the window step the drill."""
    run = window.drill_run
    run.clock.advance_to(run.started_at + timedelta(minutes=minutes))
    return window.drill_tick()


def bakery():
    return read_scenario(find_scenario("food-safety-bakery"))


def test_a_shipped_scenario_played_through_the_window_at_10x(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    real = window.store.path
    real_store = window.store
    before = files_of(real)
    real_incidents = [(i.id, i.title, i.level) for i in real_store.incidents.all()]
    real_mentions = real_store.mentions.count()

    run = window.begin_drill(bakery(), 10, manual=True, start=START)
    assert run is not None and window.store is run.store and window.clock is run.clock
    band = window.drill_band
    assert band.isVisible() and "EXERCISE" in band.mark.text()
    assert band.title.full.startswith("drill: A child's allergic reaction")
    assert band.latest.full.startswith("T+00:00 · A parent's post")
    assert band.clock_label.text() == "T+00:00 · 10×"

    # The injects arrive on the drill clock, into the copy the window shows.
    first = band.notices()
    assert first == [
        "T+00:00 · A parent's post in the local Facebook group — “" + first[0].split("“", 1)[1]
    ]
    assert window.store.mentions.count() == real_mentions + 1
    at(window, 5.5)
    assert not any("Email" in n for n in band.notices())
    at(window, 6)
    assert band.notices()[0].startswith("T+06:00 · Email: twelve children ate the same brownies")
    assert band.clock_label.text() == "T+06:00 · 10×"
    assert window.store.mentions.count() == real_mentions + 6
    window.go_to("inbox")
    assert window.pages["inbox"].store is run.store

    # The owner declares at T+7, as they would: the declare dialog, level 3.
    at(window, 7)

    def declare(dialog: DeclareIncidentDialog):
        qtbot.keyClicks(dialog.title, "Brownie allergy")
        dialog.crisis_type.setCurrentIndex(dialog.crisis_type.findData("food_safety"))
        dialog.level.setCurrentIndex(dialog.level.findData(3))
        qtbot.mouseClick(dialog.declare_button, Qt.MouseButton.LeftButton)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DeclareIncidentDialog, "exec", declare)
    incident = window.declare_incident()
    assert incident is not None and incident.declared_at == START + timedelta(minutes=7)
    events = at(window, 11)
    assert [e.kind for e in events if e.by == "you"][:1] == ["declared"]
    assert band.notices()[0].startswith("T+11:00 · Call: the local paper wants a comment")
    assert window.crisis_bar.isVisible() and "Brownie allergy" in window.crisis_bar.title.text()

    # The paper called: escalate to level 4 from the incident room.
    def escalate(dialog: ChangeLevelDialog):
        dialog.level.setCurrentIndex(dialog.level.findData(4))
        dialog.reason.setText("Twelve children, and the paper called")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChangeLevelDialog, "exec", escalate)
    window.open_incident(incident.id)
    window.pages["incidents"].room.level_button.click()
    assert window.store.incidents.get(incident.id).level == 4

    # Publish a holding statement from the Statements page: write, tick, approve, publish.
    at(window, 12)
    window.go_to("statements")
    page = window.pages["statements"]

    def holding(dialog):
        dialog.stage.setCurrentIndex(dialog.stage.findData("holding"))
        dialog.incident.setCurrentIndex(dialog.incident.findData(incident.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewStatementDialog, "exec", holding)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    editor.editor.setPlainText(STATEMENT)
    qtbot.keyClick(editor.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    for row in range(editor.checklist.count()):
        editor.checklist.item(row).setCheckState(Qt.CheckState.Checked)
    approved = {}

    def approve(dialog):
        approved["by"] = dialog.approver.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ApproveDialog, "exec", approve)
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(approved), timeout=3000)

    def on_the_website(dialog):
        for row in range(dialog.channels.count()):
            if dialog.channels.item(row).data(Qt.ItemDataRole.UserRole) == "website":
                dialog.channels.item(row).setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PublishDialog, "exec", on_the_website)
    editor.publish_button.click()
    assert window.store.statements.get(editor.statement.id).status == "published"
    events = at(window, 13)
    checked = [e for e in events if e.kind == "checked"]
    assert checked and checked[0].data["missing"] == []  # the checker's core rules pass

    # Play to the end, a minute at a time; at T+30 the time is up: the score opens.
    for minute in range(14, 31):
        at(window, minute)
        if window.drill_run is None:
            break
    assert window.drill_run is None
    dialog = window.drill_score_dialog
    assert isinstance(dialog, DrillScoreDialog) and dialog.isVisible()
    lines = dialog.lines()
    heads = [line.split("\n")[0] for line in lines]
    assert heads == [
        "✓ Met · T+07:00 · Declare by T+10:00",
        "✓ Met · T+11:00 · The right level: Level 4 · Critical by T+25:00",
        "✓ Met · T+12:00 · First update within your plan's deadline",
        "✗ Missed · — · The people of your ladder reached in time",
        "✓ Met · T+12:00 · A statement that passes the checker's core rules",
        "– Not due · — · The playbook's first-hour checklist done",
    ]
    assert "Not reached in time: " in lines[3]
    assert len(lines) == len(dialog.document["expectations"]) >= 5
    record = DrillRecords(real).all()[0]
    assert dialog.document["summary"] == record.summary
    assert [e["status"] for e in record.expectations][:2] == [MET, MET]
    dialog.close()

    # The window is back on the real workspace, which never saw the drill.
    assert window.store is real_store and not band.isVisible()
    assert window.clock is not run.clock and window.act_backup.isEnabled()
    assert [(i.id, i.title, i.level) for i in real_store.incidents.all()] == real_incidents
    assert real_store.mentions.count() == real_mentions
    assert files_of(real) == before
    assert not run.sandbox.folder.exists()
    assert "EXERCISE" not in window.windowTitle()


def test_the_band_is_on_every_page_and_end_drill_asks_first(qtbot, make_window):
    window = make_window(demo=True)
    before = files_of(window.store.path)
    run = window.begin_drill(bakery(), 5, manual=True, start=START)
    for key in PAGE_KEYS:
        window.go_to(key)
        assert window.drill_band.isVisible(), key
        assert window.pages[key].store is run.store, key
    assert not window.act_backup.isEnabled() and not window.act_open.isEnabled()
    asked = []
    window.ask_end_drill = lambda title, text: asked.append(text) or False
    window.drill_band.end.click()
    assert asked and "real workspace comes back exactly as it was" in asked[0]
    assert window.drill_run is run and window.drill_band.isVisible()  # said no: still on
    window.drill_band.pause.click()
    assert run.clock.paused and "paused" in window.drill_band.clock_label.text()
    assert window.drill_band.pause.text() == "Resume"
    window.ask_end_drill = lambda title, text: True
    window.act_drill_end.trigger()
    assert window.drill_run is None
    for key in PAGE_KEYS:
        window.go_to(key)
        assert not window.drill_band.isVisible(), key
    assert files_of(window.store.path) == before
    window.drill_score_dialog.close()
    debriefs = window.pages["debriefs"]
    window.go_to("debriefs")
    assert debriefs.drills.topLevelItemCount() == 1
    assert "expectations met" in debriefs.drills.topLevelItem(0).text(3)


def test_run_a_drill_opens_the_chooser_from_the_incidents_page_and_the_menu(qtbot, make_window):
    window = make_window(demo=True)
    window.go_to("drill")
    dialog = window.drill_dialog
    assert isinstance(dialog, StartDrillDialog) and dialog.isVisible()
    assert dialog.list.count() == 7  # every shipped scenario
    assert "min at 1×" in dialog.list.item(0).text()
    assert [dialog.speed.itemText(i) for i in range(dialog.speed.count())] == [
        "1×",
        "2×",
        "5×",
        "10×",
    ]
    dialog.speed.setCurrentIndex(dialog.speed.findData(10))
    dialog.reject()
    assert window.drill_run is None
    assert (
        window.act_drill in window.all_actions()
        and window.act_drill_end not in window.all_actions()
    )
    assert window.act_drill.shortcut().toString() == "Ctrl+Shift+D"
    # Start from the chooser: the drill's clock runs by itself (nothing here waits on it).
    window.act_drill.trigger()
    dialog = window.drill_dialog
    dialog.speed.setCurrentIndex(dialog.speed.findData(10))
    dialog.start_button.click()
    assert window.drill_run is not None and window.drill_run.clock.speed == 10
    assert not window.drill_run.clock.manual
    window.ask_end_drill = lambda title, text: True
    assert window.end_drill() is not None
    window.drill_score_dialog.close()


def test_the_empty_incidents_page_offers_a_drill_not_a_practice_incident(make_window):
    from app.onboarding import start_empty

    window = make_window(prepare=start_empty)
    window.go_to("incidents")
    page = window.pages["incidents"]
    [drill] = [b for b in page.empty.findChildren(QPushButton) if b.text() == "Run a drill…"]
    drill.click()
    assert isinstance(window.drill_dialog, StartDrillDialog)
    window.drill_dialog.reject()
    assert window.store.incidents.all() == []  # nothing declared in the real workspace


def test_a_broken_scenario_file_is_refused_in_one_sentence(make_window, tmp_path, monkeypatch):
    window = make_window(demo=True)
    dialog = window.open_drill_dialog()
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'drill_format = 1\ntitle = "x"\ncrisis_type = "no_such_playbook"\nduration = "10:00"\n'
        '[[inject]]\nat = "01:00"\nkind = "fact"\ntext = "The lab calls."\n',
        encoding="utf-8",
    )
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: said.append(a[2]))
    assert not dialog.add_file(broken)
    assert said and "line 3" in said[0] and "no_such_playbook" in said[0]
    assert "\n" not in said[0]
    assert dialog.list.count() == 7
    dialog.reject()


def test_the_score_exports_and_readiness_follows_the_drills(make_window, tmp_path, monkeypatch):
    from ui.dialogs import exports

    window = make_window(demo=True)
    window.go_to("dashboard")
    dashboard = window.pages["dashboard"]
    assert [i.text for i in dashboard.readiness_lines][:2] == [
        "No drill yet",
        "Drills this year: 0 of 2",
    ]
    window.begin_drill(bakery(), 10, manual=True, start=START)
    at(window, 4)
    window.ask_end_drill = lambda title, text: True
    score = window.end_drill()
    dialog = window.drill_score_dialog
    target = tmp_path / "score.md"
    monkeypatch.setattr(exports, "save_path", lambda *a, **k: target)
    assert dialog.export() == target
    report = target.read_text(encoding="utf-8")
    assert f"**{score.summary}**" in report and "| ✗ missed | — | Declare by T+10:00 |" in report
    dialog.close()
    window.go_to("dashboard")
    lines = [i.text for i in window.pages["dashboard"].readiness_lines]
    assert (
        lines[0].startswith("Last drill: A child's allergic reaction") and score.summary in lines[0]
    )
    assert lines[1] == "Drills this year: 1 of 2"


def test_closing_the_window_during_a_drill_asks_and_gives_the_workspace_back(make_window):
    window = make_window(demo=True)
    real = window.store
    before = files_of(real.path)
    window.begin_drill(bakery(), 2, manual=True, start=START)
    window.ask_end_drill = lambda title, text: False
    assert not window.close()  # said no: the drill goes on
    assert window.drill_run is not None
    window.ask_end_drill = lambda title, text: True
    window.end_drill()
    window.drill_score_dialog.close()
    assert window.store is real and files_of(real.path) == before


def test_end_drill_asks_in_plain_words_and_keep_playing_is_the_default(make_window, monkeypatch):
    window = make_window(demo=True)
    run = window.begin_drill(bakery(), 5, manual=True, start=START)
    seen = {}

    def answer(box, choice):
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["default"] = box.defaultButton().text()
        next(b for b in box.buttons() if b.text() == choice).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", lambda box: answer(box, "Keep playing"))
    assert window.end_drill() is None and window.drill_run is run
    assert window.drill_timer.isActive()  # the drill goes on
    assert sorted(seen["buttons"]) == ["End drill", "Keep playing"]
    assert seen["default"] == "Keep playing"
    monkeypatch.setattr(QMessageBox, "exec", lambda box: answer(box, "End drill"))
    assert window.end_drill() is not None and window.drill_run is None
    window.drill_score_dialog.close()


def test_time_up_while_the_owner_is_asked_ends_the_drill_once(make_window):
    window = make_window(demo=True)
    run = window.begin_drill(bakery(), 10, manual=True, start=START)

    def time_runs_out(title, text):
        at(window, 31)  # the scenario's end passes while the question is open
        return True

    window.ask_end_drill = time_runs_out
    score = window.end_drill()
    assert score is window.last_drill_score and window.drill_run is None
    assert run.score is score and len(DrillRecords(window.store.path).all()) == 1
    window.drill_score_dialog.close()


def test_a_notification_during_a_drill_says_exercise(make_window):
    window = make_window(demo=True)
    window.begin_drill(bakery(), 10, manual=True, start=START)
    window.notify("Mentions spiked", "20× the usual")
    assert window.last_notification == ("EXERCISE — Mentions spiked", "20× the usual")
    window.ask_end_drill = lambda title, text: True
    window.end_drill(show_score=False)
    window.notify("Mentions spiked", "20× the usual")
    assert window.last_notification == ("Mentions spiked", "20× the usual")


def test_the_speed_changes_from_the_drill_menu(make_window):
    window = make_window(demo=True)
    assert not window.speed_menu.isEnabled()
    run = window.begin_drill(bakery(), 10, manual=True, start=START)
    assert window.speed_menu.isEnabled() and window.speed_actions[10].isChecked()
    window.speed_actions[2].trigger()
    assert run.clock.speed == 2 and window.drill_band.clock_label.text() == "T+00:00 · 2×"
    window.ask_end_drill = lambda title, text: True
    window.end_drill(show_score=False)
    assert not window.speed_menu.isEnabled()


def test_a_drills_copy_opened_as_a_workspace_wears_the_band(make_window, tmp_path, copy_demo):
    from app.drills.runner import start_drill

    real = copy_demo(tmp_path / "real.db")
    run = start_drill(real, bakery(), start=START, manual=True)
    try:
        window = make_window(path=run.sandbox.path)
        band = window.drill_band
        assert band.isVisible() and "terminal" in band.title.full
        assert not band.pause.isVisible() and not band.end.isVisible()
        window.close()
    finally:
        run.close()


def test_a_lesson_from_the_drill_changes_the_real_plan_and_nothing_else(make_window):
    """After a drill, "Change my plan…" writes a lesson whose ticked change becomes one new
    revision of the real plan that names the drill; no incident or post of the drill arrives."""
    window = make_window(demo=True)
    store = window.store
    revisions_before = len(store.plan.revisions())
    incidents_before = len(store.incidents.all())
    cadence_before = store.plan.get_current().level(3).cadence_min
    window.begin_drill(bakery(), 10, manual=True, start=START)
    at(window, 4)
    window.ask_end_drill = lambda title, text: True
    window.end_drill()
    assert window.store is store  # the real workspace again
    lessons = window.drill_score_dialog.change_plan()
    form = lessons.form
    assert not lessons.apply_button.isEnabled()
    form.lesson_text.setText("We were slow to post the second update")
    form.change_kind.setCurrentIndex(form.change_kind.findData("cadence"))
    form.change_level.setValue(3)
    form.change_minutes.setValue(cadence_before // 2)
    form.add_button.click()
    assert "update every" in lessons.lesson_list.item(0).text()
    assert lessons.apply_button.isEnabled()
    lessons.apply_button.click()
    assert len(store.plan.revisions()) == revisions_before + 1
    assert store.plan.get_current().level(3).cadence_min == cadence_before // 2
    assert "From the drill “A child's allergic reaction" in store.plan.revisions()[0].summary
    assert len(store.incidents.all()) == incidents_before


def test_closing_the_drill_lessons_unapplied_asks_first(make_window, monkeypatch):
    from ui.dialogs import ask

    window = make_window(demo=True)
    window.begin_drill(bakery(), 10, manual=True, start=START)
    at(window, 2)
    window.ask_end_drill = lambda title, text: True
    window.end_drill()
    lessons = window.drill_score_dialog.change_plan()
    lessons.form.lesson_text.setText("Print the call tree for the shop wall")
    lessons.form.add_button.click()
    asked = []
    monkeypatch.setattr(ask, "choose", lambda *a, **k: asked.append(a[2]) or "keep")
    lessons.reject()
    assert asked and lessons.isVisible()

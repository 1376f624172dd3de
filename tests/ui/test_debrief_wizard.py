"""The debrief wizard walked end to end as a user would, left in the middle and resumed; the
export runs in a worker with progress; accepted lessons change the plan."""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard

from tests.conftest import FIXED_NOW
from ui.wizards.debrief import DebriefWizard


def _resolved_incident(store):
    """On the demo: a second incident, resolved, ready for its debrief."""
    incident = store.incidents.declare(
        "Rude reply from our account", 2, declared_at=FIXED_NOW - timedelta(hours=3)
    )
    store.incidents.record_published_update(incident.id, "Apology", "instagram")
    store.incidents.set_status(incident.id, "resolved")
    return incident.id


def test_walk_leave_resume_and_finish(qtbot, make_window, monkeypatch, tmp_path):
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    window = make_window(prepare=_resolved_incident, demo=True)
    store = window.store
    incident_id = next(i.id for i in store.incidents.all() if i.title.startswith("Rude"))
    debrief = store.debriefs.start(store.incidents.get(incident_id))
    wizard = DebriefWizard(store, debrief, window)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == 0 and "Rude reply" in wizard.summary.toPlainText()
    qtbot.keyClicks(wizard.summary, " We replied in anger at 11pm.")
    wizard.next()  # 2 Timeline
    first_event = wizard.events.topLevelItem(0)
    first_event.setCheckState(0, Qt.CheckState.Checked)
    wizard.events.setCurrentItem(first_event)
    qtbot.keyClicks(wizard.note, "Priya saw it first")
    qtbot.keyClick(wizard.note, Qt.Key.Key_Return)
    wizard.next()  # 3 Metrics
    assert wizard.metric_table.topLevelItemCount() == 14
    assert wizard.hindsight_line.text().startswith("When could we have known?")
    wizard.next()  # 4 Went well / not
    qtbot.keyClicks(wizard.went_well.entry, "The apology went out within the hour")
    qtbot.keyClick(wizard.went_well.entry, Qt.Key.Key_Return)
    qtbot.keyClicks(wizard.went_badly.entry, "Late-night replies had no second reader")
    qtbot.keyClick(wizard.went_badly.entry, Qt.Key.Key_Return)
    wizard.next()  # 5 — then leave in the middle
    wizard.reject()
    saved = store.debriefs.for_incident(incident_id)
    assert saved.step == 4 and saved.status == "draft"
    assert saved.went_well == ["The apology went out within the hour"]
    assert "replied in anger" in saved.summary
    key = next(e for e in store.incidents.timeline(incident_id) if e.key_moment)
    assert store.incidents.annotations(incident_id)[key.id] == "Priya saw it first"

    # Days later: resume where it was left.
    wizard = DebriefWizard(store, store.debriefs.for_incident(incident_id), window)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == 4
    # The steps before it are behind Back, as they were before leaving.
    assert wizard.button(QWizard.WizardButton.BackButton).isVisible()
    wizard.back()
    assert wizard.currentId() == 3
    wizard.next()
    assert wizard.went_badly.items() == ["Late-night replies had no second reader"]
    qtbot.keyClicks(wizard.root_cause, "Anyone could reply from the shop account at night.")
    qtbot.keyClicks(wizard.action_title, "Two-person rule for replies after 9 pm")
    qtbot.keyClick(wizard.action_title, Qt.Key.Key_Return)
    assert [t.title for t in store.incidents.tasks(incident_id, "corrective")] == [
        "Two-person rule for replies after 9 pm"
    ]
    wizard.next()  # 6 Lessons
    form = wizard.lessons_form
    qtbot.keyClicks(form.lesson_text, "Update every 45 minutes at level 3")
    form.change_kind.setCurrentIndex(form.change_kind.findData("cadence"))
    form.change_level.setValue(3)
    form.change_minutes.setValue(45)
    qtbot.keyClick(form.lesson_text, Qt.Key.Key_Return)
    revisions_before = len(store.plan.revisions())
    wizard.next()  # 7 Review: accepted changes applied as a plan revision naming the debrief
    assert len(store.plan.revisions()) == revisions_before + 1
    assert store.plan.get_current().level(3).cadence_min == 45
    revision = store.db["plan_revisions"].get(store.plan.revisions()[0].id)
    assert revision["debrief_id"] == saved.id
    assert "Two-person rule" in wizard.report.toPlainText()
    assert "Update cadence kept" in wizard.report.toPlainText()

    # Export runs in a worker with progress, then the wizard finishes.
    pdf = tmp_path / "debrief.pdf"
    wizard.export_pdf(str(pdf))
    qtbot.waitUntil(pdf.exists, timeout=20000)
    qtbot.waitUntil(lambda: pdf.stat().st_size > 10_000, timeout=20000)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert store.debriefs.for_incident(incident_id).status == "complete"
    assert store.incidents.get(incident_id).status == "closed"


def test_the_demo_debrief_says_when_we_could_have_known(qtbot, make_window):
    from ui.wizards.debrief import DebriefWizard

    window = make_window(demo=True)
    store = window.store
    (incident,) = store.incidents.all()
    wizard = DebriefWizard(store, store.debriefs.for_incident(incident.id), window)
    qtbot.addWidget(wizard)
    wizard.show()
    line = wizard.hindsight_line.text()
    assert line.startswith("When could we have known? With “")
    assert "you would have been alerted at" in line and "earlier" in line
    qtbot.mouseClick(wizard.use_setting, Qt.MouseButton.LeftButton)
    assert store.detection.setting() == wizard.hindsight_choice.setting
    assert wizard.hindsight_line.text().endswith("This is your alarm's setting.")
    assert not wizard.use_setting.isVisible()
    wizard.reject()

"""Every screen of the window and every dialog, each reached as the owner would reach it, for
the fit test (and for pictures to look at: `python -m tests.ui.views OUT_DIR`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.mentions.model import MentionFilter

WindowView = Callable[[object], None]


def prepare(store) -> None:
    """The demo, plus an incident still open (the demo's own is closed), with people, tasks
    and a draft statement: the bad day, mid-way."""
    now = store.clock()
    ids = store.mentions.ids_matching(
        MentionFilter("sourdough"), (now - timedelta(days=3)).isoformat(), now.isoformat()
    )
    incident = store.incidents.declare(
        "Mould on the sourdough loaves (Old Town)", 3, crisis_type="food_safety", mention_ids=ids
    )
    store.incidents.add_task(incident.id, "Pull the sourdough from all three shops", "Daniel Reyes")
    store.incidents.add_task(
        incident.id, "Fridge alarm that texts the manager", "Tomasz Nowak", kind="corrective"
    )
    store.incidents.add_note(incident.id, "Council inspector booked for 14:00")
    store.statements.create(
        "Holding statement: sourdough",
        "holding",
        "We are sorry. Some customers found mould on loaves bought on Friday. "
        "We will post our next update by 15:00.",
        incident.id,
    )


def _page(key: str) -> WindowView:
    return lambda window: window.go_to(key)


def _tab(key: str, attr: str, index: int) -> WindowView:
    def show(window) -> None:
        window.go_to(key)
        getattr(window.pages[key], attr).setCurrentIndex(index)

    return show


def _room(index: int) -> WindowView:
    def show(window) -> None:
        incident = window.store.incidents.all(open_only=True)[0]
        window.open_incident(incident.id)
        window.pages["incidents"].room.tabs.setCurrentIndex(index)

    return show


def _statement(index: int) -> WindowView:
    def show(window) -> None:
        window.go_to("statements")
        page = window.pages["statements"]
        draft = next(s for s in window.store.statements.all() if s.status == "draft")
        page.show_statement(draft.id)
        page.editor.tabs.setCurrentIndex(index)

    return show


def _drill(key: str) -> WindowView:
    """A page during a drill, the autopilot at T+12 (the drill band and its notices above)."""

    def show(window) -> None:
        from app.drills.scenario import find_scenario, read_scenario

        if window.drill_run is None:
            scenario = read_scenario(find_scenario("food-safety-bakery"))
            window.begin_drill(scenario, 10, manual=True, keep=False)
            window.autoplay_to(12)
        window.go_to(key)

    return show


def end_drill(window) -> None:
    if window.drill_run is not None:
        window.end_drill(ask=False, show_score=False)


WINDOW_VIEWS: dict[str, WindowView] = {
    "dashboard": _page("dashboard"),
    "plan-roles": _tab("plan", "tabs", 0),
    "plan-ladder": _tab("plan", "tabs", 1),
    "plan-channels": _tab("plan", "tabs", 2),
    "plan-playbooks": _tab("plan", "tabs", 3),
    "plan-revisions": _tab("plan", "tabs", 4),
    "contacts": _tab("contacts", "tabs", 0),
    "contacts-call-tree": _tab("contacts", "tabs", 1),
    "inbox": _page("inbox"),
    "incident-people": _room(0),
    "incident-checklists": _room(1),
    "incident-assessment": _room(2),
    "incident-tasks": _room(3),
    "incident-timeline": _room(4),
    "incident-mentions": _room(5),
    "statement-preview": _statement(0),
    "statement-checker": _statement(1),
    "statement-checklist": _statement(2),
    "statement-channels": _statement(3),
    "statement-versions": _statement(4),
    "debriefs": _page("debriefs"),
    "welcome": _page("welcome"),
    # Last: these leave the window in a drill (end_drill gives it back).
    "drill-dashboard": _drill("dashboard"),
    "drill-inbox": _drill("inbox"),
    "drill-incident": _drill("incidents"),
}


def _dialogs(window) -> dict[str, Callable[[], QWidget]]:
    """Every dialog, built as its page builds it."""
    from app.contacts.importing import preview_import
    from app.contacts.vcard import parse_vcards
    from app.plan.diff import diff_plans
    from ui.dialogs.business import BusinessProfileDialog
    from ui.dialogs.clusters import ClustersDialog
    from ui.dialogs.contacts import ContactDialog, CsvMappingDialog, ImportReviewDialog
    from ui.dialogs.declare import DeclareIncidentDialog
    from ui.dialogs.drills import DrillLessonsDialog, DrillScoreDialog, StartDrillDialog
    from ui.dialogs.exports import ExportedDialog
    from ui.dialogs.help import ShortcutsDialog
    from ui.dialogs.incidents import ChangeLevelDialog, EndIncidentDialog, RecordUpdateDialog
    from ui.dialogs.mentions import AddMentionDialog, ReasonDialog, TagDialog
    from ui.dialogs.palette import CommandPaletteDialog
    from ui.dialogs.plan import SaveRevisionDialog
    from ui.dialogs.sharing import JoinDialog, ShareDialog
    from ui.dialogs.sources import SourcesDialog
    from ui.dialogs.statements import (
        ApproveDialog,
        LandingPageDialog,
        NewStatementDialog,
        PublishDialog,
    )
    from ui.wizards.debrief import DebriefWizard

    store = window.store
    incident = store.incidents.all(open_only=True)[0]
    statement = next(s for s in store.statements.all() if s.status == "draft")
    closed = next(i for i in store.incidents.all() if i.status in ("resolved", "closed"))
    contact = store.contacts.all()[0]
    vcard = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Amara Lewis\r\nORG:Lewis & Co Solicitors\r\n"
        "TEL;TYPE=work:+44 20 7946 0111\r\nEMAIL:amara@lewis.example\r\nEND:VCARD\r\n"
    )
    plan = store.plan.get_current()
    revisions = store.plan.revisions()
    changes = [d.line() for d in diff_plans(revisions[-1].plan, plan, store.contacts.names())]
    from app.contacts.csv_files import guess_mapping, read_csv

    table = read_csv("Name;Phone;Email;Company\nAmara Lewis;+44 20 7946 0111;a@l.example;Lewis\n")
    return {
        "business-profile": lambda: BusinessProfileDialog(store.business.get(), parent=window),
        "declare-incident": lambda: DeclareIncidentDialog(store, title="", parent=window),
        "change-level": lambda: ChangeLevelDialog(3, window),
        "record-update": lambda: RecordUpdateDialog(window),
        "resolve-incident": lambda: EndIncidentDialog(
            incident.title,
            "resolved",
            store.incidents.open_ends(incident.id).lines("resolved"),
            window,
        ),
        "add-mention": lambda: AddMentionDialog(store.clock(), window),
        "ignore-reason": lambda: ReasonDialog("Ignore", "Why?", ("Spam",), "Ignore", window),
        "tag": lambda: TagDialog(["food-safety"], window),
        "contact": lambda: ContactDialog(contact, store.contacts.groups(), window),
        "contacts-csv": lambda: CsvMappingDialog(
            table, guess_mapping(table.headers), "people.csv", window
        ),
        "contacts-review": lambda: ImportReviewDialog(
            preview_import(store.contacts, parse_vcards(vcard)), "phone.vcf", window
        ),
        "save-plan": lambda: SaveRevisionDialog(changes[:6], "Faster updates", "Maya", window),
        "new-statement": lambda: NewStatementDialog(store, incident.id, window),
        "approve": lambda: ApproveDialog(
            statement,
            "Decision maker",
            "Maya Okafor",
            [e.item for e in store.statements.checklist(statement.id)],
            2,
            window,
        ),
        "publish": lambda: PublishDialog(
            statement, {"x": "It is 516 characters and X takes 280."}, window
        ),
        "landing-page": lambda: LandingPageDialog(
            incident.title, "", "An update from Hearth & Crumb", [statement.title], window
        ),
        "exported": lambda: ExportedDialog(
            store.path.with_name("Hearth & Crumb - plan binder.pdf"),
            "Wrote the plan binder (12 pages).",
            window,
        ),
        "shortcuts": lambda: ShortcutsDialog(window),
        "quick-search": lambda: CommandPaletteDialog(window.all_actions(), window),
        "sources": lambda: SourcesDialog(store, window.secrets, lambda *a: None, window),
        "coordinated-posts": lambda: _found(ClustersDialog(store, window)),
        "debrief-wizard": lambda: DebriefWizard(
            store, store.debriefs.start(store.incidents.get(closed.id)), window
        ),
        "start-drill": lambda: StartDrillDialog(window.playbooks(), window),
        "drill-score": lambda: DrillScoreDialog(_drill_score(store.path), window),
        "drill-lessons": lambda: DrillLessonsDialog(
            store, {"title": "A child's allergic reaction to a new cake"}, window
        ),
        "share": lambda: ShareDialog(store, window.sync_now, window),
        "join": lambda: JoinDialog(window),
        "share-conflict": lambda: ShareDialog(
            _shared_with_a_conflict(store, statement),
            window.sync_now,
            window,
            state=lambda: (
                "Sync failed: The shared folder cannot be reached right now; your changes "
                "wait here until it can."
            ),
        ),
    }


def _found(dialog):
    """A dialog that looks in the background, once it has found what it shows."""
    from ui import ops

    ops.wait_for_all()
    return dialog


def _shared_with_a_conflict(store, statement):
    """The workspace as a laptop of a shared one sees it after two people changed `statement`
    (the settings `share join` writes, and the conflict a round records). Last of the dialogs:
    it changes the workspace."""
    import json

    from app.sharing import local

    folder = store.path.parent / "shared-for-fit"
    folder.mkdir(exist_ok=True)
    for name, value in (("workspace", "ws-fit"), ("folder", str(folder)), ("device", "1"),
                        ("person", "Tom Okafor-Whitfield")):  # fmt: skip
        store.settings.set(local.KEYS[name], value)
    other = statement.body + "\n\nOur hotline is open from 8am to 8pm, every day this week."
    store.db.execute(
        "INSERT OR REPLACE INTO sync_conflicts (id, tbl, pk, kept_device, kept_at, "
        "other_device, other_at, other_values) VALUES ('fit', 'statements', ?, 1, "
        "'2026-11-20T09:00:00+00:00', 0, '2026-11-20T08:59:00+00:00', ?)",
        [str(statement.id), json.dumps({"body": other})],
    )
    store.db.conn.commit()
    return store


def _drill_score(workspace) -> dict:
    """A real score: the autopilot plays a shipped scenario on a copy (nothing kept)."""
    from app.drills.autopilot import Autopilot
    from app.drills.runner import run_to_end, start_drill
    from app.drills.scenario import find_scenario, read_scenario

    scenario = read_scenario(find_scenario("food-safety-bakery"))
    with start_drill(workspace, scenario, manual=True, auto=True) as run:
        run_to_end(run, Autopilot(run))
        return {**run.finish(keep=False).as_dict(with_events=False), "kept": False}


def dialog_names() -> list[str]:
    return [
        "business-profile",
        "declare-incident",
        "change-level",
        "record-update",
        "resolve-incident",
        "add-mention",
        "ignore-reason",
        "tag",
        "contact",
        "contacts-csv",
        "contacts-review",
        "save-plan",
        "new-statement",
        "approve",
        "publish",
        "landing-page",
        "exported",
        "shortcuts",
        "quick-search",
        "sources",
        "coordinated-posts",
        "debrief-wizard",
        "start-drill",
        "drill-score",
        "drill-lessons",
        "share",
        "join",
        "share-conflict",  # last: it makes the workspace a shared one
    ]


def open_dialog(window, name: str) -> QDialog:
    dialog = _dialogs(window)[name]()
    dialog.show()
    QApplication.processEvents()
    return dialog


def _main(out: str, sizes=((1280, 800),), modes=("light", "dark"), only: str = "") -> None:
    """Write a PNG of every view and dialog, and print what does not fit."""
    import os
    import tempfile
    from pathlib import Path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from app.demo.workspace import build_demo
    from app.secrets import MemorySecretStore
    from app.store import open_store
    from tests.conftest import FIXED_NOW
    from tests.ui.fit import clipped
    from ui import ops, theme
    from ui.main import MainWindow, _make_application

    app = _make_application()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp())
    clock = lambda: FIXED_NOW  # noqa: E731
    with open_store(scratch / "demo.db", clock=clock) as store:
        build_demo(store)
        prepare(store)
    for mode in modes:
        theme.apply_theme(app, mode)
        for width, height in sizes:
            settings = QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)
            window = MainWindow(
                open_store(scratch / "demo.db", clock=clock),
                settings,
                clock=clock,
                secrets=MemorySecretStore(),
            )
            window.resize(width, height)
            window.show()
            for name, view in WINDOW_VIEWS.items():
                if only and only not in name:
                    continue
                view(window)
                app.processEvents()
                ops.wait_for_all(20_000)  # charts are computed in the background
                window.grab().save(str(folder / f"{name}-{width}-{mode}.png"))
                for problem in clipped(window):
                    print(f"{name} {width}x{height} {mode}: {problem}")
            end_drill(window)
            for name in dialog_names():
                if only and only not in name:
                    continue
                dialog = open_dialog(window, name)
                dialog.grab().save(str(folder / f"dialog-{name}-{mode}.png"))
                for problem in clipped(dialog):
                    print(f"dialog {name} {mode}: {problem}")
                dialog.close()
                dialog.deleteLater()
            window.close()
    app.processEvents()


if __name__ == "__main__":
    import sys

    _main(sys.argv[1], only=sys.argv[2] if len(sys.argv) > 2 else "")

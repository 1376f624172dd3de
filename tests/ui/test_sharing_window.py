"""Sharing in the window: turning it on from the Share dialog, joining from the welcome, sync
rounds run by the window (a real `crisisdesk sync` process) that refresh the pages, a conflict
two laptops made shown as a card and settled, "My queue", and the Dashboard's handover line.

The workspace key lives in the OS keyring: under `make test` the real one (scripts/with-keyring),
elsewhere a keyring in a file (tests/sharing/file_keyring.py) for this process and the sync
processes the window starts alike.
"""

from __future__ import annotations

import json
import os

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton

from app.mentions.model import MentionFilter
from app.sharing import handover, local
from app.store import open_store
from tests.conftest import FIXED_NOW
from tests.sharing.laptops import Laptop

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def team_keyring(tmp_path, monkeypatch):
    """One keyring for this process and the processes it starts (as one person's computer)."""
    if os.environ.get("CRISISDESK_REAL_KEYRING"):
        yield
        return
    from tests.sharing.file_keyring import FileKeyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.sharing.file_keyring.FileKeyring")
    monkeypatch.setenv("CRISISDESK_TEST_KEYRING", str(tmp_path / "keyring.json"))
    before = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield
    keyring.set_keyring(before)


def _sharing_owner(tmp_path, copy_cli_demo, name: str = "maya"):
    """A real laptop that shares the demo through `tmp_path/shared`, and its invitation code."""
    folder = tmp_path / "shared"
    folder.mkdir()
    owner = Laptop(tmp_path, name)
    copy_cli_demo(owner.db)
    owner.run("share", "on", "--folder", str(folder), "--person", name.capitalize())
    code = owner.run("share", "invite").stdout.splitlines()[1]
    return owner, folder, code


def _buttons(widget, text: str) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.text() == text and b.isVisible()]


def test_turning_sharing_on_from_the_dialog(qtbot, make_window, tmp_path, team_keyring):
    window = make_window(demo=True)
    assert window.act_share in window.all_actions()  # Ctrl+K finds it
    assert window.act_join in window.all_actions()
    assert not window.sync_label.isVisible()
    window.act_share.trigger()
    dialog = window.share_dialog
    assert dialog is not None and dialog.isVisible()
    folder = tmp_path / "shared"
    dialog.folder.setText(str(tmp_path / "nowhere"))
    qtbot.mouseClick(_buttons(dialog, "Turn sharing on")[0], Qt.MouseButton.LeftButton)
    assert "does not exist" in dialog.error.text()  # one sentence, nothing written
    assert local.read_config(window.store.settings) is None
    folder.mkdir()
    dialog.folder.setText(str(folder))
    dialog.person.setText("Maya")
    qtbot.mouseClick(_buttons(dialog, "Turn sharing on")[0], Qt.MouseButton.LeftButton)

    config = local.read_config(window.store.settings)
    assert config is not None
    assert (config.folder, config.device, config.person) == (folder, 0, "Maya")
    described = json.loads((folder / local.WORKSPACE_FILE).read_text())
    assert described["workspace"] == config.workspace_id
    assert (folder / local.BASE_FILE).exists()
    key = local.SecretStore().get(local.key_name(config.workspace_id))
    assert key  # the key is in the keyring, and nowhere in the workspace's settings
    settings = dict(window.store.db.execute("SELECT key, value FROM settings").fetchall())
    assert not any(key in str(value) for value in settings.values())
    # The dialog now invites and syncs; the window runs rounds and says so.
    assert _buttons(dialog, "Invite a teammate…") and _buttons(dialog, "Sync now")
    assert window.syncs.timer.isActive()
    assert window.sync_label.isVisible()
    assert window.sync_label.text().startswith("Shared")
    qtbot.mouseClick(_buttons(dialog, "Sync now")[0], Qt.MouseButton.LeftButton)
    assert window.syncs.running and window.sync_label.text() == "Shared · syncing…"
    qtbot.waitUntil(lambda: not window.syncs.running, timeout=120_000)
    assert window.sync_label.text() == "Shared · synced just now", window.sync_label.text()
    assert (folder / "devices" / "00").is_dir()
    qtbot.mouseClick(_buttons(dialog, "Invite a teammate…")[0], Qt.MouseButton.LeftButton)
    codes = [w for w in dialog.findChildren(QLineEdit) if w.accessibleName() == "Invitation code"]
    assert codes and codes[0].text().startswith("CD")
    qr = [
        w for w in dialog.findChildren(QLabel) if w.pixmap() is not None and not w.pixmap().isNull()
    ]
    assert qr and qr[0].pixmap().width() > 100  # the QR code beside it
    window.close()
    assert not window.syncs.timer.isActive()


def test_joining_from_the_welcome_opens_the_copy(
    qtbot, make_window, tmp_path, team_keyring, copy_cli_demo, monkeypatch
):
    owner, folder, code = _sharing_owner(tmp_path, copy_cli_demo)
    target = tmp_path / "mine" / "team.db"

    import ui.team

    class Filled(ui.team.JoinDialog):
        def exec(self):
            self.code.setText(code)
            self.folder.setText(str(folder))
            self.person.setText("Tom")
            self.target.setText(str(target))
            self.accept()
            return self.result()

    monkeypatch.setattr(ui.team, "JoinDialog", Filled)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window = make_window()
    assert window.current_page_key() == "welcome"
    qtbot.mouseClick(window.pages["welcome"].join_card, Qt.MouseButton.LeftButton)
    assert window.store.path == target
    config = local.read_config(window.store.settings)
    assert config is not None and (config.device, config.person) == (1, "Tom")
    assert window.syncs.timer.isActive()
    assert window.store.business.get().name  # the owner's workspace, received whole
    assert window.current_page_key() == "dashboard"  # not the welcome again


EDIT_STATEMENT = """
statement = store.statements.all()[0]
store.statements.save(statement.id, statement.body + "\\n\\n" + {line!r})
print(statement.id)
"""

ADD_MENTION = """
from app.mentions.model import NewMention
store.mentions.add(NewMention("manual", "Maya heard it at the counter: the tarts are fine"))
"""


def test_a_round_in_the_window_refreshes_pages_and_shows_the_conflict(
    qtbot, make_window, tmp_path, team_keyring, copy_cli_demo, monkeypatch
):
    maya, folder, code = _sharing_owner(tmp_path, copy_cli_demo)
    tom = Laptop(tmp_path, "tom")
    tom.run("share", "join", code, "--folder", str(folder), "--person", "Tom")
    tom.sync()
    # Offline, both change the same statement; Maya also hears of a mention. Maya sends first.
    statement_id = int(maya.python(EDIT_STATEMENT.format(line="Maya adds the hotline hours.")))
    maya.python(ADD_MENTION)
    tom.python(EDIT_STATEMENT.format(line="Tom softens the second line."))
    maya.sync()

    window = make_window(path=tom.db)  # Tom opens Crisis Desk
    window.go_to("inbox")
    inbox = window.pages["inbox"]
    inbox.view.setCurrentText("Everything")
    before = inbox.model.total
    assert not window.conflict_notice.isVisible()
    window.syncs.stop()  # no automatic first round: this test starts it
    window.sync_now()
    qtbot.waitUntil(lambda: not window.syncs.running, timeout=120_000)
    assert window.sync_error == ""
    assert window.sync_label.text() == "Shared · synced just now"
    assert inbox.model.total == before + 1  # the Inbox refreshed with Maya's mention
    assert window.conflict_notice.isVisible()

    qtbot.mouseClick(window.conflict_notice, Qt.MouseButton.LeftButton)
    dialog = window.share_dialog
    assert dialog is not None
    cards = local.open_conflicts(window.store, local.read_config(window.store.settings))
    assert len(cards) == 1 and cards[0].pk == str(statement_id)
    assert "Maya adds the hotline hours." in cards[0].other_text
    assert "Tom softens the second line." in cards[0].kept_text
    # The card shows each side's own lines, not the whole text twice.
    assert local.differences(cards[0].kept_text, cards[0].other_text) == (
        "Tom softens the second line.",
        "Maya adds the hotline hours.",
    )
    use = _buttons(dialog, "Use Maya's")
    assert use, [b.text() for b in dialog.findChildren(QPushButton)]
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    qtbot.mouseClick(use[0], Qt.MouseButton.LeftButton)
    assert asked  # replacing the text asks first
    body = window.store.statements.get(statement_id).body
    assert "Maya adds the hotline hours." in body and "Tom softens" not in body
    assert local.open_conflict_count(window.store) == 0
    assert not _buttons(dialog, "Use Maya's")
    assert not window.conflict_notice.isVisible()


def test_a_failed_round_is_one_sentence(qtbot, make_window, tmp_path, team_keyring):
    window = make_window(demo=True)
    folder = tmp_path / "shared"
    folder.mkdir()
    local.share_on(window.store, folder, "Maya", local.SecretStore())
    window.follow_sharing()
    window.syncs.stop()
    (folder / "devices" / "03").mkdir(parents=True)
    (folder / "devices" / "03" / "00000002.cdsync").write_bytes(b"not a change set")
    window.sync_now()
    qtbot.waitUntil(lambda: not window.syncs.running, timeout=120_000)
    text = window.sync_label.text()
    assert text.startswith("Sync failed: "), text
    assert "Traceback" not in text and "\n" not in text


def test_assign_and_my_queue(qtbot, make_window, monkeypatch):
    window = make_window(demo=True)
    window.go_to("inbox")
    inbox = window.pages["inbox"]
    inbox.view.setCurrentText("To do (new, needs reply, escalated)")
    me = local.me(window.store)
    assert me == "Maya Okafor"  # not shared: the owner among the contacts
    inbox.select_row(0)
    first = inbox.model.mention_at(0).id
    monkeypatch.setattr("ui.pages.inbox.triage.QInputDialog.getItem", lambda *a, **k: (me, True))
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_A)
    assert window.store.mentions.get(first).assignee == me
    inbox.select_row(1)
    second = inbox.model.mention_at(1).id
    inbox.assign("Sam")
    assert window.store.mentions.get(second).assignee == "Sam"
    inbox.view.setCurrentText("My queue (assigned to me, to do)")
    assert inbox.model.total == 1
    assert inbox.model.mention_at(0).id == first
    assert "assigned to Maya Okafor" in inbox.reading.meta.text() or any(
        "assigned to Maya Okafor" in w.text() for w in inbox.reading.findChildren(QLabel)
    )
    assert window.store.mentions.count(MentionFilter(assignee="Sam")) == 1
    window.store.mentions.set_assignee([first], "")  # the queue empties: it says what fills it
    inbox.apply_filter()
    assert inbox.model.total == 0
    assert "press a" in inbox.hint.text()


def _handover_lines(window) -> list[QLabel]:
    return [
        w
        for w in window.pages["dashboard"].findChildren(QLabel)
        if w.accessibleName() == "Since you left" and w.isVisible()
    ]


def test_the_dashboard_handover_line(qtbot, make_window, tmp_path, copy_demo):
    path = copy_demo(tmp_path / "w.db")
    plain = make_window(path=tmp_path / "plain.db", demo=True)
    assert not _handover_lines(plain)  # not shared: no line
    plain.close()
    with open_store(path, clock=lambda: FIXED_NOW) as store:
        for name, value in (("workspace", "ws-test"), ("folder", str(tmp_path / "gone")),
                            ("device", "0"), ("person", "Maya")):  # fmt: skip
            store.settings.set(local.KEYS[name], value)
        handover.mark_left(store.settings, FIXED_NOW.replace(day=FIXED_NOW.day - 1))
        expected = handover.handover(store)
    assert expected is not None and expected.new > 0  # the demo's mentions came in since
    window = make_window(path=path)
    window.go_to("dashboard")
    qtbot.waitUntil(lambda: len(_handover_lines(window)) == 1, timeout=5000)
    lines = _handover_lines(window)
    text = lines[0].text()
    assert text.startswith(f"Since you left: {expected.new:,} new mention")
    assert f"{expected.escalated} escalated" in text
    if expected.next_update_due is not None:
        assert "next update due" in text
    window.close()  # leaving marks the moment for the next line
    with open_store(path, clock=lambda: FIXED_NOW) as store:
        assert handover.left_at(store.settings) == FIXED_NOW

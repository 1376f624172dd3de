"""The window's side of sharing a workspace with the team: the Share and Join dialogs, sync
rounds while the app is open (`ui.sync.SyncScheduler`), the sync state in the status bar, the
pages refreshed after a round brought teammates' changes, and the notice when two people
changed the same text.

`TeamSharing` is a part of `MainWindow`; it expects the window's `store`, `clock`, `announce`,
`switch_to`, `statusBar` and `notify`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from app.sharing import local
from app.sharing.handover import mark_left
from ui.dialogs.sharing import JoinDialog, ShareDialog
from ui.format import duration
from ui.sync import SyncScheduler
from ui.widgets import link_button, plain, plain_label

# What a round that applied teammates' changes may have touched: every page that shows shared
# rows refreshes (the round does not say which tables its files held).
SHARED_DOMAINS = frozenset(
    {
        "mentions",
        "spikes",
        "sentiment",
        "incidents",
        "statements",
        "plan",
        "contacts",
        "debriefs",
        "business",
    }  # fmt: skip
)


class TeamSharing:
    def _build_sharing(self) -> None:
        self.syncs = SyncScheduler(self.store, self)
        self.syncs.synced.connect(self._on_synced)
        self.syncs.failed.connect(self._on_sync_failed)
        self.share_dialog: ShareDialog | None = None
        self.last_synced: datetime | None = None
        self.sync_error = ""
        self.sync_label = plain_label()
        self.sync_label.setAccessibleName("Sharing")
        self.conflict_notice = link_button(
            "", "Two people changed the same text: choose which version to keep"
        )
        self.conflict_notice.clicked.connect(self.open_share_dialog)
        self.statusBar().addPermanentWidget(self.conflict_notice)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.sync_clock = QTimer(self)  # "synced 2 min ago" stays true
        self.sync_clock.setInterval(30_000)
        self.sync_clock.timeout.connect(self._show_sync_state)

    def sharing_config(self):
        return local.read_config(self.store.settings)

    def follow_sharing(self) -> None:
        """After a workspace is opened, or sharing was turned on: rounds run while it is shared."""
        self.syncs.set_store(self.store)
        if self.sharing_config() is not None:
            if not self.syncs.timer.isActive():
                self.syncs.start()
            self.sync_clock.start()
        else:
            self.syncs.stop()
            self.sync_clock.stop()
        self._show_sync_state()

    def leave_sharing(self) -> None:
        """The window lets go of this workspace (closing, switching, restoring): no more rounds,
        a running one finishes, and the moment is noted for the next handover line."""
        self.syncs.stop()
        self.sync_clock.stop()
        self.syncs.wait()
        self.last_synced, self.sync_error = None, ""
        if self.share_dialog is not None:
            self.share_dialog.close()
            self.share_dialog = None
        mark_left(self.store.settings, self.clock())

    def sync_now(self) -> None:
        if self.sharing_config() is None:
            return
        if not self.syncs.sync_now():
            self.statusBar().showMessage("A sync is already running.", 5000)
        self._show_sync_state()

    def sync_state_text(self) -> str:
        """One sentence for the status bar (and the Share dialog); "" when not shared."""
        if self.sharing_config() is None:
            return ""
        if self.syncs.running:
            return "Shared · syncing…"
        if self.sync_error:
            return f"Sync failed: {self.sync_error}"
        if self.last_synced is None:
            return "Shared · not synced yet"
        ago = self.clock() - self.last_synced
        if ago.total_seconds() < 60:
            return "Shared · synced just now"
        return f"Shared · synced {duration(ago)} ago"

    def _show_sync_state(self) -> None:
        text = self.sync_state_text()
        self.sync_label.setText(text)
        self.sync_label.setVisible(bool(text))
        self.sync_label.setObjectName("Error" if self.sync_error else "")
        self.sync_label.setToolTip(
            plain(
                "Sync runs every 5 minutes while Crisis Desk is open; File → Share with your "
                "team… to sync now."
            )  # fmt: skip
        )
        self.sync_label.style().unpolish(self.sync_label)
        self.sync_label.style().polish(self.sync_label)
        conflicts = local.open_conflict_count(self.store) if text else 0
        self.conflict_notice.setText(
            "Two people changed the same text: choose a version"
            if conflicts == 1
            else f"{conflicts} texts two people changed: choose versions"
        )
        self.conflict_notice.setVisible(conflicts > 0)

    def _on_synced(self, result: dict) -> None:
        if not getattr(self, "pages", None):  # the workspace was let go of meanwhile
            return
        self.last_synced, self.sync_error = self.clock(), ""
        applied = sum(int(a.get("rows", 0)) for a in result.get("applied", []))
        if applied:
            self.announce(set(SHARED_DOMAINS))
            people = sorted({str(a.get("person", "")) for a in result.get("applied", [])})
            self.statusBar().showMessage(
                f"Took {applied} change(s) from {', '.join(p for p in people if p)}.", 8000
            )
        if result.get("conflicts"):
            self.notify(
                "Two people changed the same text",
                "Choose which version to keep: click the notice in the status bar.",
            )
        self._show_sync_state()
        if self.share_dialog is not None:
            self.share_dialog.refresh()

    def _on_sync_failed(self, sentence: str) -> None:
        if not getattr(self, "pages", None):
            return
        self.sync_error = sentence
        self._show_sync_state()
        if self.share_dialog is not None:
            self.share_dialog.refresh()

    # --- the dialogs -------------------------------------------------------------------

    def open_share_dialog(self) -> ShareDialog:
        if self.share_dialog is None:
            self.share_dialog = ShareDialog(
                self.store, self.sync_now, self, state=self.sync_state_text
            )
            self.share_dialog.changed.connect(self._share_dialog_changed)
            self.share_dialog.finished.connect(self._share_dialog_closed)
        self.share_dialog.show()
        self.share_dialog.raise_()
        self.share_dialog.activateWindow()
        return self.share_dialog

    def _share_dialog_closed(self, _result: int) -> None:
        if self.share_dialog is not None:
            self.share_dialog.deleteLater()
            self.share_dialog = None

    def _share_dialog_changed(self, domains: set[str]) -> None:
        if "sharing" in domains:
            self.follow_sharing()
        if domains - {"sharing"}:
            self.announce(domains - {"sharing"})
        self._show_sync_state()

    def join_workspace_dialog(self) -> None:
        dialog = JoinDialog(self)
        if not dialog.exec() or dialog.joined is None:
            return
        if self.switch_to(dialog.joined):
            QMessageBox.information(
                self,
                "Joined",
                plain(
                    "You have your own copy of your team's workspace. Your teammates' latest "
                    "changes arrive with the first sync, in a few seconds."
                ),
            )

"""The room's "People to reach" tab: who must be told at this level and by when, with their
phone, arranged as the call tree says (each under whoever calls them), ticked when reached
(the time is recorded); a prepared email, an .eml draft or a text message for the one
selected."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QTreeWidgetItem, QVBoxLayout

from app.incidents.messages import escalation_message
from app.incidents.model import Incident
from ui import theme
from ui.dialogs import exports
from ui.format import time_of_day
from ui.pages.incidents.tab import RoomTab
from ui.widgets import button, label, plain, show_status, tree


class PeopleTab(RoomTab):
    def __init__(self, store, clock, parent=None):
        super().__init__(store, clock, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Tick each person when you have reached them; the time is recorded. Each is "
                "listed under whoever calls them in your call tree. Select someone to email "
                "them or copy a text message for them.",
                "Muted",
            )
        )
        # Roles are short and read whole; the person (or "nobody named yet") takes the rest.
        self.people = tree(
            ["Person", "Phone", "Role", "Tell by", "Reached"], "People to reach", stretch=0
        )
        self.people.setRootIsDecorated(True)
        self.people.setItemsExpandable(False)
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

    def load(self, incident: Incident) -> None:
        super().load(incident)
        now = self.clock()
        self.people.blockSignals(True)
        self.people.clear()
        people = self.store.incidents.people(incident.id)
        callers = self._callers(incident)
        items: dict[int, QTreeWidgetItem] = {}
        for person in self._in_call_order(people, incident):
            reached = time_of_day(person.reached_at) + (f" · {person.how}" if person.how else "")
            item = QTreeWidgetItem(
                [
                    person.name,
                    person.phone or "—",
                    person.role,
                    time_of_day(person.due_at),
                    reached,
                ]
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Checked if person.reached_at else Qt.CheckState.Unchecked
            )
            item.setData(0, Qt.ItemDataRole.UserRole, person.id)
            tip = " · ".join(x for x in (person.phone, person.email) if x)
            item.setToolTip(0, plain(tip or "No phone or email in the plan"))
            if incident.is_open and person.overdue(now):
                item.setForeground(3, QColor(theme.current().negative))
                item.setText(3, f"{time_of_day(person.due_at)} — late")
            caller = items.get(callers.get(person.contact_id, -1))
            if caller is not None:
                caller.addChild(item)
                item.setToolTip(2, plain(f"{caller.text(0)} calls them"))
            else:
                self.people.addTopLevelItem(item)
            if person.contact_id is not None:
                items[person.contact_id] = item
        self.people.expandAll()
        self.people.blockSignals(False)
        if self.people.topLevelItemCount():
            self.people.setCurrentItem(self.people.topLevelItem(0))

    def _tree(self, incident: Incident) -> list[tuple[int, int, int | None]]:
        """The call tree that says who calls whom: the incident's level's, else the nearest
        level's that has one (a tree made only for level 4 still nests a level 3 incident's
        people; it adds nobody: who is told is the ladder's)."""
        nearest = sorted(range(1, 5), key=lambda level: (abs(level - incident.level), -level))
        for level in nearest:
            order = self.store.contacts.call_order(level)
            if order:
                return order
        return []

    def _callers(self, incident: Incident) -> dict[int, int | None]:
        """callee -> caller, by the call tree."""
        return {callee: caller for _depth, callee, caller in self._tree(incident)}

    def _in_call_order(self, people, incident: Incident):
        """The people, in the order the call tree walks them; anyone not in it after."""
        order = {callee: index for index, (_d, callee, _c) in enumerate(self._tree(incident))}
        return sorted(people, key=lambda p: (order.get(p.contact_id, len(order)), p.level, p.id))

    def _person_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        reached = item.checkState(0) == Qt.CheckState.Checked
        self.store.incidents.mark_reached(item.data(0, Qt.ItemDataRole.UserRole), "", reached)
        # After this signal returns: the refresh makes the list again, deleting this item.
        QTimer.singleShot(0, self, self.changed.emit)

    def _selected_person(self):
        item = self.people.currentItem()
        if item is None or self.incident is None:
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
        """A prepared email in the mail program; where there is none, the email is copied and
        that is said, so the click never does nothing."""
        person = self._selected_person()
        if person is None:
            return
        message = self._message(person)
        if not person.email:
            QMessageBox.information(
                self,
                "Email",
                plain(
                    f"There is no email address for {person.name}. Add one on the Contacts "
                    "page, or copy a text message for their phone instead."
                ),
            )
            return
        if QDesktopServices.openUrl(QUrl(message.mailto(person.email))):
            show_status(self, f"Opened a prepared email to {person.name} in your mail program.")
            return
        QGuiApplication.clipboard().setText(
            f"To: {person.email}\nSubject: {message.subject}\n\n{message.body}"
        )
        QMessageBox.information(
            self,
            "Email",
            plain(
                "No mail program is set up on this computer, so the email is copied instead: "
                f"paste it into your webmail, to {person.email}. Or use “Save .eml…” to keep "
                "it as a draft file."
            ),
        )

    def save_eml(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        path = exports.save_path(
            self, "Save email draft", f"{person.name}.eml", "Email (*.eml)", ".eml"
        )
        if path and self.write_export(
            path, self._message(person).eml(person.email), "Save email draft"
        ):
            exports.done(self, path, f"Saved an email draft for {person.name}.")

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

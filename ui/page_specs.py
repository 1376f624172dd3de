"""The pages of the main window, in sidebar order: key, label, icon, and how each is built.
Ctrl+1..7 follow this order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ui.pages.base import Page
from ui.pages.contacts import ContactsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.debriefs import DebriefsPage
from ui.pages.inbox import InboxPage
from ui.pages.incidents import IncidentsPage
from ui.pages.plan import PlanPage
from ui.pages.statements import StatementsPage

if TYPE_CHECKING:
    from ui.main import MainWindow


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    icon: str
    build: Callable[[MainWindow], Page]


PAGE_SPECS: list[PageSpec] = [
    PageSpec(
        "dashboard",
        "Dashboard",
        "mdi6.view-dashboard-outline",
        lambda w: DashboardPage(w.store, w.clock),
    ),
    PageSpec("plan", "Plan", "mdi6.clipboard-text-outline", lambda w: PlanPage(w.store, w.clock)),
    PageSpec(
        "contacts",
        "Contacts",
        "mdi6.account-group-outline",
        lambda w: ContactsPage(w.store, w.clock),
    ),
    PageSpec("inbox", "Inbox", "mdi6.inbox-outline", lambda w: InboxPage(w.store, w.clock)),
    PageSpec(
        "incidents",
        "Incidents",
        "mdi6.alert-octagon-outline",
        lambda w: IncidentsPage(w.store, w.clock),
    ),
    PageSpec(
        "statements",
        "Statements",
        "mdi6.message-text-outline",
        lambda w: StatementsPage(w.store, w.clock),
    ),
    PageSpec(
        "debriefs",
        "Debriefs",
        "mdi6.school-outline",
        lambda w: DebriefsPage(w.store, w.clock),
    ),
]
PAGE_KEYS = [spec.key for spec in PAGE_SPECS]

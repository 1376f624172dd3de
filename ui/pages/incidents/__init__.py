"""The Incidents page and the incident room, one module per tab of the room."""

from ui.pages.incidents.page import IncidentsPage

__all__ = ["IncidentsPage"]

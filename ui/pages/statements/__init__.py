"""The Statements page and its editor."""

from ui.pages.statements.page import StatementsPage

__all__ = ["StatementsPage"]

"""The Inbox: the page, its reading pane and its keyboard triage."""

from ui.pages.inbox.page import InboxPage

__all__ = ["InboxPage"]

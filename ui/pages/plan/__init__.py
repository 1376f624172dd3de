"""The Plan page, its section editors and its revisions."""

from ui.pages.plan.page import PlanPage

__all__ = ["PlanPage"]

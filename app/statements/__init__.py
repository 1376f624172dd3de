"""Statements: templates, drafts, the checker, approval, publishing, landing page."""

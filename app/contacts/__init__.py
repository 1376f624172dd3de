"""Contacts, groups and the call tree; their import and export."""

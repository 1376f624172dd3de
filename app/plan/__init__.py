"""The crisis plan: roles, escalation ladder, channels, playbooks, revisions."""

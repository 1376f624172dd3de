"""The demo workspace: Hearth & Crumb's plan, contacts, mentions and incident."""

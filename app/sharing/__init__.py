"""Sharing one workspace between a few laptops with no server: each laptop writes its changes as
encrypted change sets (SQLite's session extension, through APSW) into a folder any sync tool
carries, and applies the others' in a fixed order, so every copy ends the same."""

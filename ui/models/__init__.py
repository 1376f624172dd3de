"""Qt item models over the repositories (read-only views; edits go through the store)."""

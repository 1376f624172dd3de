"""Qt item models over the repositories: they ask the store, page by page; edits go
through the store."""

"""Source adapters: pull mentions from feeds and social APIs into the inbox.

Each adapter turns one service's real response format into `NewMention`s and a new cursor;
`app.sources.pulling` stores them, moves the cursor and records health in one transaction.
"""

"""Imported by the sentiment workers' fork server before it forks them: the model and the
lexicon are read once there, so each worker starts in milliseconds, already warm."""

from app.mentions.reader import lexicon, shipped_model

lexicon()
shipped_model()

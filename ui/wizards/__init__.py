"""Step-by-step wizards."""

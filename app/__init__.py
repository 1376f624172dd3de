"""Crisis Desk: the Qt-free core of the application."""

__version__ = "0.1.0"

"""Lets `python -m app` (and the installer's frozen entry point) run the command line."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())

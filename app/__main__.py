"""Lets `python -m app` (and the installer's frozen entry point) run the command line."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # sentiment scoring's worker processes, in the installer
    sys.exit(main())

"""What the command line prints: one JSON document on stdout for scripts, and progress on
stderr for a person watching a terminal (silent in scripts)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable


def print_json(document) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def progress_printer(noun: str) -> Callable[[int, int], None] | None:
    """ "12,400 of 50,000 mentions" on stderr, twice a second at most; None in a script."""
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def show(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 0.5 or done == total:
            last[0] = time.monotonic()
            print(f"\r{done:,} of {total:,} {noun}", end="", file=sys.stderr, flush=True)

    return show


def end_progress() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)

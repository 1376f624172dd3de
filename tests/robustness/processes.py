"""Real processes sharing one workspace: a long-lived "window" that writes on request, and
the command line run as a separate program, as a cron pull or a second terminal would.

The window process is driven over its stdin/stdout one line at a time, so a test knows exactly
which rows the process reported saved before it was killed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Commands: "worker" (open and close a second store in this process, as a window's background
# worker does), "add N" (save N mentions, one transaction each, answering with their count),
# "count", "quit". Every answer is one line.
WINDOW = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from app.mentions.model import NewMention
    from app.store import open_store

    store = open_store(sys.argv[1])
    print("ready", flush=True)
    added = 0
    for line in sys.stdin:
        verb, *rest = line.split()
        if verb == "worker":
            open_store(sys.argv[1]).close()
            print("worker done", flush=True)
        elif verb == "add":
            for _ in range(int(rest[0])):
                added += 1
                store.mentions.add_many([NewMention(
                    source="window", text=f"saved mention {added}", external_id=str(added),
                    posted_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))])
            print(f"saved {added}", flush=True)
        elif verb == "count":
            print(store.db["mentions"].count, flush=True)
        elif verb == "quit":
            store.close()
            print("bye", flush=True)
            break
    """
)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


class WindowProcess:
    """A process that keeps the workspace open, as the window does."""

    def __init__(self, db: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WINDOW, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            cwd=ROOT,
        )
        assert self.ask(None) == "ready", self.proc.stderr.read()

    def ask(self, command: str | None) -> str:
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if not answer:
            raise AssertionError(f"the window process died: {self.proc.stderr.read()}")
        return answer

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL: no clean close, no checkpoint
        self.proc.wait(timeout=30)

    def quit(self) -> None:
        self.ask("quit")
        self.proc.wait(timeout=30)


def crisisdesk(*args, timeout: float = 180) -> subprocess.CompletedProcess:
    """The command line as a separate program."""
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=ROOT,
        timeout=timeout,
    )


def start_crisisdesk(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        cwd=ROOT,
    )


def count_rows(db: Path, table: str = "mentions") -> int:
    """Counted by a third process, which sees only what reached the file."""
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        f"print(c.execute('SELECT count(*) FROM {table}').fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return int(out.stdout)

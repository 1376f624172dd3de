"""Laptops for the sharing tests: each is a workspace file driven by real processes, as three
people's machines would be (a sync round opens the workspace with APSW's own SQLite, which must
never share a process with the standard driver's connections on the same file).

The workspace key lives in the OS keyring: in `make test` the real gnome-keyring (all three
"laptops" are this machine, so they share it, as people sharing a key do); elsewhere a keyring
in a file, chosen through keyring's own PYTHON_KEYRING_BACKEND setting.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from app.sharing.model import POLICIES, Policy

ROOT = Path(__file__).resolve().parents[2]


def environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["CRISISDESK_DATA_DIR"] = str(tmp / "data")
    if not env.get("CRISISDESK_REAL_KEYRING"):
        env["PYTHON_KEYRING_BACKEND"] = "tests.sharing.file_keyring.FileKeyring"
        env["CRISISDESK_TEST_KEYRING"] = str(tmp / "keyring.json")
    return env


class Laptop:
    def __init__(self, tmp: Path, name: str):
        self.tmp = tmp
        self.name = name
        self.db = tmp / f"{name}.db"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "app", "--db", str(self.db), *args],
            capture_output=True,
            text=True,
            env=environment(self.tmp),
            cwd=ROOT,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, f"{self.name} {args}: {done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        return done

    def sync(self) -> dict:
        return json.loads(self.run("sync", "--json").stdout)

    def python(self, code: str) -> str:
        """Run `code` with `store` open on this laptop's workspace, in a process of its own."""
        program = "from app.store import open_store\nimport sys\n"
        program += f"with open_store({str(self.db)!r}) as store:\n"
        program += textwrap.indent(textwrap.dedent(code), "    ")
        done = subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            env=environment(self.tmp),
            cwd=ROOT,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def rows(self) -> dict[str, list[tuple]]:
        """Every shared table, row by row, in key order."""
        conn = sqlite3.connect(self.db)
        try:
            tables = [
                t
                for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if POLICIES.get(t, Policy.LOCAL) != Policy.LOCAL
            ]
            return {
                t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
                for t in sorted(tables)
            }
        finally:
            conn.close()


def share_three(tmp: Path, demo: Path) -> tuple[Laptop, Laptop, Laptop, Path]:
    """The owner's workspace (a copy of the demo) shared through a folder, two teammates joined."""
    folder = tmp / "shared"
    folder.mkdir()
    owner = Laptop(tmp, "maya")
    owner.db.write_bytes(demo.read_bytes())
    owner.run("share", "on", "--folder", str(folder), "--person", "Maya")
    laptops = [owner]
    for name in ("tom", "priya"):
        code = owner.run("share", "invite").stdout.splitlines()[1]
        mate = Laptop(tmp, name)
        mate.run("share", "join", code, "--folder", str(folder), "--person", name.title())
        laptops.append(mate)
    return laptops[0], laptops[1], laptops[2], folder

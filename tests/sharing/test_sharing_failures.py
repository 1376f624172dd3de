"""A sync round killed at any moment leaves every workspace consistent and the next round
completes; a tampered, foreign, missing or newer change set is refused and changes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from app.sharing import chain
from tests.sharing.laptops import ROOT, Laptop, environment, share_three

pytestmark = pytest.mark.timeout(600)

EDITS = """
from app.mentions.model import MentionFilter, NewMention
from datetime import UTC, datetime
store.mentions.add_many(
    NewMention(source="manual", text=f"{name} note {{i}}", external_id=f"{name}-{{i}}",
               posted_at=datetime(2026, 11, 20, tzinfo=UTC)) for i in range(300)
)
first = store.mentions.page(MentionFilter(""), 0, 3)
store.mentions.set_status([first[0].id], "replied")
"""

# A round that stops (and is then killed) at one moment: each patched step prints where it is
# and sleeps, so the test knows the process is exactly there when it sends SIGKILL.
PAUSED_ROUND = """
import sys, time
from app.sharing import round as sync_round_module, chain, engine

stage = sys.argv[2]

def pause(where):
    if where == stage:
        print("paused", flush=True)
        time.sleep(60)

real_write, real_apply = chain.write_change_file, engine.apply
def write(*args, **kwargs):
    pause("before-write")
    result = real_write(*args, **kwargs)
    pause("after-write")
    return result
def apply(conn, *args, **kwargs):
    result = real_apply(conn, *args, **kwargs)
    pause("inside-apply")
    return result
real_take = sync_round_module._take
def take(conn, opened, device, seq, local):
    result = real_take(conn, opened, device, seq, local)
    if device != local:
        pause("between-workspace-and-snapshot")
    return result
chain.write_change_file, engine.apply, sync_round_module._take = write, apply, take
from app.cli import main
sys.exit(main(["--db", sys.argv[1], "sync"]))
"""

STAGES = ["before-write", "after-write", "inside-apply", "between-workspace-and-snapshot"]


def _killed_round(laptop: Laptop, stage: str) -> bool:
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSED_ROUND, str(laptop.db), stage],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(laptop.tmp),
        cwd=ROOT,
    )
    line = proc.stdout.readline().strip()
    proc.kill()
    proc.wait(timeout=60)
    return line == "paused"


def _consistent(path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


@pytest.mark.parametrize("stage", STAGES)
def test_a_round_killed_at_any_moment_completes_next_time(tmp_path, copy_cli_demo, stage):
    maya, tom, priya, _folder = share_three(tmp_path, copy_cli_demo(tmp_path / "demo.db"))
    for laptop in (maya, tom):
        laptop.python(EDITS.format(name=laptop.name))
    maya.sync()  # Maya's file is there for Tom to apply
    assert _killed_round(tom, stage), f"the round never reached {stage}"
    for laptop in (maya, tom, priya):
        _consistent(laptop.db)
    for _round in range(2):
        for laptop in (tom, maya, priya):
            laptop.sync()
    rows = [laptop.rows() for laptop in (maya, tom, priya)]
    for table in rows[0]:
        assert rows[0][table] == rows[1][table] == rows[2][table], table
    texts = {row[7] for row in rows[0]["mentions"]}
    assert {f"maya note {i}" for i in range(300)} | {f"tom note {i}" for i in range(300)} <= texts


def _fingerprint(laptop: Laptop) -> str:
    return hashlib.sha256(repr(laptop.rows()).encode()).hexdigest()


def test_a_tampered_change_set_is_refused_and_changes_nothing(tmp_path, copy_cli_demo):
    maya, tom, _priya, folder = share_three(tmp_path, copy_cli_demo(tmp_path / "demo.db"))
    maya.python(EDITS.format(name="maya"))
    maya.sync()
    path = chain.change_files(folder)[0][0].path
    data = bytearray(path.read_bytes())
    data[-40] ^= 0xFF  # one bit in the sealed body
    path.write_bytes(bytes(data))
    before = _fingerprint(tom)
    refused = tom.run("sync", check=False)
    assert refused.returncode == 1
    assert "refused" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert _fingerprint(tom) == before


def test_a_foreign_change_set_is_refused_and_changes_nothing(tmp_path, copy_cli_demo):
    maya, tom, _priya, folder = share_three(tmp_path, copy_cli_demo(tmp_path / "demo.db"))
    header = {"workspace": "0123456789abcdef", "device": 5, "seq": 1, "prev": "",
              "schema": 99, "person": "Mallory", "at": "2026-11-29T12:00:00+00:00"}  # fmt: skip
    chain.write_change_file(folder, header, b"k" * 32, b"not a changeset")
    before = _fingerprint(tom)
    refused = tom.run("sync", check=False)
    assert refused.returncode == 1 and "refused" in refused.stderr
    assert _fingerprint(tom) == before


NEWER = textwrap.dedent(
    """
    import sys
    from app.sharing import round as r
    real = r._check
    r._check = lambda opened, config, device, seq, prev, schema: real(
        opened, config, device, seq, prev, schema - 1)
    from app.cli import main
    sys.exit(main(["--db", sys.argv[1], "sync"]))
    """
)


def test_a_change_set_from_a_newer_version_is_refused_with_its_person(tmp_path, copy_cli_demo):
    maya, tom, _priya, _folder = share_three(tmp_path, copy_cli_demo(tmp_path / "demo.db"))
    maya.python(EDITS.format(name="maya"))
    maya.sync()
    before = _fingerprint(tom)
    # Tom's Crisis Desk one schema behind Maya's: her file is from a newer version.
    done = subprocess.run(
        [sys.executable, "-c", NEWER, str(tom.db)],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "Maya's Crisis Desk is newer; update Crisis Desk to keep sharing." in done.stderr
    assert _fingerprint(tom) == before

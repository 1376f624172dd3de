"""One sync round, in the sync process only (APSW; see engine.py for why).

1. Catch up: a round killed half-way left the snapshot behind the workspace (this laptop's last
   file written but not yet folded in, or another laptop's file applied to the workspace but not
   yet to the snapshot); fold those in first.
2. Publish: this laptop's changes since the last round (the workspace against the snapshot) go
   to its next numbered file, written whole under a temporary name; then the snapshot takes them.
3. Apply: the other laptops' new files in (device, sequence) order, each checked (sealed with
   the workspace key, the right workspace, the next in its device's chain, not from a newer
   version), applied to the workspace with its record in one transaction, then to the snapshot.

Every step is idempotent and recorded in the database it changes, so a kill at any moment leaves
every file consistent and the next round completes the work.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import apsw
import portalocker

from app import __version__
from app.sharing import chain, engine
from app.sharing.model import SharingConfig, SharingError, snapshot_path

Progress = Callable[[str], None]


@dataclass
class RoundResult:
    published: int | None = None  # the sequence number of this laptop's new file
    changes_out: int = 0
    applied: list[dict] = field(default_factory=list)  # {device, seq, person, rows}
    conflicts: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        sent = f"sent {self.changes_out} change(s)" if self.published else "nothing new to send"
        got = sum(a["rows"] for a in self.applied)
        parts = [sent, f"applied {len(self.applied)} file(s) from others ({got} change(s))"]
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict(s) for a person to look at")
        return "; ".join(parts) + "."


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _applied(conn: apsw.Connection) -> dict[int, tuple[int, str]]:
    """The last file of each device this database has taken: device -> (seq, digest)."""
    out: dict[int, tuple[int, str]] = {}
    for device, seq, digest in conn.execute(
        "SELECT device, seq, digest FROM sync_applied ORDER BY device, seq"
    ):
        out[device] = (seq, digest)
    return out


def _take(
    conn: apsw.Connection, opened: chain.Opened, device: int, seq: int, local_device: int
) -> engine.Applied:
    """Apply one file and record it, in one transaction (BEGIN IMMEDIATE: it waits for the
    window's own writes); a file already taken is skipped."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute(
            "SELECT 1 FROM sync_applied WHERE device = ? AND seq = ?", (device, seq)
        ).fetchall():
            conn.execute("ROLLBACK")
            return engine.Applied()
        result = engine.apply(conn, opened.payload, device, local_device)
        engine.record_conflicts(conn, result.conflicts)
        conn.execute(
            "INSERT INTO sync_applied (device, seq, digest, applied_at) VALUES (?, ?, ?, ?)",
            (device, seq, opened.digest, _now()),
        )
    except BaseException:
        if not conn.get_autocommit():
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


def _check(opened: chain.Opened, config: SharingConfig, device: int, seq: int, prev: str,
           schema: int) -> None:  # fmt: skip
    header = opened.header
    who = header.get("person") or f"laptop {device}"
    if header.get("workspace") != config.workspace_id:
        raise SharingError(
            f"A change set in the shared folder belongs to another workspace ({device:02d}/"
            f"{seq:08d}); it was refused. Is this the right folder?"
        )
    if header.get("device") != device or header.get("seq") != seq:
        raise SharingError(f"The change set {device:02d}/{seq:08d} is misnamed; it was refused.")
    if int(header.get("schema", 0)) > schema:
        raise SharingError(f"{who}'s Crisis Desk is newer; update Crisis Desk to keep sharing.")
    if int(header.get("schema", 0)) < schema:
        raise SharingError(f"{who}'s Crisis Desk is older; ask them to update it to keep sharing.")
    if header.get("prev", "") != prev:
        raise SharingError(
            f"The change sets of {who} do not follow on from each other (file {seq} does not "
            f"continue file {seq - 1}); they were refused. Someone changed or removed a file."
        )


def sync_round(
    workspace: Path,
    config: SharingConfig,
    key: bytes,
    schema: int,
    progress: Progress | None = None,
) -> RoundResult:
    """One round for this laptop; see the module docstring."""
    say = progress or (lambda _text: None)
    lock = workspace.with_name(workspace.name + ".share") / "round.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        try:
            portalocker.lock(
                handle, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING
            )
        except portalocker.AlreadyLocked:
            raise SharingError("A sync of this workspace is already running.") from None
        with (
            closing(engine.connect(workspace)) as work,
            closing(engine.connect(snapshot_path(workspace))) as snap,
        ):
            return _round(work, snap, workspace, config, key, schema, say)


def _round(work, snap, workspace, config, key, schema, say) -> RoundResult:
    result = RoundResult()
    files = chain.change_files(config.folder)
    mine = files.get(config.device, [])
    # 1. Catch up the snapshot with what a killed round left undone.
    in_snap = _applied(snap)
    in_work = _applied(work)
    for change in mine:
        if change.seq > in_snap.get(config.device, (0, ""))[0]:
            _take(snap, chain.open_change_file(change.path, key), change.device, change.seq,
                  config.device)  # fmt: skip
    for device, changes in files.items():
        done_here = in_work.get(device, (0, ""))[0]
        for change in changes:
            if (
                device != config.device
                and in_snap.get(device, (0, ""))[0] < change.seq <= done_here
            ):
                _take(snap, chain.open_change_file(change.path, key), device, change.seq,
                      config.device)  # fmt: skip
    # 2. Publish this laptop's changes.
    say("Looking for your changes…")
    work.execute("ATTACH ? AS snap", (str(snapshot_path(workspace)),))
    try:
        changeset = engine.capture(work, "snap")
    finally:
        work.execute("DETACH snap")
    if changeset:
        last = mine[-1] if mine else None
        seq = (last.seq if last else 0) + 1
        prev = chain.open_change_file(last.path, key).digest if last else ""
        header = {
            "workspace": config.workspace_id,
            "device": config.device,
            "seq": seq,
            "prev": prev,
            "schema": schema,
            "app": __version__,
            "person": config.person,
            "at": _now(),
        }
        say(f"Writing your changes ({len(changeset):,} bytes)…")
        path, _digest = chain.write_change_file(config.folder, header, key, changeset)
        _take(snap, chain.open_change_file(path, key), config.device, seq, config.device)
        with work:  # this laptop's own file, recorded so its chain position is known here too
            work.execute(
                "INSERT OR IGNORE INTO sync_applied (device, seq, digest, applied_at) "
                "VALUES (?, ?, ?, ?)",
                (config.device, seq, chain.digest_of(path.read_bytes()), _now()),
            )
        result.published = seq
        result.changes_out = sum(1 for _ in apsw.Changeset.iter(changeset))
    # 3. Apply the others' new files, in (device, sequence) order.
    in_work = _applied(work)
    for device in sorted(files):
        if device == config.device:
            continue
        seq_done, prev = in_work.get(device, (0, ""))
        for change in files[device]:
            if change.seq <= seq_done:
                continue
            if change.seq != seq_done + 1:
                raise SharingError(
                    f"A change set of laptop {device} is missing (number {seq_done + 1}); wait "
                    "until your folder has copied every file, then sync again."
                )
            opened = chain.open_change_file(change.path, key)
            _check(opened, config, device, change.seq, prev, schema)
            who = opened.header.get("person") or f"laptop {device}"
            say(f"Applying {who}'s changes ({change.seq})…")
            taken = _take(work, opened, device, change.seq, config.device)
            _take(snap, opened, device, change.seq, config.device)
            result.applied.append(
                {"device": device, "seq": change.seq, "person": who, "rows": taken.rows}
            )
            result.conflicts += len(taken.conflicts)
            seq_done, prev = change.seq, opened.digest
    return result


def describe(result: RoundResult) -> str:
    return json.dumps(result.as_dict())

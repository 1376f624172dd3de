"""This laptop's side of sharing, with the standard driver: turning sharing on, inviting,
joining, and preparing each connection of a shared workspace.

The workspace key lives only in the OS keyring. The shared folder holds the change sets, a
`workspace.json` naming the workspace (no secret), the reservations of device numbers
(`invites/`), and `base.cdbase`: the workspace as it was when sharing was turned on, encrypted,
which a teammate receives first. The live workspace file is never put in the shared folder.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.db import WorkspaceDatabase, connect_readonly
from app.errors import os_error_sentence
from app.files import temporary_beside, write_atomic
from app.secrets import SecretStore
from app.sharing import chain
from app.sharing.crypto import invitation_code, new_key, new_workspace_id, read_invitation
from app.sharing.model import (
    MAX_DEVICES,
    POLICIES,
    Policy,
    SharingConfig,
    SharingError,
    snapshot_path,
)

if TYPE_CHECKING:
    from app.business.repository import SettingsRepository
    from app.store import Store

KEYS = {
    "workspace": "sharing.workspace_id",
    "folder": "sharing.folder",
    "device": "sharing.device",
    "person": "sharing.person",
}
WORKSPACE_FILE = "workspace.json"
BASE_FILE = "base.cdbase"


def key_name(workspace_id: str) -> str:
    return f"sharing:{workspace_id}"


def read_config(settings: SettingsRepository) -> SharingConfig | None:
    workspace = settings.get(KEYS["workspace"])
    if not workspace:
        return None
    return SharingConfig(
        workspace_id=workspace,
        folder=Path(settings.get(KEYS["folder"]) or ""),
        device=int(settings.get(KEYS["device"]) or 0),
        person=settings.get(KEYS["person"]) or "",
    )


def _id_tables(conn: sqlite3.Connection) -> frozenset[str]:
    """Shared tables whose key is an integer `id` (they take this laptop's ids)."""
    names = set()
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if POLICIES.get(table, Policy.LOCAL) == Policy.LOCAL:
            continue
        columns = conn.execute(f"PRAGMA table_info([{table}])").fetchall()
        if any(c[1] == "id" and c[5] == 1 and c[2].upper() == "INTEGER" for c in columns):
            names.add(table)
    return frozenset(names)


def prepare(db: WorkspaceDatabase, config: SharingConfig) -> None:
    """Make this connection a laptop of a shared workspace: its new rows take its own ids, and
    each change to a shared row notes when and on which laptop (TEMP triggers, so they live on
    this connection only and never enter the schema a backup carries)."""
    tables = _id_tables(db.conn)
    db.device, db.stride, db.interleaved = config.device, MAX_DEVICES, tables
    for table in sorted(tables):
        db.conn.execute(
            f"CREATE TEMP TRIGGER IF NOT EXISTS sync_clock_{table} AFTER UPDATE ON main.[{table}] "
            "BEGIN INSERT INTO sync_clock (tbl, pk, at, device) VALUES "
            f"('{table}', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
            f"{config.device}) ON CONFLICT (tbl, pk) DO UPDATE SET at = excluded.at, "
            "device = excluded.device; END"
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a workspace (SQLite's backup API), written whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_beside(target)
    try:
        with closing(connect_readonly(source)) as src, closing(sqlite3.connect(temp)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        os.replace(temp, target)
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            leftover.unlink(missing_ok=True)


_PRIVATE_TABLES = sorted(t for t, p in POLICIES.items() if p == Policy.LOCAL)


def _scrub(path: Path) -> None:
    """Take out what belongs to one laptop only (its settings, sources, drafts in typing)."""
    with closing(sqlite3.connect(path)) as conn:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in _PRIVATE_TABLES:
            if table in present:
                conn.execute(f"DELETE FROM [{table}]")
        conn.commit()


def _key(secrets: SecretStore, workspace_id: str) -> bytes:
    stored = secrets.get(key_name(workspace_id))
    if not stored:
        raise SharingError(
            "This laptop's keyring does not hold the workspace key; join again with an "
            "invitation code from a teammate."
        )
    return bytes.fromhex(stored)


def workspace_key(
    settings: SettingsRepository, secrets: SecretStore
) -> tuple[SharingConfig, bytes]:
    config = read_config(settings)
    if config is None:
        raise SharingError(
            "Sharing is off for this workspace; turn it on with 'crisisdesk share on'."
        )
    return config, _key(secrets, config.workspace_id)


def _keep_key(secrets: SecretStore, workspace_id: str, key: bytes) -> None:
    secrets.set(key_name(workspace_id), key.hex())
    if not secrets.persistent:
        secrets.delete(key_name(workspace_id))
        raise SharingError(
            "This computer has no keyring (or it is locked), so the workspace key could not be "
            "kept safely; sharing needs the keyring. Unlock it and try again."
        )


def share_on(store: Store, folder: Path, person: str, secrets: SecretStore) -> SharingConfig:
    """Turn sharing on for this workspace: this laptop is device 0 (its rows keep their ids)."""
    if read_config(store.settings) is not None:
        raise SharingError("Sharing is already on for this workspace ('crisisdesk share status').")
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise SharingError(f"The folder {folder} does not exist; create it (or choose the one "
                           "your sync tool shares) first.")  # fmt: skip
    if (folder / WORKSPACE_FILE).exists():
        raise SharingError(
            f"{folder} already holds a shared workspace; join it with an invitation code "
            "('crisisdesk share join') instead."
        )
    if folder.resolve() == store.path.parent.resolve():
        raise SharingError("Choose a folder of its own for sharing, not the workspace's folder.")
    workspace_id, key = new_workspace_id(), new_key()
    _keep_key(secrets, workspace_id, key)
    config = SharingConfig(workspace_id, folder, 0, person.strip() or "Owner")
    base = snapshot_path(store.path)
    # The settings and the folder's files together: a failure writing either leaves neither.
    with store.db.atomic():
        for name, value in (("workspace", workspace_id), ("folder", str(folder)),
                            ("device", "0"), ("person", config.person)):  # fmt: skip
            store.settings.set(KEYS[name], value)
        try:
            _copy(store.path, base)
            _scrub(base)
            business = store.business.get()
            header = {
                "format": chain.FORMAT,
                "workspace": workspace_id,
                "business": business.name if business else "",
                "made_at": _now(),
            }
            sealed = chain.pack(chain.BASE_MAGIC, header, key, base.read_bytes())
            write_atomic(folder / BASE_FILE, sealed)
            (folder / "devices" / "00").mkdir(parents=True, exist_ok=True)
            write_atomic(folder / WORKSPACE_FILE, json.dumps(header, indent=2))
        except OSError as exc:
            raise SharingError(os_error_sentence(exc, folder, doing="write to")) from None
    prepare(store.db, config)  # type: ignore[arg-type]
    return config


def invite(store: Store) -> tuple[str, int]:
    """An invitation for the next free device number, reserved in the shared folder."""
    config = read_config(store.settings)
    if config is None:
        raise SharingError("Turn sharing on first ('crisisdesk share on --folder DIR').")
    secrets = SecretStore()
    key = _key(secrets, config.workspace_id)
    invites = config.folder / "invites"
    invites.mkdir(parents=True, exist_ok=True)
    taken = {int(p.name) for p in invites.iterdir() if p.name.isdigit()}
    taken |= set(chain.change_files(config.folder)) | {0, config.device}
    devices = config.folder / "devices"
    if devices.is_dir():
        taken |= {int(p.name) for p in devices.iterdir() if p.name.isdigit()}
    device = next((d for d in range(1, MAX_DEVICES) if d not in taken), None)
    if device is None:
        raise SharingError(f"A shared workspace takes at most {MAX_DEVICES - 1} teammates.")
    write_atomic(invites / f"{device:02d}", json.dumps({"by": config.person, "at": _now()}))
    return invitation_code(key, config.workspace_id, device), device


def join(
    code: str,
    folder: Path,
    target: Path,
    person: str,
    secrets: SecretStore,
    open_workspace: Callable[[Path], Store],
) -> SharingConfig:
    """Make `target` this laptop's copy of the shared workspace: the base first; the changes
    since come with the first sync."""
    key, workspace_id, device = read_invitation(code)
    folder = Path(folder).expanduser()
    try:
        described = json.loads((folder / WORKSPACE_FILE).read_text("utf-8"))
        sealed = (folder / BASE_FILE).read_bytes()
    except (OSError, ValueError):
        raise SharingError(
            f"{folder} does not hold a shared Crisis Desk workspace (yet); check the folder, "
            "and that your sync tool has copied it."
        ) from None
    if described.get("workspace") != workspace_id:
        raise SharingError("That invitation is for another shared workspace than this folder's.")
    if target.exists() and target.stat().st_size > 0:
        raise SharingError(f"{target} already holds a workspace; join into a new file.")
    header, data = chain.unpack(chain.BASE_MAGIC, sealed, key, what="The shared workspace")
    del header
    _keep_key(secrets, workspace_id, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    config = SharingConfig(workspace_id, folder, device, person.strip() or f"Laptop {device}")
    with open_workspace(target) as store, store.db.atomic():
        for name, value in (("workspace", workspace_id), ("folder", str(folder)),
                            ("device", str(device)), ("person", config.person)):  # fmt: skip
            store.settings.set(KEYS[name], value)
        # The first-run choice is made: the copy opens on its Dashboard, not on the welcome
        # (app.onboarding.WELCOME_KEY; onboarding is a layer above sharing).
        store.settings.set("welcome_done", "joined")
    snapshot = snapshot_path(target)
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(snapshot, data)
    return config


def status(store: Store, config: SharingConfig | None) -> dict:
    """This laptop's part in sharing and what waits, for `share status` and the window."""
    if config is None:
        return {"sharing": False}
    applied = {
        device: seq
        for device, seq in store.db.execute(
            "SELECT device, max(seq) FROM sync_applied GROUP BY device"
        )
    }
    files = chain.change_files(config.folder) if config.folder.is_dir() else {}
    waiting = sum(
        1
        for device, changes in files.items()
        if device != config.device
        for change in changes
        if change.seq > applied.get(device, 0)
    )
    (open_conflicts,) = store.db.execute(
        "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"
    ).fetchone()
    return {
        "sharing": True,
        "workspace": config.workspace_id,
        "folder": str(config.folder),
        "folder_reachable": config.folder.is_dir(),
        "device": config.device,
        "person": config.person,
        "published": len(files.get(config.device, [])),
        "waiting": waiting,
        "conflicts_open": open_conflicts,
    }


# --- conflicts a person settles -------------------------------------------------------------


@dataclass(frozen=True)
class ConflictCard:
    """ "Two people changed this": what was kept and what the other person wrote."""

    id: str
    table: str
    pk: str
    title: str
    kept_person: str
    kept_text: str
    other_person: str
    other_text: str
    other_values: dict


def people(config: SharingConfig) -> dict[int, str]:
    """Device number -> the person who works on it, from their files' headers (no key needed)."""
    names = {config.device: config.person}
    for device, changes in chain.change_files(config.folder).items():
        if changes and device != config.device:
            header = chain.peek_header(changes[-1].path)
            names[device] = str(header.get("person") or f"Laptop {device}")
    return names


def open_conflicts(store: Store, config: SharingConfig | None) -> list[ConflictCard]:
    if config is None:
        return []
    who = people(config)
    cards = []
    for row in store.db.execute(
        "SELECT id, tbl, pk, kept_device, other_device, other_values FROM sync_conflicts "
        "WHERE resolved_at IS NULL ORDER BY other_at"
    ):
        conflict_id, table, pk, kept, other, values = row
        other_values = json.loads(values)
        title, kept_text = table, ""
        if table == "statements":
            statement = store.statements.get(int(pk))
            title, kept_text = statement.title, statement.body
        cards.append(
            ConflictCard(
                conflict_id,
                table,
                pk,
                title,
                who.get(kept, f"Laptop {kept}"),
                kept_text,
                who.get(other, f"Laptop {other}"),
                str(other_values.get("body", "")),
                other_values,
            )
        )
    return cards


def settle(store: Store, card: ConflictCard, use_other: bool, person: str) -> None:
    """A person chose: the other version becomes the text (a new version, so it travels), or
    the kept one stays; either way the card is settled on every laptop."""
    with store.db.atomic():
        if use_other and card.table == "statements" and "body" in card.other_values:
            store.statements.save(
                int(card.pk),
                str(card.other_values["body"]),
                note=f"Chose {card.other_person}'s version after two people changed it",
            )
        store.db.execute(
            "UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ? WHERE id = ?",
            [_now(), person, card.id],
        )


# --- who "me" is ----------------------------------------------------------------------------


def me(store: Store) -> str:
    """The person this laptop works for, for "My queue": the name given when sharing started or
    was joined; on a workspace that is not shared, the owner (the internal contact whose role
    starts with "Owner", as the template and the demo name them), else "Owner"."""
    config = read_config(store.settings)
    if config is not None and config.person:
        return config.person
    for contact in store.contacts.all():
        if contact.kind == "internal" and contact.role.strip().lower().startswith("owner"):
            return contact.name
    return "Owner"


def team(store: Store) -> list[str]:
    """The people mentions can be assigned to: this laptop's person, the teammates whose files
    are in the shared folder, the internal contacts, and anyone already assigned."""
    names = [me(store)]
    config = read_config(store.settings)
    if config is not None and config.folder.is_dir():
        names += sorted(people(config).values())
    names += [c.name for c in store.contacts.all() if c.kind == "internal"]
    names += store.mentions.assignees()
    unique: dict[str, str] = {}
    for name in names:
        if name.strip():
            unique.setdefault(name.strip().casefold(), name.strip())
    return list(unique.values())


def open_conflict_count(store: Store) -> int:
    """How many "two people changed this" cards wait for a person (cheap: for the status bar)."""
    (count,) = store.db.execute(
        "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"
    ).fetchone()
    return int(count)


def differences(kept: str, other: str) -> tuple[str, str]:
    """The lines where two versions differ, each side's own (the same lines are left out, with
    "…" where they were), so a person sees at once what each wrote."""
    import difflib

    a, b = kept.splitlines(), other.splitlines()
    mine: list[str] = []
    theirs: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for side in (mine, theirs):
                if side and side[-1] != "…":
                    side.append("…")
            continue
        mine.extend(a[i1:i2] or ["(nothing here)"])
        theirs.extend(b[j1:j2] or ["(nothing here)"])
    return "\n".join(mine).strip("…\n") or kept, "\n".join(theirs).strip("…\n") or other

"""Change-set files in the shared folder: each laptop writes only its own numbered files
(`devices/NN/00000042.cdsync`), so any folder sync can carry them safely. Each file names the
hash of the one before it (a tamper-evident chain) and is sealed with the workspace key.

File: MAGIC, the header's length (4 bytes), the header (JSON, authenticated), the sealed body.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from app.files import write_atomic
from app.sharing.crypto import seal, unseal
from app.sharing.model import SharingError

MAGIC = b"CDSYNC1\n"
BASE_MAGIC = b"CDBASE1\n"
FORMAT = 1
_NAME = re.compile(r"^(\d{8})\.cdsync$")


@dataclass(frozen=True)
class ChangeFile:
    device: int
    seq: int
    path: Path


@dataclass(frozen=True)
class Opened:
    header: dict
    payload: bytes
    digest: str  # sha256 of the whole file, which the next file of the device names


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_path(folder: Path, device: int, seq: int) -> Path:
    return folder / "devices" / f"{device:02d}" / f"{seq:08d}.cdsync"


def pack(magic: bytes, header: dict, key: bytes, payload: bytes) -> bytes:
    head = json.dumps(header, sort_keys=True).encode("utf-8")
    return magic + len(head).to_bytes(4, "big") + head + seal(key, magic + head, payload)


def unpack(magic: bytes, data: bytes, key: bytes, *, what: str) -> tuple[dict, bytes]:
    if not data.startswith(magic) or len(data) < len(magic) + 4:
        raise SharingError(f"{what} is not a Crisis Desk change set; it was refused.")
    size = int.from_bytes(data[len(magic) : len(magic) + 4], "big")
    head = data[len(magic) + 4 : len(magic) + 4 + size]
    try:
        header = json.loads(head)
    except ValueError:
        raise SharingError(
            f"{what} is damaged (its header cannot be read); it was refused."
        ) from None
    payload = unseal(key, magic + head, data[len(magic) + 4 + size :], what=what)
    return header, payload


def write_change_file(folder: Path, header: dict, key: bytes, changeset: bytes) -> tuple[Path, str]:
    """Write one change set whole or not at all; returns its path and digest."""
    path = file_path(folder, header["device"], header["seq"])
    path.parent.mkdir(parents=True, exist_ok=True)
    data = pack(MAGIC, {"format": FORMAT, **header}, key, changeset)
    write_atomic(path, data)
    return path, digest_of(data)


def peek_header(path: Path) -> dict:
    """The plain header of a change set (who wrote it, when), without the key; {} if unreadable."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(MAGIC) + 4)
            if not head.startswith(MAGIC):
                return {}
            size = int.from_bytes(head[len(MAGIC) :], "big")
            return json.loads(handle.read(min(size, 1 << 16)))
    except (OSError, ValueError):
        return {}


def open_change_file(path: Path, key: bytes) -> Opened:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SharingError(f"The change set {path.name} cannot be read ({exc.strerror}).") from None
    header, payload = unpack(MAGIC, data, key, what=f"The change set {path}")
    return Opened(header, payload, digest_of(data))


def change_files(folder: Path) -> dict[int, list[ChangeFile]]:
    """Every device's files in the shared folder, oldest first (half-copied temporaries, whose
    names start with a dot, are not listed)."""
    found: dict[int, list[ChangeFile]] = {}
    devices = folder / "devices"
    if not devices.is_dir():
        return found
    for device_dir in sorted(devices.iterdir()):
        if not device_dir.is_dir() or not device_dir.name.isdigit():
            continue
        device = int(device_dir.name)
        files = []
        for path in device_dir.iterdir():
            match = _NAME.match(path.name)
            if match:
                files.append(ChangeFile(device, int(match.group(1)), path))
        found[device] = sorted(files, key=lambda f: f.seq)
    return found

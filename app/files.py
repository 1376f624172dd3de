"""Every file Crisis Desk writes goes to a unique temporary name beside its target and is then
renamed over it, so a full disk, a crash or a kill leaves the old file or nothing — never half
a file — and two writers never share a temporary name.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from app.errors import DiskFull, UserError, os_error_sentence

# Below this much free space a file that came out empty is taken to have hit a full disk.
_NEARLY_FULL = 1 << 20


def temporary_beside(path: Path, tag: str = "partial") -> Path:
    """A name in the same folder (so the rename is atomic) that no other run will choose."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.{tag}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its rename is durable enough
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _raise_for(exc: OSError, path: Path) -> None:
    sentence = os_error_sentence(exc, path, doing="write")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        raise DiskFull(sentence) from None
    raise UserError(sentence) from None


@contextmanager
def atomic_target(path: Path | str, *, expect_content: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path` in one rename.

    For writers that only take a file name (QPdfWriter, SQLite's backup). A writer that fails
    silently (QPdfWriter on a full disk leaves an empty file) is caught by `expect_content`.
    """
    path = Path(path)
    temp = temporary_beside(path)
    try:
        yield temp
        if expect_content and (not temp.exists() or temp.stat().st_size == 0):
            free = shutil.disk_usage(path.parent).free
            if free < _NEARLY_FULL:
                raise DiskFull(
                    f"The disk is full: Crisis Desk could not write {path}; "
                    "free some space and try again (nothing was lost)."
                )
            raise UserError(f"Crisis Desk could not write {path}: the file came out empty.")
        _fsync(temp)
        os.replace(temp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        _raise_for(exc, path)
    finally:
        with suppress(OSError):
            temp.unlink(missing_ok=True)


def write_atomic(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write `data` to `path` whole or not at all; text is written with the given encoding."""
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_target(path, expect_content=False) as temp:
        try:
            with open(temp, "wb") as handle:
                handle.write(payload)
                handle.flush()
        except OSError as exc:
            _raise_for(exc, path)
    return path

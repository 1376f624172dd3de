"""Every error Crisis Desk raises on purpose has one root, and every failure of the operating
system or of SQLite is named truthfully: locked, read-only, full, missing — never "damaged"
unless the file really is.

`UserError` carries one sentence for the owner; the command line catches it once and the
window shows it. `Cancelled` means the owner asked to stop and nothing was changed.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path


class UserError(Exception):
    """Something the owner can act on; the message is one plain sentence."""


class Cancelled(Exception):  # noqa: N818 - the owner's word, not an error
    """The owner pressed Cancel; the transaction was rolled back and nothing changed."""


class WorkspaceLocked(UserError):
    """Another process holds the workspace for longer than we are willing to wait."""


class DiskFull(UserError):
    """The disk (or the user's quota) has no room for what was being written."""


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", -1)}
_NOT_ALLOWED = {errno.EACCES, errno.EPERM, errno.EROFS}
_HELD = {errno.EBUSY, getattr(errno, "ETXTBSY", -1)}


def os_error_sentence(exc: OSError, path: Path | str | None = None, *, doing: str = "write") -> str:
    """One sentence for an operating-system failure while reading or writing `path`."""
    where = f" {path}" if path else ""
    code = exc.errno
    if code in _NO_SPACE:
        return (
            f"The disk is full: Crisis Desk could not {doing}{where}; "
            "free some space and try again (nothing was lost)."
        )
    if code in _NOT_ALLOWED:
        reason = "the disk is read-only" if code == errno.EROFS else "you do not have permission"
        return f"Crisis Desk could not {doing}{where}: {reason}."
    if code in _HELD:
        return f"Crisis Desk could not {doing}{where}: another program is holding it open."
    if code == errno.ENOENT:
        return f"Crisis Desk could not {doing}{where}: the file or folder does not exist."
    if code == errno.EISDIR:
        return f"Crisis Desk could not {doing}{where}: it is a folder, not a file."
    reason = (exc.strerror or exc.__class__.__name__).rstrip(".").lower()
    return f"Crisis Desk could not {doing}{where}: {reason}."


def _nearly_full(path: Path | str) -> bool:
    try:
        return shutil.disk_usage(Path(path).parent).free < (1 << 20)
    except (OSError, TypeError, ValueError):
        return False


def sqlite_error_sentence(exc: sqlite3.Error, path: Path | str) -> str:
    """One truthful sentence for a SQLite failure on the workspace at `path`.

    Only real damage ("malformed", "not a database") advises a backup; a busy, read-only or
    full workspace is intact and is described as such.
    """
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if "locked" in text or "busy" in text or code in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
        return (
            f"The workspace {path} is busy: another Crisis Desk window, import or pull is "
            "writing to it. Try again when it has finished; nothing was lost."
        )
    if "readonly" in text or "read-only" in text or code == 8:
        return (
            f"The workspace {path} cannot be written (the file or its folder is read-only); "
            "make it writable, or copy it to a folder you can write to."
        )
    if "full" in text or code == 13:
        return (
            f"The disk is full: the workspace {path} could not be saved; "
            "free some space and try again (what was saved before is intact)."
        )
    if _nearly_full(path) and ("disk i/o" in text or "unable to open" in text or code in (10, 14)):
        return (
            f"The disk is full: the workspace {path} cannot be opened, because SQLite needs a "
            "little room beside it; free some space and try again (the workspace is intact)."
        )
    if "unable to open" in text or "cannot open" in text or code == 14:
        return (
            f"Crisis Desk cannot open {path}: the folder is missing, not writable, or "
            "another program holds the file."
        )
    if "disk i/o" in text or code == 10:
        return (
            f"Reading or writing {path} failed (a disk or network-drive error); check the "
            "drive and try again. The workspace was not changed."
        )
    if "malformed" in text or "not a database" in text or code in (11, 26):
        return f"{path} is damaged ({exc}). Restore it from a backup."
    return f"The workspace {path} could not be used: {exc}."


def describe_failure(exc: BaseException, path: Path | str | None = None) -> str:
    """The one sentence for any failure that reaches the command line or the window."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return sqlite_error_sentence(exc, path or "the workspace")
    if isinstance(exc, OSError):
        return os_error_sentence(exc, exc.filename or path, doing="use")
    if isinstance(exc, MemoryError):
        return "Crisis Desk ran out of memory; the input is too large to handle at once."
    if isinstance(exc, RecursionError):
        return "The input is nested too deeply to read."
    return (
        f"Something unexpected went wrong ({exc.__class__.__name__}); what was saved before "
        "is intact. Where it happened was written to the log file (Help → About)."
    )

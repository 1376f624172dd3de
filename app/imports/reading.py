"""Opening a file someone brings in, and reading its bytes as text.

Only a regular file of bounded size is opened at all: a named pipe would wait forever for a
writer, and a device such as /dev/zero never ends. The check is made before opening and again
on the opened descriptor.
"""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path

from app.errors import UserError, os_error_sentence
from app.imports.encoding import Decision, NotText, decide, decode

MAX_FILE_BYTES = 2 << 30  # 2 GiB: far beyond any export, and a bound on what is read
SAMPLE_BYTES = 256 * 1024  # what the encoding and the format are decided on


class ImportFileError(UserError):
    """The file cannot be imported; the message names the line and the problem."""


class RowRejected(ValueError):
    """One row cannot be used; it is reported with its line, the rest is imported."""


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(path: Path, mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return f"{path} is a folder; give the path of an export file."
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{path} is {kind}, not a file; give the path of an export file."


def open_export(
    path: Path, *, max_bytes: int | None = None, too_big: str | None = None
) -> io.FileIO:
    """The export opened for reading, or one sentence saying why not.

    Checked before opening (symlinks resolved): opening a named pipe blocks until something
    writes to it, and a device like /dev/zero never ends. The check is repeated on the opened
    file (non-blocking), so a file swapped for a pipe in between is refused too."""
    try:
        mode, size = (info := os.stat(path)).st_mode, info.st_size
    except (FileNotFoundError, NotADirectoryError):
        raise ImportFileError(f"There is no file at {path}.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise ImportFileError(read_failure(exc, path)) from None
    if problem := _not_a_file(path, mode):
        raise ImportFileError(problem)
    if size > (MAX_FILE_BYTES if max_bytes is None else max_bytes):
        raise ImportFileError(too_big or _too_big(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ImportFileError(read_failure(exc, path)) from None
    handle = io.FileIO(fd, "rb")
    if problem := _not_a_file(path, os.fstat(fd).st_mode):
        handle.close()
        raise ImportFileError(problem)
    return handle


def read_failure(exc: Exception, path: Path) -> str:
    if isinstance(exc, OSError):
        return os_error_sentence(exc, path, doing="read")
    return f"Crisis Desk could not read {path}: the name is not a valid file name."


def _too_big(path: Path) -> str:
    return (
        f"{path.name} is larger than {MAX_FILE_BYTES >> 30} GiB, more than one import can "
        "take; split it into smaller exports."
    )


class CountingReader(io.RawIOBase):
    """Counts the bytes read, so progress can estimate how many rows a file holds, and stops
    at MAX_FILE_BYTES (a file may grow while it is read); a failing disk is one sentence."""

    def __init__(self, handle, path: Path):
        self.handle = handle
        self.path = path
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self.handle.readinto(buffer)
        except OSError as exc:
            raise ImportFileError(read_failure(exc, self.path)) from None
        self.count += n or 0
        if self.count > MAX_FILE_BYTES:
            raise ImportFileError(_too_big(self.path))
        return n

    def close(self) -> None:
        self.handle.close()
        super().close()


def decide_encoding(handle, sample: bytes, path: Path) -> Decision:
    """The encoding of the opened file, decided on all of its bytes (app.imports.encoding);
    the handle is read to its end (within the size cap) and left there. Binary files are
    refused here."""

    def chunks():
        yield sample
        count = len(sample)
        while True:
            try:
                chunk = handle.read(1 << 20)
            except OSError as exc:
                raise ImportFileError(read_failure(exc, path)) from None
            if not chunk:
                return
            count += len(chunk)
            if count > MAX_FILE_BYTES:  # a file that grows while it is read
                raise ImportFileError(_too_big(path))
            yield chunk

    try:
        return decide(sample, chunks())
    except NotText:
        raise ImportFileError(_binary(path)) from None


def read_text_file(path: Path, max_bytes: int, too_big: str, prepare=None) -> tuple[str, Decision]:
    """A small file (a contacts file, at most `max_bytes`) read whole and decoded by the same
    policy as exports; `too_big` is the sentence for a larger one; `prepare` may even out the
    bytes first (a format's own quirks)."""
    with io.BufferedReader(open_export(path, max_bytes=max_bytes, too_big=too_big)) as handle:
        try:
            data = handle.read(max_bytes + 1)  # up to the end, or one byte too many
        except OSError as exc:
            raise ImportFileError(read_failure(exc, path)) from None
    if len(data) > max_bytes:  # it grew while it was read
        raise ImportFileError(too_big)
    if prepare is not None:
        data = prepare(data)
    try:
        return decode(data)
    except NotText:
        raise ImportFileError(_binary(path)) from None


def _binary(path: Path) -> str:
    return f"{path.name} looks like a binary file, not a text file of mentions or contacts."


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def shown(text: str, limit: int = 40) -> str:
    """Text from a file as it may appear in a one-line message: no line breaks or control
    characters, and not too long."""
    text = _BREAKS.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listed(columns: list[str]) -> str:
    return ", ".join(shown(column) for column in columns)


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(sample: str, path: Path) -> None:
    if len(_CONTROL.findall(sample[:20000])) > max(8, len(sample[:20000]) // 50):
        raise ImportFileError(_binary(path))

"""The log of unexpected failures: where each happened (file, line, function) and its type,
never its message or any value, so no secret, mention or address can end up in a log.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from app.paths import data_dir

MAX_LOG_BYTES = 512 * 1024


def log_file() -> Path:
    return data_dir() / "crisisdesk.log"


def log_unexpected(exc: BaseException, where: str = "") -> Path | None:
    """Append where `exc` happened to the log; returns the log's path, or None if unwritable."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [
        f"{datetime.now(UTC).isoformat(timespec='seconds')} {where or 'crisisdesk'}: "
        f"{exc.__class__.__module__}.{exc.__class__.__qualname__}"
    ]
    lines += [f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames[-12:]]
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            os.replace(path, path.with_suffix(".log.1"))
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    except OSError:
        return None
    return path

"""The robustness suite: attacks and accidents kept as regression tests.

`cli` runs the command line in-process (as sqlite-utils' CliRunner does) and fails the test if
anything but one clean sentence reaches stderr: no traceback, ever, for any input here.
Real processes are used only where the process is the point (kill -9, two processes at once).
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pytest

from app.cli import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def assert_one_clean_sentence(err: str) -> None:
    """What every failing command must print: one line, ours, no traceback."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) <= 1, err
    if lines:
        assert lines[0].startswith("crisisdesk: "), err


@pytest.fixture
def cli():
    def run(*argv: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in argv])
            except SystemExit as exc:  # argparse's own usage errors
                code = exc.code if isinstance(exc.code, int) else 2
        result = CliResult(code, out.getvalue(), err.getvalue())
        if result.code not in (0, 2):  # 2: argparse usage, which prints its own usage lines
            assert_one_clean_sentence(result.err)
        return result

    return run

"""The statements' command: `check-statement FILE.md`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.console import print_json
from app.errors import UserError
from app.statements.checker import CHANNEL_LIMITS, WHOLE_TEXT_RULES, check_statement


def configure_check_statement(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.md", help="the draft, as Markdown or plain text")
    p.add_argument("--channel", choices=list(CHANNEL_LIMITS), help="check its length limit too")
    p.add_argument("--json", action="store_true", help="print one JSON document")


def run_check_statement(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"There is no file at {path}.") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text; save it as UTF-8 and try again.") from None
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        result = check_statement(text, channel=args.channel)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        print_json(result.as_dict())
        return 0
    limit = f" of {result.limit}" if result.limit else ""
    print(
        f"{result.words} words, {result.characters}{limit} characters, "
        f"reading grade {result.grade:g}"
    )
    if not result.findings:
        print("No findings: it acknowledges, apologizes, cares, acts, and says what comes next.")
    for finding in result.findings:
        if finding.sentence:
            about = f"  “{finding.sentence}”"
        else:
            about = "  (whole statement)" if finding.rule in WHOLE_TEXT_RULES else "  (missing)"
        print(f"- {finding.rule}:{about}\n    {finding.why}")
        if finding.detail:
            print(f"    Found: {finding.detail}" if finding.sentence else f"    {finding.detail}")
        if finding.suggestion:
            print(f"    You could add: “{finding.suggestion}”")
    return 0

"""The `crisisdesk` command: the one composition root of the app.

Every command prints one clear line on stderr and exits non-zero on bad input, leaving the
workspace as it was; `--json` output is a single JSON document on stdout. Qt is imported only
inside the commands that need it (the window, the screenshot and PDF export).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app import __version__
from app.paths import demo_workspace, resolve_workspace
from app.store import WorkspaceError, inspect_workspace, open_store

PAGES = ("dashboard", "plan", "contacts", "inbox", "incidents", "statements", "debriefs")


class CommandError(Exception):
    """Bad input to a command; the message is the one line shown to the user."""


def _db_option(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the workspace file (default: $CRISISDESK_DB, else your user data folder)",
    )


def _workspace_path(args: argparse.Namespace) -> Path:
    return resolve_workspace(args.db)


def _print_json(document) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# --- commands ---------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.main import run_gui  # lazily: Qt only when a window is wanted

    return run_gui(_workspace_path(args))


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import build_demo

    path = resolve_workspace(args.db) if (args.db or os.environ.get("CRISISDESK_DB")) else None
    path = path or demo_workspace()
    if not inspect_workspace(path).empty:
        if not args.force:
            raise CommandError(f"{path} already holds a workspace; add --force to replace it.")
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            candidate.unlink(missing_ok=True)
    with open_store(path) as store:
        build_demo(store)
    print(f"Demo workspace ready: {path}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    if inspect_workspace(path).empty:
        raise CommandError(
            f"There is no workspace at {path}; run 'crisisdesk demo' or open the app."
        )
    with open_store(path, create=False) as store:
        business = store.business.get()
        info = {
            "path": str(path),
            "app_version": __version__,
            "schema_version": store.schema_version,
            "business": business.name if business else None,
            "size_bytes": path.stat().st_size,
            "tables": store.counts(),
        }
    if args.json:
        _print_json(info)
    else:
        print(f"Workspace:      {info['path']}")
        print(f"Business:       {info['business'] or '(not set yet)'}")
        print(f"Schema version: {info['schema_version']} (Crisis Desk {__version__})")
        for table, count in info["tables"].items():
            print(f"  {table:<20} {count:>10,}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    if args.page not in PAGES and args.page != "welcome":
        raise CommandError(
            f"Unknown page '{args.page}'; choose one of: {', '.join(PAGES)}, welcome."
        )
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        raise CommandError(f"--size must look like 1280x800, not '{args.size}'.") from None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.main import render_screenshot

    render_screenshot(
        _workspace_path(args), args.page, Path(args.output), (width, height), args.theme
    )
    print(f"Wrote {args.output}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from app.backup import backup_workspace

    backup_workspace(_workspace_path(args), Path(args.output), force=args.force)
    print(f"Backed up to {args.output}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.backup import restore_workspace

    target = _workspace_path(args)
    safety_copy = restore_workspace(Path(args.file), target, force=args.force)
    print(f"Restored {args.file} into {target}")
    if safety_copy:
        print(f"The workspace it replaced was kept as {safety_copy}")
    return 0


def _open_existing(args: argparse.Namespace):
    path = _workspace_path(args)
    if inspect_workspace(path).empty:
        raise CommandError(
            f"There is no workspace at {path}; run 'crisisdesk demo' or open the app."
        )
    return open_store(path, create=False)


# --- export: `crisisdesk export WHAT [ID] -o PATH`; later areas add debrief, landing-page --


def _export_plan(args: argparse.Namespace, output: Path) -> str:
    if args.id is not None:
        raise CommandError("'export plan' takes no ID.")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.pdf import PdfError, ensure_gui_application, write_plan_binder

    with _open_existing(args) as store:
        if store.plan.get_current() is None:
            raise CommandError(
                "There is no plan yet: start from the template on the Plan page first."
            )
        ensure_gui_application()
        try:
            pages = write_plan_binder(store, output)
        except PdfError as exc:
            raise CommandError(str(exc)) from None
    return f"Wrote the plan binder ({pages} pages) to {output}"


EXPORTERS: dict[str, Callable[[argparse.Namespace, Path], str]] = {"plan": _export_plan}


def cmd_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.exists() and not args.force:
        raise CommandError(f"{output} already exists; add --force to replace it.")
    if not output.parent.is_dir():
        raise CommandError(f"The folder {output.parent} does not exist.")
    print(EXPORTERS[args.what](args, output))
    return 0


# --- import: `crisisdesk import KIND FILE`; the inbox adds `mentions` to IMPORTERS ---------


def _import_contacts(args: argparse.Namespace) -> int:
    from app.contact_import import ContactImportError, import_contacts_file

    with _open_existing(args) as store:
        try:
            preview = import_contacts_file(store.contacts, Path(args.file))
        except ContactImportError as exc:
            raise CommandError(str(exc)) from None
    if args.json:
        _print_json(preview.as_dict())
        return 0
    print(
        f"Imported {len(preview.new)} contacts; {len(preview.duplicates)} already there, "
        f"{len(preview.rejected)} rejected."
    )
    for where, contact, why in preview.duplicates:
        print(f"  skipped {where} ({contact.name}): {why}")
    for problem in preview.rejected:
        print(f"  rejected {problem.where}: {problem.reason}")
    return 0


IMPORTERS: dict[str, Callable[[argparse.Namespace], int]] = {"contacts": _import_contacts}


def cmd_import(args: argparse.Namespace) -> int:
    return IMPORTERS[args.kind](args)


# --- the parser -------------------------------------------------------------------------

Configure = Callable[[argparse.ArgumentParser], None]


def _configure_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="replace a workspace already there")


def _configure_info(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON document")


def _configure_screenshot(p: argparse.ArgumentParser) -> None:
    p.add_argument("--page", required=True, help=f"one of: {', '.join(PAGES)}, welcome")
    p.add_argument("-o", "--output", required=True, metavar="FILE.png")
    p.add_argument("--size", default="1280x800", help="window size, default 1280x800")
    p.add_argument("--theme", choices=("light", "dark", "system"), default="light")


def _configure_backup(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def _configure_restore(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a backup made with 'crisisdesk backup'")
    p.add_argument("--force", action="store_true", help="replace the workspace already there")


def _configure_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=sorted(EXPORTERS), help="what to export")
    p.add_argument("id", nargs="?", type=int, default=None, help="which one, where it applies")
    p.add_argument("-o", "--output", required=True, metavar="PATH")
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")


def _configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=sorted(IMPORTERS), help="what the file holds")
    p.add_argument("file", metavar="FILE", help="contacts: a CSV or vCard (.vcf) file")
    p.add_argument("--json", action="store_true", help="print one JSON document")


# name -> (help, configure, run). Later areas add their verbs here.
COMMANDS: dict[str, tuple[str, Configure, Callable[[argparse.Namespace], int]]] = {
    "demo": ("create the Hearth & Crumb demo workspace", _configure_demo, cmd_demo),
    "info": ("counts per table, schema version, path", _configure_info, cmd_info),
    "screenshot": ("render a page of the window to a PNG", _configure_screenshot, cmd_screenshot),
    "backup": ("write a consistent copy of the workspace", _configure_backup, cmd_backup),
    "restore": ("replace the workspace with a checked backup", _configure_restore, cmd_restore),
    "export": ("write the plan binder PDF (and later reports)", _configure_export, cmd_export),
    "import": ("add contacts from a CSV or vCard file", _configure_import, cmd_import),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisisdesk",
        description="Crisis Desk: get a small business through a social-media crisis.",
    )
    parser.add_argument("--version", action="version", version=f"crisisdesk {__version__}")
    _db_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, configure, run) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        _db_option(command, argparse.SUPPRESS)
        configure(command)
        command.set_defaults(run=run)
    parser.set_defaults(run=cmd_gui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (CommandError, WorkspaceError) as exc:
        print(f"crisisdesk: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        if "PySide6" in str(exc) or "libEGL" in str(exc) or ".so" in str(exc):
            from app.platform_check import missing_packages_hint

            print(
                f"crisisdesk: Qt could not start ({exc}). {missing_packages_hint()}",
                file=sys.stderr,
            )
            return 1
        raise
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

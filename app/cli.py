"""The `crisisdesk` command: the one composition root of the app.

Every command prints one clear line on stderr and exits non-zero on bad input, leaving the
workspace as it was; `--json` output is a single JSON document on stdout. Qt is imported only
inside the commands that need it (the window, the screenshot and PDF export).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from app import __version__
from app.console import print_json
from app.contacts.cli import import_contacts_command
from app.drills.cli import configure_drill, run_drill
from app.errors import Cancelled, UserError
from app.incidents.cli import configure_incidents, configure_timeline, run_incidents, run_timeline
from app.mentions.cli import (
    configure_clusters,
    configure_imports,
    configure_search,
    configure_spikes,
    configure_watch,
    import_mentions_command,
    run_clusters,
    run_imports,
    run_search,
    run_spikes,
    run_watch,
    search_argv,
)
from app.paths import demo_workspace, resolve_workspace
from app.secrets import SecretStore
from app.sources.cli import configure_pull, configure_sources
from app.statements.cli import configure_check_statement, run_check_statement
from app.store import Store, inspect_workspace, open_store

PAGES = ("dashboard", "plan", "contacts", "inbox", "incidents", "statements", "debriefs")


class CommandError(UserError):
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


# --- commands ---------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.main import run_gui  # lazily: Qt only when a window is wanted

    return run_gui(_workspace_path(args))


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo.workspace import build_demo

    path = resolve_workspace(args.db) if (args.db or os.environ.get("CRISISDESK_DB")) else None
    path = path or demo_workspace()
    if not inspect_workspace(path).empty:
        if not args.force:
            raise CommandError(f"{path} already holds a workspace; add --force to replace it.")
        from app.db import exclusive_hold

        with exclusive_hold(path, doing="replace"):  # never delete a file someone writes to
            for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                candidate.unlink(missing_ok=True)
    with open_store(path) as store:
        build_demo(store)
    print(f"Demo workspace ready: {path}")
    return 0


def no_workspace(path: Path) -> CommandError:
    """The one refusal of every command that needs a workspace and finds none."""
    return CommandError(
        f"There is no workspace at {path}; create one with 'crisisdesk init' "
        "(or 'crisisdesk demo' for the demo)."
    )


def cmd_init(args: argparse.Namespace) -> int:
    from app.onboarding import init_workspace

    path = _workspace_path(args)
    if not inspect_workspace(path).empty:
        raise CommandError(f"{path} already holds a workspace; nothing was changed.")
    business = " ".join((args.business or "").split())
    if args.business is not None and not business:
        raise CommandError('--business needs a name, e.g. --business "Hearth & Crumb".')
    with open_store(path) as store:
        init_workspace(store, business, template=args.template)
    made = "from the template plan" if args.template else "empty"
    print(f"Workspace created ({made}): {path}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    if inspect_workspace(path).empty:
        raise no_workspace(path)
    with open_store(path, create=False) as store:
        business = store.business.get()
        store_counts = store.counts()
        info = {
            "path": str(path),
            "app_version": __version__,
            "schema_version": store.schema_version,
            "business": business.name if business else None,
            "size_bytes": path.stat().st_size,
            "tables": store_counts,
        }
    if args.json:
        print_json(info)
    else:
        print(f"Workspace:      {info['path']}")
        print(f"Business:       {info['business'] or '(not set yet)'}")
        print(f"Schema version: {info['schema_version']} (Crisis Desk {__version__})")
        for table, count in store_counts.items():
            print(f"  {table:<20} {count:>10,}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    drill = None
    if args.drill:
        from app.drills.scenario import find_scenario

        drill = find_scenario(args.drill)
    elif args.page == "score":
        raise CommandError("--page score shows a drill's score; say which with --drill SCENARIO.")
    if args.page not in PAGES and args.page not in ("welcome", "score"):
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
        _workspace_path(args),
        args.page,
        Path(args.output),
        (width, height),
        args.theme,
        drill=drill,
        drill_minutes=args.drill_minutes,
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
        raise no_workspace(path)
    return open_store(path, create=False)


# --- export: `crisisdesk export WHAT [ID] -o PATH` ----------------------------------------
# Every export is written to a temporary name and renamed (app.files), so a full disk says
# "the disk is full" (DiskFull, a UserError main() prints) and leaves the old file or none.


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


def _export_landing_page(args: argparse.Namespace, output: Path) -> str:
    from app.incidents.model import IncidentError
    from app.statements.landing import write_landing_page

    if args.id is None:
        raise CommandError("Say which incident: 'crisisdesk export landing-page ID -o FOLDER'.")
    with _open_existing(args) as store:
        try:
            page = write_landing_page(store, args.id, output)
        except IncidentError as exc:
            raise CommandError(str(exc)) from None
    return f"Wrote the landing page to {page}"


def _export_debrief(args: argparse.Namespace, output: Path) -> str:
    """A debrief by its incident's number: PDF, or Markdown when the file ends in .md."""
    from app.debriefs.model import DebriefError
    from app.files import write_atomic
    from app.incidents.model import IncidentError
    from app.reports.content import debrief_markdown

    if args.id is None:
        raise CommandError("Say which incident: 'crisisdesk export debrief ID -o report.pdf'.")
    with _open_existing(args) as store:
        try:
            incident = store.incidents.get(args.id)
        except IncidentError as exc:
            raise CommandError(str(exc)) from None
        debrief = store.debriefs.for_incident(incident.id)
        if debrief is None:
            raise CommandError(
                f"Incident {args.id} has no debrief yet; start it from the Debriefs page."
            )
        if output.suffix.lower() == ".md":
            write_atomic(output, debrief_markdown(store, debrief.id))
            return f"Wrote the debrief (Markdown) to {output}"
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from ui.pdf import PdfError, ensure_gui_application, write_debrief

        ensure_gui_application()
        try:
            pages = write_debrief(store, debrief.id, output)
        except (PdfError, DebriefError) as exc:
            raise CommandError(str(exc)) from None
    return f"Wrote the debrief report ({pages} pages) to {output}"


EXPORTERS: dict[str, Callable[[argparse.Namespace, Path], str]] = {
    "plan": _export_plan,
    "debrief": _export_debrief,
    "landing-page": _export_landing_page,
}


def cmd_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    # The landing page is a folder holding index.html; the others are single files.
    written = output / "index.html" if args.what == "landing-page" else output
    if written.exists() and not args.force:
        raise CommandError(f"{written} already exists; add --force to replace it.")
    if not output.parent.is_dir():
        raise CommandError(f"The folder {output.parent} does not exist.")
    print(EXPORTERS[args.what](args, output))
    return 0


# --- import: `crisisdesk import KIND FILE`; the inbox adds `mentions` to IMPORTERS ---------


# kind -> importer
IMPORTERS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    "contacts": import_contacts_command,
    "mentions": import_mentions_command,
}


def cmd_import(args: argparse.Namespace) -> int:
    with _open_existing(args) as store:
        return IMPORTERS[args.kind](store, args)


def cmd_share(args: argparse.Namespace) -> int:
    from app.sharing import cli as sharing

    if args.share_verb == "join":
        return sharing.share_join(_workspace_path(args), args, open_store)
    verbs = {"on": sharing.share_on, "invite": sharing.share_invite, "status": sharing.share_status}
    with _open_existing(args) as store:
        return verbs[args.share_verb](store, args)


def cmd_sync(args: argparse.Namespace) -> int:
    """One sync round. The round opens the workspace with APSW's own SQLite, so this process
    closes its standard connection first: two SQLite libraries must never hold one file."""
    from app.migrations import latest_version
    from app.sharing import cli as sharing
    from app.sharing.local import workspace_key

    path = _workspace_path(args)
    with _open_existing(args) as store:
        config, key = workspace_key(store.settings, SecretStore())
    return sharing.run_sync(path, config, key, latest_version(), args)


def in_workspace(run: Callable[[Store, argparse.Namespace], int]) -> Callable:
    """A command that works on the existing workspace: opened for it, closed after."""

    def command(args: argparse.Namespace) -> int:
        with _open_existing(args) as store:
            return run(store, args)

    return command


def cmd_sources(args: argparse.Namespace) -> int:
    from app.sources.cli import run_sources

    with _open_existing(args) as store:
        return run_sources(store, args, SecretStore())


def cmd_pull(args: argparse.Namespace) -> int:
    from app.sources.cli import run_pull

    with _open_existing(args) as store:
        return run_pull(store, args, SecretStore())


# --- the parser -------------------------------------------------------------------------

Configure = Callable[[argparse.ArgumentParser], None]


def _configure_init(p: argparse.ArgumentParser) -> None:
    p.add_argument("--template", action="store_true", help="start from the template plan")
    p.add_argument("--business", metavar="NAME", help="your business's name")


def _configure_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="replace a workspace already there")


def _configure_info(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON document")


def _configure_screenshot(p: argparse.ArgumentParser) -> None:
    p.add_argument("--page", required=True, help=f"one of: {', '.join(PAGES)}, welcome")
    p.add_argument("-o", "--output", required=True, metavar="FILE.png")
    p.add_argument("--size", default="1280x800", help="window size, default 1280x800")
    p.add_argument("--theme", choices=("light", "dark", "system"), default="light")
    p.add_argument(
        "--drill",
        metavar="SCENARIO",
        help="show the window during this drill, played by the autopilot (nothing is kept); "
        "--page score shows its score",
    )
    p.add_argument(
        "--drill-minutes",
        type=float,
        default=12,
        metavar="MIN",
        help="how far into the drill, in scenario minutes (default 12)",
    )


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
    p.add_argument(
        "file", metavar="FILE", help="contacts: CSV or vCard; mentions: CSV, JSON or NDJSON"
    )
    p.add_argument("--format", choices=("auto", "csv", "json", "ndjson"), default="auto")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="which column holds a field, e.g. --map text=Message --map posted_at=Date",
    )
    p.add_argument("--source", help="mentions: the source name for rows without one")
    p.add_argument(
        "--undated",
        action="store_true",
        help="mentions: date rows without a date with the time of the import",
    )
    p.add_argument("--no-sentiment", action="store_true", help="mentions: skip scoring after")
    p.add_argument("--json", action="store_true", help="print the result as one JSON document")


def _configure_share(p: argparse.ArgumentParser) -> None:
    from app.sharing.cli import configure_share

    configure_share(p)


def _configure_sync(p: argparse.ArgumentParser) -> None:
    from app.sharing.cli import configure_sync

    configure_sync(p)


# name -> (help, configure, run). Later areas add their verbs here.
COMMANDS: dict[str, tuple[str, Configure, Callable[[argparse.Namespace], int]]] = {
    "init": ("create a workspace (empty, or from the template plan)", _configure_init, cmd_init),
    "demo": ("create the Hearth & Crumb demo workspace", _configure_demo, cmd_demo),
    "info": ("counts per table, schema version, path", _configure_info, cmd_info),
    "screenshot": ("render a page of the window to a PNG", _configure_screenshot, cmd_screenshot),
    "check-statement": (
        "check a draft statement before it goes out",
        configure_check_statement,
        run_check_statement,
    ),
    "sources": ("add, list, remove, pause or pull sources", configure_sources, cmd_sources),
    "pull": ("pull new mentions from one source or --all", configure_pull, cmd_pull),
    "incidents": (
        "list incidents with level, status, times, counts",
        configure_incidents,
        in_workspace(run_incidents),
    ),
    "timeline": ("an incident's timeline", configure_timeline, in_workspace(run_timeline)),
    "backup": ("write a consistent copy of the workspace", _configure_backup, cmd_backup),
    "restore": ("replace the workspace with a checked backup", _configure_restore, cmd_restore),
    "search": ("search the mentions", configure_search, in_workspace(run_search)),
    "spikes": (
        "spikes in mention volume and negative mentions (--explain: why)",
        configure_spikes,
        in_workspace(run_spikes),
    ),
    "watch": (
        "watch queries that alert: list, add, remove",
        configure_watch,
        in_workspace(run_watch),
    ),
    "clusters": (
        "near-identical posts from many accounts (a review bomb), and their export",
        configure_clusters,
        in_workspace(run_clusters),
    ),
    "imports": (
        "list imports and pulls, or undo one ('imports list', 'imports undo ID')",
        configure_imports,
        in_workspace(run_imports),
    ),
    "export": ("write the plan binder PDF (and later reports)", _configure_export, cmd_export),
    "share": ("share this workspace with teammates through a folder", _configure_share, cmd_share),
    "sync": ("send your changes and take your teammates'", _configure_sync, cmd_sync),
    "import": (
        "import contacts (CSV, vCard) or mentions (CSV, JSON, NDJSON)",
        _configure_import,
        cmd_import,
    ),
    "drill": (
        "rehearse a crisis in a sandbox: list, run, from-incident, check",
        configure_drill,
        run_drill,
    ),
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


def _one_line(sentence: str) -> str:
    """A path or a name from outside may hold a line break; the message stays one line."""
    return " ".join(sentence.split())


def _quiet_closed_pipe() -> int:
    """`crisisdesk info | head -1`: the reader has gone; stop without a word."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, as other command-line tools end


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure ends as one sentence on stderr and a non-zero exit."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(search_argv(argv))
    try:
        code = args.run(args)
        sys.stdout.flush()
        return code
    except Cancelled:
        print("crisisdesk: cancelled; nothing was changed.", file=sys.stderr)
        return 130
    except UserError as exc:
        print(f"crisisdesk: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return _quiet_closed_pipe()
    except KeyboardInterrupt:
        return 130
    except ImportError as exc:
        if "PySide6" in str(exc) or "libEGL" in str(exc) or ".so" in str(exc):
            from app.platform_check import missing_packages_hint

            print(
                f"crisisdesk: Qt could not start ({exc}). {missing_packages_hint()}",
                file=sys.stderr,
            )
            return 1
        return _unexpected(exc, args)
    except Exception as exc:  # noqa: BLE001 - the one place every other failure is worded
        return _unexpected(exc, args)


def _unexpected(exc: BaseException, args: argparse.Namespace) -> int:
    from app.errors import describe_failure
    from app.logs import log_unexpected

    if not isinstance(exc, OSError | sqlite3.Error | MemoryError | RecursionError):
        log_unexpected(exc, f"crisisdesk {getattr(args, 'command', None) or 'window'}")
    try:
        workspace = _workspace_path(args)
    except Exception:  # noqa: BLE001
        workspace = None
    print(f"crisisdesk: {_one_line(describe_failure(exc, workspace))}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

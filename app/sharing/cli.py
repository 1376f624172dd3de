"""The sharing commands: `share on|invite|join|status` and `sync`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.console import print_json
from app.secrets import SecretStore
from app.sharing import local
from app.sharing.model import SharingConfig, SharingError
from app.sharing.round import RoundResult, sync_round

if TYPE_CHECKING:
    from app.store import Store


def configure_share(p: argparse.ArgumentParser) -> None:
    verbs = p.add_subparsers(dest="share_verb", metavar="VERB", required=True)
    on = verbs.add_parser("on", help="share this workspace through a folder (you are laptop 0)")
    on.add_argument("--folder", required=True, help="a folder your sync tool shares")
    on.add_argument("--person", default="", help="your name, shown on what you do")
    verbs.add_parser("invite", help="an invitation code for a teammate's laptop")
    join = verbs.add_parser("join", help="make this laptop's copy from an invitation code")
    join.add_argument("code", metavar="CODE")
    join.add_argument("--folder", required=True, help="the shared folder, as it is on this laptop")
    join.add_argument("--person", default="", help="your name, shown on what you do")
    status = verbs.add_parser("status", help="this laptop's part, and what waits")
    status.add_argument("--json", action="store_true", help="print one JSON document")


def configure_sync(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON document")


def share_on(store: Store, args: argparse.Namespace) -> int:
    config = local.share_on(store, Path(args.folder), args.person, SecretStore())
    print(f"Sharing is on: {config.folder} (this laptop is number {config.device}).")
    print("Make an invitation for each teammate with 'crisisdesk share invite'.")
    return 0


def share_invite(store: Store, args: argparse.Namespace) -> int:
    code, device = local.invite(store)
    print(f"Invitation for laptop {device} (give it to one teammate, in person or by phone):")
    print(code)
    print("They run: crisisdesk share join CODE --folder THE-SHARED-FOLDER")
    return 0


def share_join(
    target: Path, args: argparse.Namespace, open_workspace: Callable[[Path], Store]
) -> int:
    config = local.join(
        args.code, Path(args.folder), target, args.person, SecretStore(), open_workspace
    )
    print(f"Joined as laptop {config.device}: {target}. Run 'crisisdesk sync' to catch up.")
    return 0


def share_status(store: Store, args: argparse.Namespace) -> int:
    config = local.read_config(store.settings)
    status = local.status(store, config)
    if args.json:
        print_json(status)
        return 0
    if config is None:
        print("Sharing is off for this workspace.")
        return 0
    print(f"Shared through {config.folder}; this laptop is number {config.device} "
          f"({config.person}).")  # fmt: skip
    print(f"Waiting to be applied here: {status['waiting']} file(s); open conflicts: "
          f"{status['conflicts_open']}.")  # fmt: skip
    return 0


def run_sync(
    workspace: Path, config: SharingConfig, key: bytes, schema: int, args: argparse.Namespace
) -> int:
    result: RoundResult = sync_round(workspace, config, key, schema)
    if args.json:
        print_json(result.as_dict())
    else:
        print(result.summary().capitalize())
    return 0


__all__ = ["SharingError"]

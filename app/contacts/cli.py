"""The contacts' command: `import contacts FILE` (CSV or vCard)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.console import print_json
from app.contacts.importing import import_contacts_file
from app.text import plural

if TYPE_CHECKING:
    from app.store import Store


def import_contacts_command(store: Store, args: argparse.Namespace) -> int:
    business = store.business.get()
    preview = import_contacts_file(
        store.contacts, Path(args.file), business_name=business.name if business else ""
    )
    if args.json:
        print_json(preview.as_dict())
        return 0
    print(
        f"Imported {plural(len(preview.new), 'contact')}; {len(preview.duplicates):,} already "
        f"there, {len(preview.rejected):,} rejected."
    )
    for where, contact, why in preview.duplicates:
        print(f"  skipped {where} ({contact.name}): {why}")
    for problem in preview.rejected:
        print(f"  rejected {problem.where}: {problem.reason}")
    return 0

"""Contacts in and out: CSV (any encoding, comma or semicolon, mapped columns) and vCard.

An import is three steps, so nothing is half-done: parse the file into candidate contacts
and per-row problems (with line or card numbers), sort the candidates into new ones and
duplicates of people you already have (same email or phone), then add the new ones in one
transaction — only after you have seen the problems. vCards are read with `vobject`, one card
at a time, after the line-ending and quoted-printable quirks of real exporters are evened out,
so one broken card is reported and the rest still come in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.contacts.csv_files import contacts_from_csv, guess_mapping, read_csv
from app.contacts.model import (
    CancelCheck,
    Contact,
    ContactImportError,
    ParsedContacts,
    Progress,
    RowProblem,
    never,
    no_progress,
    works_for,
)
from app.contacts.repository import ContactRepository
from app.contacts.vcard import parse_vcards
from app.errors import Cancelled
from app.imports.encoding import NotText, decode
from app.imports.reading import ImportFileError, read_text_file

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class ImportPreview:
    """Parsed contacts sorted against the workspace: new, duplicates and rejected rows."""

    new: list[Contact] = field(default_factory=list)
    duplicates: list[tuple[str, Contact, str]] = field(default_factory=list)  # where, contact, why
    rejected: list[RowProblem] = field(default_factory=list)

    def as_dict(self, imported: int | None = None) -> dict:
        return {
            "imported": len(self.new) if imported is None else imported,
            "duplicates": [
                {"where": where, "name": contact.name, "reason": why}
                for where, contact, why in self.duplicates
            ],
            "rejected": [{"where": p.where, "reason": p.reason} for p in self.rejected],
        }


# --- reading files ------------------------------------------------------------------------


def read_text(data: bytes) -> str:
    """Bytes decoded by the import toolkit's one policy (app.imports.encoding): UTF-8 (a few
    broken sequences replaced), UTF-16 with or without BOM, else the legacy code page the bytes
    show; binary files are refused."""
    try:
        return decode(unfold_split_characters(data))[0]
    except NotText:
        raise ContactImportError(
            "This is not a text file; export your contacts as CSV or vCard."
        ) from None


def read_file(path: Path) -> str:
    """The text of a contacts file. Only a regular file of at most 50 MB is opened: a named
    pipe would wait forever for a writer, and a device such as /dev/zero never ends."""
    return read_file_and_charset(path)[0]


# A vCard line folded inside a multi-byte UTF-8 character (exporters that fold at 75 bytes):
# joined again on the bytes, before the file is decoded, so the character survives.
_SPLIT_CHARACTER = re.compile(rb"([\xc0-\xf7][\x80-\xbf]{0,2})\r?\n[ \t]([\x80-\xbf])")


def unfold_split_characters(data: bytes) -> bytes:
    if b"BEGIN:VCARD" not in data[:65536].upper():
        return data
    return _SPLIT_CHARACTER.sub(rb"\1\2", data)


def read_file_and_charset(path: Path) -> tuple[str, str]:
    """The text of a contacts file, and its legacy code page ("" for UTF-8 and UTF-16)."""
    path = Path(path)
    try:
        text, decision = read_text_file(
            path, MAX_FILE_BYTES, _too_big(path), prepare=unfold_split_characters
        )
    except ImportFileError as exc:
        message = str(exc).replace("an export file", "a CSV or vCard file")
        raise ContactImportError(message) from None
    return text, decision.encoding if decision.legacy else ""


def _too_big(path: Path) -> str:
    return (
        f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MB, far more than a contacts "
        "file holds; check it is the right file, or split it."
    )


def looks_like_vcard(text: str) -> bool:
    return "BEGIN:VCARD" in text[:4096].upper()


def parse_contacts_file(
    path: Path, *, progress: Progress = no_progress, cancelled: CancelCheck = never
) -> ParsedContacts:
    """Parse a CSV (columns mapped automatically) or vCard file, by content not extension."""
    text, charset = read_file_and_charset(path)
    if looks_like_vcard(text):
        return parse_vcards(text, progress=progress, cancelled=cancelled, charset=charset)
    table = read_csv(text)
    return contacts_from_csv(table, guess_mapping(table.headers))


# --- sorting and committing -----------------------------------------------------------------


def preview_import(
    repo: ContactRepository, parsed: ParsedContacts, business_name: str = ""
) -> ImportPreview:
    """Sort parsed contacts into new ones and duplicates; anyone whose organisation is the
    business itself (`business_name`) is on the team.

    A duplicate shares an email or a phone number with someone already in the workspace, or
    has the same name and an email or phone of an earlier row of the same file. (Two different
    names in one file may share an office number; they are two people.) A card with neither
    email nor phone is a duplicate of a contact with the same name and organisation.
    """
    preview = ImportPreview(rejected=list(parsed.problems))
    existing: dict[str, str] = {}
    for contact in repo.all():
        for key in contact.same_person_keys() | {contact.name_key()}:
            existing.setdefault(key, contact.name)
    in_file: dict[tuple[str, str], bool] = {}
    for where, contact in parsed.contacts:
        keys = contact.same_person_keys() or {contact.name_key()}
        clash = next((k for k in sorted(keys) if k in existing), None)
        if clash:
            what = {"email:": "email", "phone:": "phone number"}.get(
                clash[:6], "name and organisation"
            )
            preview.duplicates.append(
                (where, contact, f"same {what} as {existing[clash]}, already in your contacts")
            )
            continue
        lowered = contact.name.lower()
        if any((lowered, k) in in_file for k in keys):
            preview.duplicates.append((where, contact, "appears earlier in this file"))
            continue
        for key in keys:
            in_file[(lowered, key)] = True
        if contact.kind == "external" and works_for(contact, business_name):
            contact = replace(contact, kind="internal")
        preview.new.append(contact)
    return preview


def commit_import(
    repo: ContactRepository,
    contacts: list[Contact],
    *,
    progress: Progress = no_progress,
    cancelled: CancelCheck = never,
) -> int:
    """Add `contacts` in one transaction; Cancel rolls every row back."""
    total = len(contacts)
    with repo.db.atomic():
        for done, contact in enumerate(contacts, start=1):
            if cancelled():
                raise Cancelled()
            repo.save(Contact(**{**contact.__dict__, "id": None}))
            if done % 200 == 0 or done == total:
                progress(done, total)
    return total


def import_contacts_file(
    repo: ContactRepository,
    path: Path,
    *,
    business_name: str = "",
    progress: Progress = no_progress,
    cancelled: CancelCheck = never,
) -> ImportPreview:
    """Parse, sort and add the new contacts of a file (the command line's import)."""
    parsed = parse_contacts_file(path, progress=progress, cancelled=cancelled)
    preview = preview_import(repo, parsed, business_name)
    commit_import(repo, preview.new, cancelled=cancelled)
    return preview

"""Contacts in and out: CSV (any encoding, comma or semicolon, mapped columns) and vCard.

An import is three steps, so nothing is half-done: parse the file into candidate contacts
and per-row problems (with line or card numbers), sort the candidates into new ones and
duplicates of people you already have (same email or phone), then add the new ones in one
transaction — only after you have seen the problems. vCards are read with `vobject`, one card
at a time, after the line-ending and quoted-printable quirks of real exporters are evened out,
so one broken card is reported and the rest still come in.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.contacts.repository import Contact, ContactRepository, Phone, clean_contact, parse_phone
from app.errors import Cancelled, UserError, os_error_sentence

MAX_FIELD_CHARS = 20_000
MAX_FILE_BYTES = 50 * 1024 * 1024

# The fields a CSV column can be mapped to (several columns may feed phone, email, social).
CSV_FIELDS: dict[str, str] = {
    "": "(ignore)",
    "name": "Name",
    "first_name": "First name",
    "last_name": "Last name",
    "kind": "Internal or external",
    "role": "Role",
    "organisation": "Organisation",
    "phone": "Phone",
    "email": "Email",
    "social": "Social handle",
    "groups": "Groups",
    "availability": "Availability",
    "timezone": "Time zone",
    "notes": "Notes",
}
MULTI_FIELDS = {"phone", "email", "social", "groups"}

# Header words of common exports (ours, Outlook, Google, Apple Numbers) -> our field.
_HEADER_HINTS: list[tuple[str, str]] = [
    (r"^(full ?name|display ?name|name|contact)$", "name"),
    (r"^(first ?name|given ?name|forename)$", "first_name"),
    (r"^(last ?name|family ?name|surname)$", "last_name"),
    (r"^(kind|type|internal.*external)$", "kind"),
    (r"^(role|job ?title|title|position)$", "role"),
    (r"^(organi[sz]ation|company|organi[sz]ation 1 - name|employer|firm)", "organisation"),
    (r"(phone|mobile|cell|tel)", "phone"),
    (r"(e[ -]?mail)", "email"),
    (r"(social|twitter|instagram|handle|mastodon|bluesky)", "social"),
    (r"^(groups?|categor(y|ies)|group membership|labels)$", "groups"),
    (r"^(availability|hours|available)$", "availability"),
    (r"^(time ?zone|tz)$", "timezone"),
    (r"^(notes?|comments?)$", "notes"),
]
_SPLIT_MULTI = re.compile(r"\s*(?:\||:::|\n)\s*")
_SKIPPED_GROUPS = {"my contacts", "starred in android", "starred", "* myContacts".lower()}


class ContactImportError(UserError):
    """The file cannot be read as contacts at all; the message is one plain sentence."""


@dataclass(frozen=True)
class RowProblem:
    where: str  # "line 7" or "card 3 (line 40)"
    reason: str

    def text(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ParsedContacts:
    """What a file holds: contacts with where each came from, and rows that cannot be used."""

    contacts: list[tuple[str, Contact]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


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


Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


def _no_progress(done: int, total: int) -> None:
    return None


def _never() -> bool:
    return False


# --- reading files ------------------------------------------------------------------------


def read_text(data: bytes) -> str:
    """Decode bytes in whatever encoding an exporter used (UTF-8 with or without BOM, UTF-16,
    Windows-1252, Latin-1…), refusing binary files."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ContactImportError("The file says it is UTF-16 but is not readable.") from None
    if b"\x00" in data[:4096]:
        raise ContactImportError("This is not a text file; export your contacts as CSV or vCard.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is not None and best.encoding:
        # Short files fit several code pages equally well; Windows-1252 (what spreadsheet
        # programs write in much of the world) wins a tie.
        tied = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
        western = any("cp1252" in m.could_be_from_charset for m in tied)
        encoding = "cp1252" if western else best.encoding
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


def read_file(path: Path) -> str:
    """The text of a contacts file. Only a regular file of at most 50 MB is opened: a named
    pipe would wait forever for a writer, and a device such as /dev/zero never ends."""
    return read_text(_read_bounded(Path(path)))


def _read_bounded(path: Path) -> bytes:
    try:
        mode, size = (info := os.stat(path)).st_mode, info.st_size  # symlinks resolved
    except (FileNotFoundError, NotADirectoryError):
        raise ContactImportError(f"There is no file at {path}.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise ContactImportError(_read_failure(exc, path)) from None
    _check_kind(path, mode)
    if size > MAX_FILE_BYTES:
        raise ContactImportError(_too_big(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        with io.BufferedReader(io.FileIO(os.open(path, flags), "rb")) as handle:
            _check_kind(path, os.fstat(handle.fileno()).st_mode)  # swapped since the check?
            data = handle.read(MAX_FILE_BYTES + 1)  # up to the end, or one byte too many
    except OSError as exc:
        raise ContactImportError(_read_failure(exc, path)) from None
    if len(data) > MAX_FILE_BYTES:  # it grew while it was read
        raise ContactImportError(_too_big(path))
    return data


def _check_kind(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ContactImportError(f"{path} is a folder; give the path of a CSV or vCard file.")
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe"
            if stat.S_ISFIFO(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a regular file"
        )
        raise ContactImportError(
            f"{path} is {kind}, not a file; give the path of a CSV or vCard file."
        )


def _read_failure(exc: Exception, path: Path) -> str:
    if isinstance(exc, OSError):
        return os_error_sentence(exc, path, doing="read")
    return f"Crisis Desk could not read {path}: the name is not a valid file name."


def _too_big(path: Path) -> str:
    return (
        f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MB, far more than a contacts "
        "file holds; check it is the right file, or split it."
    )


def looks_like_vcard(text: str) -> bool:
    return "BEGIN:VCARD" in text[:4096].upper()


def parse_contacts_file(
    path: Path, *, progress: Progress = _no_progress, cancelled: CancelCheck = _never
) -> ParsedContacts:
    """Parse a CSV (columns mapped automatically) or vCard file, by content not extension."""
    text = read_file(path)
    if looks_like_vcard(text):
        return parse_vcards(text, progress=progress, cancelled=cancelled)
    table = read_csv(text)
    return contacts_from_csv(table, guess_mapping(table.headers))


# --- CSV ------------------------------------------------------------------------------------


@dataclass
class CsvTable:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, values)
    delimiter: str = ","


def read_csv(text: str) -> CsvTable:
    """Split CSV text into a header and rows, guessing the delimiter (comma, semicolon, tab)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ContactImportError("The file is empty.")
    sample = text[:20_000]
    first_line = sample.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS * 10)
    try:
        headers: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for values in reader:
            line = reader.line_num
            if headers is None:
                if not any(v.strip() for v in values):
                    continue
                headers = [v.strip() for v in values]
                continue
            if not any(v.strip() for v in values):
                continue
            rows.append((line, values))
    except csv.Error as exc:
        raise ContactImportError(f"The CSV file cannot be read ({exc}).") from None
    finally:
        csv.field_size_limit(old_limit)
    if headers is None:
        raise ContactImportError("The file is empty.")
    if len(headers) < 2 and not rows:
        raise ContactImportError(
            "This does not look like a contacts CSV: it needs a header row and one row per person."
        )
    return CsvTable(headers, rows, delimiter)


def guess_mapping(headers: list[str]) -> list[str]:
    """For each column, the field it most likely holds ('' to ignore)."""
    mapping = []
    for header in headers:
        words = re.sub(r"[_\-]+", " ", header.strip().lower())
        words = re.sub(r"\s+", " ", words)
        found = ""
        for pattern, name in _HEADER_HINTS:
            if re.search(pattern, words):
                found = name
                break
        # Google's "Phone 1 - Type" / "E-mail 1 - Type" columns hold labels, not numbers.
        if found in ("phone", "email") and words.endswith("type"):
            found = ""
        mapping.append(found)
    return mapping


def _phone_label(header: str) -> str:
    words = header.lower()
    for word, label in (
        ("mobil", "mobile"),
        ("cell", "mobile"),
        ("home", "home"),
        ("business", "work"),
        ("work", "work"),
        ("office", "work"),
    ):
        if word in words:
            return label
    return ""


def contacts_from_csv(table: CsvTable, mapping: list[str]) -> ParsedContacts:
    """Turn rows into contacts with the chosen column mapping; rows with no name are problems."""
    result = ParsedContacts()
    if not any(m in ("name", "first_name", "last_name") for m in mapping):
        raise ContactImportError("Choose which column holds the name (or first and last name).")
    for line, values in table.rows:
        where = f"line {line}"
        fields: dict[str, list[tuple[str, str]]] = {}
        too_long = False
        for index, target in enumerate(mapping):
            if not target or index >= len(values):
                continue
            value = values[index].strip()
            if len(value) > MAX_FIELD_CHARS:
                too_long = True
            if value:
                header = table.headers[index] if index < len(table.headers) else ""
                fields.setdefault(target, []).append((header, value))
        if too_long:
            result.problems.append(RowProblem(where, "a value is too long to be a contact field."))
            continue

        def one(name: str, fields=fields) -> str:
            return " ".join(v for _h, v in fields.get(name, []))

        name = one("name") or " ".join(filter(None, [one("first_name"), one("last_name")]))
        if not name.strip():
            result.problems.append(RowProblem(where, "no name."))
            continue
        phones = []
        for header, value in fields.get("phone", []):
            for part in _SPLIT_MULTI.split(value):
                phone = parse_phone(part)
                if phone is not None:
                    if not phone.label:
                        phone.label = _phone_label(header)
                    phones.append(phone)

        def many(name: str, fields=fields) -> list[str]:
            return [p for _h, v in fields.get(name, []) for p in _SPLIT_MULTI.split(v) if p]

        groups = [g for g in many("groups") if g.lower() not in _SKIPPED_GROUPS]
        kind = one("kind").lower()
        contact = Contact(
            name=name,
            kind="external" if kind.startswith("ext") else "internal",
            role=one("role"),
            organisation=one("organisation"),
            phones=phones,
            emails=many("email"),
            social=many("social"),
            groups=groups,
            availability=one("availability"),
            timezone=one("timezone"),
            notes="\n".join(v for _h, v in fields.get("notes", [])),
        )
        try:
            result.contacts.append((where, clean_contact(contact)))
        except ValueError as exc:
            result.problems.append(RowProblem(where, str(exc)))
    return result


CSV_COLUMNS = [
    "Name",
    "Kind",
    "Role",
    "Organisation",
    "Phones",
    "Emails",
    "Social",
    "Groups",
    "Availability",
    "Time zone",
    "Notes",
]


def contacts_to_csv(contacts: list[Contact]) -> str:
    """Our CSV: one row per contact; lists joined with ' | ' (the importer splits them again).
    Cells that a spreadsheet would run as a formula are quoted (app.text.csv_safe_row)."""
    from app.text import csv_safe_row

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in contacts:
        writer.writerow(
            csv_safe_row(
                [
                    c.name,
                    c.kind,
                    c.role,
                    c.organisation,
                    " | ".join(p.text() for p in c.phones),
                    " | ".join(c.emails),
                    " | ".join(c.social),
                    " | ".join(c.groups),
                    c.availability,
                    c.timezone,
                    c.notes,
                ]
            )
        )
    return out.getvalue()


# --- vCard ----------------------------------------------------------------------------------

_TEL_LABELS = {
    "cell": "mobile",
    "mobile": "mobile",
    "home": "home",
    "work": "work",
    "fax": "fax",
    "pager": "pager",
    "main": "main",
    "text": "text",
}
_IGNORED_TYPES = {"voice", "pref", "internet", "x400"}
_STANDARD_TEL_TYPES = {"mobile": "CELL", "home": "HOME", "work": "WORK", "fax": "FAX"}
_SKIPPED_PROPERTIES = {"PROFILE", "PHOTO", "LOGO", "SOUND", "KEY"}
_PROP_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+[;:]")


def _split_cards(text: str) -> list[tuple[int, list[str]]]:
    """Cards as (first line number, unfolded-for-QP lines), with line ends made uniform.

    Real exporters end lines with CR LF, CR CR LF (iOS 5) or a bare LF inside folded base64
    (macOS); vCard 2.1 quoted-printable values continue after a trailing '=' on the next line,
    which vobject does not follow. Lines outside any card are ignored.
    """
    lines = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cards: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:  # a card without END: close it where the next one starts
                cards.append((start, current))
            current, start = [line.strip()], index
            continue
        if current is None:
            continue
        if upper == "END:VCARD":
            current.append("END:VCARD")
            cards.append((start, current))
            current = None
            continue
        head = line.split(":", 1)[0].upper()
        if "QUOTED-PRINTABLE" in head:
            while line.endswith("=") and index < len(lines):
                nxt = lines[index]
                if nxt.strip().upper() == "END:VCARD" or (
                    _PROP_LINE.match(nxt) and not nxt.startswith("=")
                ):
                    break
                line = line[:-1] + nxt.lstrip()
                index += 1
        name = head.split(";", 1)[0].split(".")[-1]
        # vobject reads PROFILE:VCARD as a second BEGIN; pictures, sounds and keys say nothing
        # we keep and are where exporters break base64 most often: both are left out.
        if name in _SKIPPED_PROPERTIES:
            while index < len(lines) and (lines[index][:1] in (" ", "\t") or not lines[index]):
                index += 1
            continue
        current.append(line)
    if current is not None:
        cards.append((start, current))
    return cards


def _types(prop) -> list[str]:
    values: list[str] = []
    for key, params in prop.params.items():
        if key.upper() == "TYPE":
            for param in params:
                values.extend(v.strip().lower() for v in str(param).split(","))
        elif not params:  # vCard 2.1 bare types: TEL;CELL;PREF
            values.append(key.lower())
    # vobject keeps 2.1 bare parameters as keys with an empty list; singletonparams too.
    for single in getattr(prop, "singletonparams", []) or []:
        values.append(str(single).lower())
    return values


def _flatten(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [item for v in value for item in _flatten(v)]
    return [str(value)] if value is not None and str(value).strip() else []


def _text(value) -> str:
    return " ".join(_flatten(value))


def _labels_by_group(card) -> dict[str, str]:
    labels = {}
    for prop in card.getChildren():
        if prop.name.upper() == "X-ABLABEL" and prop.group:
            label = _text(prop.value)
            match = re.fullmatch(r"_\$!<(.*)>!\$_", label)
            labels[prop.group.lower()] = (match.group(1) if match else label).lower()
    return labels


def _name_of(card) -> str:
    fn = card.contents.get("fn")
    if fn and _text(fn[0].value).strip():
        return _text(fn[0].value).strip()
    n = card.contents.get("n")
    if n:
        value = n[0].value
        parts = [
            getattr(value, "prefix", ""),
            getattr(value, "given", ""),
            getattr(value, "additional", ""),
            getattr(value, "family", ""),
            getattr(value, "suffix", ""),
        ]
        name = " ".join(_text(p) for p in parts if _text(p).strip())
        if name.strip():
            return name.strip()
    return ""


def contact_from_vcard(card) -> Contact:
    """One vobject card -> Contact; raises ValueError with a plain reason if it has no name."""
    name = _name_of(card)
    if not name:
        known = [_text(e.value) for e in card.contents.get("email", [])]
        known += [_text(t.value) for t in card.contents.get("tel", [])]
        hint = f" (it has {', '.join(known[:2])})" if known else ""
        raise ValueError(f"no name{hint}.")
    labels = _labels_by_group(card)
    phones = []
    for tel in card.contents.get("tel", []):
        number = _text(tel.value).strip()
        if not number:
            continue
        types = [t for t in _types(tel) if t not in _IGNORED_TYPES]
        label = labels.get((tel.group or "").lower(), "")
        if not label:
            mapped = [_TEL_LABELS.get(t, "") for t in types]
            mapped = [m for m in mapped if m]
            if "fax" in mapped:
                label = (
                    "work fax" if "work" in mapped else ("home fax" if "home" in mapped else "fax")
                )
            else:
                label = (
                    mapped[0] if mapped else next((t[2:] for t in types if t.startswith("x-")), "")
                )
        phones.append(Phone(label, number))
    emails = [_text(e.value).strip() for e in card.contents.get("email", [])]
    org = card.contents.get("org")
    organisation = ""
    if org:
        organisation = ", ".join(_flatten(org[0].value))
    role = _text(card.contents["title"][0].value) if card.contents.get("title") else ""
    notes = "\n".join(_text(n.value) for n in card.contents.get("note", []))
    social = [
        _text(p.value).strip()
        for key in ("x-socialprofile", "impp", "x-twitter", "x-mastodon")
        for p in card.contents.get(key, [])
    ]
    groups: list[str] = []
    for categories in card.contents.get("categories", []):
        for value in _flatten(categories.value):
            groups.extend(
                g.strip()
                for g in value.split(",")
                if g.strip() and g.strip().lower() not in _SKIPPED_GROUPS
            )
    kind = (
        _text(card.contents["x-crisisdesk-kind"][0].value)
        if card.contents.get("x-crisisdesk-kind")
        else ""
    )
    availability = (
        _text(card.contents["x-crisisdesk-availability"][0].value)
        if card.contents.get("x-crisisdesk-availability")
        else ""
    )
    timezone = _text(card.contents["tz"][0].value) if card.contents.get("tz") else ""
    return clean_contact(
        Contact(
            name=name,
            kind="external" if kind.lower() == "external" else "internal",
            role=role,
            organisation=organisation,
            phones=phones,
            emails=[e for e in emails if e],
            social=[s for s in social if s],
            groups=groups,
            availability=availability,
            timezone=timezone if re.fullmatch(r"[A-Za-z_]+/[A-Za-z_/+-]+", timezone) else "",
            notes=notes.replace("\r\n", "\n"),
        )
    )


def _logical_properties(lines: list[str]) -> list[str]:
    """Card lines grouped per property (a folded line keeps its continuation lines)."""
    grouped: list[str] = []
    for line in lines[1:-1]:
        if line[:1] in (" ", "\t") and grouped:
            grouped[-1] += "\n" + line
        elif line.strip():
            grouped.append(line)
    return grouped


def _read_card(lines: list[str]):
    """Parse one card; when one property is broken (bad base64, bytes that are not the declared
    charset), leave that property out rather than lose the person."""
    import vobject

    try:
        return vobject.readOne("\n".join(lines) + "\n", ignoreUnreadable=True)
    except Exception:
        kept = []
        for prop in _logical_properties(lines):
            try:
                vobject.readOne(f"BEGIN:VCARD\n{prop}\nEND:VCARD\n", ignoreUnreadable=True)
            except Exception:
                continue
            kept.append(prop)
        return vobject.readOne(
            "\n".join(["BEGIN:VCARD", *kept, "END:VCARD"]) + "\n", ignoreUnreadable=True
        )


def parse_vcards(
    text: str, *, progress: Progress = _no_progress, cancelled: CancelCheck = _never
) -> ParsedContacts:
    """Every card in `text`, each parsed on its own, so one bad card is reported, not fatal."""
    cards = _split_cards(text)
    if not cards:
        raise ContactImportError("No contacts found: the file has no BEGIN:VCARD.")
    result = ParsedContacts()
    total = len(cards)
    for number, (line, lines) in enumerate(cards, start=1):
        if cancelled():
            raise Cancelled()
        where = f"card {number} (line {line})"
        if lines[-1] != "END:VCARD":
            lines = [*lines, "END:VCARD"]
        try:
            contact = contact_from_vcard(_read_card(lines))
        except ValueError as exc:  # our reasons
            result.problems.append(RowProblem(where, str(exc)))
        except Exception as exc:  # vobject's parse errors come in several classes
            reason = str(exc).splitlines()[0][:160] if str(exc) else exc.__class__.__name__
            result.problems.append(RowProblem(where, f"cannot be read ({reason})."))
        else:
            result.contacts.append((where, contact))
        if number % 200 == 0 or number == total:
            progress(number, total)
    return result


def contacts_to_vcard(contacts: list[Contact]) -> str:
    """vCard 3.0, readable by phones and mail programs; custom phone labels use X-ABLabel."""
    import vobject

    chunks = []
    for c in contacts:
        card = vobject.vCard()
        card.add("fn").value = c.name
        parts = c.name.rsplit(" ", 1)
        family, given = (parts[1], parts[0]) if len(parts) == 2 else (parts[0], "")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        if c.organisation:
            card.add("org").value = [c.organisation]
        if c.role:
            card.add("title").value = c.role
        item = 0
        for phone in c.phones:
            tel = card.add("tel")
            tel.value = phone.number
            standard = _STANDARD_TEL_TYPES.get(phone.label.lower())
            if standard:
                tel.type_param = standard
            elif phone.label:
                item += 1
                tel.group = f"item{item}"
                label = card.add("x-ablabel")
                label.group = f"item{item}"
                label.value = phone.label
        for email in c.emails:
            prop = card.add("email")
            prop.value = email
            prop.type_param = "INTERNET"
        for handle in c.social:
            card.add("x-socialprofile").value = handle
        if c.groups:
            card.add("categories").value = c.groups
        if c.notes:
            card.add("note").value = c.notes
        if c.timezone:
            card.add("tz").value = c.timezone
        card.add("x-crisisdesk-kind").value = c.kind
        if c.availability:
            card.add("x-crisisdesk-availability").value = c.availability
        chunks.append(card.serialize())
    return "".join(chunks)


# --- sorting and committing -----------------------------------------------------------------


def preview_import(repo: ContactRepository, parsed: ParsedContacts) -> ImportPreview:
    """Sort parsed contacts into new ones and duplicates.

    A duplicate shares an email or a phone number with someone already in the workspace, or
    has the same name and an email or phone of an earlier row of the same file. (Two different
    names in one file may share an office number; they are two people.)
    """
    preview = ImportPreview(rejected=list(parsed.problems))
    existing: dict[str, str] = {}
    for contact in repo.all():
        for key in contact.same_person_keys():
            existing.setdefault(key, contact.name)
    in_file: dict[tuple[str, str], bool] = {}
    for where, contact in parsed.contacts:
        keys = contact.same_person_keys()
        clash = next((k for k in sorted(keys) if k in existing), None)
        if clash:
            what = "email" if clash.startswith("email:") else "phone number"
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
        preview.new.append(contact)
    return preview


def commit_import(
    repo: ContactRepository,
    contacts: list[Contact],
    *,
    progress: Progress = _no_progress,
    cancelled: CancelCheck = _never,
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
    progress: Progress = _no_progress,
    cancelled: CancelCheck = _never,
) -> ImportPreview:
    """Parse, sort and add the new contacts of a file (the command line's import)."""
    parsed = parse_contacts_file(path, progress=progress, cancelled=cancelled)
    preview = preview_import(repo, parsed)
    commit_import(repo, preview.new, cancelled=cancelled)
    return preview

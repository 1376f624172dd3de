"""Contacts from and to CSV files as address books and spreadsheets write them: columns are
mapped to fields, several values in one cell are split, formulas are never exported live."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from app.contacts.model import (
    MAX_FIELD_CHARS,
    SKIPPED_GROUPS,
    Contact,
    ContactImportError,
    ParsedContacts,
    RowProblem,
    clean_contact,
    guess_kind,
    parse_phone,
)

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

# Header words of common exports (ours, Outlook, Google, Apple Numbers) -> our field.
HEADER_HINTS: list[tuple[str, str]] = [
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
SPLIT_MULTI = re.compile(r"\s*(?:\||:::|\n)\s*")


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
        for pattern, name in HEADER_HINTS:
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
            for part in SPLIT_MULTI.split(value):
                phone = parse_phone(part)
                if phone is not None:
                    if not phone.label:
                        phone.label = _phone_label(header)
                    phones.append(phone)

        def many(name: str, fields=fields) -> list[str]:
            return [p for _h, v in fields.get(name, []) for p in SPLIT_MULTI.split(v) if p]

        groups = [g for g in many("groups") if g.lower() not in SKIPPED_GROUPS]
        kind = one("kind").lower()
        contact = Contact(
            name=name,
            kind="external"
            if kind.startswith("ext")
            else "internal"
            if kind.startswith("int")
            else guess_kind(one("role"), one("organisation"), groups),
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

"""Contacts from and to vCard files as real address books write them (Outlook, Apple, Google,
Android, Thunderbird, Lotus): each card is parsed on its own after the exporters' quirks are
evened out, so one bad card never costs the others.

Quirks evened out before `vobject` reads a card: line ends (CR CR LF, bare LF in base64);
quoted-printable values decoded here, soft line breaks followed, in the card's CHARSET or,
without one, UTF-8 if the bytes are UTF-8, else the file's own code page, else Windows-1252;
unescaped commas in FN, NOTE, TITLE and ROLE (vobject would cut the value at the first one);
cards nested inside a card (vCard 2.1 AGENT) read as cards of their own, the outer card kept
whole; `tel:` URIs as plain numbers. A card without a name is named by its organisation (the
insurer, the council office), else its email, phone or handle.
"""

from __future__ import annotations

import quopri
import re

from app.contacts.model import (
    SKIPPED_GROUPS,
    CancelCheck,
    Contact,
    ContactImportError,
    ParsedContacts,
    Phone,
    Progress,
    RowProblem,
    clean_contact,
    guess_kind,
    never,
    no_progress,
)
from app.errors import Cancelled

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
# Properties of free text, where exporters leave commas unescaped.
_FREE_TEXT = {"FN", "NOTE", "TITLE", "ROLE"}
_UNESCAPED_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")
_ESCAPED_COMMA = r"\1\\,"
_SOCIAL_KEYS = ("x-socialprofile", "impp", "x-twitter", "x-mastodon", "x-google-talk",
                "x-jabber", "x-skype", "x-msn", "x-aim", "x-yahoo", "x-icq")  # fmt: skip


def _split_cards(text: str, charset: str = "") -> list[tuple[int, list[str]]]:
    """Cards as (first line number, lines), with line ends made uniform, quoted-printable
    values decoded and cards nested in a card (2.1 AGENT) taken out as cards of their own.

    Real exporters end lines with CR LF, CR CR LF (iOS 5) or a bare LF inside folded base64
    (macOS); vCard 2.1 quoted-printable values continue after a trailing '=' on the next line,
    which vobject does not follow. Lines outside any card are ignored."""
    lines = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cards: list[tuple[int, list[str]]] = []
    open_cards: list[tuple[int, list[str]]] = []  # the card being read, and those around it
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        upper = line.strip().upper()
        if upper in ("BEGIN:VCARD", "AGENT:BEGIN:VCARD"):
            open_cards.append((index, ["BEGIN:VCARD"]))
            continue
        if not open_cards:
            continue
        start, current = open_cards[-1]
        if upper == "END:VCARD":
            current.append("END:VCARD")
            cards.append(open_cards.pop())
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
            line = _decoded_qp(line, charset)
        name = head.split(";", 1)[0].split(".")[-1]
        # vobject reads PROFILE:VCARD as a second BEGIN; pictures, sounds and keys say nothing
        # we keep and are where exporters break base64 most often: both are left out.
        if name in _SKIPPED_PROPERTIES:
            while index < len(lines) and (lines[index][:1] in (" ", "\t") or not lines[index]):
                index += 1
            continue
        if name == "AGENT" and ":" in line:
            agent = _agent_card(line)
            if agent:  # vCard 3.0: the agent's card as an escaped value
                cards.append((index, agent))
            continue
        if name in _FREE_TEXT and ":" in line:
            prop, _, value = line.partition(":")
            line = prop + ":" + _UNESCAPED_COMMA.sub(_ESCAPED_COMMA, value)
        current.append(line)
    while open_cards:  # cards without END: closed where the file ends
        cards.append(open_cards.pop())
    cards.sort(key=lambda card: card[0])
    return cards


def _decoded_qp(line: str, charset: str) -> str:
    """A quoted-printable property as a plain one: its bytes decoded in the card's CHARSET,
    else UTF-8 when they are UTF-8, else the file's code page, else Windows-1252."""
    head, _, value = line.partition(":")
    params = head.split(";")
    declared = next(
        (p.split("=", 1)[1].strip('"') for p in params if p.upper().startswith("CHARSET=")), ""
    )
    raw = quopri.decodestring(value.encode("ascii", "replace"))
    text = None
    for encoding in (declared, "utf-8", charset, "cp1252"):
        if not encoding:
            continue
        try:
            text = raw.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        text = raw.decode("cp1252", errors="replace")
    kept = [p for p in params if not p.upper().startswith(("CHARSET=", "ENCODING="))]
    kept = [p for p in kept if p.upper() != "QUOTED-PRINTABLE"]
    escaped = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\n", "\\n")
    return f"{';'.join(kept)}:{escaped}"


def _agent_card(line: str) -> list[str] | None:
    """vCard 3.0 AGENT:BEGIN:VCARD\\nFN:…\\nEND:VCARD as the lines of that card."""
    value = line.partition(":")[2]
    if not value.upper().startswith("BEGIN:VCARD"):
        return None
    unescaped = value.replace("\\n", "\n").replace("\\N", "\n")
    unescaped = re.sub(r"\\([;,:\\])", r"\1", unescaped)
    lines = [part for part in unescaped.split("\n") if part.strip()]
    if lines[-1].strip().upper() != "END:VCARD":
        lines.append("END:VCARD")
    return lines


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


def _phone_number(value: str) -> str:
    """A number as people dial it: `tel:+1-418-656-9254;ext=102` -> `+1-418-656-9254 ext. 102`."""
    number = value.strip()
    if number.lower().startswith("tel:"):
        number = number[4:]
        number, _, params = number.partition(";")
        ext = re.search(r"(?i)(?:^|;)ext=([^;]+)", params)
        if ext:
            number = f"{number} ext. {ext.group(1)}"
    return number.strip()


def contact_from_vcard(card) -> Contact:
    """One vobject card -> Contact. Without a name, an organisation's card is named by the
    organisation (an external contact), else by its email, phone or handle; a card with none of
    these raises ValueError with a plain reason."""
    name = _name_of(card)
    org = card.contents.get("org")
    organisation = ""
    if org:
        organisation = ", ".join(_flatten(org[0].value))
    kind_default = "internal"
    if not name and org:
        name = (_flatten(org[0].value) or [""])[0]
        kind_default = "external"
    if not name:
        nickname = card.contents.get("nickname")
        known = [_text(nickname[0].value)] if nickname else []
        known += [_text(e.value) for e in card.contents.get("email", [])]
        known += [_phone_number(_text(t.value)) for t in card.contents.get("tel", [])]
        known += [_text(p.value) for key in _SOCIAL_KEYS for p in card.contents.get(key, [])]
        known = [k.strip() for k in known if k.strip()]
        if not known:
            raise ValueError("no name, organisation, email, phone or handle.")
        name = known[0]
    labels = _labels_by_group(card)
    phones = []
    for tel in card.contents.get("tel", []):
        number = _phone_number(_text(tel.value))
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
    role = _text(card.contents["title"][0].value) if card.contents.get("title") else ""
    notes = "\n".join(_text(n.value) for n in card.contents.get("note", []))
    social = [_text(p.value).strip() for key in _SOCIAL_KEYS for p in card.contents.get(key, [])]
    groups: list[str] = []
    for categories in card.contents.get("categories", []):
        for value in _flatten(categories.value):
            groups.extend(
                g.strip()
                for g in value.split(",")
                if g.strip() and g.strip().lower() not in SKIPPED_GROUPS
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
    # A card that is only an organisation is from outside; else its role or groups may say so.
    guessed = kind_default if kind_default == "external" else guess_kind(role, organisation, groups)
    return clean_contact(
        Contact(
            name=name,
            kind=kind.lower() if kind.lower() in ("internal", "external") else guessed,
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
    text: str,
    *,
    progress: Progress = no_progress,
    cancelled: CancelCheck = never,
    charset: str = "",
) -> ParsedContacts:
    """Every card in `text`, each parsed on its own, so one bad card is reported, not fatal.
    `charset` is the file's own legacy code page, for quoted-printable values without one."""
    cards = _split_cards(text, charset)
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

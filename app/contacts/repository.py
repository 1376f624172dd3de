"""Contacts: the people you would call, their groups, and the call tree per escalation level.

A contact keeps its phones, emails, social handles and groups as small JSON lists in its row:
they are always read and written with the contact, and a list in a column keeps import,
export and search simple. The call tree is its own table with foreign keys, so deleting a
contact takes it out of the tree in the same statement.
"""

from __future__ import annotations

import json
from dataclasses import replace

from sqlite_utils import Database

from app.contacts.model import CallTreeLink, Contact, Phone, clean_contact
from app.timeutil import Clock, to_iso, utc_now


def _loads(text: str | None) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _row_to_contact(row: dict) -> Contact:
    return Contact(
        id=row["id"],
        name=row["name"],
        kind=row["kind"] or "internal",
        role=row["role"] or "",
        organisation=row["organisation"] or "",
        phones=[Phone(str(p[0]), str(p[1])) for p in _loads(row["phones"]) if len(p) == 2],
        emails=[str(e) for e in _loads(row["emails"])],
        social=[str(s) for s in _loads(row["social"])],
        groups=[str(g) for g in _loads(row["groups"])],
        availability=row["availability"] or "",
        timezone=row["timezone"] or "",
        notes=row["notes"] or "",
    )


class ContactRepository:
    """Contacts and the call tree. Every multi-row change is one transaction."""

    def __init__(self, db: Database, clock: Clock = utc_now):
        self.db = db
        self.clock = clock

    # --- contacts ------------------------------------------------------------------------

    def all(self) -> list[Contact]:
        rows = self.db.table("contacts").rows_where(order_by="name COLLATE NOCASE, id")
        return [_row_to_contact(row) for row in rows]

    def get(self, contact_id: int) -> Contact | None:
        rows = list(self.db.table("contacts").rows_where("id = ?", [contact_id]))
        return _row_to_contact(rows[0]) if rows else None

    def names(self) -> dict[int, str]:
        return {
            row["id"]: row["name"]
            for row in self.db.table("contacts").rows_where(select="id, name")
        }

    def search(self, text: str = "", group: str | None = None) -> list[Contact]:
        """Contacts whose any field holds every word of `text`, optionally in `group`."""
        words = text.lower().split()
        return [
            c
            for c in self.all()
            if (not words or c.matches(words)) and (not group or group in c.groups)
        ]

    def groups(self) -> list[str]:
        found = {g for c in self.all() for g in c.groups}
        return sorted(found, key=str.lower)

    def _row(self, contact: Contact) -> dict:
        return {
            "name": contact.name,
            "kind": contact.kind,
            "role": contact.role,
            "organisation": contact.organisation,
            "phones": json.dumps([[p.label, p.number] for p in contact.phones], ensure_ascii=False),
            "emails": json.dumps(contact.emails, ensure_ascii=False),
            "social": json.dumps(contact.social, ensure_ascii=False),
            "groups": json.dumps(contact.groups, ensure_ascii=False),
            "availability": contact.availability,
            "timezone": contact.timezone,
            "notes": contact.notes,
            "updated_at": to_iso(self.clock()),
        }

    def save(self, contact: Contact) -> Contact:
        """Insert (no id) or update a contact; returns it with its id."""
        contact = clean_contact(contact)
        row = self._row(contact)
        with self.db.atomic():
            if contact.id is None:
                row["created_at"] = row["updated_at"]
                contact_id = self.db.table("contacts").insert(row).last_pk
                return replace(contact, id=contact_id)
            self.db.table("contacts").update(contact.id, row)
        return contact

    def add_many(self, contacts: list[Contact]) -> list[int]:
        """Insert many contacts in one transaction (all or none)."""
        ids: list[int] = []
        with self.db.atomic():
            for contact in contacts:
                saved = self.save(replace(contact, id=None))
                assert saved.id is not None
                ids.append(saved.id)
        return ids

    def delete(self, contact_id: int) -> None:
        """Delete a contact; in the call tree, the people they called move up to their caller."""
        with self.db.atomic():
            for link in self.call_tree():
                if link.callee_id != contact_id:
                    continue
                for child in self.call_tree(link.level):
                    if child.caller_id == contact_id:
                        self.db.table("call_tree").update(
                            self._link_id(link.level, child.callee_id),
                            {"caller_id": link.caller_id},
                        )
            self.db.table("contacts").delete_where("id = ?", [contact_id])

    def _link_id(self, level: int, callee_id: int) -> int:
        rows = self.db.table("call_tree").rows_where(
            "level = ? AND callee_id = ?", [level, callee_id], select="id"
        )
        return next(iter(rows))["id"]

    def count(self) -> int:
        return self.db.table("contacts").count

    # --- the call tree -------------------------------------------------------------------

    def call_tree(self, level: int | None = None) -> list[CallTreeLink]:
        where, args = ("level = ?", [level]) if level is not None else (None, [])
        rows = self.db.table("call_tree").rows_where(where, args, order_by="level, position, id")
        return [CallTreeLink(r["level"], r["callee_id"], r["caller_id"]) for r in rows]

    def set_call_tree(self, level: int, links: list[CallTreeLink]) -> None:
        """Replace the call tree of one level; a caller must itself be called first."""
        callees = [link.callee_id for link in links]
        if len(set(callees)) != len(callees):
            raise ValueError("Each person is called once per level.")
        for link in links:
            if link.caller_id is not None and link.caller_id not in callees:
                raise ValueError("Whoever makes a call must be in the call tree themselves.")
            if link.caller_id == link.callee_id:
                raise ValueError("Nobody calls themselves.")
        with self.db.atomic():
            self.db.table("call_tree").delete_where("level = ?", [level])
            for position, link in enumerate(links):
                self.db.table("call_tree").insert(
                    {
                        "level": level,
                        "caller_id": link.caller_id,
                        "callee_id": link.callee_id,
                        "position": position,
                    }
                )

    def add_to_call_tree(self, level: int, callee_id: int, caller_id: int | None = None) -> None:
        """Add someone at the end of a level's call tree (nothing if they are already in it)."""
        with self.db.atomic():
            if list(
                self.db.table("call_tree").rows_where(
                    "level = ? AND callee_id = ?", [level, callee_id]
                )
            ):
                return
            position = self.db.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM call_tree WHERE level = ?", [level]
            ).fetchone()[0]
            self.db.table("call_tree").insert(
                {
                    "level": level,
                    "caller_id": caller_id,
                    "callee_id": callee_id,
                    "position": position,
                }
            )

    def call_order(self, level: int) -> list[tuple[int, int, int | None]]:
        """(depth, callee_id, caller_id) in calling order: a tree walk from the first called."""
        links = self.call_tree(level)
        children: dict[int | None, list[int]] = {}
        for link in links:
            children.setdefault(link.caller_id, []).append(link.callee_id)
        order: list[tuple[int, int, int | None]] = []
        seen: set[int] = set()

        def walk(caller: int | None, depth: int) -> None:
            for callee in children.get(caller, []):
                if callee in seen:
                    continue
                seen.add(callee)
                order.append((depth, callee, caller))
                walk(callee, depth + 1)

        walk(None, 0)
        return order

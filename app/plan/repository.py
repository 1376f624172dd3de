"""The crisis plan: roles, the escalation ladder, channels and playbooks, with every revision kept.

The plan is one JSON document per saved revision (`plan_revisions`). Saving never updates a
row: it adds one, with who, when and a summary; the current plan is the newest. That makes
"view an earlier revision", "compare two" and "restore one" (which is saving an old document
again) simple and safe: a plan edit is never overwritten. Items carry a stable `key`, so the
comparison can say "Level 3 · Serious: update cadence 60 → 45 min" rather than "line 40 changed".
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from app.db import new_id
from app.plan.model import (
    REVIEW_EVERY,
    REVIEWED_KEY,
    Plan,
    Revision,
    contact_usages,
    plan_from_dict,
    plan_to_json,
    replace_contact,
    template_plan,
    validate,
)
from app.timeutil import Clock, from_iso, to_iso, utc_now

# --- the repository -------------------------------------------------------------------------


class PlanRepository:
    """Revisions of the plan; the newest is the current plan."""

    def __init__(self, db: Database, settings, clock: Clock = utc_now):
        self.db = db
        self.settings = settings
        self.clock = clock

    def _revision(self, row: dict, number: int) -> Revision:
        return Revision(
            id=row["id"],
            number=number,
            created_at=from_iso(row["created_at"]),
            author=row["author"] or "",
            summary=row["summary"] or "",
            plan=plan_from_dict(json.loads(row["document"])),
        )

    def get_current(self) -> Plan | None:
        rows = list(self.db.table("plan_revisions").rows_where(order_by="id DESC", limit=1))
        return plan_from_dict(json.loads(rows[0]["document"])) if rows else None

    def revisions(self) -> list[Revision]:
        """Every revision, newest first, numbered from 1 (the first saved)."""
        rows = list(self.db.table("plan_revisions").rows_where(order_by="id"))
        return [self._revision(row, n) for n, row in reversed(list(enumerate(rows, start=1)))]

    def revision(self, revision_id: int) -> Revision | None:
        return next((r for r in self.revisions() if r.id == revision_id), None)

    def save(
        self, plan: Plan, summary: str, author: str = "", debrief_id: int | None = None
    ) -> Revision:
        """Store `plan` as a new revision (nothing is overwritten); returns it. A revision made
        from a debrief's lessons names the debrief."""
        plan = validate(plan)
        summary = " ".join(summary.split()) or "Changed the plan"
        now = to_iso(self.clock())
        with self.db.atomic():
            revision_id = new_id(
                self.db.table("plan_revisions")
                .insert(
                    {
                        "created_at": now,
                        "author": author.strip(),
                        "summary": summary,
                        "document": plan_to_json(plan),
                        "debrief_id": debrief_id,
                    }
                )
                .last_pk
            )
        revision = self.revision(revision_id)
        assert revision is not None  # just inserted, in this transaction's connection
        return revision

    def restore(self, revision_id: int, author: str = "") -> Revision:
        old = self.revision(revision_id)
        if old is None:
            raise ValueError("That revision no longer exists.")
        return self.save(old.plan, f"Restored revision {old.number} ({old.summary})", author)

    def seed_template(self, author: str = "Crisis Desk") -> Revision | None:
        """Start the plan from the template, if there is no plan yet."""
        if self.get_current() is not None:
            return None
        revision = self.save(template_plan(), "Started from the template plan", author)
        self.mark_reviewed()
        return revision

    # --- review --------------------------------------------------------------------------

    def mark_reviewed(self) -> None:
        self.settings.set(REVIEWED_KEY, to_iso(self.clock()))

    def last_reviewed(self) -> datetime | None:
        """When the plan was last looked at: marked as reviewed, or saved (which means read)."""
        moments = []
        marked = self.settings.get(REVIEWED_KEY)
        if marked:
            moments.append(from_iso(marked))
        rows = list(self.db.table("plan_revisions").rows_where(order_by="id DESC", limit=1))
        if rows:
            moments.append(from_iso(rows[0]["created_at"]))
        return max(moments) if moments else None

    def review_due(self, now: datetime) -> bool:
        last = self.last_reviewed()
        return last is not None and now - last >= REVIEW_EVERY


def seed_template_plan(store) -> None:
    """The welcome's "Start from the template plan" (registered in onboarding)."""
    store.plan.seed_template()


def delete_contact(store, contact_id: int, author: str = "") -> list[str]:
    """Delete a contact; if the plan uses them, save a revision without them, all at once.

    Returns where the plan used them (the page asked about those places first)."""
    plan = store.plan.get_current()
    used = contact_usages(plan, contact_id)
    contact = store.contacts.get(contact_id)
    with store.db.atomic():
        if used and contact is not None:
            store.plan.save(
                replace_contact(plan, contact_id, None),
                f"Removed {contact.name} (contact deleted)",
                author,
            )
        store.contacts.delete(contact_id)
    return used

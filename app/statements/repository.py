"""Statements: drafted from templates filled from the plan and the incident, checked, ticked,
approved by the role the plan names, published, and versioned. Drafts autosave into their own
slot, so a crash loses seconds, and the owner is offered the recovered text next time.

Nothing is sent from here: publishing records where and when the owner posted it.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlite_utils import Database

from app.business.repository import BusinessRepository
from app.contacts.repository import ContactRepository
from app.db import new_id
from app.incidents.model import EventKind
from app.incidents.repository import IncidentRepository
from app.plan.repository import PlanRepository
from app.statements.checker import CHANNEL_LIMITS, CheckContext, promised_update
from app.statements.model import (
    CHANNELS,
    CHECKLIST_DISMISSED,
    STAGES,
    VARIABLE_HELP,
    ChecklistEntry,
    Publication,
    Recovery,
    Statement,
    StatementError,
    Version,
)
from app.statements.suggestions import build_context
from app.statements.templates import (
    email_address,
    phone_number,
    stage_checklist,
    unfilled_variables,
    web_address,
)
from app.timeutil import Clock, from_iso, to_iso

# --- the repository ----------------------------------------------------------------------


def _dt(value):
    return from_iso(value) if value else None


class StatementRepository:
    """Owns statements, statement_versions, statement_publications, statement_autosave. Asks the
    business, plan, contacts and incidents repositories (wired by `Store`) for what a template
    is filled with, who approves, and where a published statement lands."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        incidents: IncidentRepository,
        plan: PlanRepository,
        contacts: ContactRepository,
        business: BusinessRepository,
    ):
        self.db = db
        self.clock = clock
        self.incidents = incidents
        self.plan = plan
        self.contacts = contacts
        self.business = business

    def template_values(
        self, incident_id: int | None, now: datetime | None = None
    ) -> dict[str, str]:
        """Every variable Crisis Desk knows, filled from the business, the plan and the incident."""
        now = now or self.clock()
        business = self.business.get()
        values = {name: "" for name in VARIABLE_HELP}
        values["today"] = now.astimezone().strftime("%A %d %B")
        if business:
            values["business"] = business.name
        plan = self.plan.get_current()
        if plan:
            contacts = {c.id: c for c in self.contacts.all()}
            # Only a value that is what it says fills a public text: a phone number, a web
            # address. A channel's details may hold a note or a template's hint ("your main
            # shop number, or a spare mobile…"), which must stay out of what customers read.
            for channel in plan.channels:
                if channel.kind == "hotline" and not values["hotline"]:
                    values["hotline"] = phone_number(channel.detail)
                if channel.kind == "landing_page" and not values["landing_page"]:
                    values["landing_page"] = web_address(channel.detail)
            for role in plan.roles:
                if role.key == "spokesperson" and role.primary_id in contacts:
                    values["spokesperson"] = contacts[role.primary_id].name
        if business and not values["hotline"]:
            values["hotline"] = phone_number(business.phone)
        if business:
            values["email"] = email_address(business.email)
            values["website"] = web_address(business.website)
        if incident_id is not None:
            incident = self.incidents.get(incident_id)
            values["incident.title"] = incident.title
            values["incident.level"] = incident.level_label
            values["incident.what_happened"] = incident.assessment.get("what_happened", "")
            if incident.next_update_due_at:
                values["next_update_at"] = incident.next_update_due_at.astimezone().strftime(
                    "%H:%M on %A %d %B"
                )
        return values

    def check_context(self, incident_id: int | None, now: datetime | None = None) -> CheckContext:
        """What the checker needs beyond the text: the business's names, the incident's
        countdown, and a sentence to suggest for each missing element (`suggestions`)."""
        now = now or self.clock()
        values = self.template_values(incident_id, now)
        business = self.business.get()
        if incident_id is None:
            return build_context(values, business=business.name if business else "", now=now)
        incident = self.incidents.get(incident_id)
        step = self.incidents.plan_facts().ladder.get(incident.level)
        tasks = [
            t for t in self.incidents.tasks(incident_id, "task") if t.done_at is None and t.title
        ]
        tasks.sort(key=lambda t: (t.due_at is None, t.due_at or now))
        return build_context(
            values,
            business=business.name if business else "",
            incident_title=incident.title,
            what_happened=str(incident.assessment.get("what_happened", "") or ""),
            next_update_due=incident.next_update_due_at if incident.is_open else None,
            cadence_minutes=step.cadence_minutes if step and incident.is_open else None,
            open_tasks=[t.title for t in tasks],
            now=now,
        )

    def approver_role(self) -> tuple[str, str]:
        """(role name, contact name) of whoever the plan says approves statements: the role
        whose responsibilities say it approves statements, else the decision maker."""
        plan = self.plan.get_current()
        if plan is None or not plan.roles:
            return ("Owner", "")
        chosen = next(
            (
                r
                for r in plan.roles
                if re.search(r"approv\w*[^.]*statement", r.responsibilities, re.I)
            ),
            None,
        ) or next((r for r in plan.roles if r.key == "decision-maker"), plan.roles[0])
        contact = self.contacts.get(chosen.primary_id) if chosen.primary_id else None
        return (chosen.name, contact.name if contact else "")

    def _statement(self, row: dict) -> Statement:
        return Statement(
            id=row["id"],
            title=row["title"],
            stage=row["stage"],
            status=row["status"],
            body=row["body"],
            incident_id=row["incident_id"],
            created_at=from_iso(row["created_at"]),
            updated_at=from_iso(row["updated_at"]),
            variants=json.loads(row["variants"] or "{}"),
            checklist=json.loads(row["checklist"] or "{}"),
            dismissed=json.loads(row["dismissed"] or "{}"),
            version=row["version"] or 0,
            approved_by=row["approved_by"] or "",
            approved_role=row["approved_role"] or "",
            approved_at=_dt(row["approved_at"]),
            approved_version=row["approved_version"],
        )

    def get(self, statement_id: int) -> Statement:
        rows = list(self.db.table("statements").rows_where("id = ?", [statement_id]))
        if not rows:
            raise StatementError(f"There is no statement number {statement_id}.")
        return self._statement(rows[0])

    def all(self, incident_id: int | None = None) -> list[Statement]:
        where, args = ("incident_id = ?", [incident_id]) if incident_id else (None, [])
        return [
            self._statement(r)
            for r in self.db.table("statements").rows_where(where, args, order_by="updated_at DESC")
        ]

    def create(self, title: str, stage: str, body: str, incident_id: int | None = None) -> int:
        if stage not in STAGES:
            raise StatementError(f"Unknown kind of statement '{stage}'.")
        now = to_iso(self.clock())
        with self.db.atomic():
            statement_id = new_id(
                self.db.table("statements")
                .insert(
                    {
                        "title": title.strip() or STAGES[stage],
                        "stage": stage,
                        "status": "draft",
                        "body": body,
                        "incident_id": incident_id,
                        "created_at": now,
                        "updated_at": now,
                        "variants": "{}",
                        "checklist": "{}",
                        "dismissed": "{}",
                        "version": 1,
                    }
                )
                .last_pk
            )
            self._version(statement_id, 1, body, "Started from the template")
        return statement_id

    def _version(self, statement_id: int, number: int, body: str, note: str) -> None:
        self.db.table("statement_versions").insert(
            {
                "statement_id": statement_id,
                "number": number,
                "body": body,
                "saved_at": to_iso(self.clock()),
                "note": note,
            }
        )

    def save(self, statement_id: int, body: str, title: str | None = None, note: str = "") -> bool:
        """Save a new version when the text changed; editing an approved or published statement
        returns it to draft (its approval was for the old words; what went out stays recorded).
        True when something was saved."""
        statement = self.get(statement_id)
        changes: dict = {}
        if title is not None and title.strip() and title.strip() != statement.title:
            changes["title"] = title.strip()
        text_changed = body != statement.body
        if not changes and not text_changed:
            self.discard_autosave(statement_id)
            return False
        changes["updated_at"] = to_iso(self.clock())
        with self.db.atomic():
            if text_changed:
                number = statement.version + 1
                changes |= {"body": body, "version": number}
                self._version(statement_id, number, body, note)
                if statement.status in ("review", "approved", "published"):
                    changes |= {
                        "status": "draft",
                        "approved_by": None,
                        "approved_role": None,
                        "approved_at": None,
                        "approved_version": None,
                    }
            self.db.table("statements").update(statement_id, changes)
            self.db.table("statement_autosave").delete_where("statement_id = ?", [statement_id])
        return True

    # autosave and recovery

    def autosave(self, statement_id: int, body: str) -> None:
        with self.db.atomic():
            self.db.table("statement_autosave").upsert(
                {"statement_id": statement_id, "body": body, "saved_at": to_iso(self.clock())},
                pk="statement_id",
            )

    def discard_autosave(self, statement_id: int) -> None:
        with self.db.atomic():
            self.db.table("statement_autosave").delete_where("statement_id = ?", [statement_id])

    def recoveries(self) -> list[Recovery]:
        """Autosaved text that differs from the saved statement: left by a crash or a kill."""
        out = []
        for row in self.db.query(
            "SELECT a.statement_id, s.title, a.body, a.saved_at, s.body AS saved "
            "FROM statement_autosave a JOIN statements s ON s.id = a.statement_id "
            "ORDER BY a.saved_at"
        ):
            if row["body"] != row["saved"]:
                out.append(
                    Recovery(
                        row["statement_id"], row["title"], row["body"], from_iso(row["saved_at"])
                    )
                )
        return out

    # versions

    def versions(self, statement_id: int) -> list[Version]:
        return [
            Version(
                r["id"],
                r["statement_id"],
                r["number"],
                r["body"],
                from_iso(r["saved_at"]),
                r["note"] or "",
            )
            for r in self.db.table("statement_versions").rows_where(
                "statement_id = ?", [statement_id], order_by="number DESC"
            )
        ]

    # per-channel text, checklist and dismissed findings

    def _update_json(self, statement_id: int, column: str, key: str, value) -> None:
        statement = self.get(statement_id)
        data = dict(getattr(statement, column))
        if value in (None, ""):
            data.pop(key, None)
        else:
            data[key] = value
        with self.db.atomic():
            self.db.table("statements").update(statement_id, {column: json.dumps(data)})

    def set_variant(self, statement_id: int, channel: str, text: str) -> None:
        if channel not in CHANNELS:
            raise StatementError(f"Unknown channel '{channel}'.")
        self._update_json(statement_id, "variants", channel, text)

    def tick(self, statement_id: int, item: str, done: bool) -> None:
        self._update_json(statement_id, "checklist", item, to_iso(self.clock()) if done else None)

    def checklist(self, statement_id: int) -> list[ChecklistEntry]:
        """What to tick before it goes out (by its kind; the legal step when the plan has a
        legal role), each ticked, set aside with a reason, or still open."""
        statement = self.get(statement_id)
        plan = self.plan.get_current()
        has_legal = plan is not None and any(r.key == "legal" for r in plan.roles)
        return [
            ChecklistEntry(
                item,
                _dt(statement.checklist.get(item)),
                statement.dismissed.get(CHECKLIST_DISMISSED + item, ""),
            )
            for item in stage_checklist(statement.stage, has_legal)
        ]

    def dismiss_checklist_item(self, statement_id: int, item: str, reason: str) -> None:
        """Set a checklist step aside for this statement, with the reason (it is kept)."""
        if not reason.strip():
            raise StatementError(f"Say why “{item}” does not apply to this statement.")
        self._update_json(statement_id, "dismissed", CHECKLIST_DISMISSED + item, reason.strip())

    def dismiss_finding(self, statement_id: int, key: str, reason: str) -> None:
        if not reason.strip():
            raise StatementError("Say why you are dismissing this finding.")
        self._update_json(statement_id, "dismissed", key, reason.strip())

    # the approval gate

    def submit_for_review(self, statement_id: int) -> None:
        statement = self.get(statement_id)
        if statement.status != "draft":
            raise StatementError("Only a draft can be sent for review.")
        with self.db.atomic():
            self.db.table("statements").update(
                statement_id, {"status": "review", "updated_at": to_iso(self.clock())}
            )

    def approve(self, statement_id: int, approver: str, role: str) -> None:
        statement = self.get(statement_id)
        if statement.status not in ("draft", "review"):
            raise StatementError("This statement is already approved or published.")
        left = unfilled_variables(statement.body)
        if left:
            raise StatementError(
                "Fill in " + ", ".join(f"{{{{{n}}}}}" for n in left) + " before approving."
            )
        open_items = [entry.item for entry in self.checklist(statement_id) if entry.open]
        if open_items:
            raise StatementError(
                f"{len(open_items)} checklist step{'s are' if len(open_items) != 1 else ' is'} "
                f"not done: “{open_items[0]}”. Tick each, or set it aside with a reason, "
                "before approving."
            )
        if not approver.strip():
            raise StatementError(f"Say who approves it: your plan says the {role} does.")
        now = self.clock()
        with self.db.atomic():
            self.db.table("statements").update(
                statement_id,
                {
                    "status": "approved",
                    "approved_by": approver.strip(),
                    "approved_role": role,
                    "approved_at": to_iso(now),
                    "approved_version": statement.version,
                    "updated_at": to_iso(now),
                },
            )
            if statement.incident_id:
                self.incidents.add_event(
                    statement.incident_id,
                    now,
                    EventKind.STATEMENT_APPROVED,
                    f"“{statement.title}” approved by {approver.strip()} ({role}), "
                    f"version {statement.version}",
                    statement=statement_id,
                    version=statement.version,
                )

    def withdraw_approval(self, statement_id: int, reason: str = "") -> None:
        """Take an approval back before it goes out: the statement is a draft again."""
        statement = self.get(statement_id)
        if statement.status != "approved":
            raise StatementError("Only an approved statement not published yet can go back.")
        now = self.clock()
        with self.db.atomic():
            self.db.table("statements").update(
                statement_id,
                {
                    "status": "draft",
                    "approved_by": None,
                    "approved_role": None,
                    "approved_at": None,
                    "approved_version": None,
                    "updated_at": to_iso(now),
                },
            )
            if statement.incident_id:
                why = f": {' '.join(reason.split())}" if reason.strip() else ""
                self.incidents.add_event(
                    statement.incident_id,
                    now,
                    EventKind.STATEMENT_APPROVED,
                    f"Approval of “{statement.title}” withdrawn{why}",
                    statement=statement_id,
                    version=statement.version,
                    withdrawn=True,
                )

    def too_long_for(self, statement: Statement, channel: str) -> str:
        """Why `statement` cannot go out on `channel` as it is ("" when it fits)."""
        limit = CHANNEL_LIMITS.get(channel)
        length = len(statement.text_for(channel))
        if limit is None or length <= limit:
            return ""
        name = CHANNELS.get(channel, channel)
        return (
            f"It is {length:,} characters and {name} takes {limit:,}: write a shorter version "
            f"for {name} on the Channels tab (with a link to your update page)."
        )

    def publish(self, statement_id: int, channel: str, url: str = "") -> None:
        """Record that the owner posted it on `channel`; it lands on the incident timeline and
        restarts the update countdown there."""
        statement = self.get(statement_id)
        if statement.status not in ("approved", "published"):
            raise StatementError("Approve it first: nothing goes out without sign-off.")
        if channel not in CHANNELS:
            raise StatementError(f"Unknown channel '{channel}'.")
        too_long = self.too_long_for(statement, channel)
        if too_long:
            raise StatementError(too_long)
        now = self.clock()
        with self.db.atomic():
            self.db.table("statement_publications").insert(
                {
                    "statement_id": statement_id,
                    "channel": channel,
                    "url": url,
                    "published_at": to_iso(now),
                    "version": statement.version,
                }
            )
            self.db.table("statements").update(
                statement_id, {"status": "published", "updated_at": to_iso(now)}
            )
            if statement.incident_id:
                self.incidents.record_published_update(
                    statement.incident_id,
                    statement.title,
                    CHANNELS.get(channel, channel),
                    url,
                    promised=promised_update(statement.body, now),
                )

    def publications(
        self, statement_id: int | None = None, incident_id: int | None = None
    ) -> list[Publication]:
        sql = "SELECT p.* FROM statement_publications p JOIN statements s ON s.id = p.statement_id"
        where, args = [], []
        if statement_id is not None:
            where.append("p.statement_id = ?")
            args.append(statement_id)
        if incident_id is not None:
            where.append("s.incident_id = ?")
            args.append(incident_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY p.published_at DESC, p.id DESC"
        return [
            Publication(
                r["id"],
                r["statement_id"],
                r["channel"],
                r["url"] or "",
                from_iso(r["published_at"]),
            )
            for r in self.db.query(sql, args)
        ]

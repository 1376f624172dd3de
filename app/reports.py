"""Report content as HTML built from data, with no Qt: the plan binder now, the debrief later.

The HTML keeps to what QTextDocument lays out well on paper: headings, paragraphs, lists and
tables with a <thead> (repeated on every page a table runs onto), and CSS page breaks before
each big section, so the binder reads like a document, not a web page.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from app.contacts import Contact
from app.plan import CHANNEL_KINDS, minutes
from app.timeutil import utc_now

BINDER_CSS = """
body { color: #1f2933; }
h1 { font-size: 22pt; font-weight: bold; margin: 0 0 6px 0; }
h2 { font-size: 15pt; font-weight: bold; margin: 18px 0 6px 0; color: #0f766e; }
h3 { font-size: 11.5pt; font-weight: bold; margin: 14px 0 4px 0; }
p { margin: 0 0 6px 0; }
.muted { color: #5f6b7a; }
.section { page-break-before: always; }
table.grid { border-collapse: collapse; margin: 4px 0 8px 0; }
table.grid th { background-color: #e6efee; color: #1f2933; font-weight: bold; text-align: left; }
table.grid td, table.grid th { border: 1px solid #c9d1da; padding: 5px; vertical-align: top; }
ul { margin: 0 0 6px 0; }
li { margin: 0 0 2px 0; }
.statement { background-color: #f3f5f7; }
"""

LEVEL_COLOURS = {1: "#64748b", 2: "#b45309", 3: "#c2410c", 4: "#b91c1c"}


def _e(text) -> str:
    return escape(str(text or ""))


def _lines(text: str) -> str:
    return "<br/>".join(_e(line) for line in str(text or "").splitlines())


def _person(contact: Contact | None, with_phone: bool = True) -> str:
    if contact is None:
        return '<span class="muted">not assigned yet</span>'
    parts = [f"<b>{_e(contact.name)}</b>"]
    if with_phone and contact.first_phone:
        parts.append(_e(contact.first_phone))
    return "<br/>".join(parts)


def _checklist(items: list[str]) -> str:
    if not items:
        return '<p class="muted">No steps yet.</p>'
    return (
        "<table>"
        + "".join(f"<tr><td>☐&nbsp;</td><td>{_e(i)}</td></tr>" for i in items)
        + "</table>"
    )


def _table(headers: list[str], rows: list[list[str]], widths: list[int], size: str = "") -> str:
    def sized(html: str) -> str:
        return f'<span style="font-size: {size};">{html}</span>' if size else html

    head = "".join(
        f'<th width="{w}%">{sized(_e(h))}</th>' for h, w in zip(headers, widths, strict=True)
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{sized(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        '<table class="grid" width="100%" cellspacing="0" cellpadding="5">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def plan_binder_html(store, now: datetime | None = None) -> str:
    """The whole plan on paper: roles, ladder, channels, call tree, playbooks, contact sheet."""
    now = now or utc_now()
    plan = store.plan.get_current()
    if plan is None:
        raise ValueError("There is no plan yet: start from the template on the Plan page first.")
    business = store.business.get()
    name = business.name if business else "Your business"
    contacts = {c.id: c for c in store.contacts.all()}
    revisions = store.plan.revisions()
    latest = revisions[0]
    reviewed = store.plan.last_reviewed()
    out: list[str] = []

    # Cover and the ladder at a glance.
    out.append(f"<h1>{_e(name)}</h1>")
    out.append('<p style="font-size: 15pt;">Crisis plan binder</p>')
    out.append(
        f'<p class="muted">Printed {now.astimezone():%d %B %Y, %H:%M}. Plan revision '
        f"{latest.number}, saved {latest.created_at.astimezone():%d %B %Y}"
        + (f" by {_e(latest.author)}" if latest.author else "")
        + (f"; last reviewed {reviewed.astimezone():%d %B %Y}" if reviewed else "")
        + ".</p>"
    )
    out.append(
        "<p>Keep this binder where you can reach it when the laptop, the internet or the "
        "phone network is down. If something is happening: find the level below, tell the "
        "people it names within the time it gives, and open the playbook for the kind of "
        "crisis it is.</p>"
    )
    out.append("<h2>Escalation ladder</h2>")
    rows = []
    for lvl in plan.ladder:
        colour = LEVEL_COLOURS.get(lvl.level, "#1f2933")
        rows.append(
            [
                f'<b style="color: {colour};">Level {lvl.level}</b><br/><b>{_e(lvl.name)}</b>',
                _e(lvl.trigger),
                _e(", ".join(lvl.notify)),
                f"within {minutes(lvl.notify_within_min)}",
                f"within {minutes(lvl.first_update_min)}, then every {minutes(lvl.cadence_min)}",
            ]
        )
    out.append(
        _table(
            ["Level", "When (trigger)", "Who is told", "How fast", "Public updates"],
            rows,
            [12, 38, 22, 12, 16],
        )
    )

    # Roles.
    out.append('<h2 class="section">Roles and responsibilities</h2>')
    rows = [
        [
            f"<b>{_e(r.name)}</b>",
            _e(r.responsibilities),
            _person(contacts.get(r.primary_id)),
            _person(contacts.get(r.backup_id)),
        ]
        for r in plan.roles
    ]
    out.append(_table(["Role", "Responsibilities", "Primary", "Backup"], rows, [18, 46, 18, 18]))

    # Channels.
    out.append('<h2 class="section">Communication channels</h2>')
    for channel in plan.channels:
        owner = contacts.get(channel.owner_id)
        out.append(f"<h3>{_e(channel.name)}</h3>")
        out.append(
            f'<p><span class="muted">{_e(CHANNEL_KINDS.get(channel.kind, channel.kind))}'
            f" · owner:</span> {_e(owner.name) if owner else 'not assigned yet'}"
            + (f" ({_e(owner.first_phone)})" if owner and owner.first_phone else "")
            + "</p>"
        )
        if channel.detail:
            out.append(f"<p>{_lines(channel.detail)}</p>")
        out.append('<p class="muted">To activate:</p>')
        out.append(_checklist(channel.checklist))

    # Call tree.
    out.append('<h2 class="section">Call tree</h2>')
    out.append(
        '<p class="muted">When a level fires, the first person listed is called first; '
        "everyone then calls the people listed under them.</p>"
    )
    any_tree = False
    for level in (4, 3, 2, 1):
        order = store.contacts.call_order(level)
        lvl = plan.level(level)
        title = lvl.title if lvl else f"Level {level}"
        if not order:
            continue
        any_tree = True
        out.append(f"<h3>{_e(title)}</h3><table>")
        for depth, callee, _caller in order:
            person = contacts.get(callee)
            if person is None:
                continue
            indent = "&nbsp;" * (6 * depth) + ("→ " if depth else "")
            phone = f" — {_e(person.first_phone)}" if person.first_phone else ""
            role = f' <span class="muted">({_e(person.role)})</span>' if person.role else ""
            out.append(f"<tr><td>{indent}<b>{_e(person.name)}</b>{role}{phone}</td></tr>")
        out.append("</table>")
    if not any_tree:
        out.append("<p>No call tree yet. Set one up on the Contacts page.</p>")

    # Playbooks.
    for index, playbook in enumerate(plan.playbooks):
        heading = "Playbooks" if index == 0 else ""
        if heading:
            out.append('<h2 class="section">Playbooks</h2>')
        elif index:
            out.append('<p class="section"></p>')
        out.append(f"<h3>{_e(playbook.name)}</h3>")
        out.append(f"<p>{_lines(playbook.strategy)}</p>")
        out.append("<p><b>First hour</b></p>")
        out.append(_checklist(playbook.first_hour))
        out.append("<p><b>Holding statement</b> <span class='muted'>(fill in the {{…}})</span></p>")
        out.append(
            '<table width="100%" cellpadding="8" class="statement"><tr><td>'
            f"{_lines(playbook.holding_statement.replace('{{business}}', name))}</td></tr></table>"
        )

    # One-page contact sheet.
    out.append('<h2 class="section">Contact sheet</h2>')
    rows = [
        [
            f"<b>{_e(c.name)}</b>",
            _e(" · ".join(filter(None, [c.role, c.organisation]))),
            "<br/>".join(_e(p.text()).replace(" ", "&nbsp;") for p in c.phones),
            "<br/>".join(_e(e) for e in c.emails),
            _e(c.availability),
        ]
        for c in sorted(contacts.values(), key=lambda c: (c.kind != "internal", c.name.lower()))
    ]
    if rows:
        out.append(
            _table(
                ["Name", "Role", "Phones", "Email", "Availability"],
                rows,
                [15, 21, 24, 25, 15],
                size="8pt",
            )
        )
    else:
        out.append("<p>No contacts yet. Add them on the Contacts page.</p>")
    return f"<html><head><style>{BINDER_CSS}</style></head><body>{''.join(out)}</body></html>"

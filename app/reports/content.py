"""Report content as HTML built from data, with no Qt: the plan binder now, the debrief later.

The HTML keeps to what QTextDocument lays out well on paper: headings, paragraphs, lists and
tables with a <thead> (repeated on every page a table runs onto), and CSS page breaks before
each big section, so the binder reads like a document, not a web page.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from app.contacts.model import Contact
from app.plan.diff import minutes
from app.plan.model import CHANNEL_KINDS
from app.text import plural
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

LEVEL_COLOURS = {1: "#52606d", 2: "#a16207", 3: "#c2410c", 4: "#b91c1c"}  # AA on white

if TYPE_CHECKING:
    from app.store import Store


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


# --- the debrief report ----------------------------------------------------------------------

DEBRIEF_CHART = "chart://volume"  # the image resource the PDF writer draws and registers
TIMELINE_MARKER_KINDS = ("declared", "severity", "status", "statement-published")


def _when(moment, with_day: bool = True) -> str:
    if moment is None:
        return ""
    return moment.astimezone().strftime("%a %d %b %H:%M" if with_day else "%H:%M")


def debrief_html(store: Store, debrief_id: int, progress=None, with_chart: bool = True) -> str:
    """The debrief report: cover, one-page summary, metrics, chart, timeline, what went well
    and not, corrective actions, lessons and plan changes, and every published statement."""
    from app.debriefs.lessons import changes_plan, describe_change
    from app.debriefs.metrics import declared_level
    from app.levels import level_label
    from app.statements.model import CHANNELS
    from app.text import safe_html

    debrief = store.debriefs.get(debrief_id)
    incident = store.incidents.get(debrief.incident_id)
    business = store.business.get()
    name = business.name if business else "Your business"
    metrics = store.debriefs.metrics(incident.id)
    if progress:
        progress(1, 5)
    events = store.incidents.timeline(incident.id)
    annotations = store.incidents.annotations(incident.id)
    actions = store.incidents.tasks(incident.id, "corrective")
    contact_names = store.contacts.names()
    plan = store.plan.get_current()
    publications = store.statements.publications(incident_id=incident.id)
    parts = [f"<style>{BINDER_CSS}</style>"]
    colour = LEVEL_COLOURS.get(incident.level, "#52606d")
    first_level = declared_level(store.incidents, incident)
    first_colour = LEVEL_COLOURS.get(first_level, "#52606d")
    parts.append(
        f"<h1>Debrief: {_e(incident.title)}</h1>"
        f'<p class="muted">{_e(name)} · blameless review · '
        f"{'complete' if debrief.status == 'complete' else 'draft'}</p>"
        f'<p>Declared at <span style="color:{first_colour}; font-weight:bold">'
        f"{_e(level_label(first_level))}</span> {_e(_when(incident.declared_at))}"
        + (
            f' · raised to <span style="color:{colour}; font-weight:bold">'
            f"{_e(incident.level_label)}</span>"
            if incident.level != first_level
            else ""
        )
        + f" · resolved {_e(_when(incident.resolved_at)) or 'not yet'}</p>"
    )
    parts.append("<h2>Summary</h2>" + f"<p>{_lines(debrief.summary)}</p>")
    headline = {m.key: m for m in metrics}
    parts.append(
        _table(
            ["Detected in", "First acknowledgement", "Resolved in", "Updates on time"],
            [
                [
                    _e(headline[k].display)
                    for k in (
                        "time_to_detect",
                        "time_to_acknowledge",
                        "time_to_resolve",
                        "cadence_kept",
                    )
                ]
            ],
            [25, 25, 25, 25],
        )
    )
    if debrief.root_cause:
        parts.append(f"<h3>Root cause</h3><p>{_lines(debrief.root_cause)}</p>")
    open_actions = [a for a in actions if not a.done_at]
    parts.append(
        f"<p><b>{plural(len(actions), 'corrective action')}</b>, {len(open_actions)} still open. "
        f"<b>{plural(len(debrief.lessons), 'lesson')}</b>, "
        f"{sum(1 for lesson in debrief.lessons if changes_plan(lesson))} changing the plan.</p>"
    )

    parts.append('<h2 class="section">Metrics</h2>')
    parts.append(
        _table(
            ["Measure", "Value", "How it was computed"],
            [
                [f"<b>{_e(m.label)}</b>", _e(m.display), f'<span class="small">{_e(m.how)}</span>']
                for m in metrics
            ],
            [28, 20, 52],
        )
    )
    if with_chart:
        parts.append(
            "<h3>Mentions per hour and negative share</h3>"
            f'<p><img src="{DEBRIEF_CHART}" width="640"/></p>'
            '<p class="small muted">Solid line: mentions per hour. Dashed: share that is '
            "negative. Dotted markers: the incident's events.</p>"
        )
    if progress:
        progress(2, 5)

    parts.append('<h2 class="section">Timeline</h2>')
    rows = []
    for event in events:
        when = _when(event.at)
        if event.original_at:
            was = _e(_when(event.original_at))
            when += f'<br/><span class="small muted">corrected from {was}</span>'
        text = ("★ " if event.key_moment else "") + _e(event.text)
        if event.id in annotations:
            text += f'<br/><span class="small muted">{_e(annotations[event.id])}</span>'
        rows.append([when, text])
    parts.append(_table(["When", "What happened"], rows, [22, 78]))
    if progress:
        progress(3, 5)

    parts.append('<h2 class="section">What went well</h2>')
    parts.append(_bullets(debrief.went_well, "Nothing written down yet."))
    parts.append("<h2>What did not go well</h2>")
    parts.append(_bullets(debrief.went_badly, "Nothing written down yet."))

    parts.append("<h2>Corrective actions</h2>")
    parts.append(
        _table(
            ["Action", "Owner", "Due", "State"],
            [
                [
                    _e(a.title),
                    _e(a.owner) or '<span class="muted">nobody yet</span>',
                    _e(_when(a.due_at)),
                    "done " + _e(_when(a.done_at)) if a.done_at else "open",
                ]
                for a in actions
            ],
            [46, 20, 18, 16],
        )
        if actions
        else '<p class="muted">No corrective actions recorded.</p>'
    )

    parts.append("<h2>Lessons and plan changes</h2>")
    lesson_rows = []
    for lesson in debrief.lessons:
        change = describe_change(lesson.change, contact_names, plan) if lesson.change else ""
        state = (
            (
                "applied to the plan"
                if lesson.revision_id
                else "accepted"
                if lesson.accepted
                else "not adopted"
            )
            if change
            else ""
        )
        lesson_rows.append([_e(lesson.text), _e(change), _e(state)])
    parts.append(
        _table(["Lesson", "Change to the plan", "State"], lesson_rows, [44, 38, 18])
        if lesson_rows
        else '<p class="muted">No lessons written down yet.</p>'
    )
    if progress:
        progress(4, 5)

    parts.append('<h2 class="section">Appendix: every published statement</h2>')
    seen: dict[int, list] = {}
    for publication in sorted(publications, key=lambda p: p.published_at):
        seen.setdefault(publication.statement_id, []).append(publication)
    if not seen:
        parts.append('<p class="muted">No statement was published.</p>')
    for statement_id, published in seen.items():
        statement = store.statements.get(statement_id)
        where = ", ".join(sorted({CHANNELS.get(p.channel, p.channel) for p in published}))
        parts.append(
            f"<h3>{_e(statement.title)}</h3>"
            f'<p class="small muted">Published {_e(_when(published[0].published_at))} on '
            f"{_e(where)}; approved by {_e(statement.approved_by) or 'nobody recorded'}"
            f"{(' (' + _e(statement.approved_role) + ')') if statement.approved_role else ''}</p>"
            f'<table class="statement" width="100%" cellpadding="8"><tr><td>'
            f"{safe_html(statement.body)}</td></tr></table>"
        )
    if progress:
        progress(5, 5)
    return "".join(parts)


def _bullets(items: list[str], empty: str) -> str:
    if not items:
        return f'<p class="muted">{_e(empty)}</p>'
    return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"


def debrief_markdown(store: Store, debrief_id: int) -> str:
    """The same report as Markdown, for email or a wiki. Everything people wrote is escaped
    (`markdown_text`), so a viewer shows it as typed and never runs or loads anything from it."""
    from app.debriefs.lessons import describe_change
    from app.incidents.timeline import timeline_markdown
    from app.text import markdown_text as md

    def item(text: str) -> str:  # one list item or heading, however many lines were typed
        return " ".join(md(text).split())

    def cell(text: str) -> str:
        return md(text, table_cell=True)

    debrief = store.debriefs.get(debrief_id)
    incident = store.incidents.get(debrief.incident_id)
    lines = [f"# Debrief: {item(incident.title)}", "", md(debrief.summary), ""]
    if debrief.root_cause:
        lines += ["## Root cause", "", md(debrief.root_cause), ""]
    lines += ["## Metrics", "", "| measure | value | how |", "|---|---|---|"]
    for m in store.debriefs.metrics(incident.id):
        lines.append(f"| {cell(m.label)} | {cell(m.display)} | {cell(m.how)} |")
    lines += ["", "## What went well", ""] + [f"- {item(w)}" for w in debrief.went_well]
    lines += ["", "## What did not go well", ""] + [f"- {item(w)}" for w in debrief.went_badly]
    lines += ["", "## Corrective actions", ""]
    for action in store.incidents.tasks(incident.id, "corrective"):
        state = "done" if action.done_at else "open"
        due = _when(action.due_at)
        lines.append(
            f"- {item(action.title)} — {item(action.owner) or 'nobody yet'}, due {due} ({state})"
        )
    lines += ["", "## Lessons", ""]
    names = store.contacts.names()
    plan = store.plan.get_current()
    for lesson in debrief.lessons:
        change = describe_change(lesson.change, names, plan) if lesson.change else ""
        lines.append(f"- {item(lesson.text)}" + (f" → {item(change)}" if change else ""))
    lines += ["", timeline_markdown(incident, store.incidents.timeline(incident.id))]
    return "\n".join(lines) + "\n"

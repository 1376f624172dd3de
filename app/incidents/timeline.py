"""An incident's timeline as Markdown, for pasting into an email or a report."""

from __future__ import annotations

from app.incidents.model import Event, Incident
from app.text import markdown_text


def timeline_markdown(incident: Incident, events: list[Event]) -> str:
    """The timeline as Markdown, local times, for pasting into an email or a report. Event texts
    quote mentions, notes and statements: they are escaped, so no viewer renders them as HTML."""
    lines = [
        f"# {' '.join(markdown_text(incident.title).split())}",
        "",
        f"{incident.level_label} · {incident.status} · declared "
        f"{incident.declared_at.astimezone().strftime('%a %d %b %Y %H:%M')}",
        "",
        "| time | what happened |",
        "|---|---|",
    ]
    for event in events:
        when = event.at.astimezone().strftime("%a %d %b %H:%M")
        lines.append(f"| {when} | {markdown_text(event.text, table_cell=True)} |")
    return "\n".join(lines) + "\n"

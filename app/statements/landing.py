"""The incident's landing page: one self-contained HTML file (inline CSS, no scripts, no
requests to anywhere) with every published statement newest first, and how to get help.
Everything from a statement passes through the sanitizer, so nothing can inject markup; the
business website becomes a link only when it is an http(s) address. The file is written to a
temporary name and renamed, so a full disk leaves the old page or none, never half of one."""

from __future__ import annotations

import html
from pathlib import Path

from app.files import write_atomic
from app.text import safe_html, safe_web_url

STYLE = """
:root { color-scheme: light dark; --accent: #0f766e; --muted: #5f6b7a; --line: #d9dee5; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #1f2933; background: #f5f6f8; }
header { background: #fff; border-bottom: 4px solid var(--accent); padding: 20px 0; }
header > div { padding: 0 16px; }
main, header > div { max-width: 720px; margin: 0 auto; }
main { padding: 8px 16px 48px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0; }
.help { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px;
        margin: 16px 0; }
.help a { color: var(--accent); font-weight: 600; }
article { background: #fff; border: 1px solid var(--line); border-radius: 10px;
          padding: 4px 16px 12px; margin: 16px 0; }
article h2 { font-size: 1.15rem; margin: 12px 0 0; }
time { color: var(--muted); font-size: .9rem; }
.latest { border-left: 4px solid var(--accent); }
footer { color: var(--muted); font-size: .85rem; text-align: center; padding: 24px 16px; }
.exercise { background: #6d28d9; color: #fff; text-align: center; font-weight: 700;
            letter-spacing: .08em; padding: 8px 16px; }
body.drill main { background: repeating-linear-gradient(-35deg, transparent 0 120px,
                  rgba(109, 40, 217, .06) 120px 180px); }
@media (prefers-color-scheme: dark) {
  body { background: #1c2026; color: #e6e9ed; }
  header, article, .help { background: #242a31; border-color: #353d47; }
}
"""


def _e(text: str) -> str:
    return html.escape(text or "", quote=True)


def public_title(store, incident_id: int) -> str:
    """The page's headline: the public title the owner wrote, else a plain one. Never the
    incident's own title, which is written for the team ("Customers ill after the tarts")."""
    incident = store.incidents.get(incident_id)
    business = store.business.get()
    name = business.name if business else "us"
    return incident.public_title or f"An update from {name}"


# The setting a drill's sandbox carries (app.drills.model.SANDBOX_SETTING; statements sit below
# drills, so the name is repeated here and a test keeps the two the same).
SANDBOX_SETTING = "drill_sandbox"
EXERCISE_BANNER = (
    '<div class="exercise" role="note">EXERCISE — a drill, not a real incident. '
    "Do not publish.</div>"
)


def is_exercise(store) -> bool:
    """Whether `store` is a drill's sandbox: its landing page is marked EXERCISE."""
    return store.settings.get(SANDBOX_SETTING) is not None


def landing_page_html(store, incident_id: int) -> str:
    """The public page; in a drill's sandbox it says EXERCISE across the top and in its title,
    so a page exported during a drill can never pass for a real one."""
    incident = store.incidents.get(incident_id)
    exercise = is_exercise(store)
    opening = '<body class="drill">' + EXERCISE_BANNER if exercise else "<body>"
    values = store.statements.template_values(incident_id, store.clock())
    business = values.get("business") or "Our business"
    headline = public_title(store, incident_id)
    publications = store.statements.publications(incident_id=incident_id)
    seen: set[int] = set()
    articles = []
    for number, publication in enumerate(publications):
        if publication.statement_id in seen:
            continue  # one statement posted on several channels appears once
        seen.add(publication.statement_id)
        statement = store.statements.get(publication.statement_id)
        when = publication.published_at.astimezone()
        articles.append(
            f'<article class="{"latest" if number == 0 else ""}">'
            f"<h2>{_e(statement.title)}</h2>"
            f'<time datetime="{_e(publication.published_at.isoformat())}">'
            f"{_e(when.strftime('%A %d %B %Y, %H:%M'))}</time>"
            f"{safe_html(statement.body)}</article>"
        )
    help_lines = []
    digits = "".join(ch for ch in values.get("hotline", "") if ch.isdigit() or ch == "+")
    if any(ch.isdigit() for ch in digits):  # only a number makes a "Call" line
        help_lines.append(f'Call <a href="tel:{_e(digits)}">{_e(values["hotline"])}</a>')
    if values.get("email"):
        help_lines.append(f'Email <a href="mailto:{_e(values["email"])}">{_e(values["email"])}</a>')
    website = safe_web_url(values.get("website"), bare_host=True)
    if website:  # a javascript:, file: or other non-web "website" is left out of a public page
        help_lines.append(f'Visit <a href="{_e(website)}">{_e(values["website"])}</a>')
    help_block = (
        f'<section class="help"><strong>Need help?</strong> {" · ".join(help_lines)}</section>'
        if help_lines
        else ""
    )
    body = "".join(articles) or "<p>There is no published update yet.</p>"
    status = "Resolved" if incident.status in ("resolved", "closed") else "Ongoing"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{'EXERCISE — ' if exercise else ''}{_e(business)}: {_e(headline)}</title>"
        f"<style>{STYLE}</style></head>"
        f"{opening}"
        f"<header><div><h1>{_e(headline)}</h1>"
        f'<p class="sub">{_e(business)} · {status} · every update, newest first</p>'
        f"</div></header><main>{help_block}{body}</main>"
        f"<footer>{'EXERCISE · ' if exercise else ''}Updates from {_e(business)}.</footer>"
        "</body></html>\n"
    )


def write_landing_page(store, incident_id: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomic(folder / "index.html", landing_page_html(store, incident_id))

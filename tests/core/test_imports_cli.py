"""The command line around imports: `init`, the one refusal of a missing workspace, the history
of imports and pulls with undo, counts in words, a closed pipe, and searches for #tags and
@handles by the business's days."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.business.model import BusinessProfile
from app.mentions.importers import import_mentions
from app.mentions.model import MentionFilter, NewMention
from app.secrets import MemorySecretStore
from app.sources.base import SourceSettings
from app.sources.pulling import pull_source
from app.store import open_store
from tests.conftest import FIXED_NOW
from tests.core.sources_support import fixture_bytes

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def test_init_creates_an_empty_workspace_or_one_from_the_template(cli, tmp_path):
    empty = tmp_path / "empty.db"
    result = cli("--db", empty, "init")
    assert result.code == 0 and "Workspace created (empty)" in result.out
    info = json.loads(cli("--db", empty, "info", "--json").out)
    assert info["business"] is None and info["tables"]["plan_revisions"] == 0
    again = cli("--db", empty, "init")
    assert again.code == 1 and "already holds a workspace" in again.err
    planned = tmp_path / "plan.db"
    made = cli("--db", planned, "init", "--template", "--business", "Hearth & Crumb")
    assert made.code == 0, made.err
    info = json.loads(cli("--db", planned, "info", "--json").out)
    assert info["business"] == "Hearth & Crumb" and info["tables"]["plan_revisions"] == 1
    with open_store(planned) as store:
        assert store.settings.get("welcome_done") == "template"


@pytest.mark.parametrize(
    "argv",
    [
        ["info"],
        ["search", "sick"],
        ["import", "mentions", "x.csv"],
        ["import", "contacts", "x.vcf"],
        ["imports", "list"],
        ["incidents"],
        ["spikes"],
        ["sources", "list"],
        ["pull", "--all"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_every_command_refuses_a_missing_workspace_the_same_way(cli, tmp_path, argv):
    db = tmp_path / "none.db"
    result = cli("--db", db, *argv)
    assert result.code == 1
    assert f"There is no workspace at {db}; create one with 'crisisdesk init'" in result.err
    assert not db.exists()


def test_imports_list_and_undo(cli, tmp_path):
    db = tmp_path / "w.db"
    assert cli("--db", db, "init").code == 0
    path = EXPORTS / "twarc_flat.jsonl"
    first = cli("--db", db, "import", "mentions", path, "--no-sentiment")
    assert "Imported 100 mentions, 0 already in the inbox" in first.out
    assert "imports undo 1" in first.out
    listed = json.loads(cli("--db", db, "imports", "list", "--json").out)["imports"]
    assert [(b["id"], b["kind"], b["label"], b["imported"]) for b in listed] == [
        (1, "import", "twarc_flat.jsonl", 100)
    ]
    with open_store(db) as store:
        (one,) = store.mentions.search("RT", 1)
        store.mentions.set_status([one.id], "escalated")
    undone = cli("--db", db, "imports", "undo", "1")
    assert undone.code == 0, undone.err
    assert "Undid import 1 (twarc_flat.jsonl): removed 99 mentions; kept 1 mention" in undone.out
    assert f"kept {one.id}:" in undone.out
    twice = cli("--db", db, "imports", "undo", "1")
    assert twice.code == 1 and "already undone" in twice.err
    text = cli("--db", db, "imports", "list").out
    assert "undone" in text and "99 mentions removed, 1 kept" in text
    missing = cli("--db", db, "imports", "undo", "7")
    assert missing.code == 1 and "There is no import number 7" in missing.err
    assert cli("--db", db, "imports", "undo").code == 1


def test_a_pull_that_brings_mentions_is_a_batch_and_can_be_undone(httpserver, store):
    httpserver.expect_request("/feed").respond_with_data(
        fixture_bytes("feeds/atom_google-alerts.xml"), content_type="application/atom+xml"
    )
    store.sources.add(SourceSettings("Alerts", "rss", options={"url": httpserver.url_for("/feed")}))
    outcome = pull_source(store, "Alerts", MemorySecretStore(), now=FIXED_NOW)
    again = pull_source(store, "Alerts", MemorySecretStore(), now=FIXED_NOW)
    assert (outcome.new, again.new) == (20, 0)
    (batch,) = store.batches.all()  # the pull with nothing new left no batch
    assert (batch.kind, batch.label, batch.detail, batch.imported) == ("pull", "Alerts", "rss", 20)
    result = store.batches.undo(batch.id)
    assert result.removed == 20 and store.mentions.total() == 0
    assert store.batches.get(batch.id).undone


def test_counts_are_in_words(cli, tmp_path):
    db = tmp_path / "w.db"
    assert cli("--db", db, "init").code == 0
    path = tmp_path / "one.csv"
    path.write_text("text,date\nthe only one,2026-11-20 10:00\n", encoding="utf-8")
    result = cli("--db", db, "import", "mentions", path, "--no-sentiment")
    assert "Imported 1 mention, 0 already in the inbox, 0 rejected." in result.out


def test_a_closed_pipe_ends_quietly(tmp_path):
    db = tmp_path / "w.db"
    with open_store(db):
        pass
    command = f"{sys.executable} -m app --db {db} info | head -1"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("Workspace:") and done.stderr == ""


def test_hashtags_and_handles_match_the_tag_or_handle_not_the_bare_word(store):
    store.mentions.add_many(
        [
            NewMention(source="x", text="Another #fail from the bakery", external_id="1"),
            NewMention(source="x", text="Will this fail again?", external_id="2"),
            NewMention(source="x", text="@hearthcrumb your croissant was off", external_id="3"),
            NewMention(source="x", text="hearthcrumb is my favourite", external_id="4"),
            NewMention(source="x", text="hello", author_handle="hearthcrumb", external_id="5"),
        ]
    )

    def found(query: str) -> set[str]:
        return {m.external_id for m in store.mentions.search(query, 10)}

    assert found("#fail") == {"1"}
    assert found("fail") == {"1", "2"}
    assert found("@hearthcrumb") == {"3", "5"}
    assert found("hearthcrumb") == {"3", "4", "5"}
    assert found("-#fail bakery") == set()
    assert found("fai*") == {"1", "2"}


def test_search_days_follow_the_business_time_zone(store):
    store.business.save(BusinessProfile(name="Shop", timezone="Australia/Sydney"))
    # 23:30 UTC on the 19th is 10:30 on the 20th in Sydney.
    store.mentions.add(
        NewMention(source="x", text="late", posted_at=datetime(2026, 11, 19, 23, 30, tzinfo=UTC))
    )
    assert store.mentions.count(MentionFilter("on:2026-11-20")) == 1
    assert store.mentions.count(MentionFilter("on:2026-11-19")) == 0
    assert store.mentions.count(MentionFilter("before:2026-11-20")) == 0
    assert store.mentions.count(MentionFilter("date:2026-11-20..2026-11-20")) == 1


def test_the_full_text_index_stays_whole_through_imports_pulls_and_undo(store):
    path = EXPORTS / "538_trump-twitter_poll_tweets.csv"
    first = import_mentions(store, path)
    store.mentions.add(NewMention(source="manual", text="by hand, indexed by the trigger"))
    store.batches.undo(first.batch_id)
    import_mentions(store, path)
    store.db.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('integrity-check')")
    fts = store.db.execute("SELECT count(*) FROM mentions_fts").fetchone()[0]
    assert fts == store.mentions.total() == 449
    assert store.mentions.count(MentionFilter("trigger")) == 1
    assert store.mentions.count(MentionFilter("Clinton")) > 10
    assert store.db.execute("SELECT count(*) FROM _fts_deferred").fetchone()[0] == 0

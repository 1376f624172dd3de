"""Watch alerts (once for a pull's first match, quiet through the cooldown), reach alerts, and
the template's watch queries per playbook."""

from __future__ import annotations

import json
from datetime import timedelta

from werkzeug.wrappers import Response

from app.mentions.model import NewMention
from app.onboarding import start_from_template
from app.secrets import MemorySecretStore
from app.sources.pulling import pull_many
from app.store import open_store
from tests.conftest import FIXED_NOW


def _item(number: int, text: str, when, followers: int = 30, handle: str = "") -> dict:
    return {
        "id": number,
        "body": text,
        "user": {"name": f"Person {number}", "handle": handle or f"person{number}",
                 "followers": followers},
        "created": when.isoformat(),
    }  # fmt: skip


def test_a_watch_alert_fires_once_for_a_pull_and_not_again_within_its_cooldown(
    cli, httpserver, db_path, copy_empty
):
    copy_empty(db_path)
    pages: list[list[dict]] = []
    httpserver.expect_request("/mentions").respond_with_handler(
        lambda _request: Response(json.dumps({"items": pages.pop(0)}), mimetype="application/json")
    )
    added = cli("--db", db_path, "sources", "add", "json", "--name", "Reviews",
                "--url", httpserver.url_for("/mentions"), "--items", "items",
                "--map", "text=body", "--map", "external_id=id", "--map", "author_name=user.name",
                "--map", "author_handle=user.handle", "--map", "author_followers=user.followers",
                "--map", "posted_at=created")  # fmt: skip
    assert added.code == 0, added.err
    now = [FIXED_NOW]
    with open_store(db_path, clock=lambda: now[0]) as store:
        store.watches.save(
            "Food safety", 'sick OR "food poisoning"', alert=True, cooldown_minutes=60
        )
        store.detection.recheck()  # the first look: nothing yet

        def pull(items: list[dict]):
            pages.append(items)
            source = store.sources.get("Reviews")
            store.sources.record_success(source, source.cursor, 0, now[0] - timedelta(hours=1), "")
            (outcome,) = pull_many(store, ["Reviews"], MemorySecretStore(), now=now[0])
            assert outcome.ok, outcome.error
            return store.detection.alerts(kinds=("watch",))

        first_pull = [
            _item(1, "Lovely cinnamon buns this morning", now[0]),
            _item(2, "Got food poisoning after the custard tart", now[0]),
            _item(3, "My son was sick all night after eating there", now[0]),
            _item(4, "Queue was long again", now[0]),
        ]
        (alert,) = pull(first_pull)
        first = store.mentions.get(alert.mention_id)
        assert first is not None and first.external_id == "2"  # the pull's first match
        assert alert.title.startswith("Watch “Food safety”:") and "(and 1 more)" in alert.detail
        assert alert.query == 'sick OR "food poisoning"'

        now[0] += timedelta(minutes=20)
        assert len(pull([_item(5, "Also sick after the tart, awful", now[0])])) == 1  # cooling
        now[0] += timedelta(minutes=41)  # 61 minutes after the alert
        alerts = pull([_item(6, "Food poisoning again?? Avoid", now[0])])
        assert len(alerts) == 2
        assert store.mentions.get(alerts[0].mention_id).external_id == "5"  # waited its turn
        assert store.detection.recheck(now[0]) == []  # nothing new: nothing said


def test_reach_alert_for_an_author_with_followers_or_a_news_source(store):
    store.detection.recheck()  # starts from what is there
    store.mentions.add_many(
        [
            NewMention("x", "Nice buns", "1", "Small Fry", "smallfry", 120, posted_at=FIXED_NOW),
            NewMention(
                "x",
                "Heard people got ill at the bakery?",
                "2",
                "Big Voice",
                "bigvoice",
                48_000,
                posted_at=FIXED_NOW,
            ),  # fmt: skip
            NewMention(
                "news",
                "Council looks into bakery illness",
                "3",
                "Town Courier",
                "towncourier",
                None,
                posted_at=FIXED_NOW,
            ),  # fmt: skip
            NewMention(
                "Hacker News", "Show HN: a bakery app", "4", "hn", "hn", None, posted_at=FIXED_NOW
            ),  # fmt: skip
        ]
    )
    (alert,) = store.detection.recheck()
    assert alert.kind == "reach"
    assert alert.title == (
        "Big Voice (@bigvoice, 48k followers) mentioned you, and 1 other account with reach"
    )
    assert alert.query == "from:bigvoice"
    assert store.detection.recheck() == []


def test_the_template_ships_watch_queries_per_playbook_that_alert(store):
    from app.business.model import BusinessProfile

    start_from_template(store, BusinessProfile(name="Corner Gym"))
    watches = {w.name: w for w in store.watches.all()}
    playbooks = {p.key for p in store.plan.get_current().playbooks}
    assert {w.playbook for w in watches.values()} == playbooks
    assert watches["Food safety"].alert and "food poisoning" in watches["Food safety"].query
    assert watches["One-star reviews"].playbook == "review_bombing"

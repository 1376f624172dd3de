"""Why it spiked (the demo's scare), coordinated posts (a review bomb against ordinary
complaints), "when could we have known" in the demo's debrief, and the command line."""

from __future__ import annotations

import csv
import json
import random
from datetime import timedelta

import pytest

from app.mentions.detection.clusters import find_clusters
from app.mentions.detection.explanation import explain, rising_terms, terms_of
from app.mentions.detection.hindsight import best
from tests.conftest import FIXED_NOW
from tests.core.detection_support import COMPLAINTS, Post, review_bomb, store_posts


def test_the_demo_spike_is_explained_by_its_real_cause_and_first_poster(demo_store):
    (episode,) = demo_store.detection.episodes()
    why = explain(demo_store.mentions, episode.start, episode.end)
    top = [t.text for t in why.terms[:3]]
    assert "sick" in top and "ill" in top
    assert why.first_posts[0].author_handle == "sophie_eats"
    assert why.negative_share > 0.6 and why.usual_negative_share < 0.2
    text = why.text()
    assert text.startswith("Mostly about “sick”")
    assert "Started by Sophie Hart (@sophie_eats, 2.1k followers) on facebook-group" in text
    assert why.terms[0].query == "sick"


def test_rising_terms_use_the_prior_and_prefer_phrases():
    before = [terms_of("Lovely bread and coffee at the bakery")] * 300 + [
        terms_of("food was fine, poisoning joke")
    ]
    spike = (
        [terms_of("Food poisoning from the bakery, avoid")] * 40
        + [terms_of("Lovely bread at the bakery")] * 40
        + [terms_of("weird zebra sighting")] * 2
    )
    found = [t.text for t in rising_terms(spike, before)]
    assert "food poisoning" in found and "avoid" in found
    assert "food" not in found and "poisoning" not in found  # the phrase says it
    assert found.index("bakery") > found.index("avoid") if "bakery" in found else True
    assert "zebra" not in found  # too rare to say anything


def test_a_review_bomb_is_one_cluster_and_ordinary_complaints_are_not(store):
    rng = random.Random(5)
    start = FIXED_NOW - timedelta(hours=5)
    complaints = [
        Post(start + timedelta(minutes=rng.randrange(240)), text, True, f"local{i}", 200)
        for i, text in enumerate(COMPLAINTS * 2)  # the same complaints, each twice, by others
    ]
    store_posts(store, [*review_bomb(start + timedelta(hours=1), rng), *complaints])
    (cluster,) = find_clusters(store.mentions, FIXED_NOW - timedelta(hours=24), FIXED_NOW)
    assert len(cluster.posts) == 37 and cluster.accounts == 37
    assert cluster.end - cluster.start <= timedelta(minutes=40)
    assert cluster.headline().startswith("37 near-identical posts from 37 accounts in ")
    assert any("under 50 followers" in s for s in cluster.signals())
    assert all(p.author_handle.startswith("newacct") for p in cluster.posts)


def test_cluster_finding_reports_progress_and_stops_on_cancel(store):
    from app.errors import Cancelled

    store_posts(store, review_bomb(FIXED_NOW - timedelta(hours=2), random.Random(4)))
    heard = []
    since = FIXED_NOW - timedelta(hours=24)
    (cluster,) = find_clusters(
        store.mentions, since, FIXED_NOW, progress=lambda d, t: heard.append((d, t))
    )
    assert heard[0][0] == 0 and heard[-1][0] == heard[-1][1] > 0
    with pytest.raises(Cancelled):
        find_clusters(store.mentions, since, FIXED_NOW, cancelled=lambda: True)


def test_cli_clusters_json_and_export(cli, tmp_path, copy_empty):
    path = copy_empty(tmp_path / "w.db")
    from app.store import open_store

    rng = random.Random(2)
    with open_store(path) as store:
        now = store.clock()
        store_posts(store, review_bomb(now - timedelta(hours=2), rng))
    listed = cli("--db", path, "clusters", "--since", "24h", "--json")
    assert listed.code == 0, listed.err
    (cluster,) = json.loads(listed.out)["clusters"]
    assert cluster["accounts"] == 37 and cluster["number"] == 1
    out = tmp_path / "appeal.csv"
    exported = cli("--db", path, "clusters", "--export", "1", "-o", out)
    assert exported.code == 0, exported.err
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:3] == ["posted_at_utc", "source", "author_name"] and len(rows) == 38
    missing = cli("--db", path, "clusters", "--export", "9", "-o", tmp_path / "x.csv")
    assert missing.code == 1 and "no cluster 9" in missing.err


def test_the_demo_debrief_says_when_we_could_have_known(demo_store):
    (incident,) = demo_store.incidents.all()
    metrics = {m.key: m for m in demo_store.debriefs.metrics(incident.id)}
    known = metrics["when_could_we_have_known"]
    assert known.value and known.value > 0
    assert known.how.startswith("With “") and "you would have been alerted at" in known.how
    assert "earlier" in known.how and "false alarm" in known.how
    rows = demo_store.debriefs.hindsight(incident.id)
    assert len(rows) == 9
    chosen = best(rows)
    debrief = demo_store.debriefs.for_incident(incident.id)
    demo_store.debriefs.choose_alarm_setting(debrief.id, chosen)
    assert demo_store.detection.setting() == chosen.setting
    assert demo_store.debriefs.get(debrief.id).lessons[-1].text.startswith("Set the spike alarm")


def test_cli_spikes_window_explain_json_and_watch_commands(cli, tmp_path, copy_demo):
    path = copy_demo(tmp_path / "demo.db")
    result = cli("--db", path, "spikes", "--window", "30m", "--explain", "--json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["window_minutes"] == 30
    (spike,) = document["spikes"]
    assert (
        spike["count"] > 1000 and spike["why"]["first_posts"][0]["author_handle"] == "sophie_eats"
    )
    assert cli("--db", path, "spikes", "--window", "45m").code == 1
    added = cli("--db", path, "watch", "add", "Lawyers", "lawsuit OR solicitor", "--cooldown", "2h")
    assert added.code == 0, added.err
    listed = json.loads(cli("--db", path, "watch", "list", "--json").out)["watches"]
    lawyers = next(w for w in listed if w["name"] == "Lawyers")
    assert lawyers["alert"] and lawyers["cooldown_minutes"] == 120
    assert cli("--db", path, "watch", "remove", "lawyers").code == 0
    assert cli("--db", path, "watch", "remove", "lawyers").code == 1

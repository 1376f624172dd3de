"""A generic JSON endpoint with a field mapping and a token header."""

from __future__ import annotations

import json

from tests.core.sources_support import mentions


def test_generic_json_endpoint_with_mapping_and_token(cli, httpserver, db_path, copy_cli_demo):
    payload = {
        "data": {
            "results": [
                {
                    "id": 1,
                    "body": "Loved the cinnamon buns",
                    "user": {"name": "Ana", "handle": "ana"},
                    "link": "https://reviews.example/1",
                    "created": "2026-11-20T08:00:00Z",
                },
                {
                    "id": 2,
                    "body": "Got sick after the custard tart",
                    "user": {"name": "Ben"},
                    "created": "2026-11-20T09:00:00+01:00",
                },
                {"id": 3, "body": ""},
            ]
        }
    }
    httpserver.expect_request("/api/mentions", headers={"X-Api-Key": "k-123"}).respond_with_json(
        payload
    )
    copy_cli_demo(db_path)
    add = cli(
        "--db",
        str(db_path),
        "sources",
        "add",
        "json",
        "--name",
        "Reviews",
        "--url",
        httpserver.url_for("/api/mentions"),
        "--items",
        "data.results",
        "--header",
        "X-Api-Key",
        "--map",
        "text=body",
        "--map",
        "external_id=id",
        "--map",
        "author_name=user.name",
        "--map",
        "author_handle=user.handle",
        "--map",
        "url=link",
        "--map",
        "posted_at=created",
        env={"CRISISDESK_SECRET": "k-123"},
    )
    assert add.code == 0, add.err
    pulled = cli(
        "--db", str(db_path), "pull", "Reviews", "--json", env={"CRISISDESK_SECRET": "k-123"}
    )
    assert json.loads(pulled.out)["results"][0]["new"] == 2, pulled.out + pulled.err
    rows = {m["external_id"]: m for m in mentions(db_path) if m["source"] == "Reviews"}
    assert rows["1"]["author_name"] == "Ana" and rows["1"]["url"] == "https://reviews.example/1"
    assert rows["2"]["posted_at"].startswith("2026-11-20T08:00:00")

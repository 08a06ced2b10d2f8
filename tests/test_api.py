"""The JSON API over HTTP, on a live server started as a user starts it
(`observatory serve --port 0`): shapes, errors as 4xx JSON, ETags, 404s."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from corpus.store import CorpusStore

RESULT_KEYS = {
    "id",
    "type",
    "title",
    "summary",
    "lang",
    "city",
    "country",
    "region",
    "themes",
    "year",
    "url",
    "score",
    "highlight",
}
FACETS = {"theme", "region", "country", "lang", "type", "year"}


def fetch(base: str, path: str, headers: dict | None = None, method: str = "GET"):
    """(status, headers, body bytes) without raising on 4xx/5xx."""
    request = urllib.request.Request(base + path, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_json(base: str, path: str, **kwargs):
    status, headers, body = fetch(base, path, **kwargs)
    assert headers.get_content_type() == "application/json", (path, status, body[:200])
    return status, headers, json.loads(body)


def test_search_answers_the_contract_shape(live_server):
    status, _, data = get_json(live_server, "/api/search?q=open+data&per_page=3")
    assert status == 200
    assert {"query", "total", "page", "per_page", "results", "facets", "suggestion"} <= set(data)
    assert (data["query"], data["page"], data["per_page"]) == ("open data", 1, 3)
    assert 0 < len(data["results"]) <= 3 <= data["total"]
    for hit in data["results"]:
        assert RESULT_KEYS <= set(hit), hit.keys()
    assert set(data["facets"]) >= FACETS
    for items in data["facets"].values():
        for item in items:
            assert set(item) >= {"value", "label", "count", "selected"}
            assert item["count"] >= 0 and isinstance(item["selected"], bool)


def test_browsing_lists_every_published_entry(live_server, home):
    entries = list(CorpusStore(home.corpus_dir).entries())
    published = {e.id for e in entries if e.status == "published"}
    status, _, data = get_json(live_server, "/api/search?per_page=100")
    assert status == 200
    assert data["total"] == len(published)
    assert "web-fixture-draft-entry" not in {hit["id"] for hit in data["results"]}


def test_filters_repeat_and_are_selected(live_server):
    query = urlencode([("theme", "open-data"), ("theme", "citizen-participation"), ("lang", "fr")])
    _, _, data = get_json(live_server, "/api/search?" + query)
    selected = {
        (name, item["value"])
        for name, items in data["facets"].items()
        for item in items
        if item["selected"]
    }
    assert selected == {("theme", "open-data"), ("theme", "citizen-participation"), ("lang", "fr")}
    for hit in data["results"]:
        assert hit["lang"] == "fr"
        assert {"open-data", "citizen-participation"} & set(hit["themes"])


@pytest.mark.parametrize(
    "query",
    [
        "theme=no-such-theme",
        "region=atlantis",
        "type=essay",
        "per_page=1000",
        "per_page=0",
        "page=0",
        "page=-3",
        "year_from=abc",
        "year_to=20x5",
        "sort=random",
        "q=%22unclosed",
        "q=AND+OR+%28",
    ],
)
def test_bad_input_is_a_4xx_json_error(live_server, query):
    status, _, data = get_json(live_server, "/api/search?" + query)
    assert 400 <= status < 500
    assert set(data) == {"error"} and isinstance(data["error"], str) and data["error"]


def test_entry_has_an_etag_and_answers_304_when_unchanged(live_server, home):
    entry = CorpusStore(home.corpus_dir).get("web-fixture-budget-participatif")
    status, headers, data = get_json(live_server, "/api/entries/web-fixture-budget-participatif")
    assert status == 200
    assert headers["ETag"] == f'"{entry.version}"'
    assert data == json.loads(json.dumps(entry.to_mapping(), default=str))
    assert data["partners"] == ["Université", "Associations de quartier"]
    status, _, body = fetch(
        live_server,
        "/api/entries/web-fixture-budget-participatif",
        headers={"If-None-Match": headers["ETag"]},
    )
    assert (status, body) == (304, b"")
    status, _, _ = fetch(
        live_server,
        "/api/entries/web-fixture-budget-participatif",
        headers={"If-None-Match": '"something-else"'},
    )
    assert status == 200


def test_etag_changes_when_the_entry_does(small_home):
    from webui import create_app

    client = create_app(small_home, {"TESTING": True}).test_client()
    before = client.get("/api/entries/web-fixture-datos-abiertos").headers["ETag"]
    store = CorpusStore(small_home.corpus_dir)
    store.put(store.get("web-fixture-datos-abiertos").evolve(city="Huesca"))
    response = client.get("/api/entries/web-fixture-datos-abiertos")
    assert response.get_json()["city"] == "Huesca"
    assert response.headers["ETag"] != before


@pytest.mark.parametrize(
    "path",
    [
        "/api/entries/no-such-entry",
        "/api/entries/web-fixture-draft-entry",
        "/api/entries/Not_An_Id",
        "/api/entries/no-such-entry/similar",
        "/api/nowhere",
        "/api/",
        "/api/search/extra",
    ],
)
def test_unknown_things_under_api_are_json_404(live_server, path):
    status, _, data = get_json(live_server, path)
    assert status == 404 and data["error"]


def test_wrong_method_is_json_405(live_server):
    status, headers, data = get_json(live_server, "/api/search", method="POST")
    assert status == 405 and data["error"]
    assert "GET" in headers["Allow"]


def test_html_404_stays_html(live_server):
    status, headers, body = fetch(live_server, "/no/such/page")
    assert status == 404 and headers.get_content_type() == "text/html"
    assert b"<h1>Page not found</h1>" in body


def test_similar_entries(live_server):
    status, _, data = get_json(
        live_server, "/api/entries/web-fixture-budget-participatif/similar?limit=3"
    )
    assert status == 200 and data["id"] == "web-fixture-budget-participatif"
    assert len(data["results"]) <= 3
    for hit in data["results"]:
        assert RESULT_KEYS - {"score", "highlight"} <= set(hit)
        assert hit["id"] != "web-fixture-budget-participatif"
    for bad in ("0", "21", "x"):
        status, _, error = get_json(
            live_server, f"/api/entries/web-fixture-budget-participatif/similar?limit={bad}"
        )
        assert status == 400 and error["error"]


def test_labels_follow_the_ui_parameter(live_server):
    _, _, data = get_json(live_server, "/api/search?theme=open-data&ui=fr")
    labels = {item["value"]: item["label"] for item in data["facets"]["theme"]}
    assert labels["open-data"] == "Données ouvertes et transparence"


@pytest.mark.parametrize("mode", [(), ("--dev",)])
def test_serve_prints_the_real_address_once_it_accepts_connections(home, mode):
    from webui.server import ServerProcess

    with ServerProcess(home.path, *mode) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:[1-9]\d*", server.url)
        status, _, data = get_json(server.url, "/api/search?q=open")
        assert status == 200 and data["query"] == "open"

"""Exports: the whole result set as CSV and JSON, in the search's order, capped, and CSV
cells defused against formula injection."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from webui.exports import safe_cell


def all_ids(client, query: str) -> list[str]:
    ids, page = [], 1
    while True:
        answer = client.get(f"/api/search?{query}&per_page=100&page={page}").get_json()
        ids += [r["id"] for r in answer["results"]]
        if page * 100 >= answer["total"]:
            return ids
        page += 1


@pytest.mark.parametrize("query", ["", "q=open+data", "theme=environment-energy&sort=newest"])
def test_csv_holds_every_result_in_order(client, query):
    response = client.get(f"/export.csv?{query}")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in rows] == all_ids(client, query)
    assert rows and rows[0]["permalink"] == f"http://localhost/entries/{rows[0]['id']}"


def test_browsing_export_crosses_result_pages(client):
    ids = all_ids(client, "")
    assert len(ids) > 100  # so the export had to fetch several pages
    rows = json.loads(client.get("/export.json").get_data(as_text=True))["results"]
    assert [r["id"] for r in rows] == ids


def test_json_export_has_the_search_fields(client):
    answer = json.loads(client.get("/export.json?q=open+data&lang=en").get_data(as_text=True))
    assert answer["query"] == "open data" and answer["filters"] == {"lang": ["en"]}
    search = client.get("/api/search?q=open+data&lang=en&per_page=100").get_json()
    assert [r["id"] for r in answer["results"]] == [r["id"] for r in search["results"]]
    first = answer["results"][0]
    assert {k: first[k] for k in ("title", "themes", "published")} == {
        k: search["results"][0][k] for k in ("title", "themes", "published")
    }


def test_limit_caps_the_rows(client):
    rows = json.loads(client.get("/export.json?limit=7").get_data(as_text=True))["results"]
    assert len(rows) == 7
    lines = client.get("/export.csv?limit=3").get_data(as_text=True).strip().splitlines()
    assert len(lines) == 4


@pytest.mark.parametrize("query", ["limit=0", "limit=5001", "theme=nope", "per_page=1000"])
def test_bad_input_is_refused(client, query):
    response = client.get(f"/export.json?{query}")
    assert response.status_code == 400 and response.get_json()["error"]
    assert client.get(f"/export.csv?{query}").status_code == 400


@pytest.mark.parametrize(
    "text, cell",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (["a", "=b"], "a;=b"),
    ],
)
def test_formula_cells_are_defused(text, cell):
    assert safe_cell(text) == cell


def test_csv_of_a_hostile_entry_starts_no_cell_with_a_formula(small_home):
    from corpus.store import CorpusStore
    from indexer.build import update_index
    from observatory.entry import entry_from_mapping
    from webui import create_app

    CorpusStore(small_home.corpus_dir).put(
        entry_from_mapping(
            {
                "id": "formula-entry",
                "type": "practice",
                "lang": "en",
                "city": "+Town",
                "title": "=cmd|' /C calc'!A0",
                "summary": "@SUM(1+1)",
                "organisation": "-minus",
            }
        )
    )
    update_index(small_home)
    client = create_app(small_home, {"TESTING": True}).test_client()
    rows = list(csv.reader(io.StringIO(client.get("/export.csv").get_data(as_text=True))))
    for row in rows[1:]:
        for cell in row:
            assert not re.match(r"[=+\-@\t\r]", cell), cell
    hostile = next(r for r in rows if r[0] == "formula-entry")
    assert (
        hostile[2] == "'=cmd|' /C calc'!A0"
        and hostile[3] == "'@SUM(1+1)"
        and hostile[5] == "'+Town"
    )


def test_search_page_links_the_exports(client):
    html = client.get("/?q=open+data&page=2").get_data(as_text=True)
    assert 'href="/export.csv?q=open+data"' in html
    assert 'href="/export.json?q=open+data"' in html

"""Hostile content: markup an outsider writes into any field (an imported file, a crawled page, a
query) is text on every page, in highlights, the Atom feed, the CSV export and the editor's pages;
CSV cells cannot run as formulas; every redirect stays on this site; the headers forbid inline code.

Each check also looks for the escaped payload, so a page that simply left the field out fails.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import yaml

from tests.editor_support import PASSWORD, csrf_from, login

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RTL = "\u202egnp.exe"
LONG = "x" * 5000
PAYLOAD = f"Zanzibar {SCRIPT} {IMG} {RTL} {LONG[:40]}"
RAW_MARKERS = ("<script>alert", "<img src=x", "<img/src=x", "onerror=alert(1)>")
ESCAPED_MARKER = "&lt;script&gt;alert(1)&lt;/script&gt;"

HOSTILE = {
    "id": "hostile-entry",
    "type": "practice",
    "lang": "en",
    "status": "published",
    "title": f"Zanzibar ferry {SCRIPT}{IMG}",
    "summary": PAYLOAD,
    "body": f"{PAYLOAD}\n\n[click](javascript:alert(1)) {LONG}",
    "city": f"Zanzibar{SCRIPT}",
    "organisation": f"Org {IMG}",
    "country": "TZ",
    "themes": ["smart-mobility"],
    "tags": [f"tag{SCRIPT}", f"{RTL}"],
    "url": 'https://example.org/"><img/src=x/onerror=alert(1)>',
    "published": "2020-01-01",
    f"note{SCRIPT}": PAYLOAD,
}
NEIGHBOUR = {
    "id": "zanzibar-ferry-two",
    "type": "practice",
    "lang": "en",
    "country": "TZ",
    "title": "Zanzibar ferry timetable",
    "summary": "Zanzibar ferry timetable open data",
    "themes": ["smart-mobility"],
    "published": "2021",
}
FORMULAS = {
    "id": "formula-entry",
    "type": "practice",
    "lang": "en",
    "country": "TZ",
    "title": '=HYPERLINK("http://evil.example","Zanzibar")',
    "summary": "+1+1 Zanzibar",
    "city": "@SUM(A1)",
    "organisation": "-2+3",
    "published": "2019",
}


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory):
    from corpus.accounts import Accounts
    from corpus.importers import import_paths
    from corpus.store import CorpusStore
    from indexer.build import update_index
    from observatory.home import Home

    home = Home(tmp_path_factory.mktemp("hostile") / "home")
    source = home.path / "hostile.yaml"
    source.write_text(yaml.safe_dump([HOSTILE, NEIGHBOUR, FORMULAS], allow_unicode=True), "utf-8")
    report = import_paths(CorpusStore(home.corpus_dir), [source])
    assert not report.refused, report.refused
    update_index(home)
    Accounts(home.database_path).add_user("alice", "editor", PASSWORD)
    return home


@pytest.fixture(scope="module")
def hostile_app(hostile_home):
    from webui import create_app

    app = create_app(hostile_home, {"TESTING": True})
    yield app
    app.extensions["observatory"].close()


@pytest.fixture
def client(hostile_app):
    return hostile_app.test_client()


def _assert_inert(text: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in text, f"{where}: raw {marker!r}"


PUBLIC_PAGES = [
    "/?q=zanzibar",
    "/?q=alert",  # the payload's words, highlighted
    "/?q=zanzibar&sort=newest&per_page=50",
    "/entries/hostile-entry",
    "/entries/zanzibar-ferry-two",  # the hostile entry in its similar list
    "/trends?q=zanzibar",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_show_the_payload_as_text(client, path):
    page = client.get(path)
    assert page.status_code == 200, path
    text = page.get_data(as_text=True)
    _assert_inert(text, path)
    if not path.startswith("/trends"):
        assert "&lt;script&gt;" in text or "&lt;img" in text, f"{path}: payload missing"


def test_the_entry_page_shows_every_field_escaped(client):
    text = client.get("/entries/hostile-entry").get_data(as_text=True)
    assert ESCAPED_MARKER in text
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', text)
    assert [h for h in hrefs if h.strip().lower().startswith(("javascript", "data:"))] == []
    assert "note&lt;script&gt;" in text  # an unknown key's name, under "Other information"
    assert "&#34;&gt;&lt;img src=x" in text or "&quot;&gt;&lt;img src=x" in text


def test_a_hostile_query_is_echoed_as_text(client):
    for params in ({"q": SCRIPT}, {"q": IMG}, {"q": f'"{SCRIPT}"'}):
        page = client.get("/", query_string=params)
        assert page.status_code in (200, 400)
        _assert_inert(page.get_data(as_text=True), f"/?q={params['q']}")


def test_highlights_hold_only_mark_tags(client):
    answer = client.get("/api/search", query_string={"q": "zanzibar alert script"}).get_json()
    hits = {hit["id"]: hit for hit in answer["results"]}
    assert "hostile-entry" in hits
    for hit in hits.values():
        assert "<" not in re.sub(r"</?mark>", "", hit["highlight"] or ""), hit["highlight"]
    api_entry = client.get("/api/entries/hostile-entry").get_json()
    assert api_entry["title"] == HOSTILE["title"]  # JSON is data: the text itself, unescaped


def test_the_atom_feed_carries_the_payload_as_text(client):
    feed = client.get("/feeds/search.atom", query_string={"q": "zanzibar"})
    assert feed.status_code == 200
    body = feed.get_data(as_text=True)
    _assert_inert(body, "atom")
    root = ET.fromstring(feed.data)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert HOSTILE["title"] in titles  # parsed back as text, not as markup


def test_the_csv_export_defuses_formulas(client):
    export = client.get("/export.csv", query_string={"q": "zanzibar"})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    by_id = {row["id"]: row for row in rows}
    formula = by_id["formula-entry"]
    assert formula["title"] == "'" + FORMULAS["title"]
    assert formula["summary"] == "'" + FORMULAS["summary"]
    assert formula["city"] == "'" + FORMULAS["city"]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_the_editor_pages_show_the_payload_as_text(client):
    assert login(client, "alice").status_code == 302
    for path in (
        "/editor/",
        "/editor/entries/hostile-entry",
        "/editor/entries/hostile-entry/history",
        "/editor/search?q=zanzibar",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        _assert_inert(page.get_data(as_text=True), path)
    assert ESCAPED_MARKER in client.get("/editor/entries/hostile-entry").get_data(as_text=True)


def test_every_page_forbids_inline_code_and_framing(client):
    for path in [*PUBLIC_PAGES, "/api/search?q=x", "/feeds/search.atom", "/editor/login", "/nope"]:
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


OFFSITE = [
    "//evil.example/x",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    "/%2F%2Fevil.example",
    " //evil.example",
    "\t//evil.example",
    "/ /evil.example",
]


@pytest.mark.parametrize("target", OFFSITE)
def test_login_never_redirects_off_site(client, target):
    page = client.get("/editor/login", query_string={"next": target})
    token = csrf_from(page.get_data(as_text=True))
    answer = client.post(
        "/editor/login",
        query_string={"next": target},
        data={"name": "alice", "password": PASSWORD, "csrf_token": token, "next": target},
    )
    assert answer.status_code == 302
    location = answer.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_the_language_switch_does_not_redirect(client):
    for value in ("https://evil.example", "//evil.example", "fr"):
        answer = client.get("/", query_string={"ui": value})
        assert answer.status_code in (200, 400) and "Location" not in answer.headers


def test_hostile_json_api_error_messages_are_json(client):
    answer = client.get("/api/search", query_string={"theme": SCRIPT})
    assert answer.status_code == 400 and answer.is_json
    assert json.loads(answer.data)["error"]

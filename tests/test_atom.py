"""Atom feeds of searches, read by a real feed reader (feedparser): no errors, absolute
links, stable ids, newest first, escaped text; OpenSearch discovery."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import feedparser
import pytest

QUERIES = [
    "",
    "q=open+data",
    "theme=open-data&theme=e-government",
    "lang=fr&type=practice",
    "q=participatory+budgeting&region=europe",
    "q=zzzznothing",
]


@pytest.mark.parametrize("query", QUERIES)
def test_feeds_parse_without_errors_newest_first(client, query):
    response = client.get(f"/feeds/search.atom?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    search = client.get(f"/api/search?{query}&sort=newest&per_page=20").get_json()
    assert [e.id for e in feed.entries] == [
        f"http://localhost/entries/{r['id']}" for r in search["results"]
    ]
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    for entry in feed.entries:
        assert entry.link.startswith("http://localhost/entries/")
        assert entry.title and entry.updated_parsed
    assert feed.feed.id.startswith("http://localhost/feeds/search.atom")
    assert all(link.href.startswith("http://") for link in feed.feed.links)


def test_ids_are_stable_across_requests_and_argument_order(client):
    first = feedparser.parse(
        client.get("/feeds/search.atom?theme=open-data&theme=e-government").data
    )
    again = feedparser.parse(
        client.get("/feeds/search.atom?theme=e-government&theme=open-data").data
    )
    assert first.feed.id == again.feed.id
    assert [e.id for e in first.entries] == [e.id for e in again.entries]
    assert [e.updated for e in first.entries] == [e.updated for e in again.entries]


def test_unchanged_feed_answers_304(client):
    response = client.get("/feeds/search.atom?q=open+data")
    etag = response.headers["ETag"]
    again = client.get("/feeds/search.atom?q=open+data", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_dates_come_from_published_with_a_fixed_fallback():
    from webui.atom import UNDATED, atom_date

    assert atom_date("2015") == "2015-01-01T00:00:00Z"
    assert atom_date("2015-07") == "2015-07-01T00:00:00Z"
    assert atom_date("2015-07-09") == "2015-07-09T00:00:00Z"
    assert atom_date("") == atom_date(None) == UNDATED


@pytest.fixture
def hostile_app(small_home):
    """A home with base_url set and an entry whose text is markup."""
    from corpus.store import CorpusStore
    from indexer.build import update_index
    from observatory.entry import entry_from_mapping
    from observatory.home import Home
    from webui import create_app

    (small_home.path / "settings.yaml").write_text("base_url: https://obs.example.org/\n")
    CorpusStore(small_home.corpus_dir).put(
        entry_from_mapping(
            {
                "id": "markup-entry",
                "type": "practice",
                "lang": "en",
                "published": "2031-02",
                "title": 'Tags <script>alert(1)</script> & "quotes"',
                "summary": "Less < more & <b>bold</b>",
                "themes": ["open-data"],
            }
        )
    )
    update_index(small_home)
    return create_app(Home(small_home.path), {"TESTING": True})


def test_links_use_base_url_and_text_is_escaped(hostile_app):
    client = hostile_app.test_client()
    raw = client.get("/feeds/search.atom").data
    assert b"<script>" not in raw and b"<b>bold" not in raw
    feed = feedparser.parse(raw)
    assert feed.bozo == 0
    assert feed.feed.id.startswith("https://obs.example.org/feeds/search.atom")
    top = feed.entries[0]
    assert top.id == top.link == "https://obs.example.org/entries/markup-entry"
    assert top.title == 'Tags <script>alert(1)</script> & "quotes"'
    assert top.summary == "Less < more & <b>bold</b>"
    assert top.updated == "2031-02-01T00:00:00Z"
    assert all(link.href.startswith("https://obs.example.org/") for link in feed.feed.links)


def test_search_page_links_its_feed_and_the_opensearch_document(client):
    html = client.get("/?q=open+data&page=2").get_data(as_text=True)
    feed_link = re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html
    )
    assert feed_link and feed_link.group(1) == "/feeds/search.atom?q=open+data"
    assert feedparser.parse(client.get(feed_link.group(1)).data).bozo == 0
    search_link = re.search(
        r'<link rel="search" type="application/opensearchdescription\+xml"[^>]*href="([^"]+)"', html
    )
    assert search_link and search_link.group(1) == "/opensearch.xml"


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    root = ET.fromstring(response.data)
    assert root.find("os:ShortName", ns).text
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", ns)}
    assert templates["text/html"] == "http://localhost/?q={searchTerms}"
    assert templates["application/atom+xml"] == "http://localhost/feeds/search.atom?q={searchTerms}"


def test_bad_feed_input_is_a_400(client):
    assert client.get("/feeds/search.atom?theme=nope").status_code == 400

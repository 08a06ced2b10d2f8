"""Saved searches: saving (signed in only), "new since your last visit" per viewer, their
feeds (public by id, private by secret token), and the digest with its command."""

from __future__ import annotations

import re

import feedparser
import pytest

from corpus.saved_searches import SavedSearches, canonical_args
from indexer import watch

PASSWORD = "correct horse battery"


def add_entry(home, engine, entry_id: str, title: str, published: str = "2030-01") -> None:
    from corpus.store import CorpusStore
    from observatory.entry import entry_from_mapping

    entry = entry_from_mapping(
        {
            "id": entry_id,
            "type": "practice",
            "lang": "en",
            "title": title,
            "published": published,
            "themes": ["open-data"],
        }
    )
    CorpusStore(home.corpus_dir).put(entry)
    engine.index_entries([entry])


@pytest.fixture
def engine(small_home):
    from indexer.search import SearchEngine

    with SearchEngine(small_home) as opened:
        yield opened


@pytest.fixture
def store(small_home):
    return SavedSearches(small_home.database_path)


def test_store_keeps_searches_per_user_and_finds_them_by_token(store):
    one = store.create(
        1, "  Open   data ", {"q": ["open data"], "page": ["3"], "theme": ["open-data"]}
    )
    store.create(2, "Other", {}, public=True)
    assert one.name == "Open data" and one.args == {"q": ["open data"], "theme": ["open-data"]}
    assert [s.name for s in store.of_user(1)] == ["Open data"]
    assert store.by_token(one.token) == one and len(one.token) >= 32
    store.delete(one.id, 1)
    assert store.of_user(1) == []
    assert canonical_args({"ui": ["fr"], "sort": ["newest"], "q": [""]}) == {"sort": ["newest"]}


def test_new_since_last_visit_is_per_viewer(small_home, engine, store):
    saved = watch.save_search(engine, store, 1, "user:1", "Portals", {"q": ["portal"]})
    assert watch.status(engine, store, saved, "user:1")["new"] == 0
    add_entry(small_home, engine, "new-portal", "A new data portal")
    add_entry(small_home, engine, "unrelated", "Street lighting")
    assert watch.status(engine, store, saved, "user:1")["new"] == 1
    assert watch.visit(engine, store, saved, "user:1") == ["new-portal"]
    assert watch.status(engine, store, saved, "user:1")["new"] == 0
    other = watch.status(engine, store, saved, "user:2")  # never looked: all of it is new to them
    assert other["new"] == other["total"] > 1


def test_saving_a_bad_search_is_refused(engine, store):
    from observatory.errors import QueryError

    with pytest.raises(QueryError):
        watch.save_search(engine, store, 1, "user:1", "Bad", {"theme": ["nope"]})
    assert store.all() == []


@pytest.fixture
def web(small_home):
    """(client, user) with that user signed in through the login form."""
    from corpus.accounts import Accounts
    from webui import create_app

    user = Accounts(small_home.database_path).add_user("reader", "viewer", PASSWORD)
    client = create_app(small_home, {"TESTING": True}).test_client()
    page = client.get("/editor/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/editor/login",
        data={"name": "reader", "password": PASSWORD, "csrf_token": token, "next": "/saved/"},
    )
    assert response.status_code == 302
    return client, user


def csrf(client, path: str) -> str:
    return re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)
    ).group(1)


def save(client, name: str, query: str, public: bool = False):
    page = client.get(f"/saved/new?{query}").get_data(as_text=True)
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    if public:
        hidden["public"] = "1"
    return client.post("/saved/", data=dict(hidden, name=name))


def test_anonymous_visitors_are_sent_to_login(small_home):
    from webui import create_app

    client = create_app(small_home, {"TESTING": True}).test_client()
    for path in ("/saved/", "/saved/new?q=x"):
        response = client.get(path)
        assert response.status_code == 302 and "/editor/login" in response.headers["Location"]


def test_save_list_and_see_what_is_new(web, small_home):
    client, _user = web
    assert save(client, "Portals", "q=portal&sort=newest").status_code == 302
    listing = client.get("/saved/").get_data(as_text=True)
    assert "Portals" in listing and re.search(r'<td class="new-count">0</td>', listing)
    from webui.services import get_services

    with client.application.app_context():
        add_entry(small_home, get_services().engine, "new-portal", "A new data portal")
    listing = client.get("/saved/").get_data(as_text=True)
    assert re.search(r'<td class="new-count">1</td>', listing)
    search_id = re.search(r'href="/saved/(\d+)"', listing).group(1)
    visit = client.get(f"/saved/{search_id}").get_data(as_text=True)
    assert "1 entry is new since your last visit." in visit and "/entries/new-portal" in visit
    assert re.search(r'<td class="new-count">0</td>', client.get("/saved/").get_data(as_text=True))


def test_save_without_csrf_token_or_name_is_refused(web):
    client, _user = web
    assert client.post("/saved/", data={"name": "x", "q": "portal"}).status_code == 400
    response = client.post(
        "/saved/", data={"name": " ", "q": "portal", "csrf_token": csrf(client, "/saved/new")}
    )
    assert response.status_code == 400
    assert (
        SavedSearches(client.application.extensions["observatory"].home.database_path).all() == []
    )


def test_feeds_of_private_and_public_searches(web):
    client, _user = web
    save(client, "Private one", "q=portal")
    save(client, "Public one", "q=portal", public=True)
    store = SavedSearches(client.application.extensions["observatory"].home.database_path)
    private, public = sorted(store.all(), key=lambda s: s.public)
    assert client.get(f"/feeds/saved/{private.id}.atom").status_code == 404
    for path in (f"/feeds/private/{private.token}.atom", f"/feeds/saved/{public.id}.atom"):
        feed = feedparser.parse(client.get(path).data)
        assert feed.bozo == 0 and feed.entries
        assert feed.feed.id == f"http://localhost{path}"
    assert client.get("/feeds/private/not-a-token.atom").status_code == 404
    listing = client.get("/saved/").get_data(as_text=True)
    assert (
        f"/feeds/private/{private.token}.atom" in listing
        and f"/feeds/saved/{public.id}.atom" in listing
    )


def test_another_user_cannot_see_a_private_search(web, small_home):
    from corpus.accounts import Accounts

    client, _user = web
    save(client, "Mine", "q=portal")
    other = Accounts(small_home.database_path).add_user("other", "viewer", PASSWORD)
    search = SavedSearches(small_home.database_path).all()[0]
    with client.session_transaction() as session:
        session["uid"] = other.id
    assert client.get(f"/saved/{search.id}").status_code == 404
    assert "Mine" not in client.get("/saved/").get_data(as_text=True)


def test_digest_writes_new_entries_once_and_records_the_run(small_home, engine, store, tmp_path):
    from indexer.digest import run_digest

    watch.save_search(engine, store, 1, "user:1", "Portals", {"q": ["portal"]})
    first = run_digest(small_home, engine, tmp_path / "d1")
    assert (first.searches, first.entries, first.files) == (0, 0, [])
    add_entry(small_home, engine, "new-portal", "A new <data> portal")
    second = run_digest(small_home, engine, tmp_path / "d2")
    assert (second.searches, second.entries) == (1, 1)
    text = next(p for p in second.files if p.suffix == ".txt").read_text("utf-8")
    page = next(p for p in second.files if p.suffix == ".html").read_text("utf-8")
    assert (
        text.startswith("Subject: ")
        and "A new <data> portal" in text
        and "/entries/new-portal" in text
    )
    assert "A new &lt;data&gt; portal" in page and "<data>" not in page
    third = run_digest(small_home, engine, tmp_path / "d3")
    assert third.entries == 0
    assert store.last_digest()["out"] == str(tmp_path / "d3")


def test_digest_command(small_home, tmp_path):
    from click.testing import CliRunner

    from observatory.cli import cli

    result = CliRunner().invoke(
        cli, ["--home", str(small_home.path), "digest", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "Digest: 0 new entries in 0 saved searches" in result.output
    assert SavedSearches(small_home.database_path).last_digest() is not None

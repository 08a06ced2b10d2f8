"""The HTML interface in-process (Flask test client): it shows what the API says,
links keep every state in the address, and the page is accessible and safe."""

from __future__ import annotations

import re
import stat
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from corpus.store import CorpusStore
from webui import create_app
from webui.search import page_numbers
from webui.urls import SearchState


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def api(client, query: str) -> dict:
    response = client.get("/api/search" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- the page shows what the API answers ---------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?q=open+data",
        "?theme=open-data&theme=citizen-participation",
        "?lang=fr&type=practice",
        "?q=participation&sort=newest",
    ],
)
def test_results_and_facets_are_those_of_the_api(client, query):
    expected = api(client, query)
    page = html(client.get("/" + query))
    shown_ids = [
        a["href"].split("/entries/")[1].split("?")[0] for a in page.select("ol.results h3 a")
    ]
    assert shown_ids == [hit["id"] for hit in expected["results"]]
    for name in ("type", "theme", "region", "country", "lang"):
        boxes = page.select(f"fieldset#facet-{name} input[type=checkbox]")
        shown = [
            (box["value"], int(box.find_next("span", class_="count").text), box.has_attr("checked"))
            for box in boxes
        ]
        assert shown == [
            (item["value"], item["count"], item["selected"]) for item in expected["facets"][name]
        ], name


def test_each_result_carries_its_language(client):
    expected = api(client, "?per_page=30")
    articles = html(client.get("/?per_page=30")).select("ol.results article")
    assert [a.get("lang") for a in articles] == [hit["lang"] for hit in expected["results"]]
    assert {a.get("lang") for a in articles} >= {"en", "fr"}


def test_result_metadata_is_in_the_interface_language(client):
    page = html(client.get("/?q=budget+participatif&lang=fr&ui=fr&per_page=100"))
    article = page.select_one('a[href^="/entries/web-fixture-budget-participatif"]').find_parent(
        "article"
    )
    assert article["lang"] == "fr"
    meta = article.select_one("dl.meta")
    assert meta["lang"] == "fr"
    assert "Participation citoyenne" in meta.text
    assert "Lyon, France" in meta.text
    assert "2019" in meta.text


def test_snippet_markup_is_only_mark_and_titles_are_escaped(client):
    body = client.get("/?q=ampersands").get_data(as_text=True)
    assert "<script>alert" not in body
    assert "Escaping &lt;script&gt;alert" in body
    snippet = html(client.get("/?q=ampersands")).select_one("p.snippet")
    assert {tag.name for tag in snippet.find_all(True)} == {"mark"}
    assert "<b>tags</b>" in snippet.text  # shown as text, not markup


def test_no_inline_script_style_or_handlers(client):
    """The CSP forbids inline code: the pages must not need any."""
    for url in ("/", "/?q=open", "/entries/web-fixture-budget-participatif", "/nowhere"):
        page = html(client.get(url))
        assert all(script.get("src") for script in page.find_all("script")), url
        assert not page.find_all("style"), url
        for tag in page.find_all(True):
            assert not [a for a in tag.attrs if a == "style" or a.startswith("on")], (url, tag.name)


# --- links: every state is an address --------------------------------------------------


def test_chosen_filters_link_to_the_search_without_them(client):
    page = html(client.get("/?q=data&theme=open-data&region=europe&year_from=2010"))
    chips = {
        a.text.split("(")[0].strip().rstrip("×").strip(): query_of(a["href"])
        for a in page.select(".chosen a.chip")
    }
    assert chips["Open data and transparency"] == {
        "q": ["data"],
        "region": ["europe"],
        "year_from": ["2010"],
    }
    assert chips["Europe"] == {"q": ["data"], "theme": ["open-data"], "year_from": ["2010"]}
    assert chips["2010"] == {"q": ["data"], "theme": ["open-data"], "region": ["europe"]}


def test_search_state_toggles_values_and_goes_back_to_page_one():
    state = SearchState(
        {
            "q": ["ignored", "open data"],
            "theme": ["open-data"],
            "page": ["3"],
            "junk": ["x"],
            "year_from": [""],
        },
        {"ui": "fr"},
    )
    assert state.toggle_url("theme", "e-government") == (
        "/?q=open+data&theme=open-data&theme=e-government&ui=fr"
    )
    assert state.toggle_url("theme", "open-data") == "/?q=open+data&ui=fr"
    assert state.page_url(4) == "/?q=open+data&theme=open-data&page=4&ui=fr"
    assert state.page_url(1) == "/?q=open+data&theme=open-data&ui=fr"
    assert state.url("/api/search") == "/api/search?q=open+data&theme=open-data&page=3&ui=fr"
    assert (
        state.year_url("2015") == "/?q=open+data&theme=open-data&year_from=2015&year_to=2015&ui=fr"
    )


def test_page_numbers_keep_ends_and_a_window():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert page_numbers(2, 4) == [1, 2, 3, 4]


def test_pagination_marks_the_current_page(client):
    total = api(client, "?per_page=2")["total"]
    assert total > 4
    page = html(client.get("/?per_page=2&page=2"))
    nav = page.select_one("nav.pagination")
    current = nav.select('[aria-current="page"]')
    assert len(current) == 1 and current[0].text.split()[-1] == "2"
    assert query_of(nav.select_one('a[rel="prev"]')["href"]) == {"per_page": ["2"]}
    assert query_of(nav.select_one('a[rel="next"]')["href"]) == {"per_page": ["2"], "page": ["3"]}
    assert page.select_one("ol.results")["start"] == "3"


def test_bad_input_is_shown_on_the_page_with_status_400(client):
    response = client.get("/?q=open&per_page=1000")
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("[role=alert]").text.strip()
    assert page.select_one("input#q")["value"] == "open"


class CannedEngine:
    """Answers one fixed result, to test how the page shows rare states."""

    def __init__(self, result: dict):
        self.result = result

    def search(self, query, ui_lang="en"):
        return self.result

    def similar(self, entry_id, limit=5):
        return []

    def close(self):
        pass


def canned_client(home, **changes):
    result = {
        "query": "participaton",
        "total": 0,
        "page": 1,
        "per_page": 10,
        "results": [],
        "facets": {name: [] for name in ("theme", "region", "country", "lang", "type", "year")},
        "suggestion": None,
        "expansion": [],
        "expanded": False,
        **changes,
    }
    return create_app(
        home, {"TESTING": True, "OBSERVATORY_ENGINE": CannedEngine(result)}
    ).test_client()


def test_suggestion_is_a_link_to_the_corrected_search(home):
    client = canned_client(home, suggestion="participation")
    link = html(client.get("/?q=participaton&theme=open-data")).select_one("a.suggestion-link")
    assert link.text == "participation"
    assert query_of(link["href"]) == {"q": ["participation"], "theme": ["open-data"]}


def test_expansion_is_shown_with_a_link_to_turn_it_off(home):
    client = canned_client(
        home,
        query="participation",
        expanded=True,
        expansion=[{"term": "participación", "lang": "es", "concept": "citizen-participation"}],
    )
    page = html(client.get("/?q=participation"))
    assert page.select_one('.expansion span[lang="es"]').text == "participación"
    assert query_of(page.select_one("a.expansion-off")["href"]) == {
        "q": ["participation"],
        "expand": ["0"],
    }
    page = html(canned_client(home).get("/?q=participation&expand=0"))
    assert query_of(page.select_one("a.expansion-on")["href"]) == {"q": ["participation"]}
    assert page.select_one("input[type=hidden][name=expand]")["value"] == "0"


# --- entry page --------------------------------------------------------------------------


def test_entry_page_shows_every_field_extras_and_similar(client, app):
    page = html(client.get("/entries/web-fixture-budget-participatif?ui=fr"))
    assert page.select_one("h1")["lang"] == "fr"
    assert page.select_one("h1").text == "Budget participatif numérique de la ville"
    details = {
        dt.text: dt.find_next_sibling("dd").text.strip() for dt in page.select("dl.details dt")
    }
    assert details["Ville"] == "Lyon"
    assert details["Pays"] == "France"
    assert details["Région"] == "Europe"
    themes = page.find("dt", string="Thèmes").find_next_sibling("dd")
    assert [li.text for li in themes.select("li")] == [
        "Participation citoyenne",
        "Services publics numériques",
    ]
    assert details["Langue"] == "français"
    assert details["Publication"] == "2019-05-01"
    assert details["Organisation"] == "Ville de Lyon"
    assert details["partners"] == "Université, Associations de quartier"
    assert details["funding_note"] == "Budget municipal"
    assert details["Lien permanent"] == "http://localhost/entries/web-fixture-budget-participatif"
    assert (
        page.select_one('a[rel~="external"]')["href"] == "https://example.org/budget-participatif"
    )
    assert len(page.select("p.body")) == 2
    with app.app_context():
        from webui.services import get_services

        similar = get_services().engine.similar("web-fixture-budget-participatif", limit=5)
    assert [
        a["href"].split("/entries/")[1].split("?")[0] for a in page.select(".similar li > a")
    ] == [hit["id"] for hit in similar]
    assert not page.select(".demo-notice")


def test_demo_entries_and_corpus_say_so(client, small_home):
    demo_id = next(
        i
        for i in CorpusStore(client.application.extensions["observatory"].home.corpus_dir).ids()
        if not i.startswith("web-fixture")
    )
    assert html(client.get(f"/entries/{demo_id}")).select(".demo-notice")
    assert html(client.get("/")).select(".demo-notice")
    plain = create_app(small_home, {"TESTING": True}).test_client()
    assert not html(plain.get("/")).select(".demo-notice")


@pytest.mark.parametrize("entry_id", ["web-fixture-draft-entry", "no-such-entry", "BAD..id"])
def test_drafts_and_unknown_entries_are_404_pages(client, entry_id):
    response = client.get(f"/entries/{entry_id}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert html(response).select_one("h1").text == "Page not found"


def test_draft_is_not_listed(client):
    ids = [hit["id"] for hit in api(client, "?q=draft&per_page=100")["results"]]
    assert "web-fixture-draft-entry" not in ids


# --- accessibility and security basics -----------------------------------------------------


def test_landmarks_skip_link_and_labels(client):
    page = html(client.get("/?q=open"))
    assert page.html["lang"] == "en"
    skip = page.select_one("body > a.skip-link")
    assert skip["href"] == "#main" and page.select_one("main#main")
    assert len(page.select("main")) == 1 and page.select_one("header") and page.select_one("footer")
    assert page.select_one("form[role=search]")
    for control in page.select("input:not([type=hidden]), select"):
        assert page.select_one(f'label[for="{control["id"]}"]'), control
    for fieldset in page.select("fieldset"):
        assert fieldset.select_one("legend").text.strip()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/entries/web-fixture-datos-abiertos",
        "/api/search",
        "/api/nowhere",
        "/static/style.css",
        "/nowhere",
    ],
)
def test_security_headers_everywhere(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_security_headers_leave_a_views_own_alone(home):
    from flask import Blueprint

    app = create_app(home, {"TESTING": True})
    extra = Blueprint("embed", __name__)

    @extra.get("/embed")
    def embed():
        return (
            "ok",
            200,
            {"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "frame-ancestors 'self'"},
        )

    app.register_blueprint(extra)
    headers = app.test_client().get("/embed").headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_secret_key_is_made_once_per_home_and_private(small_home):
    first = create_app(small_home).secret_key
    path = small_home.path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert create_app(small_home).secret_key == first
    (small_home.path / "settings.yaml").write_text(
        "secret_key: from-settings-7f3a9c1e5b2d8f4a6c0e\n", "utf-8"
    )
    from observatory.home import Home

    assert create_app(Home(small_home.path)).secret_key == "from-settings-7f3a9c1e5b2d8f4a6c0e"


def test_an_empty_home_serves_an_empty_search(tmp_path):
    """A fresh `observatory serve` before any import: empty answers, not errors (serve builds
    the missing index when it starts; a search alone never builds one)."""
    from indexer.build import ensure_index
    from observatory.home import Home

    home = Home(tmp_path / "empty")
    client = create_app(home, {"TESTING": True}).test_client()
    assert client.get("/").status_code == 503
    assert ensure_index(home) and not ensure_index(home)
    response = client.get("/")
    assert response.status_code == 200
    assert html(response).select_one("#results-heading").text == "0 entries"
    assert client.get("/api/search?q=anything").get_json()["total"] == 0

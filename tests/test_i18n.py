"""The interface in English, French and Spanish: complete catalogs, compiled
files in step with their sources, and the language chosen, kept and shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from observatory import taxonomy

WEBUI = Path(__file__).parent.parent / "webui"
TRANSLATIONS = WEBUI / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def source_messages() -> set:
    """Every message the code and templates ask for, extracted as pybabel would."""
    with open(WEBUI / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEBUI),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        found.add(message)
    return found


def catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_interface_string_is_translated(lang):
    po = catalog(lang)
    wanted = source_messages()
    assert len(wanted) > 50
    for message in wanted:
        found = po.get(message)
        assert found is not None, f"{lang}: missing {message!r}"
        assert not found.fuzzy, f"{lang}: fuzzy {message!r}"
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        assert all(strings), f"{lang}: untranslated {message!r}"
        ids = message if isinstance(message, tuple) else (message,)
        assert {p for s in strings for p in PLACEHOLDER.findall(s)} == set(
            PLACEHOLDER.findall(ids[-1])
        ), message


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_compiled_catalog_matches_its_source(lang):
    """The committed .mo must be recompiled whenever the .po changes (pybabel compile)."""
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        mo = read_mo(handle)
    po = catalog(lang)
    assert messages(mo) == messages(po)


def messages(cat) -> dict:
    """id -> translation, plural ids and forms as tuples (read_mo gives lists)."""
    frozen = lambda value: tuple(value) if isinstance(value, (list, tuple)) else value  # noqa: E731
    return {frozen(m.id): frozen(m.string) for m in cat if m.id}


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.mark.parametrize(
    ("accept", "lang", "heading"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.5", "fr", "Rechercher des bonnes pratiques"),
        ("es-419,es;q=0.8", "es", "Buscar buenas prácticas"),
        ("de-DE,de;q=0.9", "en", "Search good practices"),
        ("pt-BR,pt;q=0.9", "en", "Search good practices"),
        ("", "en", "Search good practices"),
    ],
)
def test_language_comes_from_the_browser(client, accept, lang, heading):
    html = page(client.get("/", headers={"Accept-Language": accept}))
    assert html.html["lang"] == lang
    assert html.select_one("h1").text == heading


def test_switching_sets_a_cookie_that_later_pages_follow(client):
    response = client.get("/?q=open&ui=es", headers={"Accept-Language": "fr"})
    assert "ui=es" in response.headers["Set-Cookie"]
    assert page(response).html["lang"] == "es"
    later = page(
        client.get("/entries/web-fixture-datos-abiertos", headers={"Accept-Language": "fr"})
    )
    assert later.html["lang"] == "es"
    assert later.select_one("#details-heading").text == "Detalles"


def test_switcher_links_keep_the_page_and_its_parameters(client):
    html = page(client.get("/?q=open+data&theme=open-data&ui=fr"))
    links = {a["lang"]: a for a in html.select("nav.lang-switch a")}
    assert set(links) == {"en", "fr", "es"}
    assert links["es"]["href"] == "/?q=open+data&theme=open-data&ui=es"
    assert links["fr"].get("aria-current") == "true" and not links["en"].get("aria-current")
    entry = page(client.get("/entries/web-fixture-datos-abiertos"))
    assert {a["href"] for a in entry.select("nav.lang-switch a")} == {
        f"/entries/web-fixture-datos-abiertos?ui={code}" for code in ("en", "fr", "es")
    }


def test_an_unknown_ui_value_is_ignored(client):
    response = client.get("/?ui=xx", headers={"Accept-Language": "es"})
    assert page(response).html["lang"] == "es"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_facet_labels_come_from_the_taxonomy_in_the_ui_language(client, lang):
    html = page(client.get(f"/?ui={lang}"))
    for box in html.select("fieldset#facet-theme input[type=checkbox]"):
        label = html.select_one(f'label[for="{box["id"]}"]')
        assert label.contents[0].strip() == taxonomy.theme_label(box["value"], lang)
    data = client.get(f"/api/search?ui={lang}").get_json()
    for item in data["facets"]["region"]:
        assert item["label"] == taxonomy.region_label(item["value"], lang)


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Page not found"), ("fr", "Page introuvable"), ("es", "Página no encontrada")],
)
def test_error_pages_speak_the_ui_language(client, lang, title):
    response = client.get(f"/no/such/page?ui={lang}")
    assert response.status_code == 404
    html = page(response)
    assert html.html["lang"] == lang and html.select_one("h1").text == title


def test_plural_forms(client):
    fr = page(client.get("/?q=ampersands&ui=fr")).select_one("#results-heading").text
    assert fr == "1 résultat pour « ampersands »"
    es = page(client.get("/?ui=es")).select_one("#results-heading").text
    assert re.fullmatch(r"\d+ fichas", es)

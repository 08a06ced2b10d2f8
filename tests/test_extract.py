"""Extraction is pure: saved pages in, records out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.charset import decode
from corpus.extract import extract, normalise_date
from corpus.maintext import bs4_main_text
from observatory.cli import cli

SITES = Path(__file__).parent / "fixtures" / "sites"
BASE = "https://city.example"


def page(path: str, **kwargs):
    return extract(decode((SITES / path).read_bytes())[0], f"{BASE}/{path}", **kwargs)


def test_article_with_meta_tags():
    result = page("en/practices/bike-lanes.html")
    assert (result.title, result.published, result.lang, result.canonical, result.summary) == (
        "Protected bike lanes on every arterial road",
        "2021-05-14",
        "en",
        f"{BASE}/en/practices/bike-lanes.html",
        "Riverton separated cyclists from traffic on its main roads and doubled cycling in "
        "three years.",
    )
    assert "forty kilometres of lanes" in result.text
    assert "automatic counters" in result.text
    for boilerplate in ("Privacy", "Cookies", "Related", "Contact"):
        assert boilerplate not in result.text
    assert result.metadata["opengraph"]["og:type"] == "article"


def test_json_ld_gives_title_and_date_and_boilerplate_is_dropped():
    result = page("en/practices/open-budget.html")
    assert (result.title, result.published) == (
        "An open budget portal that residents actually use",
        "2019-11-02",
    )
    assert result.metadata["jsonld"][0]["@type"] == "NewsArticle"
    assert "cookies" not in result.text.lower() and "Share" not in result.text
    assert result.summary.startswith("Every payment made by Riverton since 2015")


def test_time_element_gives_the_date_and_h1_the_fuller_title():
    result = page("en/practices/flood-sensors.html")
    assert (result.title, result.published) == ("Flood sensors along the river", "2022-03-01")


def test_broken_html_still_yields_title_text_and_language():
    result = page("es/practicas/roto.html")
    assert result.title == "Huertos urbanos en azoteas"
    assert result.lang == "es"
    assert "Más de mil personas" in result.text and "retienen el agua de lluvia" in result.text


def test_undeclared_language_is_detected_and_first_paragraph_is_the_summary():
    result = page("fr/pratiques/compostage.html")
    assert (result.declared_lang, result.lang) == ("", "fr")
    assert result.summary.startswith("La ville a installé quarante composteurs")


def test_declared_language_with_region_is_reduced_to_iso_639_1():
    assert page("pt/praticas/saude-digital.html").declared_lang == "pt"


def test_links_and_feed_discovery():
    result = page("en/practices/index.html")
    assert result.feeds == [f"{BASE}/feeds/rss20.xml"]
    assert f"{BASE}/en/practices/open-budget.html" in result.links  # fragment dropped
    assert "https://elsewhere.example.net/practice" in result.links


@pytest.mark.parametrize(
    "raw, date",
    [
        ("2021-05-14T09:00:00Z", "2021-05-14"),
        ("2016-09", "2016-09"),
        ("2020/01/31", "2020-01-31"),
        ("published 2019-13-01", ""),
        ("yesterday", ""),
        (None, ""),
    ],
)
def test_normalise_date(raw, date):
    assert normalise_date(raw) == date


def test_bs4_fallback_keeps_article_and_drops_chrome():
    html = (SITES / "en/practices/bike-lanes.html").read_text("utf-8")
    text = bs4_main_text(html)
    assert "twelve neighbourhood workshops" in text
    assert "Privacy" not in text and "News" not in text


def test_extract_command_prints_json_for_a_file(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "--home",
            str(tmp_path),
            "extract",
            "--json",
            str(SITES / "fr/pratiques/budget-participatif.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (
        data["title"] == "Budget participatif : les habitants décident de 5 % des investissements"
    )
    assert (data["lang"], data["published"]) == ("fr", "")
    assert "mairies de quartier" in data["text"]


def test_extract_command_prints_plain_text(tmp_path):
    result = CliRunner().invoke(
        cli, ["--home", str(tmp_path), "extract", str(SITES / "es/practicas/datos-abiertos.html")]
    )
    assert result.exit_code == 0
    assert "más de trescientos conjuntos de datos" in result.output

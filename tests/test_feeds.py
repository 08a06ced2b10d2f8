"""Feeds of every format become items with links, dates and languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.feeds import FeedItem, NotAFeed, parse_feed
from corpus.sitemaps import NotASitemap, parse_sitemap

SITES = Path(__file__).parent / "fixtures" / "sites"
BASE = "https://news.example"


def items(name: str) -> list[FeedItem]:
    return parse_feed((SITES / "feeds" / name).read_bytes(), f"{BASE}/feeds/{name}")


def test_rss_091():
    assert items("rss091.xml") == [
        FeedItem(
            "La ville ouvre un guichet numérique unique",
            f"{BASE}/fr/actualites/guichet-numerique.html",
            "Toutes les démarches administratives sont désormais accessibles en ligne.",
            "",
            "fr",
        ),
        FeedItem(
            "Données ouvertes",
            f"{BASE}/fr/actualites/donnees-ouvertes.html",
            "Le conseil municipal adopte une politique de données ouvertes.",
            "",
            "fr",
        ),
    ]


def test_rss_10_rdf():
    assert [(i.title, i.link, i.published, i.lang) for i in items("rss10.rdf")] == [
        ("Movilidad sostenible", f"{BASE}/es/noticias/movilidad.html", "2023-02-10", "es"),
        (
            "Un nuevo portal de transparencia para los vecinos",
            f"{BASE}/es/noticias/transparencia.html",
            "2023-03-01",
            "es",
        ),
    ]


def test_rss_20_with_html_summary_and_an_item_without_link():
    assert items("rss20.xml") == [
        FeedItem(
            "Flood sensors",
            f"{BASE}/en/practices/flood-sensors.html",
            "Sixty sensors now watch the river level.",
            "2022-03-01",
            "en",
        ),
        FeedItem(
            "Open budget portal",
            f"{BASE}/en/practices/open-budget.html?utm_source=rss",
            "Every payment since 2015 is online.",
            "2019-11-02",
            "en",
        ),
        FeedItem(
            "Council meeting moved to Thursday",
            "",
            "The council meets on Thursday this week.",
            "2023-03-06",
            "en",
        ),
    ]


def test_atom():
    assert [(i.title, i.link, i.published, i.lang, i.summary) for i in items("atom.xml")] == [
        (
            "Saúde digital",
            f"{BASE}/pt/praticas/saude-digital.html",
            "2024-01-15",
            "pt",
            "Consultas marcadas pelo celular nas unidades de saúde.",
        ),
        (
            "Iluminação pública com lâmpadas LED em todos os bairros",
            f"{BASE}/pt/noticias/iluminacao.html",
            "2023-11-20",
            "pt",
            "A prefeitura trocou 30 mil lâmpadas.",
        ),
    ]


def test_json_feed():
    assert items("feed.json") == [
        FeedItem(
            "Digital twins",
            f"{BASE}/trends/digital-twins.html",
            "Cities build digital copies of their streets.",
            "2024-02-01",
            "en",
        ),
        FeedItem(
            "Datos de movilidad",
            f"{BASE}/trends/datos-movilidad.html",
            "Las ciudades comparten datos de movilidad.",
            "2024-03-05",
            "es",
        ),
        FeedItem(
            "Participatory budgeting keeps growing in Latin America.",
            f"{BASE}/trends/participation.html",
            "Participatory budgeting keeps growing in Latin America.",
            "",
            "en",
        ),
    ]


def test_not_a_feed():
    with pytest.raises(NotAFeed):
        parse_feed(b"<html><body><p>hello</p></body></html>", BASE)


def test_sitemap_index_and_gzipped_sitemap():
    assert parse_sitemap(
        (SITES / "sitemap-index.xml").read_bytes(), f"{BASE}/sitemap-index.xml"
    ) == ([], [f"{BASE}/sitemap-en.xml", f"{BASE}/sitemap-fr.xml.gz"])
    assert parse_sitemap((SITES / "sitemap-fr.xml.gz").read_bytes(), f"{BASE}/s.xml.gz") == (
        [f"{BASE}/fr/pratiques/budget-participatif.html", f"{BASE}/fr/pratiques/compostage.html"],
        [],
    )


def test_sitemap_entities_are_not_expanded_and_other_xml_is_refused():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://a.example/&x;</loc></url></urlset>"
    )
    pages, _ = parse_sitemap(evil, BASE)
    assert all("root:" not in page for page in pages)
    with pytest.raises(NotASitemap):
        parse_sitemap(b"<rss version='2.0'></rss>", BASE)

"""The map at /map: its counts are the search's country facet for the same parameters,
each country links to the search filtered by it, the page needs no script, and the
search page and the map link to each other."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from observatory import taxonomy

QUERIES = ["", "q=open+data", "theme=smart-mobility", "type=practice&lang=es", "country=ES"]


def table_rows(page: str) -> dict[str, tuple[int, str]]:
    """country code -> (count, link) read from the table beside the map."""
    table = re.search(r'<div class="map-table">.*?</table>', page, re.S).group()
    rows = {}
    for href, count in re.findall(
        r'<th scope="row"><a href="([^"]+)">[^<]+</a></th><td>(\d+)</td>', table
    ):
        link = html_lib.unescape(href)
        code = parse_qs(urlsplit(link).query)["country"][0]
        rows[code] = (int(count), link)
    return rows


@pytest.mark.parametrize("query", QUERIES)
def test_map_counts_equal_the_country_facet(client, query):
    page = client.get(f"/map?{query}&ui=en").get_data(as_text=True)
    api = client.get(f"/api/search?{query}").get_json()
    facet = {f["value"]: f["count"] for f in api["facets"]["country"] if f["count"]}
    facet.pop("xx", None)
    counts = {code: count for code, (count, _link) in table_rows(page).items()}
    assert counts == facet
    assert counts  # the demo corpus has countries for each of these searches


def test_each_country_links_to_the_search_filtered_by_it(client):
    page = client.get("/map?q=open+data&type=practice&ui=en").get_data(as_text=True)
    rows = table_rows(page)
    for code, (_count, link) in rows.items():
        parts = urlsplit(link)
        args = parse_qs(parts.query)
        assert parts.path == "/"
        assert args["country"] == [code] and args["q"] == ["open data"]
        assert args["type"] == ["practice"]
    code, (count, link) = next(iter(rows.items()))
    answer = client.get(f"/api/search?{urlsplit(link).query}&per_page=100").get_json()
    assert answer["total"] >= count  # (a search with few matches adds partial ones)
    assert {result["country"] for result in answer["results"]} == {code}
    svg = re.search(r"<svg[^>]*class=\"world-map\".*?</svg>", page, re.S).group()
    linked = set(re.findall(r'<a href="[^"]*country=([A-Z]{2})[^"]*"', svg))
    assert linked == set(rows)  # every country with entries is a link on the map too


def test_map_is_drawn_without_script_and_named(client):
    page = client.get("/map?ui=en").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*class=\"world-map\".*?</svg>", page, re.S).group()
    assert 'role="img"' in svg and 'aria-labelledby="map-title map-desc"' in svg
    assert "<script" not in svg and "style=" not in svg  # the CSP forbids inline code and styles
    assert svg.count("<path") > 150  # the countries of the world, drawn
    spain = re.search(r'<a href="[^"]*country=ES[^"]*" aria-label="Spain: (\d+)">', svg)
    assert spain and int(spain.group(1)) == table_rows(page)["ES"][0]


def test_shading_grows_with_the_count(client):
    from webui import worldmap

    ranges = worldmap.classes(120)
    shades = [worldmap.shade(n, ranges) for n in (1, 5, 20, 120)]
    assert worldmap.shade(0, ranges) == worldmap.EMPTY
    assert [worldmap.SHADES.index(s) for s in shades] == sorted(
        worldmap.SHADES.index(s) for s in shades
    )
    assert shades[0] != shades[-1]


def test_every_shape_is_a_known_country():
    from webui import worldmap

    world = worldmap.world()
    assert len(world["countries"]) > 170
    codes = set(world["countries"]) | set(world["points"])
    unknown = {code for code in codes if not taxonomy.is_country(code)}
    assert unknown == {"XK"}  # Kosovo: a user-assigned code, drawn but never counted
    assert "SG" in world["points"]  # too small to draw at 1:110m, placed at its capital


def test_search_and_map_link_to_each_other(client):
    search = client.get("/?q=open+data&theme=open-data&ui=en").get_data(as_text=True)
    link = html_lib.unescape(
        re.search(r'<a href="(/map\?[^"]+)">Map of this search', search).group(1)
    )
    assert parse_qs(urlsplit(link).query) == {
        "q": ["open data"],
        "theme": ["open-data"],
        "ui": ["en"],
    }
    page = client.get(link).get_data(as_text=True)
    back = html_lib.unescape(re.search(r'<a href="([^"]+)">Back to the search', page).group(1))
    assert urlsplit(back).path == "/"
    assert parse_qs(urlsplit(back).query) == parse_qs(urlsplit(link).query)


def test_map_speaks_the_interface_language(client):
    page = client.get("/map?ui=fr").get_data(as_text=True)
    assert ">Espagne</a>" in page


def test_bad_parameters_are_a_400_page(client):
    response = client.get("/map?theme=no-such-theme&ui=en")
    assert response.status_code == 400
    assert "no-such-theme" in response.get_data(as_text=True)

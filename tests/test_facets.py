"""Facet counts checked against counts computed independently from the corpus files.

Disjunctive, as the contract defines them: the counts of one facet are computed
with the filters of every other facet applied, and not its own.
"""

from collections import Counter

import pytest
import yaml

from corpus.importers import demo_folder, import_paths
from corpus.store import CorpusStore
from indexer.build import update_index
from indexer.search import SearchEngine, SearchQuery
from observatory.home import Home

FACET_KEYS = {
    "theme": "themes",
    "region": "region",
    "country": "country",
    "lang": "lang",
    "type": "type",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = Home(tmp_path_factory.mktemp("facets"))
    import_paths(CorpusStore(home.corpus_dir), [demo_folder()])
    update_index(home)
    records = [yaml.safe_load(p.read_text()) for p in sorted(home.corpus_dir.glob("*.yaml"))]
    with SearchEngine(home) as engine:
        yield engine, [r for r in records if r.get("status", "published") == "published"]


def values_of(record, facet):
    if facet == "year":
        published = str(record.get("published") or "")
        return [published[:4]] if published else []
    value = record.get(FACET_KEYS[facet])
    if isinstance(value, list):
        return value
    return [value] if value else []


def matches(record, filters, year_range, skip=None):
    for facet, chosen in filters.items():
        if facet != skip and not set(values_of(record, facet)) & set(chosen):
            return False
    if year_range and skip != "year":
        low, high = year_range
        years = values_of(record, "year")
        if not years or not low <= int(years[0]) <= high:
            return False
    return True


def expected_counts(records, filters, year_range):
    counts = {}
    for facet in ("theme", "region", "country", "lang", "type", "year"):
        counter = Counter()
        for record in records:
            if matches(record, filters, year_range, skip=facet):
                counter.update(values_of(record, facet))
        counts[facet] = {v: n for v, n in counter.items() if n}
    return counts


COMBINATIONS = [
    ({}, None),
    ({"theme": ["open-data"]}, None),
    ({"theme": ["open-data", "citizen-participation"]}, None),
    ({"theme": ["citizen-participation"], "lang": ["pt", "es"]}, None),
    ({"region": ["europe", "latin-america"], "type": ["practice"]}, None),
    ({"type": ["trend"], "lang": ["fr"]}, (2020, 2026)),
    (
        {
            "theme": ["smart-mobility", "environment-energy"],
            "region": ["africa", "asia-pacific", "europe"],
        },
        (2010, 2030),
    ),
]


@pytest.mark.parametrize("filters, year_range", COMBINATIONS)
def test_counts_equal_independent_counts(demo, filters, year_range):
    engine, records = demo
    args = {facet: list(values) for facet, values in filters.items()}
    if year_range:
        args["year_from"], args["year_to"] = [str(year_range[0])], [str(year_range[1])]
    result = engine.search(SearchQuery.from_args(args))
    expected = expected_counts(records, filters, year_range)
    for facet, items in result["facets"].items():
        got = {item["value"]: item["count"] for item in items if item["count"]}
        assert got == expected[facet], facet
        for item in items:
            if facet != "year":
                assert item["selected"] == (item["value"] in filters.get(facet, []))
    total = sum(1 for r in records if matches(r, filters, year_range))
    assert result["total"] == total


def test_selected_value_with_no_match_is_still_listed(demo):
    engine, _ = demo
    result = engine.search(SearchQuery.from_args({"q": ["zzzzqqq"], "theme": ["water-waste"]}))
    theme = {item["value"]: item for item in result["facets"]["theme"]}
    assert theme["water-waste"]["selected"] and theme["water-waste"]["count"] == 0

"""The benchmark code cannot rot: the generator and the FTS5 baseline on 200 entries.

No timing is asserted; only that the outputs are well-formed.
"""

from __future__ import annotations

import json

from bench import generate
from bench.common import percentiles
from bench.fts5_baseline import Fts5Search, build, match_expression, read_files
from bench.queries import as_path, query_set
from observatory.entry import entry_from_mapping


def test_generator_is_seeded_and_entries_are_valid(tmp_path):
    first = list(generate.entries(200, seed=3))
    assert first == list(generate.entries(200, seed=3))
    assert len({e["id"] for e in first}) == 200
    assert {e["lang"] for e in first} == {"en", "fr", "es", "pt"}
    for raw in first:
        entry = entry_from_mapping(raw, detect_language=False)
        words = len(f"{entry.title} {entry.summary} {entry.body}".split())
        assert 120 <= words <= 400, (entry.id, words)
    files = generate.write(200, tmp_path / "data", seed=3)
    assert [p.suffix for p in files] == [".json"]
    assert list(read_files(tmp_path / "data")) == first


def test_fts5_baseline_answers_the_api_shape(tmp_path):
    db = tmp_path / "fts.db"
    assert build(db, generate.entries(200)) == 200
    engine = Fts5Search(db)
    for args in query_set():
        answer = engine.search(args)
        assert set(answer) == {
            "query",
            "total",
            "page",
            "per_page",
            "results",
            "facets",
            "suggestion",
        }
        assert set(answer["facets"]) == {"theme", "region", "country", "lang", "type", "year"}
        assert len(answer["results"]) <= answer["per_page"]
        json.dumps(answer)
    everything = engine.search({})
    assert everything["total"] == sum(
        1 for e in generate.entries(200) if e["status"] == "published"
    )
    by_region = {f["value"]: f["count"] for f in everything["facets"]["region"]}
    assert sum(by_region.values()) == everything["total"]
    filtered = engine.search({"region": ["europe"]})
    # disjunctive: the region counts ignore the region filter itself
    assert {f["value"]: f["count"] for f in filtered["facets"]["region"]} == by_region
    assert filtered["total"] == by_region["europe"]


def test_query_helpers():
    assert match_expression('open data "plano diretor"') == '"open" "data" "plano diretor"'
    assert (
        as_path({"q": ["open data"], "theme": ["a", "b"]})
        == "/api/search?q=open+data&theme=a&theme=b"
    )
    assert percentiles([1.0, 2.0, 3.0, 4.0])["p50"] == 2.0
    assert percentiles([])["n"] == 0

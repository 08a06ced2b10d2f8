"""The numpy scorer (indexer/scoring.py) gives Whoosh's own BM25F scores, bit for bit,
on a real index with several segments and deleted documents, and the same top N as
Whoosh's exhaustive ranking: words in every language, concepts, phrases."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from whoosh import query as wq

from corpus.store import CorpusStore
from indexer.scoring import POSTINGS, plain_query, top_scores
from indexer.search import SearchEngine, SearchQuery
from tests.conftest import make_home

QUERIES = [
    "budget",
    "participatory budgeting",
    "données ouvertes",
    "transporte público",
    "energy efficiency buildings",
    "open data",
    "orçamento participativo",
    "noise",
    "water leak detection",
    "bike sharing city",
    "vivienda",
    "smart",
    '"open data"',
    '"budget participatif"',
    '"participatory budgeting" city',
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """The demo corpus indexed, then edited three times: small segments beside the big
    one, whose edited documents are deleted (still in its postings)."""
    home = make_home(tmp_path_factory.mktemp("scoring") / "home", demo=True)
    store = CorpusStore(home.corpus_dir)
    with SearchEngine(home) as engine:
        for entry_id in store.ids()[:3]:
            entry = store.get(entry_id)
            changed = entry.evolve(title=f"{entry.title} budget open data")
            store.put(changed, expected_version=entry.version)
            engine.index_entries([changed])
        yield engine


def _whoosh_top(searcher, query, allowed: np.ndarray, limit: int):
    """Whoosh's exhaustive ranking (no limit: its top-N pruning drops parts of scores)."""
    hits = searcher.search(query, filter=set(np.flatnonzero(allowed).tolist()), limit=None)
    return [(hit.docnum, hit.score) for hit in hits][:limit]


def test_the_index_has_several_segments_and_deletions(engine):
    searcher, _ = engine._current()
    leaves = searcher.reader().leaf_readers()
    assert len(leaves) >= 2
    assert any(leaf.has_deletions() for leaf, _ in leaves)


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filtered", [False, True])
def test_scores_and_order_equal_whoosh(engine, text, filtered):
    searcher, tables = engine._current()
    query = SearchQuery.from_args({"q": [text], **({"lang": ["en", "es"]} if filtered else {})})
    plan = engine._plan(searcher, tables, query)
    everything, _, _ = engine._apply(plan, engine._filter_masks(tables, query))
    assert plain_query(plan.scoring)
    assert everything.any()
    expected = _whoosh_top(searcher, plan.scoring, everything, 100)
    docnums, scores = top_scores(searcher, plan.scoring, everything, 100)
    assert list(zip(docnums.tolist(), scores.tolist(), strict=True)) == expected


def test_boosts_nested_ors_and_single_clause_ors_as_whoosh(engine):
    """Or of one clause ignores its boost; a boosted Or of two sums then multiplies."""
    searcher, tables = engine._current()
    term = wq.Term("title_en", "budget", boost=3.0)
    queries = [
        wq.Or([term], boost=2.5),
        wq.Or([term, wq.Term("body_en", "budget")], boost=2.5),
        wq.Or([wq.Or([term, wq.Term("concepts", "participatory-budgeting")], boost=0.5), term]),
        wq.Term("tags", "budget"),
    ]
    for query in queries:
        expected = _whoosh_top(searcher, query, tables.alive, 50)
        docnums, scores = top_scores(searcher, query, tables.alive, 50)
        assert expected
        assert list(zip(docnums.tolist(), scores.tolist(), strict=True)) == expected


def test_other_queries_are_left_to_whoosh(engine):
    searcher, tables = engine._current()
    for query in (
        wq.Or([wq.Term("body_en", "data"), wq.FuzzyTerm("spell_en", "budgt")]),
        wq.And([wq.Term("body_en", "data"), wq.Term("body_en", "open")]),
    ):
        assert not plain_query(query)
        assert top_scores(searcher, query, tables.alive, 10) is None


def test_search_answers_are_unchanged_by_the_posting_cache(engine):
    """The cache keeps raw postings per segment: emptied, the answers are the same."""
    queries = [SearchQuery.from_args({"q": [text]}) for text in QUERIES]
    warm = [engine.search(query) for query in queries]
    POSTINGS.clear()
    cold = [engine.search(query) for query in queries]
    assert yaml.safe_dump(warm) == yaml.safe_dump(cold)
    assert POSTINGS.size > 0

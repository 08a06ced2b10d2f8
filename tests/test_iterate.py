"""`SearchEngine.iterate`: a whole result set in one ranking, read once (exports, the review
queue), the same results in the same order as the pages of `search`."""

from indexer.search import SearchEngine, SearchQuery


def ids(results) -> list[str]:
    return [hit["id"] for hit in results]


def paged(engine, args: dict, per_page: int = 7) -> list[str]:
    found, page = [], 1
    while True:
        query = SearchQuery.from_args({**args, "per_page": [str(per_page)], "page": [str(page)]})
        result = engine.search(query)
        found += ids(result["results"])
        if page * per_page >= result["total"]:
            return found
        page += 1


def test_iterate_gives_every_page_in_order(home):
    with SearchEngine(home) as engine:
        for args in ({}, {"theme": ["open-data"]}, {"q": ["participatory budgeting"]}):
            every = list(engine.iterate(SearchQuery.from_args(args)))
            assert ids(every) == paged(engine, args)
            assert len(every) == engine.search(SearchQuery.from_args(args))["total"] > 0


def test_iterate_stops_at_the_limit_and_leaves_snippets_out_unless_asked(home):
    with SearchEngine(home) as engine:
        query = SearchQuery.from_args({"q": ["participatory budgeting"]})
        first = list(engine.iterate(query, limit=3))
        assert ids(first) == paged(engine, {"q": ["participatory budgeting"]})[:3]
        assert {hit["highlight"] for hit in first} == {""}
        marked = list(engine.iterate(query, limit=3, snippets=True))
        assert any("<mark>" in hit["highlight"] for hit in marked)
        page = engine.search(SearchQuery.from_args({"q": ["participatory budgeting"]}))
        assert [h["highlight"] for h in marked] == [h["highlight"] for h in page["results"][:3]]


def test_iterate_shows_drafts_only_when_asked(home):
    with SearchEngine(home) as engine:
        query = SearchQuery.from_args({})
        published = {hit["status"] for hit in engine.iterate(query)}
        query.include_drafts = True
        every = list(engine.iterate(query))
    assert published == {"published"}
    assert {hit["status"] for hit in every} == {"published", "draft"}

"""Watching saved searches: what a search matches now, and what is new to a viewer.

Records come newest first straight from the index (no paging through
results), capped at `MAX_TRACKED`; "new" is what matches now and did not at
the viewer's last look (corpus.saved_searches explains why by membership).
"""

from __future__ import annotations

import json

import numpy as np

from corpus.saved_searches import DIGEST, MAX_TRACKED, SavedSearch, SavedSearches
from indexer.search import SearchEngine, SearchQuery

RECORD_FIELDS = (
    "id",
    "type",
    "title",
    "summary",
    "lang",
    "city",
    "country",
    "region",
    "themes",
    "year",
    "published",
    "url",
)


def query_of(saved: SavedSearch) -> SearchQuery:
    return SearchQuery.from_args(saved.args)


def matching_records(
    engine: SearchEngine, query: SearchQuery, limit: int = MAX_TRACKED
) -> list[dict]:
    """The entries `query` matches, newest first (then by index order), at most `limit`."""

    def read(searcher, tables, mask):
        docs = np.flatnonzero(mask)
        docs = docs[np.lexsort((docs, -tables.pubkey[docs]))][:limit]
        records = []
        for docnum in docs.tolist():
            data = json.loads(searcher.stored_fields(docnum)["data"])
            records.append({name: data.get(name) for name in RECORD_FIELDS})
        return records

    return engine.matching(query, read)


def new_records(records: list[dict], seen: tuple[float, set[str]] | None) -> list[dict]:
    """Records not among those seen (all of them when the viewer never looked)."""
    if seen is None:
        return list(records)
    return [r for r in records if r["id"] not in seen[1]]


def save_search(
    engine: SearchEngine,
    store: SavedSearches,
    user_id: int,
    viewer: str,
    name: str,
    args: dict[str, list[str]],
    *,
    public: bool = False,
) -> SavedSearch:
    """Save a search (validated first) and count what it matches now as seen, by its owner
    and by the digest: "new" starts from the moment it was saved."""
    query = SearchQuery.from_args(args)
    saved = store.create(user_id, name, args, public=public)
    ids = [r["id"] for r in matching_records(engine, query)]
    store.mark_seen(saved.id, viewer, ids)
    store.mark_seen(saved.id, DIGEST, ids)
    return saved


def status(engine: SearchEngine, store: SavedSearches, saved: SavedSearch, viewer: str) -> dict:
    """How many entries a saved search matches, and how many are new to `viewer`."""
    records = matching_records(engine, query_of(saved))
    seen = store.seen(saved.id, viewer)
    return {
        "search": saved,
        "total": len(records),
        "new": len(new_records(records, seen)),
        "last_seen": seen[0] if seen else None,
    }


def visit(engine: SearchEngine, store: SavedSearches, saved: SavedSearch, viewer: str) -> list[str]:
    """Record that `viewer` looks at the search now; returns the ids that were new to them."""
    records = matching_records(engine, query_of(saved))
    fresh = [r["id"] for r in new_records(records, store.seen(saved.id, viewer))]
    store.mark_seen(saved.id, viewer, [r["id"] for r in records])
    return fresh

"""Where the entries of a search are: counts per country, for the map at /map.

The counts are the search page's country facet: every other filter applied,
the country filter itself left out (so the map still shows the other
countries when one is chosen), counted over every match with the engine's
facet columns, not over a page of results.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from indexer.search import SearchEngine, SearchQuery


@dataclass
class Where:
    counts: dict[str, int]  # country code -> matching entries
    total: int  # entries counted (with or without a country)
    places: list[tuple[str, float, float, int]] = field(default_factory=list)  # dots


def country_counts(engine: SearchEngine, query: SearchQuery) -> Where:
    """Matching entries per country, the country filter aside."""
    wider = replace(query, filters={k: v for k, v in query.filters.items() if k != "country"})

    def count(_searcher, tables, mask) -> Where:
        counts = {c: n for c, n in tables.counts("country", mask).items() if c != "xx"}
        return Where(counts=counts, total=int(mask.sum()))

    return engine.matching(wider, count)

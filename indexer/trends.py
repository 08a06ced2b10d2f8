"""Entries per period and facet value, counted with numpy from the facet columns.

The counts of `GET /api/trends` (contract section 5): for the documents a
query matches, how many have each value of one facet in each year or month
of their `published` date. Periods run without gaps from the first to the
last one that has an entry, so a chart's axis is regular; an entry without a
date (or, for months, whose date has no month) is counted in `undated`.
"""

from __future__ import annotations

import numpy as np

from indexer.facets import FacetTables, field_of
from indexer.search import SearchEngine, SearchQuery
from observatory import facets
from observatory.errors import QueryError

INTERVALS = ("year", "month")


def trend_facets() -> tuple[str, ...]:
    """The facets trends split by (declared with `trend=True` in observatory.facets)."""
    return tuple(f.name for f in facets.trend())


def check(facet: str, interval: str) -> None:
    """QueryError (a 400 on the web) for a facet or interval trends do not offer."""
    offered = trend_facets()
    if facet not in offered:
        raise QueryError(f"facet must be one of {', '.join(offered)}, not {facet[:20]!r}")
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}, not {interval[:20]!r}")


def period_keys(pubkey: np.ndarray, interval: str) -> np.ndarray:
    """A sortable integer per document (year, or year*12 + month-1); -1 when it has none."""
    year = pubkey // 10000
    if interval == "year":
        return np.where(year > 0, year, -1)
    month = (pubkey // 100) % 100
    return np.where((year > 0) & (month > 0), year * 12 + month - 1, -1)


def period_name(key: int, interval: str) -> str:
    if interval == "year":
        return f"{key:04d}"
    return f"{key // 12:04d}-{key % 12 + 1:02d}"


def count_series(
    tables: FacetTables, mask: np.ndarray, facet: str, interval: str, ui_lang: str = "en"
) -> dict:
    """The contract's trends object for the documents in `mask`."""
    check(facet, interval)
    keys = period_keys(tables.pubkey, interval)
    dated = mask & (keys >= 0)
    answer = {
        "facet": facet,
        "interval": interval,
        "series": [],
        "periods": [],
        "undated": int((mask & (keys < 0)).sum()),
    }
    if not dated.any():
        return answer
    first, last = int(keys[dated].min()), int(keys[dated].max())
    width = last - first + 1
    offsets = keys - first
    field = field_of(facet)
    values = tables.codes[field].values
    per_value: dict[str, np.ndarray] = {}
    if field in tables.multi:
        matrix = tables.multi[field]
        for code in range(matrix.shape[1]):
            docs = dated & matrix[:, code]
            if docs.any():
                per_value[values[code]] = np.bincount(offsets[docs], minlength=width)
    else:
        column = tables.single[field]
        docs = dated & (column >= 0)
        flat = np.bincount(
            column[docs].astype(np.int64) * width + offsets[docs], minlength=len(values) * width
        ).reshape(len(values), width)
        per_value = {values[c]: flat[c] for c in range(len(values)) if flat[c].any()}
    names = [period_name(first + i, interval) for i in range(width)]
    series = [
        {
            "value": value,
            "label": facets.label(facet, value, ui_lang),
            "total": int(counts.sum()),
            "points": [{"period": p, "count": int(n)} for p, n in zip(names, counts, strict=True)],
        }
        for value, counts in per_value.items()
        if value != "xx"
    ]
    series.sort(key=lambda s: (-s["total"], s["label"].lower()))
    answer.update(series=series, periods=names)
    return answer


def trends(
    engine: SearchEngine, query: SearchQuery, facet: str, interval: str, ui_lang: str = "en"
) -> dict:
    """Count the entries `query` matches per `facet` value and period."""
    check(facet, interval)
    return engine.matching(
        query, lambda _searcher, tables, mask: count_series(tables, mask, facet, interval, ui_lang)
    )

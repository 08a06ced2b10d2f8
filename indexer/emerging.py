"""What is emerging: terms and thesaurus concepts whose share of recent entries rose most.

The statistic (docs/trends.md gives it with examples):

- the *recent* window is the last `recent` years (default 2) up to `until`
  (default: the latest publication year in the index); the *previous* window
  is the `previous` years (default 4) just before it;
- for each term or concept, r and p are how many matching entries of each
  window contain it, out of R and P entries in the windows;
- its lift is the smoothed log-ratio of shares, log2(((r + ½) / (R + 1)) /
  ((p + ½) / (P + 1))): the ½ keeps a term absent before from dividing by zero
  and damps small counts;
- it is emerging when r >= `min_count` (default 3: support, so one-off words
  do not win) and lift >= `min_lift` (default 1: its share at least doubled).

Concepts come from the index's `concepts` field (thesaurus matches and
themes; themes are left out, the trends chart shows those). Terms are the
non-stop words of titles and summaries, and pairs of adjacent ones, grouped
by their stem so "sensor" and "sensors" count once; each is shown in the form
most often written. Per-document features are cached for each searcher.
"""

from __future__ import annotations

import json
import math
import weakref
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np

from indexer.analysis import word_forms, words
from indexer.facets import FacetTables
from indexer.search import SearchEngine, SearchQuery
from observatory import taxonomy
from observatory.errors import QueryError

MIN_WORD = 3  # shorter words (and numbers) are not terms


@dataclass(frozen=True)
class Window:
    """The windows and thresholds of the statistic."""

    recent: int = 2
    previous: int = 4
    min_count: int = 3
    min_lift: float = 1.0
    until: int | None = None
    limit: int = 10

    def __post_init__(self):
        if not 1 <= self.recent <= 50 or not 1 <= self.previous <= 100:
            raise QueryError("recent must be 1-50 years and previous 1-100 years")
        if self.min_count < 1 or self.limit < 1:
            raise QueryError("min_count and limit must be at least 1")


def lift(r: int, big_r: int, p: int, big_p: int) -> float:
    """The smoothed log2 ratio of a term's share of recent entries to its share before."""
    return math.log2(((r + 0.5) / (big_r + 1)) / ((p + 0.5) / (big_p + 1)))


class _Features:
    """Per-document concepts (from postings) and terms (from stored text) of one searcher."""

    def __init__(self, searcher, size: int):
        self.searcher = searcher
        self.concept_docs: dict[str, np.ndarray] = {}
        reader = searcher.reader()
        if "concepts" in reader.schema:
            for term in reader.lexicon("concepts"):
                concept = term.decode("utf-8") if isinstance(term, bytes) else term
                if concept not in taxonomy.THEME_IDS:
                    docs = np.fromiter(reader.postings("concepts", term).all_ids(), dtype=np.int64)
                    self.concept_docs[concept] = docs
        self._terms: dict[int, frozenset[str]] = {}
        self.surface: dict[str, Counter] = {}

    def terms_of(self, docnum: int) -> frozenset[str]:
        found = self._terms.get(docnum)
        if found is None:
            data = json.loads(self.searcher.stored_fields(docnum)["data"])
            found = self._terms[docnum] = frozenset(
                self._extract(data.get("title", ""), data.get("lang", ""))
                | self._extract(data.get("summary", ""), data.get("lang", ""))
            )
        return found

    def _extract(self, text: str, lang: str) -> set[str]:
        keys: set[str] = set()
        previous: tuple[str, str, int] | None = None  # (key, word, position)
        for position, (_, _, word) in enumerate(words(text)):
            forms = word_forms(word, lang) if len(word) >= MIN_WORD and not word.isdigit() else ()
            if not forms:
                previous = None
                continue
            key = forms[0]
            self._seen(key, word)
            keys.add(key)
            if previous is not None and previous[2] == position - 1:
                pair = f"{previous[0]} {key}"
                self._seen(pair, f"{previous[1]} {word}")
                keys.add(pair)
            previous = (key, word, position)
        return keys

    def _seen(self, key: str, written: str) -> None:
        self.surface.setdefault(key, Counter())[written] += 1

    def written(self, key: str) -> str:
        return self.surface[key].most_common(1)[0][0]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _features(searcher, tables: FacetTables) -> _Features:
    found = _CACHE.get(tables)
    if found is None or found.searcher is not searcher:
        found = _CACHE[tables] = _Features(searcher, tables.size)
    return found


def _rank(counts: list[tuple[str, int, int]], big_r: int, big_p: int, window: Window) -> list[dict]:
    items = []
    for key, r, p in counts:
        if r < window.min_count:
            continue
        score = lift(r, big_r, p, big_p)
        if score >= window.min_lift:
            items.append(
                {
                    "key": key,
                    "recent": r,
                    "previous": p,
                    "lift": round(score, 3),
                    "recent_share": round(r / big_r, 4) if big_r else 0.0,
                    "previous_share": round(p / big_p, 4) if big_p else 0.0,
                }
            )
    items.sort(key=lambda item: (-item["lift"], -item["recent"], item["key"]))
    return items[: window.limit]


def _as_query(text: str) -> str:
    return f'"{text}"' if " " in text else text


def find_emerging(
    searcher,
    tables: FacetTables,
    mask: np.ndarray,
    window: Window,
    concept_label,
    ui_lang: str = "en",
) -> dict:
    """The emerging concepts and terms among the documents in `mask`."""
    known = tables.year[tables.alive & (tables.year > 0)]
    until = window.until or (int(known.max()) if known.size else 0)
    recent_from = until - window.recent + 1
    previous_from = recent_from - window.previous
    recent = mask & (tables.year >= recent_from) & (tables.year <= until)
    before = mask & (tables.year >= previous_from) & (tables.year < recent_from)
    big_r, big_p = int(recent.sum()), int(before.sum())
    features = _features(searcher, tables)

    concept_counts = [
        (c, int(recent[docs].sum()), int(before[docs].sum()))
        for c, docs in features.concept_docs.items()
    ]
    concepts = _rank(concept_counts, big_r, big_p, window)
    for item in concepts:
        item["label"] = concept_label(item["key"], ui_lang)
        item["q"] = _as_query(item["label"])

    in_recent, in_before = Counter(), Counter()
    for docnum in np.flatnonzero(recent).tolist():
        in_recent.update(features.terms_of(docnum))
    for docnum in np.flatnonzero(before).tolist():
        in_before.update(features.terms_of(docnum))
    terms = _rank([(k, r, in_before.get(k, 0)) for k, r in in_recent.items()], big_r, big_p, window)
    for item in terms:
        item["label"] = features.written(item["key"])
        item["q"] = _as_query(item["label"])
    return {
        "window": dict(asdict(window), until=until),
        "recent_years": [recent_from, until],
        "previous_years": [previous_from, recent_from - 1],
        "recent_total": big_r,
        "previous_total": big_p,
        "concepts": concepts,
        "terms": terms,
    }


def emerging(
    engine: SearchEngine, query: SearchQuery, window: Window | None = None, ui_lang: str = "en"
) -> dict:
    """What is emerging among the entries `query` matches."""
    window = window or Window()

    def label(concept_id: str, lang: str) -> str:
        concept = engine.matcher.concepts.get(concept_id)
        return concept.label(lang) if concept else concept_id

    return engine.matching(
        query,
        lambda searcher, tables, mask: find_emerging(
            searcher, tables, mask, window, label, ui_lang
        ),
    )

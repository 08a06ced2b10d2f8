"""Searching: one query model (from URL arguments or command-line options) and
one engine that answers it with the object of the contract's `/api/search`.

The engine owns the process's Whoosh searcher and facet tables, refreshes
them when the index changes (another process's write, or a swap after a
rebuild), and writes entries through to the index for editors' saves.
"""

from __future__ import annotations

import json
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from indexer.analysis import analyse
from indexer.build import COMPLETE_MARK, index_exists, index_matcher, write_through
from indexer.facets import FacetTables, ValueCodes
from indexer.highlight import highlight, target_forms
from indexer.matching import RELAX_BELOW, QueryPlan, plan_query
from indexer.proximity import proximity_factor
from indexer.query_model import MAX_PAGE, MAX_PER_PAGE, SearchQuery  # noqa: F401 (re-exported)
from indexer.schema import PART_BOOSTS
from indexer.scoring import one_search, top_scores
from indexer.version import stale_parts
from observatory import facets as declared
from observatory import taxonomy
from observatory.entry import Entry
from observatory.errors import IndexMissing, NotFound
from observatory.home import Home

TREND_FACTOR = 0.6  # practices first, unless the query asks for trends (dev set: 0.85 -> 0.6, nDCG 0.850 -> 0.860)
OWN_LANGUAGE_FACTOR = 1.05  # a gentle preference for the reader's language on near-ties
RERANK_DEPTH = 100
COVERAGE_POWER = 2  # a result with half the words scores a quarter
TREND_WORDS = {
    "trend",
    "trends",
    "tendance",
    "tendances",
    "tendencia",
    "tendencias",
    "tendência",
    "tendências",
    "article",
    "articles",
    "artículo",
    "artigo",
}
T = TypeVar("T")


class SearchEngine:
    """One per process; thread-safe; cheap to call, expensive to create."""

    def __init__(self, home: Home):
        self.home = home
        self._lock = threading.RLock()
        self._ix = None
        self._ix_mark: tuple | None = None
        self._searcher = None
        self._tables: FacetTables | None = None
        self._codes: dict[str, ValueCodes] = defaultdict(ValueCodes)  # per facet field
        self._segments: dict = {}
        self._matcher = None
        self._matcher_mark: int | None = None

    # --- lifecycle -------------------------------------------------------------
    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self._tables = None
            if self._ix is not None:
                self._ix.close()
            self._ix = None

    @property
    def matcher(self):
        """The thesaurus the live index was built with (its copy), reloaded after a rebuild:
        queries never use concepts its documents were not indexed with."""
        path = self.home.thesaurus_path
        complete = self.home.index_dir / COMPLETE_MARK
        mark = (
            self._index_mark() if complete.exists() else None,
            path.stat().st_mtime_ns if path.exists() else None,
        )
        if self._matcher is None or mark != self._matcher_mark:
            self._matcher = index_matcher(self.home)
            self._matcher_mark = mark
        return self._matcher

    def stale_parts(self) -> list[str]:
        """What the live index was built with that differs now (indexer/version.py:
        'schema', 'analysis', 'thesaurus'); ['missing'] when there is no index."""
        return stale_parts(self.home) if index_exists(self.home) else ["missing"]

    def _index_mark(self) -> tuple:
        stat = (self.home.index_dir / COMPLETE_MARK).stat()
        return (stat.st_ino, stat.st_mtime_ns)

    def _current(self):
        """The up-to-date searcher and facet tables (reopened after a swap, refreshed after a
        write); IndexMissing when there is no index: reading never builds one."""
        with self._lock:
            if not index_exists(self.home):
                raise IndexMissing(str(self.home.path))
            mark = self._index_mark()
            if self._ix is None or mark != self._ix_mark:
                self.close()
                self._ix = whoosh_index.open_dir(str(self.home.index_dir))
                self._ix_mark = mark
                self._segments.clear()
            if self._searcher is None:
                self._searcher = self._ix.searcher(weighting=BM25F())
            elif not self._searcher.up_to_date():
                # A fresh searcher rather than refresh(): Whoosh's refresh fails on an
                # index that was empty; unchanged segments are still reused by our cache.
                self._searcher.close()
                self._searcher = self._ix.searcher(weighting=BM25F())
                self._tables = None
            if self._tables is None:
                self._tables = FacetTables(self._searcher, self._codes, self._segments)
            return self._searcher, self._tables

    # --- writing through ---------------------------------------------------------
    def index_entries(self, entries: Iterable[Entry], deleted_ids: Iterable[str] = ()) -> None:
        """Index these stored entries now: they are in search results when this returns."""
        write_through(self.home, list(entries), deleted_ids, self.matcher)
        with self._lock:
            self._current()

    # --- searching ---------------------------------------------------------------
    def search(self, query: SearchQuery, ui_lang: str = "en") -> dict:
        with self._lock:
            searcher, tables = self._current()
            with one_search():
                return self._search(searcher, tables, query, ui_lang)

    def _plan(
        self, searcher, tables: FacetTables, query: SearchQuery, ui_lang: str = "en"
    ) -> QueryPlan:
        return plan_query(searcher, tables, query.q, query.expand, self.matcher, ui_lang)

    def matching(
        self, query: SearchQuery, use: Callable[[object, FacetTables, np.ndarray], T]
    ) -> T:
        """`use(searcher, tables, mask)` under the engine's lock, `mask` being every document
        the query and its filters match (all pages): trends, emerging terms and saved searches
        count over it without paging through results."""
        with self._lock:
            searcher, tables = self._current()
            plan = self._plan(searcher, tables, query)
            masks = self._filter_masks(tables, query)
            return use(searcher, tables, self._apply(plan, masks)[0])

    def iterate(
        self, query: SearchQuery, ui_lang: str = "en", limit: int | None = None, *, snippets=False
    ) -> Iterator[dict]:
        """Every result `query` matches (at most `limit`), in its order: one ranking, read at
        once under the lock from one state of the index, no facets counted and no pages.
        Exports and the review queue use it. Result dicts as in `search`; their `highlight`
        is '' unless `snippets`."""
        with self._lock:
            searcher, tables = self._current()
            plan = self._plan(searcher, tables, query, ui_lang)
            everything = self._apply(plan, self._filter_masks(tables, query))[0]
            wanted = int(everything.sum()) if limit is None else min(limit, int(everything.sum()))
            whole = replace(query, page=1, per_page=max(wanted, 1))  # every one returned is scored
            docnums, scores = self._rank(searcher, tables, everything, plan, whole, ui_lang)
            words, concepts = (plan.words, plan.concepts) if snippets else ([], [])
            results = [
                self._result(searcher, docnum, score, words, concepts, snippets=snippets)
                for docnum, score in zip(docnums[:wanted], scores[:wanted], strict=True)
            ]
        return iter(results)

    @staticmethod
    def _apply(
        plan: QueryPlan, masks: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """(matches after filters, the base they came from, relaxed?): relaxed to partial
        matches of the words when the strict match leaves fewer than RELAX_BELOW."""

        def filtered(base: np.ndarray) -> np.ndarray:
            out = base.copy()
            for mask in masks.values():
                out &= mask
            return out

        everything = filtered(plan.base)
        if plan.relaxed_base is not None and everything.sum() < RELAX_BELOW:
            relaxed = filtered(plan.relaxed_base)
            if relaxed.sum() > everything.sum():
                return relaxed, plan.relaxed_base, True
        return everything, plan.base, False

    def _search(self, searcher, tables: FacetTables, query: SearchQuery, ui_lang: str) -> dict:
        plan = self._plan(searcher, tables, query, ui_lang)
        masks = self._filter_masks(tables, query)
        everything, base, relaxed = self._apply(plan, masks)
        facets = {}
        for facet in (f.name for f in declared.public()):
            others = base.copy()
            for name, mask in masks.items():
                if name != facet:
                    others &= mask
            facets[facet] = self._facet_values(tables, facet, others, query, ui_lang)

        docnums, scores = self._rank(searcher, tables, everything, plan, query, ui_lang)
        start = (query.page - 1) * query.per_page
        stop = start + query.per_page
        results = [
            self._result(searcher, docnum, score, plan.words, plan.concepts)
            for docnum, score in zip(docnums[start:stop], scores[start:stop], strict=True)
        ]
        return {
            "query": query.q,
            "total": int(everything.sum()),
            "page": query.page,
            "per_page": query.per_page,
            "sort": query.effective_sort,
            "results": results,
            "facets": facets,
            "suggestion": plan.suggestion,
            "expanded": bool(plan.expansion),
            "expansion": plan.expansion,
            "relaxed": relaxed,
        }

    def _filter_masks(self, tables: FacetTables, query: SearchQuery) -> dict[str, np.ndarray]:
        """facet -> mask of its filter; 'year' for the year range, 'status' for visibility."""
        masks = {facet: tables.value_mask(facet, values) for facet, values in query.filters.items()}
        if query.year_from or query.year_to:
            low, high = query.year_from or 0, query.year_to or 9999
            masks["year"] = (tables.year >= max(low, 1)) & (tables.year <= high)  # undated: out
        if not query.include_drafts:
            code = tables.codes["status"].get("published")
            status = tables.single["status"]
            masks["status"] = status == code if code is not None else np.zeros(tables.size, bool)
        return masks

    def _facet_values(self, tables, facet, mask, query: SearchQuery, ui_lang) -> list[dict]:
        counts = tables.counts(facet, mask)
        if facet == "year":
            low, high = query.year_from or 0, query.year_to or 9999
            ranged = bool(query.year_from or query.year_to)
            items = [
                {"value": v, "label": v, "count": n, "selected": ranged and low <= int(v) <= high}
                for v, n in counts.items()
            ]
            return sorted(items, key=lambda item: item["value"], reverse=True)
        selected = query.filters.get(facet, [])
        for value in selected:
            counts.setdefault(value, 0)
        items = [
            {
                "value": v,
                "label": declared.label(facet, v, ui_lang),
                "count": n,
                "selected": v in selected,
            }
            for v, n in counts.items()
            if v != "xx" or n
        ]
        return sorted(items, key=lambda item: (-item["count"], item["label"].lower()))

    def _rank(self, searcher, tables, everything, plan: QueryPlan, query: SearchQuery, ui_lang):
        matching = np.flatnonzero(everything)
        if query.effective_sort == "newest" or plan.scoring is None or matching.size == 0:
            order = np.lexsort((matching, -tables.pubkey[matching]))
            return matching[order].tolist(), [0.0] * matching.size
        depth = max(RERANK_DEPTH, query.page * query.per_page)
        docnums, scores = self._score(searcher, plan.scoring, everything, matching, depth)
        if docnums.size:
            scores *= plan.coverage(docnums) ** COVERAGE_POWER
            wants_trends = "trend" in query.filters.get("type", []) or any(
                w in TREND_WORDS for w in plan.words
            )
            trend_code = tables.codes["type"].get("trend")
            if not wants_trends and trend_code is not None:
                scores[tables.single["type"][docnums] == trend_code] *= TREND_FACTOR
            lang_code = tables.codes["lang"].get(ui_lang)
            if lang_code is not None:
                scores[tables.single["lang"][docnums] == lang_code] *= OWN_LANGUAGE_FACTOR
            if len(plan.words) >= 2:
                scores *= [
                    proximity_factor(plan.words, json.loads(searcher.stored_fields(d)["data"]))
                    for d in docnums.tolist()
                ]
        order = np.lexsort((docnums, -scores))
        ranked, ranked_scores = docnums[order].tolist(), [round(float(s), 4) for s in scores[order]]
        if len(ranked) < matching.size:  # beyond the scored depth: keep the rest, newest first
            rest = matching[~np.isin(matching, docnums)]
            rest = rest[np.lexsort((rest, -tables.pubkey[rest]))].tolist()
            ranked += rest
            ranked_scores += [0.0] * len(rest)
        return ranked, ranked_scores

    @staticmethod
    def _score(searcher, scoring, everything, matching, depth) -> tuple[np.ndarray, np.ndarray]:
        """The `depth` best matches and their BM25F scores: numpy for words, concepts and
        phrases (indexer/scoring.py: each document's exact score), Whoosh otherwise."""
        found = top_scores(searcher, scoring, everything, depth)
        if found is not None:
            return found[0], found[1].copy()
        hits = searcher.search(scoring, filter=set(matching.tolist()), limit=depth)
        docnums = np.array([hit.docnum for hit in hits], dtype=np.int64)
        return docnums, np.array([hit.score for hit in hits], dtype=float)

    def _snippet(self, data: dict, words: list[str], concepts: list[str]) -> str:
        labels = []
        for concept_id in concepts:
            labels.extend(
                self.matcher.concepts[concept_id].labels(data["lang"])
                if data["lang"] in taxonomy.LANGS
                else []
            )
        targets = target_forms(words, labels, data["lang"])
        text = data["summary"] if data["summary"] else data["body"]
        snippet = highlight(text, targets, data["lang"])
        if "<mark>" not in snippet and data["body"] and targets:
            in_body = highlight(data["body"], targets, data["lang"])
            if "<mark>" in in_body:
                snippet = in_body
        return snippet

    def _result(
        self,
        searcher,
        docnum: int,
        score: float,
        words: list[str],
        concepts: list[str],
        *,
        snippets: bool = True,
    ) -> dict:
        data = json.loads(searcher.stored_fields(docnum)["data"])
        snippet = self._snippet(data, words, concepts) if snippets else ""
        return {
            "id": data["id"],
            "type": data["type"],
            "title": data["title"],
            "summary": data["summary"],
            "lang": data["lang"],
            "city": data["city"],
            "country": data["country"],
            "region": data["region"],
            "themes": data["themes"],
            "year": data["year"],
            "published": data["published"],
            "url": data["url"],
            "status": data["status"],
            "score": score,
            "highlight": snippet,
        }

    # --- similar entries -----------------------------------------------------------
    def similar(self, entry_id: str, limit: int = 5, include_drafts: bool = False) -> list[dict]:
        """Entries most like this one in any language: shared concepts, themes and key terms."""
        with self._lock:
            searcher, tables = self._current()
            docnum = searcher.document_number(id=entry_id)
            if docnum is None:
                raise NotFound(f"no entry {entry_id!r}")
            clauses: list[wq.Query] = []
            stored = json.loads(searcher.stored_fields(docnum)["data"])
            lang = stored["lang"] if stored["lang"] in taxonomy.LANGS else "xx"
            concept_counts = self._concepts_of(searcher, docnum)
            for concept, count in concept_counts.items():
                if concept in taxonomy.THEME_IDS:
                    continue
                clauses.append(wq.Term("concepts", concept, boost=1.0 + min(count, 6) / 3))
            for theme in stored["themes"]:
                clauses.append(wq.Term("themes", theme, boost=0.4))
            for term in self._key_terms(searcher, stored, lang):
                for part in ("title", "summary", "body"):
                    clauses.append(wq.Term(f"{part}_{lang}", term, boost=0.3 * PART_BOOSTS[part]))
            if not clauses:
                return []
            visible = tables.alive.copy()
            if not include_drafts:
                code = tables.codes["status"].get("published")
                visible &= tables.single["status"] == code
            visible[docnum] = False
            hits = searcher.search(
                wq.Or(clauses), filter=set(np.flatnonzero(visible).tolist()), limit=limit
            )
            return [self._result(searcher, hit.docnum, round(hit.score, 4), [], []) for hit in hits]

    @staticmethod
    def _key_terms(searcher, stored: dict, lang: str, count: int = 8) -> list[str]:
        """The entry's most distinctive index terms (tf x idf over its own language's body field)."""
        reader = searcher.reader()
        total = max(reader.doc_count(), 1)
        frequencies: dict[str, int] = {}
        for text in (stored["title"], stored["summary"], stored["body"]):
            for forms in analyse(text or "", lang):
                for form in forms[:1]:
                    frequencies[form] = frequencies.get(form, 0) + 1
        scored = []
        for form, tf in frequencies.items():
            df = reader.doc_frequency(f"body_{lang}", form) + reader.doc_frequency(
                f"title_{lang}", form
            )
            if df > 1:  # a word only this entry has cannot make another one similar
                scored.append((tf * math.log(total / df), form))
        return [form for _, form in sorted(scored, reverse=True)[:count]]

    def _concepts_of(self, searcher, docnum: int) -> dict[str, int]:
        """A document's concept ids and counts, re-derived from its stored text."""
        data = json.loads(searcher.stored_fields(docnum)["data"])
        text_counts: dict[str, int] = {}
        for part, weight in (("title", 3), ("summary", 2), ("body", 1)):
            if data.get(part):
                for concept, n in self.matcher.find_in_document(data[part], data["lang"]).items():
                    text_counts[concept] = text_counts.get(concept, 0) + n * weight
        return text_counts

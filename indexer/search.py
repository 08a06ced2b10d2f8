"""Searching: one query model (from URL arguments or command-line options) and
one engine that answers it with the object of the contract's `/api/search`.

The engine owns the process's Whoosh searcher and facet tables, refreshes
them when the index changes (another process's write, or a swap after a
rebuild), and writes entries through to the index for editors' saves.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from indexer import query as q
from indexer.build import COMPLETE_MARK, concept_matcher, index_exists, update_index, write_through
from indexer.analysis import analyse
from indexer.facets import PUBLIC_FACETS, FacetTables, ValueCodes
from indexer.highlight import highlight, target_forms
from indexer.schema import FACET_FIELDS, MULTI_FACET_FIELDS, PART_BOOSTS
from indexer.suggest import suggest
from observatory import taxonomy
from observatory.entry import Entry
from observatory.errors import NotFound, QueryError
from observatory.home import Home

MAX_PER_PAGE = 100
MAX_PAGE = 1000
CONCEPT_BOOST = 2.5  # cross-language concept match, below a match on the words typed
TREND_FACTOR = 0.85  # practices first, unless the query asks for trends
OWN_LANGUAGE_FACTOR = 1.05  # a gentle preference for the reader's language on near-ties
RERANK_DEPTH = 100
TREND_WORDS = {"trend", "trends", "tendance", "tendances", "tendencia", "tendencias",
               "tendência", "tendências", "article", "articles", "artículo", "artigo"}
_LANG = re.compile(r"^[a-z]{2}$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
T = TypeVar("T")


@dataclass
class SearchQuery:
    """What one search asks for; the web and the command line both build it with `from_args`."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    page: int = 1
    per_page: int = 10
    sort: str = ""  # "" -> relevance with a query, newest when browsing
    expand: bool = True
    include_drafts: bool = False

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "newest")

    @classmethod
    def from_args(cls, args: Mapping[str, list[str] | str]) -> SearchQuery:
        """Validate request-style arguments (each a list of strings); QueryError on bad input."""
        def values(name: str) -> list[str]:
            raw = args.get(name) or []
            raw = [raw] if isinstance(raw, str) else list(raw)
            return [v.strip() for v in raw if v is not None and v.strip()]

        def one(name: str) -> str | None:
            found = values(name)
            return found[-1] if found else None

        def integer(name: str, low: int, high: int, default: int | None) -> int | None:
            text = one(name)
            if text is None:
                return default
            if not re.fullmatch(r"-?\d{1,6}", text):
                raise QueryError(f"{name} must be a whole number, not {text[:20]!r}")
            number = int(text)
            if not low <= number <= high:
                raise QueryError(f"{name} must be between {low} and {high}")
            return number

        text = " ".join(values("q"))
        q.parse(text)  # raises QueryError on a malformed query
        filters: dict[str, list[str]] = {}
        for facet in ("theme", "region", "country", "lang", "type"):
            chosen = list(dict.fromkeys(values(facet)))
            for value in chosen:
                _check_facet_value(facet, value)
            if chosen:
                filters[facet] = [v.upper() if facet == "country" else v.lower() for v in chosen]
        sort = one("sort") or ""
        if sort not in ("", "relevance", "newest"):
            raise QueryError("sort must be 'relevance' or 'newest'")
        expand_text = (one("expand") or "1").lower()
        if expand_text not in _TRUE | _FALSE:
            raise QueryError("expand must be 1 or 0")
        year_from = integer("year_from", 1000, 2999, None)
        year_to = integer("year_to", 1000, 2999, None)
        if year_from and year_to and year_from > year_to:
            raise QueryError("year_from must not be after year_to")
        return cls(q=text, filters=filters, year_from=year_from, year_to=year_to,
                   page=integer("page", 1, MAX_PAGE, 1),
                   per_page=integer("per_page", 1, MAX_PER_PAGE, 10),
                   sort=sort, expand=expand_text in _TRUE)

    def to_args(self) -> dict[str, list[str]]:
        """The arguments that reproduce this query (for links and permalinks)."""
        args: dict[str, list[str]] = {}
        if self.q:
            args["q"] = [self.q]
        for facet, chosen in self.filters.items():
            if chosen:
                args[facet] = list(chosen)
        if self.year_from:
            args["year_from"] = [str(self.year_from)]
        if self.year_to:
            args["year_to"] = [str(self.year_to)]
        if self.sort:
            args["sort"] = [self.sort]
        if not self.expand:
            args["expand"] = ["0"]
        if self.per_page != 10:
            args["per_page"] = [str(self.per_page)]
        if self.page != 1:
            args["page"] = [str(self.page)]
        return args


def _check_facet_value(facet: str, value: str) -> None:
    ok = {
        "theme": lambda v: v.lower() in taxonomy.THEME_IDS,
        "region": lambda v: v.lower() in taxonomy.REGION_IDS,
        "type": lambda v: v.lower() in taxonomy.TYPE_IDS,
        "lang": lambda v: bool(_LANG.match(v.lower())),
        "country": lambda v: taxonomy.is_country(v),
    }[facet](value)
    if not ok:
        raise QueryError(f"unknown {facet} {value[:40]!r}")


@dataclass
class _Compiled:
    mask: np.ndarray
    scoring: wq.Query | None
    unknown: list[str]


class SearchEngine:
    """One per process; thread-safe; cheap to call, expensive to create."""

    def __init__(self, home: Home):
        self.home = home
        self._lock = threading.RLock()
        self._ix = None
        self._ix_mark: tuple | None = None
        self._searcher = None
        self._tables: FacetTables | None = None
        self._codes = {f: ValueCodes() for f in (*FACET_FIELDS, *MULTI_FACET_FIELDS)}
        self._segments: dict = {}
        self._matcher = None

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
        if self._matcher is None:
            self._matcher = concept_matcher(self.home)
        return self._matcher

    def _index_mark(self) -> tuple:
        stat = (self.home.index_dir / COMPLETE_MARK).stat()
        return (stat.st_ino, stat.st_mtime_ns)

    def _current(self):
        """The up-to-date searcher and facet tables (reopened after a swap, refreshed after a write)."""
        with self._lock:
            if not index_exists(self.home):
                update_index(self.home)
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
    def _docs(self, searcher, query: wq.Query | None, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        if query is not None:
            found = np.fromiter(query.docs(searcher), dtype=np.int64)
            if found.size:
                mask[found] = True
        return mask

    def _compile(self, node, searcher, tables: FacetTables) -> _Compiled | None:
        size = tables.size
        if node is None:
            return None
        if isinstance(node, q.Word):
            if q.is_stop_everywhere(node.text):
                return None
            scoring = q.word_query(node.text)
            mask = self._docs(searcher, scoring, size)
            unknown: list[str] = []
            if not mask.any():
                unknown = [node.text]
                fuzzy = q.fuzzy_query(node.text)
                if fuzzy is not None:
                    scoring = fuzzy
                    mask = self._docs(searcher, fuzzy, size)
            return _Compiled(mask & tables.alive, scoring, unknown)
        if isinstance(node, q.Phrase):
            scoring = q.phrase_query(node.words)
            return _Compiled(self._docs(searcher, scoring, size) & tables.alive, scoring, [])
        if isinstance(node, q.Not):
            inner = self._compile(node.child, searcher, tables)
            mask = tables.alive.copy() if inner is None else tables.alive & ~inner.mask
            return _Compiled(mask, None, [])
        positives, negatives = [], []
        for child in node.children:
            compiled = self._compile(child, searcher, tables)
            if compiled is not None:
                (negatives if isinstance(child, q.Not) else positives).append(compiled)
        if not positives and not negatives:
            return None
        if not positives:
            mask = tables.alive.copy()
        elif node.kind == "or":
            mask = np.logical_or.reduce([c.mask for c in positives])
        elif node.kind == "and":
            mask = np.logical_and.reduce([c.mask for c in positives])
        else:
            hits = np.sum([c.mask for c in positives], axis=0)
            mask = hits >= q.soft_minimum(len(positives))
        for negative in negatives:
            mask &= negative.mask
        scoring_parts = [c.scoring for c in positives if c.scoring is not None]
        scoring = wq.Or(scoring_parts) if scoring_parts else None
        return _Compiled(mask, scoring, [w for c in positives for w in c.unknown])

    def search(self, query: SearchQuery, ui_lang: str = "en") -> dict:
        with self._lock:
            searcher, tables = self._current()
            return self._search(searcher, tables, query, ui_lang)

    def _base(self, searcher, tables: FacetTables, query: SearchQuery):
        """The words' matches before filters (with concept expansion) and their scoring query."""
        tree = q.parse(query.q)
        compiled = self._compile(tree, searcher, tables)
        base = tables.alive.copy() if compiled is None else compiled.mask
        scoring = compiled.scoring if compiled else None
        words = q.positive_words(tree)
        expansion: list[dict] = []
        concepts: list[str] = []
        if query.expand and words:
            for match in self.matcher.find_in_query(" ".join(words)):
                concepts.append(match.concept)
                expansion.extend(self._expansion_terms(match.concept, " ".join(words)))
        if concepts:
            concept_query = wq.Or([wq.Term("concepts", c) for c in concepts], boost=CONCEPT_BOOST)
            base |= self._docs(searcher, concept_query, tables.size) & tables.alive
            scoring = concept_query if scoring is None else wq.Or([scoring, concept_query])
        if scoring is not None and len(words) >= 2:
            bonus = q.proximity_query(words)
            if bonus is not None:
                scoring = wq.Or([scoring, bonus])
        return tree, compiled, base, scoring, words, expansion, concepts

    def matching(self, query: SearchQuery, use: Callable[[object, FacetTables, np.ndarray], T]) -> T:
        """`use(searcher, tables, mask)` under the engine's lock, `mask` being every document
        the query and its filters match (all pages): trends, emerging terms and saved searches
        count over it without paging through results."""
        with self._lock:
            searcher, tables = self._current()
            mask = self._base(searcher, tables, query)[2]
            for filtered in self._filter_masks(tables, query).values():
                mask &= filtered
            return use(searcher, tables, mask)

    def _search(self, searcher, tables: FacetTables, query: SearchQuery, ui_lang: str) -> dict:
        tree, compiled, base, scoring, words, expansion, concepts = \
            self._base(searcher, tables, query)
        masks = self._filter_masks(tables, query)
        everything = base.copy()
        for mask in masks.values():
            everything &= mask
        total = int(everything.sum())

        facets = {}
        for facet in PUBLIC_FACETS:
            others = base.copy()
            for name, mask in masks.items():
                if name != facet:
                    others &= mask
            facets[facet] = self._facet_values(tables, facet, others, query, ui_lang)

        docnums, scores = self._rank(searcher, tables, everything, scoring, query, words, ui_lang)
        start = (query.page - 1) * query.per_page
        page = list(zip(docnums[start:start + query.per_page], scores[start:start + query.per_page]))
        results = [self._result(searcher, docnum, score, words, concepts) for docnum, score in page]
        unknown = compiled.unknown if compiled else []
        return {
            "query": query.q,
            "total": total,
            "page": query.page,
            "per_page": query.per_page,
            "sort": query.effective_sort,
            "results": results,
            "facets": facets,
            "suggestion": suggest(searcher, query.q, unknown, ui_lang) if unknown else None,
            "expanded": bool(expansion),
            "expansion": expansion,
        }

    def _expansion_terms(self, concept_id: str, typed: str) -> list[dict]:
        concept = self.matcher.concepts[concept_id]
        typed_folded = q.fold(typed.lower())
        terms = []
        for lang in taxonomy.LANGS:
            label = concept.pref.get(lang)
            if label and q.fold(label) not in typed_folded:
                terms.append({"concept": concept_id, "lang": lang, "term": label})
        return terms

    def _filter_masks(self, tables: FacetTables, query: SearchQuery) -> dict[str, np.ndarray]:
        """facet -> mask of its filter; 'year' for the year range, 'status' for visibility."""
        masks = {facet: tables.value_mask(facet, values) for facet, values in query.filters.items()}
        if query.year_from or query.year_to:
            low, high = query.year_from or 0, query.year_to or 9999
            masks["year"] = (tables.year >= low) & (tables.year <= high)
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
            items = [{"value": v, "label": v, "count": n,
                      "selected": ranged and low <= int(v) <= high} for v, n in counts.items()]
            return sorted(items, key=lambda item: item["value"], reverse=True)
        selected = query.filters.get(facet, [])
        for value in selected:
            counts.setdefault(value, 0)
        items = [{"value": v, "label": taxonomy.facet_label(facet, v, ui_lang), "count": n,
                  "selected": v in selected} for v, n in counts.items() if v != "xx" or n]
        return sorted(items, key=lambda item: (-item["count"], item["label"].lower()))

    def _rank(self, searcher, tables, everything, scoring, query, words, ui_lang):
        matching = np.flatnonzero(everything)
        if query.effective_sort == "newest" or scoring is None or matching.size == 0:
            order = np.lexsort((matching, -tables.pubkey[matching]))
            return matching[order].tolist(), [0.0] * matching.size
        depth = max(RERANK_DEPTH, query.page * query.per_page)
        hits = searcher.search(scoring, filter=set(matching.tolist()), limit=depth)
        wants_trends = "trend" in query.filters.get("type", []) or \
            any(w in TREND_WORDS for w in words)
        lang_code = tables.codes["lang"].get(ui_lang)
        trend_code = tables.codes["type"].get("trend")
        ranked = []
        for hit in hits:
            score = hit.score
            if not wants_trends and trend_code is not None and tables.single["type"][hit.docnum] == trend_code:
                score *= TREND_FACTOR
            if lang_code is not None and tables.single["lang"][hit.docnum] == lang_code:
                score *= OWN_LANGUAGE_FACTOR
            ranked.append((score, hit.docnum))
        ranked.sort(key=lambda pair: (-pair[0], pair[1]))
        docnums = [d for _, d in ranked]
        scores = [round(s, 4) for s, _ in ranked]
        if len(docnums) < matching.size:  # beyond the scored depth: keep the rest, newest first
            seen = set(docnums)
            rest = [d for d in matching[np.lexsort((matching, -tables.pubkey[matching]))].tolist()
                    if d not in seen]
            docnums += rest
            scores += [0.0] * len(rest)
        return docnums, scores

    def _result(self, searcher, docnum: int, score: float, words: list[str], concepts: list[str]) -> dict:
        data = json.loads(searcher.stored_fields(docnum)["data"])
        labels = []
        for concept_id in concepts:
            labels.extend(self.matcher.concepts[concept_id].labels(data["lang"])
                          if data["lang"] in taxonomy.LANGS else [])
        targets = target_forms(words, labels, data["lang"])
        text = data["summary"] if data["summary"] else data["body"]
        snippet = highlight(text, targets, data["lang"])
        if "<mark>" not in snippet and data["body"] and targets:
            in_body = highlight(data["body"], targets, data["lang"])
            if "<mark>" in in_body:
                snippet = in_body
        return {
            "id": data["id"], "type": data["type"], "title": data["title"],
            "summary": data["summary"], "lang": data["lang"], "city": data["city"],
            "country": data["country"], "region": data["region"], "themes": data["themes"],
            "year": data["year"], "published": data["published"], "url": data["url"],
            "status": data["status"], "score": score, "highlight": snippet,
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
            hits = searcher.search(wq.Or(clauses), filter=set(np.flatnonzero(visible).tolist()),
                                   limit=limit)
            return [self._result(searcher, hit.docnum, round(hit.score, 4), [], [])
                    for hit in hits]

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
            df = reader.doc_frequency(f"body_{lang}", form) + reader.doc_frequency(f"title_{lang}", form)
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

"""BM25F over posting arrays in numpy: the same scores as Whoosh's scorer, bit for bit.

Whoosh scores a query by walking every matching posting through a tree of
Python matcher objects: 70% of a search's time at 20,000 entries, more for
common words (bench/stages.py). A query made only of Terms, Phrases and Ors
of them (plain words, their forms in every language, thesaurus concepts,
"exact phrases") is scored here instead from each term's posting arrays
(document ids and weights, read once per segment and kept in a bounded cache)
and the segment's field-length bytes, with numpy. A phrase's matches still come
from Whoosh's position matching, once per search: matching finds them and
scoring reuses them (Whoosh walked the positions twice). Anything else (typo
tolerance's fuzzy terms) returns None and the caller asks Whoosh.

The arithmetic is Whoosh 2.7's, in the same order, so the floats are equal,
not just close: per segment, an Or of more than two clauses over a segment of
at most 5,000 documents is summed clause by clause, each times the Or's boost
(Whoosh's ArrayUnionMatcher); otherwise as a huffman-like tree ordered by the
clauses' estimated sizes, the boost applied to the sum (UnionMatcher trees);
an Or of one clause ignores its boost; a phrase is the binary-tree sum of its
words' scores times its boost; the top N are the N best by score, then by
lowest document number. That is Whoosh's exhaustive ranking: its own top-N
collector prunes with score bounds and, in unions, can leave part of a
document's score out (measured: "datos abiertos" at 20,000 entries ranked a
document scoring 38.19 below ones scoring 35.5); the relevance figures are the
same either way. tests/test_scoring.py compares both on a real index with
several segments and deletions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from math import log

import numpy as np
from whoosh import query as wq
from whoosh.util import make_binary_tree, make_weighted_tree
from whoosh.util.numeric import byte_to_length

# Whoosh chooses its Or matcher by these (whoosh.query.compound.Or._matcher)
_ARRAY_OR_MAX_DOCS = 5000
_TOO_MANY_CLAUSES = 1024
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
CACHE_BYTES = 16 * 1024 * 1024  # posting arrays kept per process: 8 bytes a posting


class PostingCache:
    """(segment id, field, term) -> (ids int32, weights float32): a segment never changes
    once written (deletions are kept apart), so entries never go stale; least recently
    used ones are dropped beyond `limit_bytes`. Shared by the threads of a process."""

    def __init__(self, limit_bytes: int = CACHE_BYTES):
        self.limit = limit_bytes
        self.size = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key, value) -> None:
        cost = sum(a.nbytes for a in value) + 100
        if cost > self.limit:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.size += cost
            while self.size > self.limit:
                _, dropped = self._items.popitem(last=False)
                self.size -= sum(a.nbytes for a in dropped) + 100

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


POSTINGS = PostingCache()
_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


def raw_postings(leaf, fieldname: str, text) -> tuple[np.ndarray, np.ndarray] | None:
    """Segment-local ids and weights of a term, deleted documents included (callers mask
    them), or None when the segment does not have the term. Cached."""
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    if fieldname not in leaf.schema or segment is None:  # an empty index has no segment
        return None
    field = leaf.schema[fieldname]
    try:
        btext = field.to_bytes(text)
    except ValueError:
        return None
    key = (segment.segment_id(), fieldname, btext)
    found = POSTINGS.get(key)
    if found is not None:
        return found if found[0].size else None
    if (fieldname, btext) not in leaf:
        POSTINGS.put(key, _EMPTY)
        return None
    matcher = leaf.postings(fieldname, btext)
    matcher = getattr(matcher, "child", matcher)  # under the deletions filter: the raw postings
    if not hasattr(matcher, "_read_ids") or not hasattr(matcher, "_next_block"):
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        found = (np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32))
    else:
        id_blocks, weight_blocks = [], []
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            id_blocks.append(np.asarray(matcher._ids, dtype=np.int32))
            weight_blocks.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
        found = (
            np.concatenate(id_blocks) if id_blocks else _EMPTY[0],
            np.concatenate(weight_blocks) if weight_blocks else _EMPTY[1],
        )
    POSTINGS.put(key, found)
    return found


def _lengths(leaf, fieldname: str) -> np.ndarray | None:
    """The field's length of every document of the segment, as Whoosh decodes it."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    perdoc = leaf._perdoc
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    size = leaf.doc_count_all()
    if column is None:
        return None
    raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
    codes = np.zeros(size, dtype=np.uint8)
    codes[: min(size, raw.size)] = raw[:size]
    return _LENGTHS[codes]


_SEARCH = threading.local()


@contextmanager
def one_search():
    """Within this block (one search, one thread) a phrase's matches are found once:
    matching finds them (indexer/matching.py), scoring reuses them."""
    previous = getattr(_SEARCH, "phrases", None)
    _SEARCH.phrases = {}
    try:
        yield
    finally:
        _SEARCH.phrases = previous


def phrase_docs(searcher, phrase: wq.Phrase) -> np.ndarray:
    """Document numbers where the phrase occurs (Whoosh's span matching over positions,
    the costly part of a phrase query), remembered for the rest of the search."""
    memo = getattr(_SEARCH, "phrases", None)
    key = (id(searcher), phrase.fieldname, tuple(phrase.words), phrase.slop)
    if memo is not None and key in memo:
        return memo[key]
    found = np.fromiter(phrase.docs(searcher), dtype=np.int64)
    if memo is not None:
        memo[key] = found
    return found


def plain_query(query) -> bool:
    """True for a query made only of Terms, Phrases and Ors of them (what this module
    scores)."""
    if type(query) is wq.Term:
        return True
    if type(query) is wq.Phrase:
        return bool(query.words)
    if type(query) is wq.Or:
        return not query.scale and all(plain_query(sub) for sub in query.subqueries)
    return False


class _Node:
    """A scored clause in one segment: its scores (None: no document) and estimated size."""

    __slots__ = ("scores", "size")

    def __init__(self, scores, size):
        self.scores, self.size = scores, size

    # make_weighted_tree sorts (size, node) pairs: equal sizes never compare as less,
    # exactly as Whoosh's matchers do, so its stable sort keeps the clauses' order
    def __eq__(self, other):
        return True

    def __lt__(self, other):
        return False


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


class _SegmentScorer:
    def __init__(self, searcher, leaf, offset, model):
        self.searcher, self.leaf, self.offset, self.model = searcher, leaf, offset, model
        self.size = leaf.doc_count_all()
        self.lengths: dict[str, np.ndarray | None] = {}

    def term(self, term: wq.Term) -> _Node:
        leaf, fieldname = self.leaf, term.fieldname
        postings = raw_postings(leaf, fieldname, term.text)
        if postings is None:
            return _Node(None, self._estimate(term))
        ids, tf = postings[0], postings[1].astype(np.float64)  # Whoosh: float32 read as float
        field = leaf.schema[fieldname]
        if not field.scorable:
            values = tf.copy()
        else:
            B = self.model._field_B.get(fieldname, self.model.B)
            K1 = self.model.K1
            btext = field.to_bytes(term.text)
            idf = self.searcher.idf(fieldname, btext)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            if fieldname not in self.lengths:
                self.lengths[fieldname] = _lengths(leaf, fieldname)
            lengths = self.lengths[fieldname]
            fl = lengths[ids] if lengths is not None else np.ones(ids.size)
            values = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        if term.boost != 1.0:
            values = values * term.boost
        scores = np.zeros(self.size, dtype=np.float64)
        scores[ids] = values
        return _Node(scores, self._estimate(term))

    def _estimate(self, query) -> int:
        return query.estimate_size(self.leaf)

    def phrase_local(self, phrase: wq.Phrase) -> np.ndarray:
        """The phrase's matches in this segment, as segment-local numbers."""
        found = phrase_docs(self.searcher, phrase)
        inside = found[(found >= self.offset) & (found < self.offset + self.size)]
        return inside - self.offset

    def phrase(self, phrase: wq.Phrase) -> _Node:
        """Whoosh scores a phrase match as the sum of its words' scores (a binary tree of
        IntersectionMatchers under SpanNear2), times the phrase's boost."""
        size = self._estimate(phrase)
        fieldname = phrase.fieldname
        if fieldname not in self.leaf.schema:
            return _Node(None, size)
        field = self.leaf.schema[fieldname]
        for word in phrase.words:
            try:
                if (fieldname, field.to_bytes(word)) not in self.leaf:
                    return _Node(None, size)  # Whoosh: a missing word, no matcher at all
            except ValueError:
                return _Node(None, size)
        words = [self.term(wq.Term(fieldname, word)) for word in phrase.words]
        summed = make_binary_tree(_Union, words).scores
        local = self.phrase_local(phrase)
        scores = np.zeros(self.size, dtype=np.float64)
        if summed is not None and local.size:
            scores[local] = summed[local]
        if phrase.boost != 1.0:
            scores = scores * phrase.boost
        return _Node(scores, size)

    def node(self, query) -> _Node:
        if type(query) is wq.Term:
            return self.term(query)
        if type(query) is wq.Phrase:
            return self.phrase(query)
        subs = query.subqueries
        if not subs:
            return _Node(None, 0)
        if len(subs) == 1:  # Whoosh: an Or of one clause is that clause, boost ignored
            return self.node(subs[0])
        children = [self.node(sub) for sub in subs]
        size = self._estimate(query)
        if len(subs) < _TOO_MANY_CLAUSES and (len(subs) == 2 or self.size > _ARRAY_OR_MAX_DOCS):
            tree = make_weighted_tree(_Union, [(child.size, child) for child in children])
            scores = tree.scores
            if query.boost != 1.0 and scores is not None:
                scores = scores * query.boost
            return _Node(scores, size)
        total = None  # ArrayUnionMatcher: clause after clause, each times the boost
        for child in children:
            if child.scores is not None:
                part = child.scores * query.boost
                total = part if total is None else total + part
        return _Node(total, size)


def _Union(a: _Node, b: _Node) -> _Node:  # noqa: N802 (stands for Whoosh's UnionMatcher)
    return _Node(_add(a.scores, b.scores), a.size + b.size)


def _matched(scorer: _SegmentScorer, query) -> np.ndarray:
    """Which documents of the segment the query matches (a score may be 0)."""
    mask = np.zeros(scorer.size, dtype=bool)
    stack = [query]
    while stack:
        node = stack.pop()
        if type(node) is wq.Term:
            postings = raw_postings(scorer.leaf, node.fieldname, node.text)
            if postings is not None:
                mask[postings[0]] = True
        elif type(node) is wq.Phrase:
            mask[scorer.phrase_local(node)] = True
        else:
            stack.extend(node.subqueries)
    return mask


def top_scores(
    searcher, query, allowed: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """The `limit` best (document numbers, scores) among `allowed` documents, as
    `searcher.search(query, filter=allowed, limit=limit)` ranks them; None when the
    query is not plain Terms and Ors (then Whoosh scores it)."""
    if not plain_query(query):
        return None
    model = searcher.weighting
    if type(model).__name__ != "BM25F" or getattr(model, "use_final", False):
        return None
    reader = searcher.reader()
    leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
    all_ids, all_scores = [], []
    for leaf, offset in leaves:
        size = leaf.doc_count_all()
        if size == 0:
            continue
        wanted = allowed[offset : offset + size]
        if not wanted.any():
            continue
        scorer = _SegmentScorer(searcher, leaf, offset, model)
        scores = scorer.node(query).scores
        if scores is None:
            continue
        hit = wanted & _matched(scorer, query)
        local = np.flatnonzero(hit)
        all_ids.append(local + offset)
        all_scores.append(scores[local])
    if not all_ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ids = np.concatenate(all_ids).astype(np.int64)
    scores = np.concatenate(all_scores)
    if ids.size > limit:
        # the limit-th best score, then every document scoring at least that (ties included)
        threshold = np.partition(scores, ids.size - limit)[ids.size - limit]
        keep = scores >= threshold
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:limit]
    return ids[order], scores[order]


def whoosh_idf(searcher, fieldname: str, text) -> float:
    """Whoosh's idf (WeightingModel.idf), for tests and documentation."""
    parent = searcher.get_parent()
    return log(parent.doc_count_all() / (parent.doc_frequency(fieldname, text) + 1)) + 1

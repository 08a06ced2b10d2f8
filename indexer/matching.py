"""From a query tree to the documents it matches and the Whoosh query that scores them.

Matching is set arithmetic on numpy masks (one bool per document), so facet
counts, trends and saved searches count over the whole match set cheaply;
scoring is one Whoosh query run only over that set. Words side by side are a
soft AND; a thesaurus concept found in a query of plain words matches, in
every language, the words it stands for (weighted below the words typed);
queries with operators (AND, OR, NOT, parentheses) mean exactly their words;
when the words together match too few
entries, the match is *relaxed* to entries with some of them, ranked by how
much of the query they cover, and the answer says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

from indexer import query as q
from indexer.analysis import ANALYSED_LANGS
from indexer.concepts import ConceptMatcher
from indexer.facets import FacetTables
from indexer.scoring import phrase_docs, raw_postings
from indexer.suggest import suggest

CONCEPT_BOOST = 2.5  # cross-language concept match, below a match on the words typed
RELAX_BELOW = 5  # fewer strict matches than this: also show partial ones


@dataclass
class Compiled:
    mask: np.ndarray
    scoring: wq.Query | None
    unknown: list[str]


@dataclass
class QueryPlan:
    """Everything a search needs from its words, before facet filters."""

    tree: object
    base: np.ndarray  # documents the words (and concepts) match
    scoring: wq.Query | None
    words: list[str]  # the positive words, in order
    concepts: list[str] = field(default_factory=list)
    expansion: list[dict] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    coverage_units: list[np.ndarray] = field(default_factory=list)  # one mask per query word
    relaxed_base: np.ndarray | None = None  # documents matching some of the words
    suggestion: str | None = None  # the query with its unknown words corrected

    def coverage(self, docnums: np.ndarray) -> np.ndarray:
        """The share of the query's words each document covers (1.0 without several words)."""
        if len(self.coverage_units) < 2:
            return np.ones(len(docnums))
        covered = np.sum([unit[docnums] for unit in self.coverage_units], axis=0)
        return covered / len(self.coverage_units)


def docs_mask(searcher, query: wq.Query | None, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    if query is None:
        return mask
    terms = _plain_terms(query)
    if terms is not None:  # an Or of Terms (and Phrases): union the postings' id arrays
        for leaf, offset in _leaves(searcher):
            for term in terms:
                if type(term) is wq.Phrase:
                    continue
                ids = _posting_ids(leaf, term.fieldname, term.text)
                if ids is not None:
                    mask[ids + offset] = True
        for phrase in terms:
            if type(phrase) is wq.Phrase:  # found once per search, scoring reuses them
                mask[phrase_docs(searcher, phrase)] = True
        return mask
    found = np.fromiter(query.docs(searcher), dtype=np.int64)
    if found.size:
        mask[found] = True
    return mask


# Whoosh walks an Or of terms through a tree of union matchers, one Python call
# per document per level: two thirds of the time of a one-word query at 10,000
# entries. Reading each term's posting blocks as arrays and OR-ing them in numpy
# gives the same documents (deleted ones are masked by the caller, as before).


def _plain_terms(query: wq.Query) -> list[wq.Term | wq.Phrase] | None:
    """The Terms and Phrases of a query made only of them and Ors of them, else None."""
    if type(query) is wq.Term or type(query) is wq.Phrase and query.words:
        return [query]
    if type(query) is wq.Or:
        terms: list[wq.Term] = []
        for sub in query.subqueries:
            found = _plain_terms(sub)
            if found is None:
                return None
            terms.extend(found)
        return terms
    return None


def _leaves(searcher) -> list[tuple[object, int]]:
    reader = searcher.reader()
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def _posting_ids(reader, fieldname: str, text) -> np.ndarray | None:
    """Segment-local document numbers of one term (deleted ones included: callers mask
    them), or None when absent; read once and cached with the term's weights for scoring."""
    found = raw_postings(reader, fieldname, text)
    return None if found is None else found[0]


class Compiler:
    def __init__(self, searcher, tables: FacetTables):
        self.searcher = searcher
        self.tables = tables
        self._memo: dict = {}

    def compile(self, node) -> Compiled | None:
        """Each distinct node is compiled once (query trees are immutable and hashable)."""
        if node not in self._memo:
            self._memo[node] = self._compile(node)
        return self._memo[node]

    def _compile(self, node) -> Compiled | None:
        tables = self.tables
        if node is None:
            return None
        if isinstance(node, q.Word):
            if q.is_stop_everywhere(node.text):
                return None
            scoring = q.word_query(node.text)
            mask = docs_mask(self.searcher, scoring, tables.size)
            unknown: list[str] = []
            if not mask.any():
                unknown = [node.text]
                fuzzy = q.fuzzy_query(node.text)
                if fuzzy is not None:
                    scoring = fuzzy
                    mask = docs_mask(self.searcher, fuzzy, tables.size)
            stopped_in = q.stop_languages(node.text)
            if stopped_in:  # "de" is nothing in Spanish text: every Spanish entry has it
                mask |= tables.value_mask("lang", stopped_in)
            return Compiled(mask & tables.alive, scoring, unknown)
        if isinstance(node, q.Phrase):
            scoring = q.phrase_query(node.words)
            return Compiled(
                docs_mask(self.searcher, scoring, tables.size) & tables.alive, scoring, []
            )
        if isinstance(node, q.Not):
            inner = self.compile(node.child)
            mask = tables.alive.copy() if inner is None else tables.alive & ~inner.mask
            return Compiled(mask, None, [])
        positives, negatives = self._children(node)
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
        return Compiled(mask, scoring, [w for c in positives for w in c.unknown])

    def _children(self, node) -> tuple[list[Compiled], list[Compiled]]:
        positives, negatives = [], []
        for child in node.children:
            compiled = self.compile(child)
            if compiled is not None:
                (negatives if isinstance(child, q.Not) else positives).append(compiled)
        return positives, negatives

    def word_units(self, tree, words: list[str]) -> list[np.ndarray | None]:
        """One mask per word of a plain query (words and phrases side by side, no
        operators; None for a stop word), or [] when the query uses operators:
        concepts then add to the words they cover, and the soft AND is taken over
        the result."""
        if isinstance(tree, q.Word | q.Phrase):
            children = [tree]
        elif (
            isinstance(tree, q.Group)
            and tree.kind == "soft"
            and all(isinstance(child, q.Word | q.Phrase) for child in tree.children)
        ):
            children = list(tree.children)
        else:
            return []
        units: list[np.ndarray | None] = []
        for child in children:
            compiled = self.compile(child)
            if compiled is None or isinstance(child, q.Word) and q.stop_languages(child.text):
                units.append(None)  # "de", "the": required of no entry, in any language
            else:
                units.extend(
                    [compiled.mask] * (len(child.words) if isinstance(child, q.Phrase) else 1)
                )
        return units if len(units) == len(words) else []


def plan_query(
    searcher,
    tables: FacetTables,
    text: str,
    expand: bool,
    matcher: ConceptMatcher,
    ui_lang: str = "en",
) -> QueryPlan:
    tree = q.parse(text)
    compiler = Compiler(searcher, tables)
    compiled = compiler.compile(tree)
    words = q.positive_words(tree)
    plan = QueryPlan(
        tree=tree,
        base=tables.alive.copy() if compiled is None else compiled.mask,
        scoring=compiled.scoring if compiled else None,
        words=words,
        unknown=compiled.unknown if compiled else [],
    )
    if plan.unknown:
        plan.suggestion = suggest(searcher, text, plan.unknown, ui_lang)
    units = compiler.word_units(tree, words)
    if expand and units:
        _expand(plan, searcher, tables, matcher, units)
    informative = [unit for unit in units if unit is not None]
    if informative:
        if expand:
            plan.base = np.sum(informative, axis=0) >= q.soft_minimum(len(informative))
        plan.coverage_units = informative
        plan.relaxed_base = np.logical_or.reduce(informative) | plan.base
    return plan


def _expand(
    plan: QueryPlan,
    searcher,
    tables: FacetTables,
    matcher: ConceptMatcher,
    units: list[np.ndarray | None],
) -> None:
    """Add the concepts found in the query: their documents match the words the concept
    stands for, in any language (the other words of the query must still match)."""
    typed = " ".join(plan.words)
    matches = matcher.find_in_query(typed)
    if not matches and plan.suggestion:  # "partcipatory budgeting" still means a concept
        corrected = q.positive_words(q.parse(plan.suggestion))
        if len(corrected) == len(plan.words):
            typed = " ".join(corrected)
            matches = matcher.find_in_query(typed)
    if not matches:
        return
    clauses = []
    for match in matches:
        plan.concepts.append(match.concept)
        plan.expansion.extend(expansion_terms(matcher, match.concept, typed))
        concept_docs = (
            docs_mask(searcher, wq.Term("concepts", match.concept), tables.size) & tables.alive
        )
        for position in range(match.start, min(match.end, len(units))):
            if units[position] is not None:  # the concept stands for these words
                units[position] = units[position] | concept_docs
        clauses.append(wq.Term("concepts", match.concept))
    concept_query = wq.Or(clauses, boost=CONCEPT_BOOST)
    plan.scoring = concept_query if plan.scoring is None else wq.Or([plan.scoring, concept_query])


def expansion_terms(matcher: ConceptMatcher, concept_id: str, typed: str) -> list[dict]:
    """The concept's preferred labels in the languages the user did not type."""
    concept = matcher.concepts[concept_id]
    typed_folded = q.fold(typed.lower())
    terms = []
    for lang in ANALYSED_LANGS:
        label = concept.pref.get(lang)
        if label and q.fold(label) not in typed_folded:
            terms.append({"concept": concept_id, "lang": lang, "term": label})
    return terms

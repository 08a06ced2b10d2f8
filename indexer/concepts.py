"""Finding thesaurus concepts in text, through the same analysis as the index.

A label matches a run of words when every word shares a form (stem, folded
or not) with the label's word at that place; stop words are skipped on both
sides. Documents are matched against their own language's labels plus the
multi-word labels of the other languages (English terms appear everywhere);
queries, whose language is unknown, against every language's labels, longest
match first, so "budget participatif" is one concept and not also "budget".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from corpus.thesaurus import Concept
from indexer.analysis import ANALYSED_LANGS, field_lang, word_forms, words


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    concept: str
    start: int  # word positions, end exclusive
    end: int
    lang: str  # the language of the label that matched


def _analysed(text: str, lang: str) -> tuple[list[frozenset[str]], list[int]]:
    """Word forms of `text`, stop words dropped, with each one's position among all words."""
    seqs, positions = [], []
    for position, (_, _, word) in enumerate(words(text)):
        forms = word_forms(word, lang)
        if forms:
            seqs.append(frozenset(forms))
            positions.append(position)
    return seqs, positions


class _Node:
    """One step of the label trie: the next word's forms, and the labels ending here."""

    __slots__ = ("next", "ends")

    def __init__(self):
        self.next: dict[str, _Node] = {}
        self.ends: dict[str, str] = {}  # concept id -> label language


class ConceptMatcher:
    """Labels in a trie of word forms per analysis language, so matching costs one or two
    dictionary look-ups per word of text however many labels there are."""

    def __init__(self, concepts: Iterable[Concept]):
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        self._tries: dict[str, _Node] = {}
        for lang in (*ANALYSED_LANGS, "xx"):
            root = _Node()
            for concept in self.concepts.values():
                for label_lang in ANALYSED_LANGS:
                    for label in concept.labels(label_lang):
                        seq = _analysed(label, lang)[0]
                        if not seq:
                            continue
                        if label_lang != lang and len(seq) < 2:
                            continue  # one foreign word is too weak a signal
                        self._insert(root, seq, concept.id, label_lang)
            self._tries[lang] = root

    @staticmethod
    def _insert(root: _Node, seq: list[frozenset[str]], concept_id: str, label_lang: str) -> None:
        nodes = [root]
        for (
            forms
        ) in seq:  # a word with two forms (accents folded before or after stemming) branches
            nodes = list(
                {
                    id(child): child
                    for node in nodes
                    for form in forms
                    for child in [node.next.setdefault(form, _Node())]
                }.values()
            )
        for node in nodes:
            node.ends.setdefault(concept_id, label_lang)

    def _matches_at(self, seqs: list[frozenset[str]], i: int, lang: str):
        frontier = [self._tries[lang]]
        seen: set[tuple[str, int]] = set()
        for k in range(i, len(seqs)):
            frontier = [
                child
                for node in frontier
                for form in seqs[k]
                if (child := node.next.get(form)) is not None
            ]
            if not frontier:
                return
            for node in frontier:
                for concept_id, label_lang in node.ends.items():
                    if (concept_id, k) not in seen:
                        seen.add((concept_id, k))
                        yield ConceptMatch(concept_id, i, k + 1, label_lang)

    def find_in_document(self, text: str, lang: str) -> Counter:
        """Concept id -> occurrences in a document's text (overlaps allowed)."""
        lang = field_lang(lang)
        seqs, _ = _analysed(text, lang)
        found: Counter = Counter()
        for i in range(len(seqs)):
            for match in self._matches_at(seqs, i, lang):
                found[match.concept] += 1
        return found

    def find_in_query(self, text: str) -> list[ConceptMatch]:
        """Non-overlapping concepts of a query, longest first, across all languages."""
        best: list[ConceptMatch] = []
        for lang in ANALYSED_LANGS:
            seqs, positions = _analysed(text, lang)
            for i in range(len(seqs)):
                for match in self._matches_at(seqs, i, lang):
                    best.append(
                        ConceptMatch(
                            match.concept,
                            positions[match.start],
                            positions[match.end - 1] + 1,
                            match.lang,
                        )
                    )
        best.sort(key=lambda m: (-(m.end - m.start), m.start))
        chosen: list[ConceptMatch] = []
        taken: set[int] = set()
        for match in best:
            span = set(range(match.start, match.end))
            if span & taken or any(c.concept == match.concept for c in chosen):
                continue
            chosen.append(match)
            taken |= span
        return chosen

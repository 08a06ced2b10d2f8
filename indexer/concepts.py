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

LabelSeq = tuple[frozenset[str], ...]


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


class ConceptMatcher:
    def __init__(self, concepts: Iterable[Concept]):
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        # per analysis language: first form -> [(concept id, label language, label sequence)]
        self._index: dict[str, dict[str, list[tuple[str, str, LabelSeq]]]] = {}
        for lang in (*ANALYSED_LANGS, "xx"):
            table: dict[str, list[tuple[str, str, LabelSeq]]] = {}
            for concept in self.concepts.values():
                for label_lang in ANALYSED_LANGS:
                    for label in concept.labels(label_lang):
                        seq = tuple(_analysed(label, lang)[0])
                        if not seq:
                            continue
                        own = label_lang == lang
                        if not own and len(seq) < 2:
                            continue  # one foreign word is too weak a signal
                        for form in seq[0]:
                            table.setdefault(form, []).append((concept.id, label_lang, seq))
            for candidates in table.values():
                candidates.sort(key=lambda c: -len(c[2]))
            self._index[lang] = table

    def _matches_at(self, seqs: list[frozenset[str]], i: int, lang: str):
        seen = set()
        for form in seqs[i]:
            for concept_id, label_lang, label in self._index[lang].get(form, ()):
                n = len(label)
                key = (concept_id, n)
                if key in seen or i + n > len(seqs):
                    continue
                if all(seqs[i + k] & label[k] for k in range(n)):
                    seen.add(key)
                    yield ConceptMatch(concept_id, i, i + n, label_lang)

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
                    best.append(ConceptMatch(match.concept, positions[match.start],
                                             positions[match.end - 1] + 1, match.lang))
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

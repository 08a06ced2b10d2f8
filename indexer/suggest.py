"""'Did you mean': corrections from the index's own vocabulary, in the query's language.

Only words that match nothing anywhere are corrected; the vocabulary is the
unstemmed `spell_<lang>` field, tried first in the language the query seems
to be in: the one whose vocabulary knows most of the query's other words, the
interface language breaking ties (a language detector would cost memory in
every server process and guesses poorly on two or three words).
"""

from __future__ import annotations

import re

from indexer.analysis import FIELD_LANGS, fold, words
from indexer.schema import spell_field


def query_language(searcher, query_text: str, ui_lang: str) -> str:
    reader = searcher.reader()
    known = {lang: 0 for lang in FIELD_LANGS}
    for _, _, word in words(query_text):
        for lang in FIELD_LANGS:
            if reader.doc_frequency(spell_field(lang), word):
                known[lang] += 1
    best = max(known.values())
    if best == 0 or known.get(ui_lang, 0) == best:
        return ui_lang if ui_lang in known else "en"
    return max(known, key=lambda lang: known[lang])


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only, so the plain algorithm is fine)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _correct(searcher, word: str, langs: list[str]) -> str | None:
    """The closest known word in any language; the query's language first among equals."""
    reader = searcher.reader()
    best: tuple[int, int, str] | None = None
    for rank, lang in enumerate(langs):
        field = spell_field(lang)
        if field not in reader.schema:
            continue
        if reader.doc_frequency(field, word):
            return None  # a known word in this language: nothing to correct
        for found in searcher.corrector(field).suggest(word, limit=1, maxdist=2, prefix=1):
            candidate = (_distance(fold(word), fold(found)), rank, found)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def suggest(searcher, query_text: str, unknown_words: list[str], ui_lang: str) -> str | None:
    """The query with its unknown words corrected, or None when there is nothing to offer."""
    if not unknown_words:
        return None
    lang = query_language(searcher, query_text, ui_lang)
    order = [lang] + [other for other in FIELD_LANGS if other != lang]
    corrected = query_text
    changed = False
    for word in unknown_words:
        if len(word) < 3:
            continue
        fix = _correct(searcher, word, order)
        if fix and fix != word:
            corrected = _replace_word(corrected, word, fix)
            changed = True
    return corrected if changed else None


def _replace_word(text: str, word: str, fix: str) -> str:
    return re.sub(rf"(?i)(?<!\w){re.escape(word)}(?!\w)", fix, text, count=1)

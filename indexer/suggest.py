"""'Did you mean': corrections from the index's own vocabulary, in the query's language.

Only words that match nothing anywhere are corrected; the vocabulary is the
unstemmed `spell_<lang>` field, tried first in the language the query seems
to be in: the one whose vocabulary knows most of the query's other words, the
interface language breaking ties (a language detector would cost memory in
every server process and guesses poorly on two or three words).
"""

from __future__ import annotations

import re

from indexer.analysis import FIELD_LANGS, words
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


def _correct(searcher, word: str, langs: list[str]) -> str | None:
    reader = searcher.reader()
    for lang in langs:
        field = spell_field(lang)
        if field not in reader.schema:
            continue
        if reader.doc_frequency(field, word):
            return None  # a known word in this language: nothing to correct
        found = searcher.corrector(field).suggest(word, limit=1, maxdist=2, prefix=1)
        if found:
            return found[0]
    return None


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

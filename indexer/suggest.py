"""'Did you mean': corrections from the index's own vocabulary, in the query's language.

Only words that match nothing anywhere are corrected; the vocabulary is the
unstemmed `spell_<lang>` field, tried first in the language the query seems
to be in (the interface language breaking ties on short queries).
"""

from __future__ import annotations

from observatory.languages import detect_language

from indexer.analysis import FIELD_LANGS
from indexer.schema import spell_field


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
    lang = detect_language(query_text, hint=ui_lang, default=ui_lang)
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
    import re

    return re.sub(rf"(?i)(?<!\w){re.escape(word)}(?!\w)", fix, text, count=1)

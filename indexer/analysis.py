"""Per-language text analysis: tokenize, lowercase, drop stop words, stem and fold accents.

Each of en, fr, es, pt has a pipeline; any other language gets the generic one
(no stemming). Accents are folded in both orders that matter: a token is
indexed as fold(stem(word)) *and* stem(fold(word)) when they differ, and a
query word is analysed the same way, so "educação", "educacao" and
"educações" meet whichever way either side was typed. Stemming uses
PyStemmer (Snowball in C) behind a cache and a guard: a stemmer error on an
odd word falls back to the folded word instead of stopping indexing or a query.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.lang import stopwords_for_language

from observatory.languages import BY_CODE, SUPPORTED

ANALYSED_LANGS = SUPPORTED  # each has its own pipeline (observatory.languages declares them)
GENERIC = "xx"  # the pipeline (and field suffix) for every other language
FIELD_LANGS = (*ANALYSED_LANGS, GENERIC)
MAX_TOKEN = 40  # longer "words" (hashes, base64, hostile input) are not indexed

TOKEN_PATTERN = r"\w+"  # hyphens and apostrophes split words: "l'eau", "bike-sharing"
_WORD = re.compile(TOKEN_PATTERN, re.UNICODE)


def fold(text: str) -> str:
    """Remove diacritics: "participación" -> "participacion", "ç" -> "c", "œ" -> "oe"."""
    text = text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8)
def stop_words(lang: str) -> frozenset[str]:
    if lang not in ANALYSED_LANGS:
        return frozenset()
    words = set(stopwords_for_language(lang)) | BY_CODE[lang].extra_stops
    return frozenset(words | {fold(w) for w in words})


_stemmers: dict[str, Stemmer.Stemmer] = {}


def _stem_function(lang: str):
    stemmer = _stemmers.get(lang)
    if stemmer is None:
        stemmer = _stemmers[lang] = Stemmer.Stemmer(BY_CODE[lang].snowball)
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        try:
            return cache[word]
        except KeyError:
            pass
        try:
            result = stemmer.stemWord(word) or word
        except Exception:  # a stemmer bug on one odd word must never stop the batch
            result = word
        if len(cache) < 200_000:
            cache[word] = result
        return result

    return stem


@lru_cache(maxsize=8)
def stemmer_for(lang: str):
    """A cached, guarded stem function for one of the analysed languages."""
    return _stem_function(lang)


_FORMS_CACHE_MAX = 300_000  # words per language; a corpus's vocabulary is far smaller
_forms_cache: dict[str, dict[str, tuple[str, ...]]] = {}


def word_forms(word: str, lang: str) -> tuple[str, ...]:
    """The index terms of one lowercased word in `lang`: () for a stop word.

    Cached per language: folding and stemming every token again was a fifth
    of indexing time, and a corpus repeats the same few thousand words.

    >>> word_forms("educação", "pt"), word_forms("educacao", "pt")
    (('educ', 'educaca'), ('educaca',))
    """
    cache = _forms_cache.get(lang)
    if cache is None:
        cache = _forms_cache.setdefault(lang, {})
    forms = cache.get(word)
    if forms is None:
        forms = _word_forms(word, lang)
        if len(cache) < _FORMS_CACHE_MAX:
            cache[word] = forms
    return forms


def _word_forms(word: str, lang: str) -> tuple[str, ...]:
    if not word or len(word) > MAX_TOKEN:
        return ()
    if lang not in ANALYSED_LANGS:
        return (fold(word),)
    if word in stop_words(lang):
        return ()
    stem = stemmer_for(lang)
    folded = fold(word)
    first = fold(stem(word))
    second = stem(folded)
    return (first,) if first == second else (first, second)


class LanguageFormsFilter(Filter):
    """Replaces each token by its `word_forms` in one language, at the same position.

    >>> from whoosh.analysis import RegexTokenizer, LowercaseFilter
    >>> ana = RegexTokenizer() | LowercaseFilter() | LanguageFormsFilter("fr")
    >>> [t.text for t in ana("Les budgets participatifs")]
    ['budget', 'particip']
    """

    def __init__(self, lang: str):
        self.lang = lang

    def __eq__(self, other):
        return isinstance(other, LanguageFormsFilter) and other.lang == self.lang

    def __call__(self, tokens):
        lang = self.lang
        for token in tokens:
            forms = word_forms(token.text, lang)
            if not forms:
                continue
            for form in forms:
                token.text = form
                yield token


class FoldFilter(Filter):
    """Lowercased, accent-folded tokens, too-long ones dropped (for ids, places, tags)."""

    def __call__(self, tokens):
        for token in tokens:
            if len(token.text) <= MAX_TOKEN:
                token.text = fold(token.text)
                yield token


def language_analyzer(lang: str):
    """The Whoosh analyzer of one language's text fields."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | LanguageFormsFilter(lang)


def plain_analyzer():
    """Lowercase and fold, no stemming: places, tags, spelling vocabulary."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter()


def spelling_analyzer():
    """Lowercase only, accents kept, so suggestions are shown as people write them."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()


def field_lang(lang: str) -> str:
    """The field suffix that holds text in `lang`."""
    return lang if lang in ANALYSED_LANGS else GENERIC


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, lowercased word) of each word in `text`, for highlighting and matching."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), match.group().lower()


def analyse(text: str, lang: str) -> list[tuple[str, ...]]:
    """The forms of each word of `text` in `lang`, stop words kept as ()."""
    return [word_forms(word, field_lang(lang)) for _, _, word in words(text)]

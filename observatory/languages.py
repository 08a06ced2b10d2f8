"""The languages the observatory speaks, declared once; and language detection.

`LANGUAGES` is the one table of languages: analysis (stemmer, stop words),
detection, labels and the interface's languages all read it, so adding a
language is one `Language(...)` entry plus its data (docs/ARCHITECTURE.md).

Detection is deterministic and restricted to what the observatory expects.

Two detectors, each where it is good (figures: docs/crawler.md, bench/langid.py).
Short text (titles) goes to lingua restricted to the four supported languages
(en, fr, es, pt): 94% right on two-word titles where langdetect gets 63%.
Longer text goes to langdetect, seeded so the same text always gets the same
answer, which also recognises the languages we do not fully support. Text with
too few letters to tell gets the caller's hint, or the default language.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Language:
    """One language the observatory analyses, detects, labels and (when `ui`) speaks."""

    code: str  # ISO 639-1: entries' `lang`, field suffixes, catalogs, `?ui=`
    names: dict[str, str]  # the language's name in each language of the table
    native: str  # its own name as the language switcher shows it
    lingua: str  # lingua's name for it (short-text detection)
    snowball: str  # PyStemmer's algorithm name (stemming)
    extra_stops: frozenset[str] = frozenset()  # beyond Whoosh's list: words too common to index
    ui: bool = False  # the interface is translated (webui/translations/<code>)


LANGUAGES: tuple[Language, ...] = (
    Language(
        code="en",
        names={"en": "English", "fr": "anglais", "es": "inglés", "pt": "inglês"},
        native="English",
        lingua="ENGLISH",
        snowball="english",
        extra_stops=frozenset({"also", "may", "can", "one"}),
        ui=True,
    ),
    Language(
        code="fr",
        names={"en": "French", "fr": "français", "es": "francés", "pt": "francês"},
        native="Français",
        lingua="FRENCH",
        snowball="french",
        extra_stops=frozenset({"les", "des", "du", "au", "aux", "plus", "ainsi", "cette", "ces"}),
        ui=True,
    ),
    Language(
        code="es",
        names={"en": "Spanish", "fr": "espagnol", "es": "español", "pt": "espanhol"},
        native="Español",
        lingua="SPANISH",
        snowball="spanish",
        extra_stops=frozenset({"los", "las", "del", "al", "también", "través", "cada"}),
        ui=True,
    ),
    Language(
        code="pt",
        names={"en": "Portuguese", "fr": "portugais", "es": "portugués", "pt": "português"},
        native="Português",
        lingua="PORTUGUESE",
        snowball="portuguese",
        extra_stops=frozenset({"os", "as", "dos", "das", "do", "da", "também", "através", "cada"}),
    ),
)
BY_CODE = {language.code: language for language in LANGUAGES}
SUPPORTED = tuple(BY_CODE)  # analysed, detected, labelled: en, fr, es, pt
UI_LANGUAGES = tuple(language.code for language in LANGUAGES if language.ui)
LINGUA_LANGUAGES = tuple(language.lingua for language in LANGUAGES)
DEFAULT_LANGUAGE = "en"
MIN_LETTERS = 3  # below this, nothing can be told
LONG_TEXT = 120  # below this many letters, lingua among the supported languages decides
OTHER_LANGUAGE_THRESHOLD = 0.90  # a long text is another language only when langdetect is this sure
HINT_FLOOR = 0.2  # a declared language stands unless the text gives it less than this

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_lock = threading.Lock()
_ready = False
_lingua_detector = None


def _factory():
    global _ready
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    with _lock:
        if not _ready:
            init_factory()
            DetectorFactory.seed = 0
            _ready = True
    from langdetect import detector_factory

    return detector_factory._factory


def language_probabilities(text: str) -> dict[str, float]:
    """langdetect's probabilities for `text` (deterministic), {} when it cannot tell."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    try:
        detector = factory.create()
        detector.append(text[:5000])
        return {str(p.lang).split("-")[0]: p.prob for p in detector.get_probabilities()}
    except LangDetectException:
        return {}


def _lingua():
    """lingua restricted to the supported languages, built once on first use (~0.6 s, ~120 MB)."""
    global _lingua_detector
    with _lock:
        if _lingua_detector is None:
            from lingua import Language, LanguageDetectorBuilder

            chosen = [getattr(Language, name) for name in LINGUA_LANGUAGES]
            _lingua_detector = LanguageDetectorBuilder.from_languages(*chosen).build()
    return _lingua_detector


def short_text_probabilities(text: str) -> dict[str, float]:
    """lingua's confidence per supported language for a short text (deterministic)."""
    values = _lingua().compute_language_confidence_values(text[:1000])
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def detect_language(text: str, *, hint: str | None = None, default: str = DEFAULT_LANGUAGE) -> str:
    """The ISO 639-1 code of `text`'s language.

    Short text (a title) is scored by lingua among the supported languages only:
    langdetect is unreliable there (63% on two-word titles, bench/langid.py).
    Longer text goes to langdetect, which knows 55 languages. `hint` (a declared
    language: a page's `<html lang>`, a source's setting) wins when the text does
    not clearly contradict it.
    """
    letters = len(_LETTERS.findall(text or ""))
    hint = (hint or "").lower().split("-")[0].split("_")[0] or None
    if letters < MIN_LETTERS:
        return hint or default
    if letters < LONG_TEXT:
        if hint and hint not in SUPPORTED:
            return hint  # a declared language we cannot score on short text
        probs = short_text_probabilities(text)
        if hint and probs.get(hint, 0.0) >= HINT_FLOOR:
            return hint
        return max(probs.items(), key=lambda kv: kv[1])[0] if probs else hint or default
    probs = language_probabilities(text)
    if not probs:
        return hint or default
    best, best_p = max(probs.items(), key=lambda kv: kv[1])
    if hint and probs.get(hint, 0.0) >= HINT_FLOOR:
        return hint
    if best in SUPPORTED or best_p >= OTHER_LANGUAGE_THRESHOLD:
        return best
    supported = {lang: p for lang, p in probs.items() if lang in SUPPORTED}
    return max(supported.items(), key=lambda kv: kv[1])[0] if supported else best

"""Language detection, deterministic and restricted to what the observatory expects.

langdetect draws random samples unless seeded; we seed it once so the same
text always gets the same language. Its raw answer is then weighed towards the
four supported languages (en, fr, es, pt): a short text gets one of them unless
another language is overwhelmingly likely. Text with too few letters to tell
gets the caller's hint, or the default language.
"""

from __future__ import annotations

import re
import threading

SUPPORTED = ("en", "fr", "es", "pt")
DEFAULT_LANGUAGE = "en"
MIN_LETTERS = 3  # below this, nothing can be told
SHORT_TEXT = 40  # below this many letters, only supported languages are considered
OTHER_LANGUAGE_THRESHOLD = 0.90

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_lock = threading.Lock()
_ready = False


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


def detect_language(text: str, *, hint: str | None = None, default: str = DEFAULT_LANGUAGE) -> str:
    """The ISO 639-1 code of `text`'s language.

    `hint` (a declared language: a page's `<html lang>`, a source's setting) wins
    when the text is too short to contradict it confidently.
    """
    letters = len(_LETTERS.findall(text or ""))
    hint = (hint or "").lower().split("-")[0] or None
    if letters < MIN_LETTERS:
        return hint or default
    probs = language_probabilities(text)
    if not probs:
        return hint or default
    best, best_p = max(probs.items(), key=lambda kv: kv[1])
    if hint and probs.get(hint, 0.0) >= 0.2 and letters < SHORT_TEXT * 3:
        return hint
    if best in SUPPORTED:
        return best
    if letters >= SHORT_TEXT and best_p >= OTHER_LANGUAGE_THRESHOLD:
        return best
    supported = {lang: p for lang, p in probs.items() if lang in SUPPORTED}
    if supported:
        return max(supported.items(), key=lambda kv: kv[1])[0]
    if letters >= SHORT_TEXT:
        return best
    return hint or default

"""Language identification on short text: two-word titles and single sentences (en, fr, es, pt).

Compares, in one run: langdetect alone (seeded), lingua restricted to a few
languages (when installed), and observatory.languages.detect_language without
a hint (the crawler's case when a page declares nothing). The labelled sets in
bench/data/langid/ were written for this project; they are not a public set.

    .venv/bin/python bench/langid.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATA = Path(__file__).parent / "data" / "langid"
LANGS = ("en", "fr", "es", "pt")


def load(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def langdetect_alone():
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            return detect(text)
        except LangDetectException:
            return "??"

    return run


def lingua_detector():
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    from observatory.languages import LINGUA_LANGUAGES

    chosen = [getattr(Language, name) for name in LINGUA_LANGUAGES]
    detector = LanguageDetectorBuilder.from_languages(*chosen).build()

    def run(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "??"

    return run


def ours():
    from observatory.languages import detect_language

    return lambda text: detect_language(text)


def score(run, rows) -> tuple[float, Counter]:
    errors: Counter = Counter()
    right = 0
    for lang, text in rows:
        got = run(text)
        if got == lang:
            right += 1
        else:
            errors[f"{lang}->{got}"] += 1
    return right / len(rows), errors


def main() -> None:
    sets = {"titles (2 words)": load("titles.tsv"), "sentences": load("sentences.tsv")}
    contenders = [
        ("langdetect alone", langdetect_alone),
        ("lingua (restricted)", lingua_detector),
        ("observatory detect_language", ours),
    ]
    print(f"{'detector':30} " + " ".join(f"{name:>18}" for name in sets) + "   start-up")
    for name, make in contenders:
        started = time.perf_counter()
        run = make()
        if run is None:
            print(f"{name:30} not installed")
            continue
        run("warm up")
        startup = time.perf_counter() - started
        results = [score(run, rows) for rows in sets.values()]
        print(
            f"{name:30} " + " ".join(f"{acc:>17.1%} " for acc, _ in results) + f"  {startup:6.2f} s"
        )
        for (set_name, _), (_, errors) in zip(sets.items(), results, strict=True):
            if errors:
                print(
                    f"    {set_name} errors: "
                    + ", ".join(f"{k} x{v}" for k, v in errors.most_common(6))
                )
    print(
        f"\n{sum(len(r) for r in sets.values())} labelled texts, "
        + ", ".join(f"{len(r)} {n}" for n, r in sets.items())
    )


if __name__ == "__main__":
    main()

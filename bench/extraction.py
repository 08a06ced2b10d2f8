"""Main-text extraction quality: token-level precision, recall and F1 per page, averaged.

The metric is the one of the article-extraction-benchmark (word tokens, bag
of words intersection). The pages are NOT a public benchmark: none could be
reached from here (only package registries are), so bench/data/extraction/
holds pages written for this project with their gold main text (see
make_pages.py there). All extractors run on the same pages in the same run.

    .venv/bin/python bench/extraction.py
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATA = Path(__file__).parent / "data" / "extraction"


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def prf(got: str, gold: str) -> tuple[float, float, float]:
    got_t, gold_t = tokens(got), tokens(gold)
    common = sum((got_t & gold_t).values())
    precision = common / sum(got_t.values()) if got_t else 0.0
    recall = common / sum(gold_t.values()) if gold_t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def extractors():
    from corpus.maintext import bs4_main_text, main_text, trafilatura_main_text

    found = [
        ("observatory (trafilatura + bs4 fallback)", main_text),
        ("trafilatura alone", trafilatura_main_text),
        ("bs4 heuristic alone", lambda html, url=None: bs4_main_text(html)),
    ]
    try:
        from readability import Document

        def readability(html, url=None):
            from bs4 import BeautifulSoup

            return BeautifulSoup(Document(html).summary(), "lxml").get_text("\n")

        found.append(("readability-lxml", readability))
    except ImportError:
        pass
    try:
        import justext

        stoplists = {"en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese"}

        def jt(html, url=None):
            lang = (url or "").rsplit("/", 1)[-1][:2]  # page names start with their language
            stoplist = justext.get_stoplist(stoplists.get(lang, "English"))
            paragraphs = justext.justext(html.encode("utf-8"), stoplist)
            return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

        found.append(("jusText (default settings)", jt))
    except ImportError:
        pass
    from bs4 import BeautifulSoup

    found.append(
        ("all page text (floor)", lambda html, url=None: BeautifulSoup(html, "lxml").get_text("\n"))
    )
    return found


def main() -> None:
    pages = sorted(DATA.glob("*.html"))
    print(f"{len(pages)} pages from {DATA} (written for the project, not a public benchmark)\n")
    print(f"{'extractor':42} {'precision':>9} {'recall':>7} {'F1':>6} {'s/page':>7}")
    for name, run in extractors():
        scores = []
        started = time.perf_counter()
        for page in pages:
            html = page.read_text("utf-8")
            gold = page.with_suffix(".txt").read_text("utf-8")
            scores.append(prf(run(html, f"https://city.example/{page.stem}") or "", gold))
        per_page = (time.perf_counter() - started) / len(pages)
        p, r, f = (sum(s[i] for s in scores) / len(scores) for i in range(3))
        print(f"{name:42} {p:9.3f} {r:7.3f} {f:6.3f} {per_page:7.3f}")


if __name__ == "__main__":
    main()

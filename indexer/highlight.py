"""Snippets with the matching words marked: escaped text whose only markup is <mark>.

Words are compared through the same analysis as the index, in the entry's own
language, so "budgets" marks "budget" and a cross-language match marks the
entry's own words for the concept ("orçamento participativo").
"""

from __future__ import annotations

import html

from indexer.analysis import field_lang, word_forms, words

WINDOW_WORDS = 32
MAX_SNIPPET_CHARS = 320


def target_forms(query_words: list[str], extra_phrases: list[str], lang: str) -> set[str]:
    lang = field_lang(lang)
    forms: set[str] = set()
    for word in query_words:
        forms.update(word_forms(word, lang))
    for phrase in extra_phrases:
        for _, _, word in words(phrase):
            forms.update(word_forms(word, lang))
    return forms


def highlight(text: str, targets: set[str], lang: str) -> str:
    """The best window of `text` with target words in <mark>; its start when nothing matches."""
    if not text:
        return ""
    lang = field_lang(lang)
    spans = list(words(text))
    hits = [
        i for i, (_, _, w) in enumerate(spans) if targets and set(word_forms(w, lang)) & targets
    ]
    if hits:
        best_start, best_count = hits[0], 0
        for i in hits:  # the window starting at a hit that holds the most hits
            count = sum(1 for j in hits if i <= j < i + WINDOW_WORDS)
            if count > best_count:
                best_start, best_count = i, count
        first = max(0, best_start - 4)
    else:
        first = 0
    last = min(len(spans), first + WINDOW_WORDS)
    if not spans:
        return html.escape(text[:MAX_SNIPPET_CHARS])
    begin = spans[first][0] if first > 0 else 0
    end = spans[last - 1][1] if last < len(spans) else len(text)
    hit_set = set(hits)
    out: list[str] = ["… " if begin > 0 else ""]
    cursor = begin
    for i in range(first, last):
        start, stop, _ = spans[i]
        out.append(html.escape(text[cursor:start]))
        piece = html.escape(text[start:stop])
        out.append(f"<mark>{piece}</mark>" if i in hit_set else piece)
        cursor = stop
    out.append(html.escape(text[cursor:end]))
    if end < len(text):
        out.append(" …")
    return "".join(out).strip()

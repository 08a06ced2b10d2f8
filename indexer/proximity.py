"""A bonus for results whose title or summary has the query's words close together.

Computed in Python over the top-ranked candidates' stored title and summary,
rather than as Whoosh phrase queries over every match: those walked the
positions of every document holding all the words, and cost more than half of
the time of a two-word query at 100,000 entries.
"""

from __future__ import annotations

from indexer.analysis import analyse, field_lang, word_forms

WINDOW_SLACK = 3  # extra words allowed between the query's words
PART_BONUS = {"title": 0.35, "summary": 0.2}


def _smallest_window(positions: list[list[int]]) -> int | None:
    """Length of the smallest span of text holding one position of every word."""
    events = sorted((p, w) for w, ps in enumerate(positions) for p in ps)
    need, have, counts, best, left = len(positions), 0, [0] * len(positions), None, 0
    for pos, word in events:
        if counts[word] == 0:
            have += 1
        counts[word] += 1
        while have == need:
            span = pos - events[left][0] + 1
            best = span if best is None or span < best else best
            counts[events[left][1]] -= 1
            if counts[events[left][1]] == 0:
                have -= 1
            left += 1
    return best


def proximity_factor(words: list[str], data: dict) -> float:
    """1.0, or more when the words stand close together in the title or the summary."""
    lang = field_lang(data.get("lang") or "")
    wanted = [set(word_forms(w, lang)) for w in words]
    wanted = [forms for forms in wanted if forms]
    if len(wanted) < 2:
        return 1.0
    factor = 1.0
    for part, bonus in PART_BONUS.items():
        text = data.get(part) or ""
        if not text:
            continue
        analysed = analyse(text, lang)
        positions = [
            [i for i, forms in enumerate(analysed) if set(forms) & want] for want in wanted
        ]
        if not all(positions):
            continue
        window = _smallest_window(positions)
        if window is not None and window <= len(wanted) + WINDOW_SLACK:
            factor += bonus
    return factor

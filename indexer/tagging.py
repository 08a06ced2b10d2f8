"""Suggested tags for an entry, each with its reasons, for the editor to accept in one click.

Two kinds of evidence, added up per theme:
- the entry's own text: thesaurus concepts found in it (the title counts
  three times, the summary twice, the body once, capped per concept) vote
  for the themes of those concepts;
- the entries already tagged: the published entries most similar to it
  (`SearchEngine.similar`) vote for their themes, more when more of them agree.
The region is suggested from the country when they disagree or it is missing.
Themes the entry already has are not suggested.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from observatory import taxonomy
from observatory.entry import Entry
from observatory.errors import NotFound

TEXT_WEIGHTS = (("title", 3), ("summary", 2), ("body", 1))
CONCEPT_CAP = 6  # one concept repeated all over a page counts this much at most
SIMILAR_LIMIT = 8
SIMILAR_WEIGHT = 1.5  # one similar entry's vote, against one body mention of a concept
MIN_SCORE = 2.0
MAX_SUGGESTIONS = 5


@dataclass
class Suggestion:
    field: str  # "themes" or "region"
    value: str
    score: float
    concepts: list[str] = field(default_factory=list)  # concept ids that matched
    similar: list[str] = field(default_factory=list)  # ids of similar entries with this theme
    from_country: str = ""


def concept_votes(matcher, entry: Entry) -> dict[str, float]:
    """Concept id -> weighted occurrences in the entry's text (capped)."""
    counts: dict[str, float] = defaultdict(float)
    for part, weight in TEXT_WEIGHTS:
        text = getattr(entry, part)
        if text:
            for concept, n in matcher.find_in_document(text, entry.lang or "xx").items():
                counts[concept] += n * weight
    return {c: min(n, CONCEPT_CAP) for c, n in counts.items()}


def suggest_tags(engine, entry: Entry, *, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Themes (best first) and the region, with the evidence for each."""
    themes: dict[str, Suggestion] = {}

    def vote(theme: str, score: float) -> Suggestion:
        found = themes.setdefault(theme, Suggestion("themes", theme, 0.0))
        found.score += score
        return found

    matcher = engine.matcher
    for concept_id, weight in concept_votes(matcher, entry).items():
        for theme in matcher.concepts[concept_id].themes:
            vote(theme, weight).concepts.append(concept_id)
    try:
        neighbours = engine.similar(entry.id, limit=SIMILAR_LIMIT)
    except NotFound:  # not indexed yet: the text alone speaks
        neighbours = []
    for hit in neighbours:
        for theme in hit.get("themes") or []:
            vote(theme, SIMILAR_WEIGHT).similar.append(hit["id"])
    ranked = sorted(
        (
            s
            for t, s in themes.items()
            if t not in entry.themes and t in taxonomy.THEME_IDS and s.score >= MIN_SCORE
        ),
        key=lambda s: (-s.score, s.value),
    )[:limit]
    for suggestion in ranked:
        suggestion.score = round(suggestion.score, 2)
    if entry.country:
        region = taxonomy.region_of_country(entry.country)
        if region and region != entry.region:
            ranked.append(Suggestion("region", region, 0.0, from_country=entry.country))
    return ranked

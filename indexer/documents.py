"""Turning an Entry into the fields of one Whoosh document."""

from __future__ import annotations

import json

from indexer.analysis import field_lang
from indexer.concepts import ConceptMatcher
from indexer.schema import spell_field, text_field
from observatory import facets, taxonomy
from observatory.entry import Entry

CONCEPT_WEIGHTS = {"title": 3, "summary": 2, "body": 1}
HIGHLIGHT_CHARS = 4000  # of the body kept for snippets


def pubkey(published: str) -> str:
    """'2015-07' -> '20150700': sortable as text and as a number."""
    if not published:
        return "00000000"
    parts = published.split("-") + ["00", "00"]
    return f"{parts[0]}{parts[1]}{parts[2]}"


def result_data(entry: Entry) -> dict:
    """The fields a search result shows (contract section 5), plus text for the snippet."""
    return {
        "id": entry.id,
        "type": entry.type,
        "title": entry.title,
        "summary": entry.summary,
        "lang": entry.lang,
        "city": entry.city,
        "country": entry.country,
        "region": entry.region,
        "themes": entry.themes,
        "year": entry.year,
        "published": entry.published,
        "url": entry.url,
        "status": entry.status,
        "demo": entry.is_demo,
        "body": entry.body[:HIGHLIGHT_CHARS],
    }


def place_text(entry: Entry) -> str:
    parts = [entry.city, entry.organisation]
    if entry.country:
        parts += [taxonomy.country_label(entry.country, lang) for lang in taxonomy.LANGS]
    if entry.region:
        parts += [taxonomy.region_label(entry.region, lang) for lang in taxonomy.LANGS]
    return " ".join(p for p in parts if p)


def concept_tokens(entry: Entry, matcher: ConceptMatcher | None) -> str:
    counts: dict[str, int] = {theme: 1 for theme in entry.themes}
    if matcher is not None:
        for part, weight in CONCEPT_WEIGHTS.items():
            text = getattr(entry, part)
            if text:
                for concept, n in matcher.find_in_document(text, entry.lang).items():
                    counts[concept] = counts.get(concept, 0) + n * weight
    return " ".join(" ".join([concept] * min(n, 50)) for concept, n in sorted(counts.items()))


def to_document(entry: Entry, matcher: ConceptMatcher | None) -> dict:
    lang = field_lang(entry.lang)
    doc = {
        "id": entry.id,
        "pubkey": pubkey(entry.published),
        "concepts": concept_tokens(entry, matcher),
        "tags": " ".join(entry.tags),
        "place": place_text(entry),
        "data": json.dumps(result_data(entry), ensure_ascii=False),
        spell_field(lang): "\n".join(p for p in (entry.title, entry.summary) if p),
    }
    for facet in facets.all_facets():
        value = facet.document_value(entry)
        if value or facet.multi:
            doc[facet.field] = value
    for part in ("title", "summary", "body"):
        text = getattr(entry, part)
        if text:
            doc[text_field(part, lang)] = text
    return doc

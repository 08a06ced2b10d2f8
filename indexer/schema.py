"""The one Whoosh schema, with why each field exists.

Text is indexed per language: an entry's title, summary and body go into the
fields of its own language (`title_fr`...), analysed by that language's
pipeline; entries in any other language use the generic `_xx` fields. A query
word is analysed by every pipeline and looked up in each one's fields, so no
one has to say what language they type in.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import FIELD_LANGS, language_analyzer, plain_analyzer, spelling_analyzer
from observatory import facets

TEXT_PARTS = ("title", "summary", "body")
# Query-time weight of each part: a word in the title says more than one in the body.
PART_BOOSTS = {"title": 3.0, "summary": 2.0, "body": 1.0}


def facet_fields(*, multi: bool) -> tuple[str, ...]:
    """The index fields of the declared facets (observatory.facets), single- or multi-valued."""
    return tuple(f.field for f in facets.all_facets() if f.multi == multi)


def text_field(part: str, lang: str) -> str:
    return f"{part}_{lang}"


def spell_field(lang: str) -> str:
    return f"spell_{lang}"


def build_schema() -> Schema:
    fields = {
        # The entry id: unique key for updates and deletes.
        "id": ID(stored=True, unique=True),
        # Sort key for "newest": YYYYMMDD with unknown month/day as 00.
        "pubkey": ID,
        # Thesaurus concept ids, repeated per occurrence (title counts thrice): the
        # language-independent bridge that cross-language matching and similarity use.
        "concepts": KEYWORD(scorable=True),
        # Free keywords, and where the entry is (city, organisation, country and region
        # names in four languages): searchable without stemming.
        "tags": TEXT(analyzer=plain_analyzer()),
        "place": TEXT(analyzer=plain_analyzer()),
        # What a result shows, as one JSON string, loaded only for the page displayed.
        "data": STORED,
    }
    for facet in facets.all_facets():
        # Facets and filters hold exact values (codes, not words); one per entry as an ID,
        # several (themes) as space-separated keywords.
        fields[facet.field] = KEYWORD(lowercase=True) if facet.multi else ID()
    for lang in FIELD_LANGS:
        analyzer = language_analyzer(lang)
        for part in TEXT_PARTS:
            fields[text_field(part, lang)] = TEXT(analyzer=analyzer)
        # Unstemmed words of titles and summaries as people write them: "did you mean" and
        # typo tolerance (bodies too cost 28% of indexing time for no measured gain).
        fields[spell_field(lang)] = TEXT(analyzer=spelling_analyzer(), phrase=False)
    return Schema(**fields)

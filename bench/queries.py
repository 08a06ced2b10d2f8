"""The mixed query set: the same requests for the observatory and for FTS5.

Single words, two or three words, phrases, words of one language looking for
another's entries, each with and without facet filters, plus browsing (no
query, newest first) and a second page. Built from fixed lists, so every run
and both engines see the same queries in the same order.
"""

from __future__ import annotations

from urllib.parse import urlencode

WORDS = [
    "budget",
    "transparency",
    "données",
    "participación",
    "mobilidade",
    "energy",
    "inondations",
    "vivienda",
    "bibliotecas",
    "waste",
    "compostagem",
    "algorithm",
    "telemedicine",
    "fibre",
    "incubadora",
]
SHORT = [
    "open data",
    "participatory budgeting",
    "bike sharing",
    "energy efficiency",
    "datos abiertos",
    "orçamento participativo",
    "budget participatif",
    "digital skills training",
    "affordable housing city",
    "leak detection water",
]
PHRASES = [
    '"open data portal"',
    '"presupuestos participativos"',
    '"zones à faibles émissions"',
    '"community health centres"',
    '"plano diretor"',
]
CROSS = [
    "participatory budget",
    "données ouvertes",
    "smart parking",
    "gestión de residuos",
    "inclusão digital",
]
FILTERS = [
    {},
    {"theme": ["open-data"]},
    {"region": ["europe"], "lang": ["fr", "es"]},
    {"theme": ["citizen-participation", "e-government"], "year_from": ["2015"]},
    {"type": ["practice"], "country": ["BR"]},
]


def query_set() -> list[dict[str, list[str]]]:
    """Request arguments (each a list of strings, as a query string parses)."""
    texts = WORDS + SHORT + PHRASES + CROSS
    queries = []
    for number, text in enumerate(texts):
        queries.append({"q": [text]})
        queries.append({"q": [text], **FILTERS[1 + number % (len(FILTERS) - 1)]})
    for filters in FILTERS:
        queries.append(dict(filters))  # browsing, with and without filters
    queries.append({"q": ["open data"], "page": ["3"]})
    queries.append({"q": ["budget"], "sort": ["newest"], "region": ["latin-america"]})
    return queries


def as_path(args: dict[str, list[str]]) -> str:
    """The /api/search address of one query."""
    return "/api/search?" + urlencode([(k, v) for k, vs in args.items() for v in vs])

"""Themes, regions, entry types and countries, with labels in en, fr, es, pt.

The ids are the contract's (section 2); the labels and the country-to-region
table live in `observatory/data/*.yaml` so that they can be read and corrected
without touching code. Country names come from Babel's CLDR data.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from observatory.languages import BY_CODE, SUPPORTED

LANGS = SUPPORTED  # the languages labels are written in (observatory.languages declares them)

THEME_IDS = (
    "e-government",
    "open-data",
    "citizen-participation",
    "smart-mobility",
    "digital-inclusion",
    "connectivity",
    "environment-energy",
    "urban-planning",
    "public-safety",
    "health-social",
    "education-culture",
    "local-economy",
    "data-governance",
    "municipal-management",
    "water-waste",
)
REGION_IDS = (
    "africa",
    "asia-pacific",
    "eurasia",
    "europe",
    "latin-america",
    "middle-east-west-asia",
    "north-america",
)
TYPE_IDS = ("practice", "trend")


@cache
def _data() -> dict:
    text = resources.files("observatory").joinpath("data/taxonomy.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def _countries() -> dict[str, str]:
    text = resources.files("observatory").joinpath("data/countries.yaml").read_text("utf-8")
    return {str(code).upper(): region for code, region in yaml.safe_load(text).items()}


@cache
def _labels(kind: str) -> dict[str, dict[str, str]]:
    return {item["id"]: item["labels"] for item in _data()[kind]}


def _pick(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("en") or fallback


def theme_label(theme_id: str, lang: str = "en") -> str:
    return _pick(_labels("themes").get(theme_id, {}), lang, theme_id)


def region_label(region_id: str, lang: str = "en") -> str:
    return _pick(_labels("regions").get(region_id, {}), lang, region_id)


def type_label(type_id: str, lang: str = "en") -> str:
    return _pick(_labels("types").get(type_id, {}), lang, type_id)


def theme_description(theme_id: str, lang: str = "en") -> str:
    for item in _data()["themes"]:
        if item["id"] == theme_id:
            return _pick(item.get("description", {}), lang, "")
    return ""


def is_country(code: str) -> bool:
    return code.upper() in _countries()


def region_of_country(code: str) -> str:
    """The region of an ISO 3166-1 alpha-2 code, '' for an unknown code."""
    return _countries().get(code.upper(), "")


def country_codes() -> list[str]:
    return sorted(_countries())


@cache
def country_label(code: str, lang: str = "en") -> str:
    """The country's name in `lang` (CLDR through Babel), the code itself when unknown."""
    from babel import Locale

    try:
        return Locale.parse(lang).territories.get(code.upper(), code.upper())
    except (ValueError, LookupError):
        return code.upper()


@cache
def language_label(code: str, lang: str = "en") -> str:
    """A language's name in `lang`: our own table for the four, CLDR for the rest."""
    if code in BY_CODE:
        names = BY_CODE[code].names
        return names.get(lang, names["en"])
    from babel import Locale

    try:
        return Locale.parse(lang).languages.get(code, code)
    except (ValueError, LookupError):
        return code


def facet_label(facet: str, value: str, lang: str = "en") -> str:
    """The label shown for one facet value, in the interface language (the facet table's)."""
    from observatory import facets  # the table reads this module's labels

    return facets.label(facet, value, lang)

"""The taxonomy of the contract, with labels in four languages and every country placed."""

import yaml
from babel import Locale

from observatory import taxonomy

# Codes CLDR knows that are not ISO 3166-1 alpha-2 countries (reserved, groupings, unknown).
NOT_COUNTRIES = {
    "AC",
    "CP",
    "CQ",
    "DG",
    "EA",
    "EU",
    "EZ",
    "IC",
    "QO",
    "TA",
    "UN",
    "XA",
    "XB",
    "XK",
    "ZZ",
}


def test_contract_ids():
    assert len(taxonomy.THEME_IDS) == 15
    assert len(taxonomy.REGION_IDS) == 7
    data = yaml.safe_load(
        taxonomy.resources.files("observatory").joinpath("data/taxonomy.yaml").read_text()
    )
    assert [t["id"] for t in data["themes"]] == list(taxonomy.THEME_IDS)
    assert sorted(r["id"] for r in data["regions"]) == sorted(taxonomy.REGION_IDS)


def test_english_labels_are_the_contracts():
    assert taxonomy.theme_label("open-data") == "Open data and transparency"
    assert taxonomy.theme_label("water-waste") == "Water, sanitation and waste"


def test_every_theme_and_region_has_four_distinct_language_labels():
    for theme in taxonomy.THEME_IDS:
        labels = [taxonomy.theme_label(theme, lang) for lang in taxonomy.LANGS]
        assert all(labels) and len(set(labels)) >= 3, (theme, labels)
    for region in taxonomy.REGION_IDS:
        assert all(taxonomy.region_label(region, lang) for lang in taxonomy.LANGS)
    assert taxonomy.region_label("latin-america", "es") != taxonomy.region_label(
        "latin-america", "en"
    )


def test_every_iso_country_has_a_valid_region():
    iso = {
        code for code in Locale("en").territories if len(code) == 2 and code.isalpha()
    } - NOT_COUNTRIES
    assert set(taxonomy.country_codes()) == iso
    assert len(iso) == 249
    for code in iso:
        assert taxonomy.region_of_country(code) in taxonomy.REGION_IDS, code


def test_some_placements():
    assert taxonomy.region_of_country("NO") == "europe"  # not YAML's `false`
    assert taxonomy.region_of_country("br") == "latin-america"
    assert taxonomy.region_of_country("SN") == "africa"
    assert taxonomy.region_of_country("KZ") == "eurasia"
    assert taxonomy.region_of_country("JO") == "middle-east-west-asia"
    assert taxonomy.region_of_country("CA") == "north-america"
    assert taxonomy.region_of_country("KR") == "asia-pacific"
    assert taxonomy.region_of_country("ZZ") == ""


def test_country_and_language_labels_follow_the_interface_language():
    assert taxonomy.country_label("BR", "fr") == "Brésil"
    assert taxonomy.country_label("BR", "es") == "Brasil"
    assert taxonomy.language_label("pt", "fr") == "portugais"
    assert taxonomy.facet_label("type", "trend", "en") != "trend"

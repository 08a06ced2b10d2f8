"""Entry validation: every refusal names its field; defaults are derived, unknown keys kept."""

import datetime as dt

import pytest

from observatory.entry import entry_from_mapping
from observatory.errors import EntryInvalid

BASE = {"id": "lyon-open-data", "type": "practice", "title": "Open data portal"}


def test_minimal_entry_gets_defaults():
    entry = entry_from_mapping(
        {**BASE, "summary": "The city publishes its datasets openly for everyone."}
    )
    assert (entry.status, entry.themes, entry.tags, entry.region) == ("published", [], [], "")
    assert entry.lang == "en"


def test_region_derived_from_country_and_country_uppercased():
    entry = entry_from_mapping({**BASE, "country": "br"})
    assert (entry.country, entry.region) == ("BR", "latin-america")


def test_explicit_region_is_kept_even_if_country_says_otherwise():
    entry = entry_from_mapping({**BASE, "country": "FR", "region": "africa"})
    assert entry.region == "africa"


def test_unknown_keys_are_kept_in_extra_and_written_back():
    entry = entry_from_mapping({**BASE, "budget_source": "EU", "contacts": {"web": "x"}})
    assert entry.extra == {"budget_source": "EU", "contacts": {"web": "x"}}
    assert entry.to_mapping()["budget_source"] == "EU"


@pytest.mark.parametrize(
    "value, expected",
    [
        (2015, "2015"),
        ("2015-07", "2015-07"),
        (dt.date(2015, 7, 1), "2015-07-01"),
        ("2015-07-01", "2015-07-01"),
    ],
)
def test_published_forms(value, expected):
    entry = entry_from_mapping({**BASE, "published": value})
    assert entry.published == expected
    assert entry.year == 2015


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id": "Bad Id"}, "id"),
        ({"id": None}, "id"),
        ({"type": "news"}, "type"),
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"lang": "english"}, "lang"),
        ({"country": "XX"}, "country"),
        ({"region": "mars"}, "region"),
        ({"themes": ["open-data", "space-travel"]}, "themes"),
        ({"themes": {"a": 1}}, "themes"),
        ({"status": "archived"}, "status"),
        ({"published": "15/07/2015"}, "published"),
        ({"published": "2015-02-30"}, "published"),
        ({"published": "2015-13"}, "published"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"title": "x" * 501}, "title"),
        ({"tags": ["t"] * 0 + [f"tag{i}" for i in range(51)]}, "tags"),
    ],
)
def test_each_refusal_names_the_field(change, field):
    with pytest.raises(EntryInvalid) as info:
        entry_from_mapping({**BASE, **change})
    assert info.value.field == field


def test_non_mapping_is_refused():
    with pytest.raises(EntryInvalid):
        entry_from_mapping(["not", "a", "mapping"])


def test_themes_from_a_delimited_string():
    entry = entry_from_mapping({**BASE, "themes": "open-data; e-government"})
    assert entry.themes == ["open-data", "e-government"]


def test_version_changes_with_any_field_and_only_then():
    a = entry_from_mapping({**BASE, "lang": "en"})
    b = entry_from_mapping({**BASE, "lang": "en"})
    c = entry_from_mapping({**BASE, "lang": "en", "tags": ["x"]})
    assert a.version == b.version != c.version


def test_language_detection_is_deterministic_and_restricted():
    text = {
        "summary": "La ville publie ses données ouvertes pour tous les habitants et les entreprises."
    }
    langs = {entry_from_mapping({**BASE, **text}).lang for _ in range(5)}
    assert langs == {"fr"}


def test_too_short_text_falls_back_to_default_language():
    entry = entry_from_mapping({**BASE, "title": "OK"})
    assert entry.lang == "en"


def test_unquoted_yaml_no_is_norway_and_norwegian():
    import yaml

    entry = entry_from_mapping(
        yaml.safe_load("{id: oslo-x, type: practice, title: T, country: NO, lang: no}")
    )
    assert (entry.country, entry.lang, entry.region) == ("NO", "no", "europe")


def test_a_yaml_date_out_of_range_is_refused():
    import yaml

    with pytest.raises(EntryInvalid) as info:
        entry_from_mapping({**BASE, **yaml.safe_load("published: 3021-01-01")})
    assert info.value.field == "published"

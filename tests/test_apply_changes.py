"""An edit that changes the country moves a derived region along with it."""

from corpus.editing import apply_changes
from observatory.entry import entry_from_mapping


def make(**fields):
    return entry_from_mapping(
        {
            "id": "santos-lights",
            "type": "practice",
            "title": "LED street lights",
            "lang": "en",
            **fields,
        }
    )


def test_derived_region_follows_a_new_country():
    assert apply_changes(make(country="BR"), {"country": "NG"}).region == "africa"


def test_an_explicit_region_is_kept_and_one_given_with_the_change_wins():
    assert apply_changes(make(country="BR", region="europe"), {"country": "NG"}).region == "europe"
    assert (
        apply_changes(make(country="BR"), {"country": "NG", "region": "europe"}).region == "europe"
    )

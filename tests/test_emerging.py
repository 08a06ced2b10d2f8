"""What is emerging: found on a generated corpus made to have a rising term (and concept),
not on the same corpus where that term stays level; the statistic itself; the command."""

from __future__ import annotations

import json

import pytest

from indexer.emerging import Window, emerging, lift

VOCABULARY = [
    "parking",
    "library",
    "budget",
    "lighting",
    "recycling",
    "housing",
    "tourism",
    "schools",
    "water",
    "bicycles",
]
YEARS = range(2019, 2027)
PER_YEAR = 10
THESAURUS = """
- id: microgrid
  themes: [environment-energy]
  pref: {en: microgrid, fr: micro-réseau}
"""


def rising_share(year: int, rising: bool) -> int:
    """Entries of `year` that mention microgrids: 8 of 10 in 2025-2026 when rising, else 1."""
    return 8 if rising and year >= 2025 else 1


def make_trend_home(path, *, rising: bool):
    """A generated corpus: every other word is equally common every year."""
    from corpus.store import CorpusStore
    from indexer.build import update_index
    from observatory.entry import entry_from_mapping
    from observatory.home import Home

    home = Home(path)
    home.thesaurus_path.write_text(THESAURUS, "utf-8")
    store = CorpusStore(home.corpus_dir)
    for year in YEARS:
        for i in range(PER_YEAR):
            first, second = VOCABULARY[i], VOCABULARY[(i + 3) % len(VOCABULARY)]
            extra = " with a microgrid" if i < rising_share(year, rising) else ""
            store.put(
                entry_from_mapping(
                    {
                        "id": f"e-{year}-{i}",
                        "type": "practice",
                        "lang": "en",
                        "published": f"{year}-{i + 1:02d}",
                        "themes": ["municipal-management"],
                        "title": f"Programme for {first} and {second}{extra}",
                        "summary": f"The city improves {first} services{extra}.",
                    }
                )
            )
    update_index(home)
    return home


@pytest.fixture
def rising_home(tmp_path):
    return make_trend_home(tmp_path / "rising", rising=True)


@pytest.fixture
def level_home(tmp_path):
    return make_trend_home(tmp_path / "level", rising=False)


def found(home, **window):
    from indexer.search import SearchEngine, SearchQuery

    with SearchEngine(home) as engine:
        return emerging(engine, SearchQuery.from_args({}), Window(**window))


def test_a_rising_term_and_concept_are_found(rising_home):
    answer = found(rising_home)
    assert answer["recent_years"] == [2025, 2026] and answer["previous_years"] == [2021, 2024]
    assert answer["recent_total"] == 20 and answer["previous_total"] == 40
    assert [t["label"] for t in answer["terms"]] == ["microgrid"]
    term = answer["terms"][0]
    assert (term["recent"], term["previous"]) == (16, 4)
    assert term["lift"] == round(lift(16, 20, 4, 40), 3)
    assert term["q"] == "microgrid"
    assert [(c["key"], c["recent"], c["previous"]) for c in answer["concepts"]] == [
        ("microgrid", 16, 4)
    ]


def test_nothing_emerges_when_every_term_stays_level(level_home):
    answer = found(level_home)
    assert answer["terms"] == [] and answer["concepts"] == []


def test_min_count_keeps_rare_terms_out(rising_home):
    assert found(rising_home, min_count=17)["terms"] == []


def test_windows_can_be_moved(rising_home):
    answer = found(rising_home, until=2024)  # before the rise: level
    assert answer["recent_years"] == [2023, 2024] and answer["terms"] == []


def test_filters_and_query_narrow_what_is_counted(rising_home):
    from indexer.search import SearchEngine, SearchQuery

    with SearchEngine(rising_home) as engine:
        answer = emerging(engine, SearchQuery.from_args({"q": ["parking"]}), Window(min_count=1))
    assert answer["recent_total"] == 4 and answer["previous_total"] == 8


def test_the_statistic():
    assert lift(4, 20, 8, 40) == pytest.approx(0.0, abs=0.1)  # same share: no rise
    assert lift(16, 20, 4, 40) > 2  # from a tenth to four fifths
    assert lift(3, 20, 0, 40) > lift(2, 20, 0, 40) > 0  # new terms: more support, more lift


def test_trends_page_links_each_emerging_term_to_its_search(rising_home):
    from webui import create_app

    client = create_app(rising_home, {"TESTING": True}).test_client()
    html = client.get("/trends?theme=municipal-management&ui=en").get_data(as_text=True)
    assert '<a href="/?q=microgrid&amp;theme=municipal-management&amp;ui=en">microgrid</a>' in html
    search = client.get("/api/search?q=microgrid&theme=municipal-management").get_json()
    assert search["total"] == 16 + 4 + 2  # and those of 2019-2020


def test_command_prints_the_same_object(rising_home):
    from click.testing import CliRunner

    from observatory.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(rising_home.path), "trends", "--json"])
    assert result.exit_code == 0, result.output
    assert [t["label"] for t in json.loads(result.output)["terms"]] == ["microgrid"]
    text = runner.invoke(cli, ["--home", str(rising_home.path), "trends", "--window", "2:4"])
    assert "microgrid" in text.output and "4 -> 16" in text.output
    bad = runner.invoke(cli, ["--home", str(rising_home.path), "trends", "--window", "two"])
    assert bad.exit_code == 2

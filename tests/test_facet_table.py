"""One declaration per facet and per language (observatory/facets.py, observatory/languages.py).

A throwaway facet registered for this module only (the first letter of each
title) must show up everywhere a facet does: the index, the API's counts and
filters, the search page's filter lists, the trends and the command line,
with nothing but its `Facet(...)` declaration.
"""

from collections import Counter

import pytest
import yaml
from click.testing import CliRunner

from observatory import facets, languages

INITIAL = facets.Facet(
    name="initial",
    field="initial",
    values=lambda entry: (entry.title[:1].lower(),) if entry.title[:1].isalpha() else (),
    title="Initial",
    noun="initial",
    cli_help="First letter of the title (repeatable).",
    page_order=9,
    trend=True,
    accepts=lambda value: len(value) == 1 and value.isalpha(),
    label=lambda value, lang: value.upper(),
)


@pytest.fixture(scope="module")
def initial_home(tmp_path_factory):
    from tests.conftest import make_home

    with facets.registered(INITIAL):
        return make_home(tmp_path_factory.mktemp("initial"), demo=False)


@pytest.fixture(scope="module")
def expected(initial_home):
    """Published entries per initial, counted from the corpus files, not through the index."""
    records = [yaml.safe_load(p.read_text()) for p in initial_home.corpus_dir.glob("*.yaml")]
    published = [r for r in records if r.get("status", "published") == "published"]
    return Counter(str(r["title"])[0].lower() for r in published if str(r["title"])[0].isalpha())


@pytest.fixture
def initial_client(initial_home):
    from webui import create_app

    with facets.registered(INITIAL):
        yield create_app(initial_home, {"TESTING": True}).test_client()


def test_the_api_counts_and_filters_a_declared_facet(initial_client, expected):
    data = initial_client.get("/api/search?per_page=100").get_json()
    counts = {item["value"]: item["count"] for item in data["facets"]["initial"]}
    assert counts == dict(expected)
    assert {item["label"] for item in data["facets"]["initial"]} == {v.upper() for v in expected}
    letter, count = expected.most_common(1)[0]
    chosen = initial_client.get(f"/api/search?initial={letter.upper()}&per_page=100").get_json()
    assert chosen["total"] == count
    assert {r["title"][0].lower() for r in chosen["results"]} == {letter}
    refused = initial_client.get("/api/search?initial=12")
    assert refused.status_code == 400 and "initial" in refused.get_json()["error"]


def test_the_search_page_lists_a_declared_facet_as_checkboxes(initial_client, expected):
    page = initial_client.get("/").get_data(as_text=True)
    assert 'id="facet-initial"' in page and "<legend>Initial</legend>" in page
    for letter in expected:
        assert f'id="f-initial-{letter}" name="initial" value="{letter}"' in page
    letter = next(iter(expected))
    chosen = initial_client.get(f"/?initial={letter}").get_data(as_text=True)
    assert f'name="initial" value="{letter}"\n         data-autosubmit checked' in chosen


def test_trends_split_by_a_declared_facet(initial_client, expected):
    data = initial_client.get("/api/trends?facet=initial").get_json()
    totals = {s["value"]: s["total"] for s in data["series"]}
    dated = sum(totals.values()) + data["undated"]
    assert set(totals) <= set(expected) and dated == sum(expected.values())
    assert 'value="initial"' in initial_client.get("/trends").get_data(as_text=True)


def test_the_command_line_offers_a_declared_facet(initial_home, expected):
    from observatory.cli import cli

    letter, count = expected.most_common(1)[0]
    with facets.registered(INITIAL):
        runner = CliRunner()
        helped = runner.invoke(cli, ["--home", str(initial_home.path), "search", "--help"])
        found = runner.invoke(
            cli, ["--home", str(initial_home.path), "search", "--initial", letter, "--json"]
        )
    assert "--initial" in helped.output and "First letter of the title" in helped.output
    assert found.exit_code == 0, found.output
    data = yaml.safe_load(found.output)
    assert data["total"] == count
    assert {r["title"][0].lower() for r in data["results"]} == {letter}


def test_without_its_declaration_the_facet_is_gone(client):
    everything = client.get("/api/search").get_json()
    assert "initial" not in everything["facets"]
    ignored = client.get("/api/search?initial=a").get_json()  # no longer a parameter
    assert ignored["total"] == everything["total"]


def test_every_language_list_derives_from_the_one_table():
    from indexer import analysis, query
    from observatory import taxonomy
    from webui import i18n

    codes = tuple(language.code for language in languages.LANGUAGES)
    assert taxonomy.LANGS == analysis.ANALYSED_LANGS == languages.SUPPORTED == codes
    assert i18n.UI_LANGUAGES == tuple(lang.code for lang in languages.LANGUAGES if lang.ui)
    assert set(i18n.NATIVE_NAMES) == set(i18n.UI_LANGUAGES)
    every = "the"  # a stop word in English only
    assert query.stop_languages(every) == ["en"] and not query.is_stop_everywhere(every)
    for language in languages.LANGUAGES:
        assert analysis.stemmer_for(language.code)("cities")  # each has a working stemmer
        assert taxonomy.language_label(language.code, "en") == language.names["en"]

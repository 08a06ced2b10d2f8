"""An index that knows what it was built with (indexer/version.py): schema, analysis and
thesaurus stamped in its manifest; a difference is reported by `check` and on the editors'
pages, rebuilt by `index`, and never mixed into answers; reading never builds an index."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from editor_support import login, prepare_home

from corpus.store import CorpusStore
from indexer.build import index_exists, update_index
from indexer.check import check_home
from indexer.search import SearchEngine, SearchQuery
from indexer.version import MANIFEST, PARTS, read_stamp
from observatory import facets
from observatory.entry import entry_from_mapping
from observatory.errors import IndexMissing
from observatory.home import Home

BATHING = (
    "- id: public-bathing\n  themes: [health-social]\n"
    "  pref: {en: sauna, fr: bains, es: baños, pt: banhos}\n"
)


def stored_home(path) -> Home:
    home = Home(path)
    store = CorpusStore(home.corpus_dir)
    for entry_id, title, lang in [
        ("oslo-sauna", "Public sauna by the fjord", "en"),
        ("lyon-bains", "Bains publics chauffés", "fr"),
    ]:
        store.put(
            entry_from_mapping({"id": entry_id, "type": "practice", "title": title, "lang": lang})
        )
    return home


def found(engine, words: str) -> set[str]:
    result = engine.search(SearchQuery.from_args({"q": [words]}))
    return {hit["id"] for hit in result["results"]}


def test_a_new_index_is_stamped_and_current(tmp_path):
    home = stored_home(tmp_path / "home")
    update_index(home)
    assert set(read_stamp(home.index_dir)) == set(PARTS)
    with SearchEngine(home) as engine:
        assert engine.stale_parts() == []
    assert [p for p in check_home(home) if p.area == "index"] == []


def test_a_changed_thesaurus_is_reported_never_mixed_and_rebuilt_by_index(tmp_path):
    home = stored_home(tmp_path / "home")
    update_index(home)
    with SearchEngine(home) as engine:
        assert found(engine, "bains") == {"lyon-bains"}
        home.thesaurus_path.write_text(BATHING, "utf-8")
        assert engine.stale_parts() == ["thesaurus"]
        # The documents were indexed without the new concept: queries do not use it either.
        assert found(engine, "bains") == {"lyon-bains"}
        problems = [p for p in check_home(home) if p.area == "index"]
        assert [p.message for p in problems] == [
            "The search index is out of date: the thesaurus changed (corpus/thesaurus.yaml "
            "or HOME/thesaurus.yaml). Run `observatory index` to rebuild it."
        ]
        report = update_index(home)
        assert report.rebuilt and report.stale == ["thesaurus"]
        assert "thesaurus changed" in report.summary()
        assert engine.stale_parts() == []
        assert found(engine, "bains") == {"lyon-bains", "oslo-sauna"}


def test_a_new_facet_changes_the_schema_stamp(tmp_path):
    home = stored_home(tmp_path / "home")
    update_index(home)
    extra = facets.Facet(name="initial", field="initial", values=lambda e: (e.title[:1],))
    with facets.registered(extra), SearchEngine(home) as engine:
        assert engine.stale_parts() == ["schema"]
        assert update_index(home).stale == ["schema"]
        assert engine.stale_parts() == []


def test_an_index_built_before_stamps_is_rebuilt_by_index(tmp_path):
    home = stored_home(tmp_path / "home")
    update_index(home)
    with sqlite3.connect(home.index_dir / MANIFEST) as db:
        db.execute("DELETE FROM stamp")
    db.close()
    from observatory.cli import cli

    done = CliRunner().invoke(cli, ["--home", str(home.path), "index"])
    assert done.exit_code == 0, done.output
    assert "rebuilt (schema, analysis, thesaurus changed)" in done.output
    assert set(read_stamp(home.index_dir)) == set(PARTS)


def test_reading_never_builds_a_missing_index(tmp_path):
    home = stored_home(tmp_path / "home")
    with SearchEngine(home) as engine, pytest.raises(IndexMissing, match="observatory index"):
        engine.search(SearchQuery.from_args({"q": ["sauna"]}))
    assert not index_exists(home)
    searched = subprocess.run(
        [sys.executable, "-m", "observatory", "--home", str(home.path), "search", "sauna"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert searched.returncode == 1 and "run `observatory index`" in searched.stderr
    from webui import create_app

    client = create_app(home, {"TESTING": True}).test_client()
    api = client.get("/api/search?q=sauna")
    assert api.status_code == 503 and "observatory index" in api.get_json()["error"]
    page = client.get("/?q=sauna&ui=fr")
    assert page.status_code == 503
    assert "observatory index" in page.get_data(as_text=True)
    assert not index_exists(home)


def test_the_editors_pages_say_when_the_index_is_out_of_date(small_home, tmp_path):
    prepare_home(small_home, tmp_path)
    from webui import create_app

    app = create_app(small_home, {"TESTING": True})
    client = app.test_client()
    login(client, "alice")
    assert 'id="index-stale"' not in client.get("/editor/").get_data(as_text=True)
    small_home.thesaurus_path.write_text(BATHING, "utf-8")
    page = client.get("/editor/?ui=fr").get_data(as_text=True)
    assert 'id="index-stale"' in page and "le thésaurus a changé" in page
    update_index(small_home)
    assert 'id="index-stale"' not in client.get("/editor/").get_data(as_text=True)
    app.extensions["observatory"].close()

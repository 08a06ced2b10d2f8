"""`observatory check` finds each way the corpus, index and database can disagree; `--repair` fixes
what needs no person, and says what does. Each case breaks a healthy home one way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

from corpus.importers import import_paths
from corpus.store import CorpusStore
from indexer.build import COMPLETE_MARK, _side_paths, concept_matcher, update_index
from indexer.check import check_home, repair_home
from indexer.documents import to_document
from observatory.cli import cli
from observatory.home import Home

ENTRIES = "".join(
    f"- id: entry-{i}\n  type: practice\n  title: Entry {i} about open data\n  lang: en\n"
    for i in range(6)
)


@pytest.fixture
def healthy(tmp_path) -> Home:
    home = Home(tmp_path / "home")
    source = tmp_path / "entries.yaml"
    source.write_text(ENTRIES, "utf-8")
    import_paths(CorpusStore(home.corpus_dir), [source])
    update_index(home)
    assert check_home(home) == []
    return home


def _indexed_ids(home: Home) -> list[str]:
    ix = whoosh_index.open_dir(str(home.index_dir))
    with ix.reader() as reader:
        ids = sorted(reader.stored_fields(n)["id"] for n in reader.all_doc_ids())
    ix.close()
    return ids


def _break_leftover_temporary(home: Home) -> None:
    (home.corpus_dir / ".entry-1.yaml.x1.tmp-write").write_text("id: half")


def _break_unfinished_rebuild(home: Home) -> None:
    shutil.copytree(home.index_dir, _side_paths(home)[0])  # index.new without its mark
    (_side_paths(home)[0] / COMPLETE_MARK).unlink()


def _break_swap_cut_after_moving_aside(home: Home) -> None:
    new, old = _side_paths(home)
    shutil.copytree(home.index_dir, new)
    home.index_dir.rename(old)  # killed between the two renames


def _break_file_removed_by_hand(home: Home) -> None:
    (home.corpus_dir / "entry-2.yaml").unlink()


def _break_file_added_by_hand(home: Home) -> None:
    (home.corpus_dir / "entry-9.yaml").write_text(
        "id: entry-9\ntype: practice\ntitle: Nine\nlang: en\n"
    )


def _break_file_edited_by_hand(home: Home) -> None:
    path = home.corpus_dir / "entry-3.yaml"
    path.write_text(path.read_text().replace("Entry 3", "Entry three, edited"))


def _break_duplicate_document(home: Home) -> None:
    ix = whoosh_index.open_dir(str(home.index_dir))
    writer = ix.writer()
    entry = CorpusStore(home.corpus_dir).get("entry-4")
    writer.add_document(**to_document(entry, concept_matcher(home)))
    writer.commit()
    ix.close()


def _break_lost_mark(home: Home) -> None:
    (home.index_dir / COMPLETE_MARK).unlink()


def _break_toc_temporary(home: Home) -> None:
    (home.index_dir / "_MAIN_7.toc.1700000000.5").write_bytes(b"half")


BREAKAGES = {
    "leftover temporary": (_break_leftover_temporary, "temporary file"),
    "unfinished rebuild": (_break_unfinished_rebuild, "interrupted swap"),
    "swap cut short": (_break_swap_cut_after_moving_aside, "no complete index"),
    "file removed by hand": (_break_file_removed_by_hand, "no corpus file"),
    "file added by hand": (_break_file_added_by_hand, "not indexed"),
    "file edited by hand": (_break_file_edited_by_hand, "older version"),
    "duplicate document": (_break_duplicate_document, "indexed 2 times"),
    "lost completion mark": (_break_lost_mark, "no complete index"),
    "whoosh toc temporary": (_break_toc_temporary, "interrupted index write"),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_each_breakage_is_found_then_repaired(healthy, name):
    breakage, words = BREAKAGES[name]
    breakage(healthy)
    problems = check_home(healthy)
    assert problems and all(p.automatic for p in problems), problems
    assert any(words in p.message for p in problems), problems
    assert repair_home(healthy)
    assert check_home(healthy) == []
    assert _indexed_ids(healthy) == CorpusStore(healthy.corpus_dir).ids()


def test_the_swap_cut_short_keeps_serving_the_complete_new_index(healthy):
    _break_swap_cut_after_moving_aside(healthy)
    repair_home(healthy)
    assert not any(side.exists() for side in _side_paths(healthy))
    assert _indexed_ids(healthy) == [f"entry-{i}" for i in range(6)]


def test_a_broken_corpus_file_is_reported_for_a_person(healthy):
    (healthy.corpus_dir / "entry-5.yaml").write_text("id: entry-5\ntype: [broken\n")
    problems = check_home(healthy)
    assert [(p.area, p.automatic) for p in problems if "entry-5" in p.where] == [("corpus", False)]
    repair_home(healthy)
    assert [p.where for p in check_home(healthy)] == [str(healthy.corpus_dir / "entry-5.yaml")]


def test_a_corrupt_database_is_reported(healthy):
    healthy.database_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    problems = check_home(healthy)
    assert [(p.area, p.automatic) for p in problems] == [("database", False)]


def test_the_command_says_how_to_repair_and_exits_1_until_repaired(healthy):
    _break_file_removed_by_hand(healthy)
    runner = CliRunner()
    found = runner.invoke(cli, ["--home", str(healthy.path), "check"])
    assert found.exit_code == 1
    assert "entry-2: indexed, but no corpus file" in found.output
    assert "Run `observatory check --repair`" in found.output
    fixed = runner.invoke(cli, ["--home", str(healthy.path), "check", "--repair"])
    assert fixed.exit_code == 0, fixed.output
    assert "repaired: removed 1 document(s) without a corpus file" in fixed.output
    assert runner.invoke(cli, ["--home", str(healthy.path), "check"]).exit_code == 0


def test_check_on_a_new_home_is_clean(tmp_path):
    """No entries and no index yet is not a problem; entries without an index are."""
    home = Home(Path(tmp_path) / "new")
    assert check_home(home) == []
    (home.corpus_dir / "entry-1.yaml").write_text("id: entry-1\ntype: practice\ntitle: One\n")
    assert [p.message for p in check_home(home)] == ["no complete index"]

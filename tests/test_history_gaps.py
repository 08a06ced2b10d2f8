"""A change stored without a history record (a save killed between its file and its record,
an import, a crawl) is recorded as such at the next save: the chain of versions stays whole."""

from corpus.editing import UNRECORDED_USER, Editing
from corpus.history import History
from corpus.store import CorpusStore
from observatory.entry import entry_from_mapping


def test_an_unrecorded_change_is_recorded_before_the_next_save(tmp_path):
    store = CorpusStore(tmp_path / "corpus")
    history = History(tmp_path / "observatory.db")
    editing = Editing(store, history)
    first = entry_from_mapping(
        {"id": "gap-entry", "type": "practice", "title": "One", "lang": "en"}
    )
    store.put(first)
    saved = editing.save(first.evolve(title="Two"), expected_version=first.version, user="alice")
    outside = saved.evolve(summary="Written without a record.")
    store.put(outside)  # e.g. a save killed before its history row, or an import
    editing.save(outside.evolve(title="Three"), expected_version=outside.version, user="bob")
    changes = list(reversed(history.of_entry("gap-entry")))
    assert [c.user for c in changes] == ["alice", UNRECORDED_USER, "bob"]
    assert [(c.from_version, c.to_version) for c in changes] == [
        (first.version, saved.version),
        (saved.version, outside.version),
        (outside.version, changes[2].to_version),
    ]
    assert changes[1].diff == [
        {"field": "summary", "old": None, "new": "Written without a record."}
    ]

"""The corpus store: one readable YAML file per entry, atomic, compare-and-set."""

import threading

import pytest
import yaml

from corpus.atomic import TEMP_SUFFIX
from corpus.store import CorpusStore
from observatory.entry import entry_from_mapping
from observatory.errors import NotFound, StaleVersion


def make(entry_id="a-practice", **fields):
    return entry_from_mapping(
        {"id": entry_id, "type": "practice", "title": "A title", "lang": "en", **fields}
    )


def test_put_writes_one_readable_yaml_file_with_unknown_keys(tmp_path):
    store = CorpusStore(tmp_path)
    store.put(make(body="line one\nline two", custom_field={"k": [1, 2]}))
    text = (tmp_path / "a-practice.yaml").read_text()
    assert "body: |" in text
    data = yaml.safe_load(text)
    assert data["custom_field"] == {"k": [1, 2]}
    assert store.get("a-practice").extra == {"custom_field": {"k": [1, 2]}}


def test_get_missing_and_hostile_ids(tmp_path):
    store = CorpusStore(tmp_path)
    with pytest.raises(NotFound):
        store.get("nothing-here")
    with pytest.raises(NotFound):
        store.get("../etc/passwd")


def test_stale_version_is_refused_and_nothing_written(tmp_path):
    store = CorpusStore(tmp_path)
    first, _ = store.put(make(title="One"))
    store.put(make(title="Two"), expected_version=first.version)
    with pytest.raises(StaleVersion):
        store.put(make(title="Three"), expected_version=first.version)
    assert store.get("a-practice").title == "Two"


def test_concurrent_compare_and_set_loses_no_update(tmp_path):
    """Many writers start from the same version; exactly one wins each round, none is silently lost."""
    store = CorpusStore(tmp_path)
    store.put(make(tags=[]))
    applied: list[str] = []

    def editor(name: str):
        for _ in range(50):
            current = store.get("a-practice")
            try:
                store.put(
                    current.evolve(tags=[*current.tags, name]), expected_version=current.version
                )
                applied.append(name)
                return
            except StaleVersion:
                continue

    threads = [threading.Thread(target=editor, args=(f"editor{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(store.get("a-practice").tags) == sorted(applied)
    assert len(applied) == 6


def test_leftover_temporaries_are_swept_and_never_listed(tmp_path):
    store = CorpusStore(tmp_path)
    store.put(make())
    (tmp_path / f".b-practice.yaml.123{TEMP_SUFFIX}").write_text("half a fi")
    assert CorpusStore(tmp_path).ids() == ["a-practice"]
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))


def test_fingerprint_changes_when_file_changes(tmp_path):
    store = CorpusStore(tmp_path)
    store.put(make(title="One"))
    before = store.fingerprints()["a-practice"]
    store.put(make(title="One, longer"))
    assert store.fingerprint("a-practice") != before


def test_unreadable_stored_file_is_reported_not_fatal(tmp_path):
    store = CorpusStore(tmp_path)
    store.put(make("good-one"))
    (tmp_path / "broken-one.yaml").write_text("id: broken-one\ntype: [unclosed\n")
    errors = []
    entries = list(store.entries(on_error=lambda path, exc: errors.append(path.name)))
    assert [e.id for e in entries] == ["good-one"]
    assert errors == ["broken-one.yaml"]


def test_a_valid_entry_written_over_an_unreadable_file_repairs_it(tmp_path):
    store = CorpusStore(tmp_path)
    (tmp_path / "a-practice.yaml").write_text("id: a-practice\ntitle: [broken\n")
    _, previous = store.put(make(title="Repaired"))
    assert previous is None and store.get("a-practice").title == "Repaired"

"""Importers: YAML, JSON, CSV, folders; each refusal reported with file, entry and field."""

import json

from corpus.importers import import_paths
from corpus.store import CorpusStore


def entry(entry_id, **fields):
    return {
        "id": entry_id,
        "type": "practice",
        "title": f"Title of {entry_id}",
        "lang": "en",
        **fields,
    }


def test_yaml_list_json_object_and_csv_in_nested_folders(tmp_path):
    src = tmp_path / "src"
    (src / "deep").mkdir(parents=True)
    (src / "a.yaml").write_text(
        "- id: one-a\n  type: practice\n  title: One\n  lang: en\n"
        "- id: two-a\n  type: trend\n  title: Two\n  lang: fr\n"
    )
    (src / "deep" / "b.json").write_text(json.dumps(entry("three-b", themes=["open-data"])))
    (src / "deep" / "c.csv").write_text(
        "id,type,title,lang,themes,country\nfour-c,practice,Four,es,open-data;e-government,ES\n"
    )
    (src / "notes.txt").write_text("ignored")
    store = CorpusStore(tmp_path / "corpus")
    report = import_paths(store, [src])
    assert sorted(report.added) == ["four-c", "one-a", "three-b", "two-a"]
    assert report.refused == []
    four = store.get("four-c")
    assert (four.themes, four.region) == (["open-data", "e-government"], "europe")


def test_refusals_name_file_entry_and_field_and_the_rest_goes_in(tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text(
        "- {id: good-one, type: practice, title: Good, lang: en}\n"
        "- {id: bad-theme, type: practice, title: Bad, themes: [moon-base]}\n"
        "- {type: practice, title: No id}\n"
        "- {id: good-two, type: trend, title: Also good, lang: en}\n"
    )
    store = CorpusStore(tmp_path / "corpus")
    report = import_paths(store, [path])
    assert sorted(report.added) == ["good-one", "good-two"]
    refused = {(r.source, r.entry, r.field) for r in report.refused}
    assert refused == {(str(path), "bad-theme", "themes"), (str(path), "#3", "id")}


def test_broken_files_are_refused_whole_and_stored_entries_untouched(tmp_path):
    store = CorpusStore(tmp_path / "corpus")
    import_paths(
        store,
        [_write(tmp_path / "ok.yaml", "- {id: kept-one, type: practice, title: Kept, lang: en}\n")],
    )
    before = (tmp_path / "corpus" / "kept-one.yaml").read_bytes()
    bad = [
        _write(tmp_path / "syntax.yaml", "- {id: x, type: [\n"),
        _write(tmp_path / "latin1.csv", "id,type,title\nx-y,practice,Caf\xe9\n".encode("latin-1")),
        _write(tmp_path / "binary.json", b"\x00\x01\x02garbage"),
        _write(tmp_path / "scalar.json", "42"),
        _write(tmp_path / "noheader.csv", "a,b\n1,2\n"),
    ]
    report = import_paths(store, bad + [tmp_path / "missing.yaml"])
    messages = {r.source.rsplit("/", 1)[-1]: r.message for r in report.refused}
    assert set(messages) == {
        "syntax.yaml",
        "latin1.csv",
        "binary.json",
        "scalar.json",
        "noheader.csv",
        "missing.yaml",
    }
    assert "UTF-8" in messages["latin1.csv"]
    assert (tmp_path / "corpus" / "kept-one.yaml").read_bytes() == before


def test_reimport_updates_and_reports_unchanged(tmp_path):
    store = CorpusStore(tmp_path / "corpus")
    path = _write(tmp_path / "e.json", json.dumps([entry("same-one"), entry("changes-one")]))
    assert sorted(import_paths(store, [path]).added) == ["changes-one", "same-one"]
    _write(
        path, json.dumps([entry("same-one"), entry("changes-one", summary="Now with a summary.")])
    )
    report = import_paths(store, [path])
    assert (report.unchanged, report.updated, report.added) == (["same-one"], ["changes-one"], [])
    assert store.get("changes-one").summary == "Now with a summary."


def test_duplicate_id_in_one_import_is_refused(tmp_path):
    path = _write(
        tmp_path / "dup.json", json.dumps([entry("twice-here"), entry("twice-here", title="Other")])
    )
    report = import_paths(CorpusStore(tmp_path / "corpus"), [path])
    assert report.added == ["twice-here"]
    assert [(r.entry, r.field) for r in report.refused] == [("twice-here", "id")]


def _write(path, data):
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data)
    return path

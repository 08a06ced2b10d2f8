"""Bad input is refused with its file, entry and field named; the rest goes in; nothing stored is harmed.

Each case writes one hostile file next to a good one and imports both, so a
refusal that swallowed the batch, or a crash, fails the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.importers import MAX_FILE_BYTES, import_paths
from corpus.store import CorpusStore
from observatory.entry import MAX_BODY, entry_from_mapping
from observatory.errors import EntryInvalid

GOOD = "id: good-entry\ntype: practice\ntitle: A good entry\nlang: en\n"


def _import(tmp_path: Path, name: str, content: bytes | str):
    bad = tmp_path / "in" / name
    bad.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    bad.write_bytes(content)
    good = tmp_path / "in" / "good.yaml"
    good.write_text(GOOD, "utf-8")
    store = CorpusStore(tmp_path / "corpus")
    report = import_paths(store, [bad, good])
    assert "good-entry" in report.added, report
    return store, report, str(bad)


def _alias_bomb(levels: int = 9) -> str:
    lines = ["id: bomb-entry", "type: practice", "title: Bomb", 'a0: &a0 ["lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# (file name, content, expected entry label, expected field, words in the message)
WHOLE_FILE_CASES = [
    ("broken.yaml", "id: x\n  title: [unclosed\n", "", "", "not valid YAML"),
    ("broken.json", '[{"id": "json-one", "type": "practice",', "", "", "not valid JSON"),
    (
        "latin1.yaml",
        "id: cafe-one\ntype: practice\ntitle: Caf\xe9\n".encode("latin-1"),
        "",
        "",
        "not UTF-8",
    ),
    ("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "", "", "binary"),
    (
        "nul-late.yaml",
        "id: nul-one\ntype: practice\ntitle: x" + "y" * 9000 + "\x00\n",
        "",
        "",
        "not valid YAML",
    ),
    ("bomb.yaml", _alias_bomb(), "", "", "aliases expand"),
    (
        "deep.json",
        '{"id": "deep-one", "type": "practice", "title": "x", "k": '
        + "[" * 5000
        + "]" * 5000
        + "}",
        "",
        "",
        "nested too deeply",
    ),
    (
        "deep-flow.yaml",
        "id: deep-two\ntype: practice\ntitle: x\nk: " + "[" * 50 + "]" * 50 + "\n",
        "",
        "",
        "nested more than",
    ),
    ("headless.csv", "title,type\nA,practice\n", "", "", "header row"),
    ("carriage.csv", "\r\x01", "", "", "header row"),  # found by tests/test_fuzz.py
    ("scalar.json", "42", "", "", "must hold an entry"),
    (
        "bigint.yaml",
        "id: big-int\ntype: practice\ntitle: x\nk: " + "9" * 5000 + "\n",
        "",
        "",
        "unreadable YAML value",
    ),
    (
        "bigint.json",
        '{"id": "big-int", "type": "practice", "title": "x", "k": ' + "9" * 5000 + "}",
        "",
        "",
        "unreadable JSON value",
    ),
]


@pytest.mark.parametrize(
    "name,content,entry,field,words", WHOLE_FILE_CASES, ids=[case[0] for case in WHOLE_FILE_CASES]
)
def test_a_bad_file_is_refused_whole_and_the_others_go_in(
    tmp_path, name, content, entry, field, words
):
    store, report, bad = _import(tmp_path, name, content)
    mine = [r for r in report.refused if r.source == bad]
    assert len(mine) == 1, report.refused
    assert (mine[0].entry, mine[0].field) == (entry, field)
    assert words in mine[0].message
    assert store.ids() == ["good-entry"]


ENTRY_CASES = [
    ("missing-id.yaml", "- type: practice\n  title: No id\n", "#1", "id"),
    (
        "bad-type.json",
        json.dumps([{"id": "bad-type", "type": "blog", "title": "x"}]),
        "bad-type",
        "type",
    ),
    (
        "bad-theme.yaml",
        "id: bad-theme\ntype: practice\ntitle: x\nthemes: [made-up]\n",
        "bad-theme",
        "themes",
    ),
    (
        "surrogate.json",
        '[{"id": "sur-one", "type": "practice", "title": "a\\ud800b"}]',
        "sur-one",
        "title",
    ),
    (
        "surrogate-extra.json",
        '[{"id": "sur-two", "type": "practice", "title": "ok", "note": "\\udfff"}]',
        "sur-two",
        "note",
    ),
    (
        "huge-body.csv",
        "id,type,title,body\nhuge-body,practice,Huge," + "w" * (MAX_BODY + 1) + "\n",
        "huge-body",
        "body",
    ),
    (
        "nested-extra.json",
        json.dumps(
            [
                {
                    "id": "nested-x",
                    "type": "practice",
                    "title": "x",
                    "k": json.loads("[" * 15 + "]" * 15),
                }
            ]
        ),
        "nested-x",
        "k",
    ),
    (
        "bad-date.yaml",
        "id: bad-date\ntype: practice\ntitle: x\npublished: 2015-13-45\n",
        "bad-date",
        "published",
    ),
    (
        "bad-url.yaml",
        "id: bad-url\ntype: practice\ntitle: x\nurl: 'javascript:alert(1)'\n",
        "bad-url",
        "url",
    ),
]


@pytest.mark.parametrize("name,content,entry,field", ENTRY_CASES, ids=[c[0] for c in ENTRY_CASES])
def test_a_bad_entry_is_refused_by_name_and_field(tmp_path, name, content, entry, field):
    store, report, bad = _import(tmp_path, name, content)
    mine = [r for r in report.refused if r.source == bad]
    assert [(r.entry, r.field) for r in mine] == [(entry, field)], mine
    assert store.ids() == ["good-entry"]


def test_ragged_csv_keeps_the_rows_before_the_bad_one(tmp_path):
    content = "id,type,title\nrow-one,practice,One\nrow-two,practice,Two,extra cell\nrow-three,practice,3\n"
    store, report, bad = _import(tmp_path, "ragged.csv", content)
    mine = [r for r in report.refused if r.source == bad]
    assert len(mine) == 1 and "line 3" in mine[0].message and "more cells" in mine[0].message
    assert store.ids() == ["good-entry", "row-one"]


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    content = "id: utf16-entry\ntype: practice\ntitle: Café\n".encode("utf-16")
    store, report, bad = _import(tmp_path, "utf16.yaml", content)
    assert not report.refused
    assert store.get("utf16-entry").title == "Café"


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "in" / "big.json"
    big.parent.mkdir(parents=True)
    with open(big, "wb") as handle:  # sparse: no 50 MB written
        handle.truncate(MAX_FILE_BYTES + 1)
    store = CorpusStore(tmp_path / "corpus")
    report = import_paths(store, [big])
    assert len(report.refused) == 1 and "too large" in report.refused[0].message


def test_nul_bytes_inside_text_fields_are_dropped(tmp_path):
    content = json.dumps([{"id": "nul-text", "type": "practice", "title": "a\u0000b"}])
    store, report, _ = _import(tmp_path, "nul.json", content)
    assert not report.refused and store.get("nul-text").title == "ab"


def test_an_alias_dag_given_directly_is_bounded_by_the_entry_check():
    """A caller that skips the importers (API, crawler) still cannot make a walk explode."""
    leaf: list = ["lol"] * 9
    for _ in range(12):
        leaf = [leaf] * 9
    with pytest.raises(EntryInvalid) as refused:
        entry_from_mapping(
            {"id": "dag-one", "type": "practice", "title": "x", "k": leaf}, detect_language=False
        )
    assert refused.value.field == "k"


def test_a_refused_update_leaves_the_stored_entry_untouched(tmp_path):
    store = CorpusStore(tmp_path / "corpus")
    keep = tmp_path / "keep.yaml"
    keep.write_text("id: keep-me\ntype: practice\ntitle: Kept\nlang: en\n", "utf-8")
    import_paths(store, [keep])
    before = store.path_of("keep-me").read_bytes()
    _, report, _ = _import(tmp_path, "worse.yaml", "id: keep-me\ntype: blog\ntitle: Changed\n")
    assert [(r.entry, r.field) for r in report.refused] == [("keep-me", "type")]
    assert store.path_of("keep-me").read_bytes() == before


def test_the_command_refuses_a_crashing_shape_and_exits_1(tmp_path):
    """libyaml's loader overflows its stack on ~10^5 nested brackets: run it in a child process."""
    deep = tmp_path / "deep.yaml"
    deep.write_text("id: deep-yaml\ntype: practice\ntitle: x\nk: " + "[" * 100_000 + "]" * 100_000)
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, "utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "observatory",
            "--home",
            str(tmp_path / "home"),
            "import",
            "--no-index",
            str(deep),
            str(good),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"refused: {deep}: line 4: nested more than" in done.stderr
    assert "1 added" in done.stdout

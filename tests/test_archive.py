"""Backup and restore: `observatory export` then `import ARCHIVE` on a new home gives back the
entries, accounts and tokens, and searches them; a hostile archive writes nothing outside."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.accounts import Accounts
from corpus.archive import import_archive, read_archive
from corpus.store import CorpusStore
from observatory.cli import cli
from observatory.home import Home

ENTRIES = "".join(
    f"- id: saved-{i}\n  type: practice\n  title: Saved entry {i} on water\n  lang: en\n"
    for i in range(5)
)


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def source_home(tmp_path) -> Home:
    home = Home(tmp_path / "source")
    entries = tmp_path / "entries.yaml"
    entries.write_text(ENTRIES, "utf-8")
    assert _run("--home", str(home.path), "import", str(entries)).exit_code == 0
    accounts = Accounts(home.database_path)
    accounts.add_user("alice", "editor", "a long enough password")
    return home


@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_export_then_import_on_a_new_home_restores_everything(tmp_path, source_home, suffix):
    _, token = Accounts(source_home.database_path).create_token("alice", "backup test")
    archive = tmp_path / f"backup{suffix}"
    exported = _run("--home", str(source_home.path), "export", str(archive))
    assert exported.exit_code == 0 and "Exported 5 entries and the database" in exported.output
    target = Home(tmp_path / "target")
    restored = _run("--home", str(target.path), "import", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "5 added" in restored.output
    assert sorted(p.name for p in target.corpus_dir.glob("*.yaml")) == sorted(
        p.name for p in source_home.corpus_dir.glob("*.yaml")
    )
    for path in source_home.corpus_dir.glob("*.yaml"):
        assert (target.corpus_dir / path.name).read_bytes() == path.read_bytes()
    accounts = Accounts(target.database_path)
    assert [(u.name, u.role) for u in accounts.users()] == [("alice", "editor")]
    assert accounts.authenticate("alice", "a long enough password") is not None
    assert accounts.user_for_token(token).name == "alice"
    found = _run("--home", str(target.path), "search", "water", "--json")
    assert json.loads(found.output)["total"] == 5
    assert _run("--home", str(target.path), "check").exit_code == 0


def test_an_existing_database_is_not_overwritten(tmp_path, source_home):
    archive = tmp_path / "backup.tar.gz"
    _run("--home", str(source_home.path), "export", str(archive))
    target = Home(tmp_path / "target")
    Accounts(target.database_path).add_user("bob", "admin", "another long password")
    result = _run("--home", str(target.path), "import", str(archive))
    assert result.exit_code == 1
    assert "observatory.db: not restored" in result.output
    assert [u.name for u in Accounts(target.database_path).users()] == ["bob"]
    assert len(CorpusStore(target.corpus_dir)) == 5


def _hostile_archive(path: Path) -> None:
    good = b"id: fine-one\ntype: practice\ntitle: Fine\nlang: en\n"
    members = {
        "corpus/fine-one.yaml": good,
        "../escaped.yaml": good,
        "/tmp/absolute.yaml": good,
        "corpus/../../up.yaml": good,
        "corpus/tampered-one.yaml": good,
    }
    sums = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    sums["corpus/tampered-one.yaml"] = "0" * 64
    manifest = json.dumps({"format": "observatory-archive", "version": 1, "files": sums}).encode()
    with tarfile.open(path, "w:gz") as out:
        for name, data in {"manifest.json": manifest, **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("corpus/link-one.yaml")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        out.addfile(link)


def test_a_hostile_archive_writes_nothing_outside_and_names_each_refusal(tmp_path):
    archive = tmp_path / "work" / "hostile.tar.gz"
    archive.parent.mkdir()
    _hostile_archive(archive)
    home = Home(tmp_path / "work" / "home")
    report = import_archive(home, archive, CorpusStore(home.corpus_dir))
    assert report.added == ["fine-one"]
    assert sorted(r.entry for r in report.refused) == sorted(
        [
            "../escaped.yaml",
            "/tmp/absolute.yaml",
            "corpus/../../up.yaml",
            "corpus/tampered-one.yaml",
            "corpus/link-one.yaml",
        ]
    )
    assert sorted(p.name for p in tmp_path.rglob("*.yaml")) == ["fine-one.yaml"]


def test_something_that_is_not_an_archive_is_refused(tmp_path):
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04 not really")
    members, refused = read_archive(fake)
    assert members == {} and "not a readable archive" in refused[0].message

"""Backup and restore: the whole home in one archive (`observatory export` / `import ARCHIVE`).

An archive (.tar.gz, .tgz or .zip) holds `manifest.json` (format, counts and a
SHA-256 per member), `corpus/<id>.yaml` as stored, the settings files, and
`observatory.db`: users, tokens, history, saved searches, copied with SQLite's
backup API so it is consistent while a server keeps writing. The corpus is
read under the store lock, so no save lands half-way through the copy.

Restoring never extracts by member name: each member is matched against the
few names an archive may hold and read into memory with a size cap, so a
`../` path, a link or a device cannot write anywhere (they are refused and
named). Entries go through the importers' validation like any other import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import yaml

from corpus.atomic import fsync_dir, write_atomic
from corpus.check import check_database
from corpus.importers import MAX_FILE_BYTES, ImportReport, _store
from corpus.store import FAST_SAFE_LOADER, SUFFIX, CorpusStore
from observatory.entry import entry_from_mapping
from observatory.errors import EntryInvalid, Refusal
from observatory.home import Home

FORMAT = "observatory-archive"
VERSION = 1
SUFFIXES = (".tar.gz", ".tgz", ".zip")
DATABASE = "observatory.db"
CONFIG_FILES = ("settings.yaml", "sources.yaml", "thesaurus.yaml")
MAX_ENTRY_BYTES = 1_000_000  # a stored entry is at most ~260 KB of text (docs/limits.md)
MAX_DATABASE_BYTES = 4_000_000_000
_CORPUS_MEMBER = re.compile(r"^corpus/([a-z0-9][a-z0-9-]{1,99})\.yaml$")


def is_archive(path: Path) -> bool:
    return str(path).lower().endswith(SUFFIXES)


# --- export ----------------------------------------------------------------------


def export_home(home: Home, archive: Path) -> dict:
    """Write `archive` (atomically: beside, then renamed); returns its manifest."""
    archive = Path(archive)
    if not is_archive(archive):
        raise EntryInvalid("", f"{archive}: the archive's name must end in {', '.join(SUFFIXES)}")
    members: dict[str, bytes] = {}
    store = CorpusStore(home.corpus_dir)
    with store.locked():
        for entry_id in store.ids():
            members[f"corpus/{entry_id}{SUFFIX}"] = store.path_of(entry_id).read_bytes()
    for name in CONFIG_FILES:
        if (home.path / name).exists():
            members[name] = (home.path / name).read_bytes()
    if home.database_path.exists():
        members[DATABASE] = _database_copy(home.database_path)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "entries": sum(1 for name in members if name.startswith("corpus/")),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())},
    }
    members = {"manifest.json": json.dumps(manifest, indent=1).encode("utf-8"), **members}
    buffer = io.BytesIO()
    if str(archive).lower().endswith(".zip"):
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in members.items():
                out.writestr(name, data)
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as out:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = (
                    len(data),
                    int(dt.datetime.now().timestamp()),
                    0o644,
                )
                out.addfile(info, io.BytesIO(data))
    write_atomic(archive, buffer.getvalue())
    return manifest


def _database_copy(path: Path) -> bytes:
    """A consistent copy of a live SQLite database (the backup API), as bytes."""
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".export-") as folder:
        copy = Path(folder) / DATABASE
        with (
            closing(sqlite3.connect(path, timeout=30)) as source,
            closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        return copy.read_bytes()


# --- import ----------------------------------------------------------------------


def _members(archive: Path) -> Iterator[tuple[str, bool, int, object]]:
    """(name, is a regular file, size, reader) of every member, without extracting anything."""
    if str(archive).lower().endswith(".zip"):
        with zipfile.ZipFile(archive) as source:
            for info in source.infolist():
                regular = not info.is_dir() and (info.external_attr >> 28) in (0, 0o10)
                yield (
                    info.filename,
                    regular,
                    info.file_size,
                    lambda info=info, s=source: s.open(info),
                )
    else:
        with tarfile.open(archive, mode="r:gz") as source:
            for info in source:
                yield (
                    info.name,
                    info.isreg(),
                    info.size,
                    lambda info=info, s=source: s.extractfile(info),
                )


def _read_capped(opener, limit: int) -> bytes:
    with opener() as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data


def _limit_for(name: str) -> int | None:
    """The size cap of a member name an archive may hold; None for any other name."""
    if name == "manifest.json" or name in CONFIG_FILES:
        return MAX_FILE_BYTES
    if name == DATABASE:
        return MAX_DATABASE_BYTES
    if _CORPUS_MEMBER.match(name):
        return MAX_ENTRY_BYTES
    return None


def read_archive(archive: Path) -> tuple[dict[str, bytes], list[Refusal]]:
    """The members worth restoring, checked against the manifest; the rest are refusals."""
    source = str(archive)
    found: dict[str, bytes] = {}
    refused: list[Refusal] = []
    try:
        for name, regular, size, opener in _members(archive):
            limit = _limit_for(name)
            if name.rstrip("/") == "corpus" and not regular:
                continue  # the folder itself
            if limit is None or not regular:
                refused.append(
                    Refusal(
                        source,
                        name[:200],
                        "",
                        "unexpected member (not a file an "
                        "archive holds, a link, or a path outside it): skipped",
                    )
                )
                continue
            try:
                if size > limit:
                    raise ValueError(f"larger than {limit} bytes")
                found[name] = _read_capped(opener, limit)
            except (ValueError, OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
                refused.append(Refusal(source, name, "", f"unreadable member: {exc}"))
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        refused.append(Refusal(source, "", "", f"not a readable archive: {exc}"))
        return {}, refused
    try:
        manifest = json.loads(found.pop("manifest.json", b"{}").decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        manifest = {}
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        refused.append(Refusal(source, "manifest.json", "", f"missing, or not an {FORMAT}"))
        return {}, refused
    sums = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    for name in sorted(found):
        if sums.get(name) != hashlib.sha256(found[name]).hexdigest():
            refused.append(Refusal(source, name, "", "does not match the manifest's checksum"))
            del found[name]
    for name in sorted(set(sums) - set(found) - {r.entry for r in refused}):
        refused.append(Refusal(source, str(name)[:200], "", "listed in the manifest, missing"))
    return found, refused


def import_archive(home: Home, archive: Path, store: CorpusStore) -> ImportReport:
    """Restore an archive into `home`: entries (validated, like any import), then the
    database and settings files when the home has none of its own."""
    members, refused = read_archive(Path(archive))
    report = ImportReport(refused=refused)
    source = str(archive)
    for name in sorted(members):
        match = _CORPUS_MEMBER.match(name)
        if not match:
            continue
        try:
            data = yaml.load(members[name].decode("utf-8"), Loader=FAST_SAFE_LOADER)
            entry = entry_from_mapping(data, detect_language=False)
            if entry.id != match.group(1):
                raise EntryInvalid("id", f"{entry.id!r} does not match its file name")
        except EntryInvalid as exc:
            report.refused.append(Refusal(source, name, exc.field, exc.message))
            continue
        except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            report.refused.append(Refusal(source, name, "", f"not a readable entry: {exc}"))
            continue
        _store(store, entry, report)
    for name in CONFIG_FILES:
        if name in members and not (home.path / name).exists():
            write_atomic(home.path / name, members[name])
    if DATABASE in members:
        problem = _restore_database(home, members[DATABASE])
        if problem:
            report.refused.append(Refusal(source, DATABASE, "", problem))
    return report


def _restore_database(home: Home, data: bytes) -> str:
    """Put the archived database in place, if the home has none; '' or why not."""
    target = home.database_path
    if target.exists() and target.stat().st_size > 0:
        return (
            f"not restored: {target} already exists (restore into a new home, "
            "or move it away first)"
        )
    fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".db", dir=home.path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        problems = check_database(Path(name))
        if problems:
            return f"not restored: {problems[0].message}"
        os.replace(name, target)
        fsync_dir(home.path)
    finally:
        Path(name).unlink(missing_ok=True)
    return ""

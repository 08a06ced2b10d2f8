"""Keeping the Whoosh index in step with the corpus files.

`update_index` compares the store's cheap fingerprints (mtime and size) with
the manifest kept beside the index and re-indexes only what changed; with
`rebuild=True`, when there is no usable index, or when the index was built with
another schema, analysis or thesaurus (indexer/version.py), it builds a new index beside
the live one and swaps it in by renames (the old one moved aside first, so a
crash never leaves no index: `repair_swap` finishes or undoes a swap that was
cut short). One writer at a time, across processes, through a lock file.
"""

from __future__ import annotations

import fcntl
import multiprocessing.util
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from corpus.store import CorpusStore
from corpus.thesaurus import load_thesaurus
from indexer.concepts import ConceptMatcher
from indexer.documents import to_document
from indexer.schema import build_schema
from indexer.version import MANIFEST, stale_parts, stamp_new_index, thesaurus_copies
from observatory.entry import Entry
from observatory.errors import Refusal
from observatory.home import Home

# Written to the manifest before a commit, replaced by the fingerprint after it: a crash in
# between leaves a row that matches no file, so the next update re-indexes the entry, or
# deletes it from the index when its file is gone (an index commit is never unrecorded).
PENDING = "pending"
COMPLETE_MARK = "BUILD_COMPLETE"
WRITE_TIMEOUT = 60.0


@dataclass
class IndexReport:
    indexed: int = 0
    deleted: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    stale: list[str] = field(default_factory=list)  # stamp parts that forced the rebuild
    refused: list[Refusal] = field(default_factory=list)

    def summary(self) -> str:
        kind = "rebuilt, " if self.rebuilt else ""
        if self.stale:
            kind = f"rebuilt ({', '.join(self.stale)} changed), "
        return (
            f"{kind}{self.indexed} indexed, {self.deleted} removed, "
            f"{self.unchanged} unchanged, {len(self.refused)} unreadable"
        )


def _side_paths(home: Home) -> tuple[Path, Path]:
    return home.path / "index.new", home.path / "index.old"


@contextmanager
def write_lock(home: Home):
    """The one-writer rule, across processes: every index write happens under it."""
    with open(home.path / "index.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def index_writer(folder: Path, **options):
    """A writer on the index in `folder`, committed when the block ends, cancelled if it
    raises (call under `write_lock`)."""
    ix = whoosh_index.open_dir(str(folder))
    writer = ix.writer(timeout=WRITE_TIMEOUT, **options)
    try:
        yield writer
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()


def repair_swap(home: Home) -> None:
    """Finish or undo a swap that a crash interrupted (call under the write lock)."""
    live, (new, old) = home.index_dir, _side_paths(home)
    if not live.exists() and new.exists() and (new / COMPLETE_MARK).exists():
        new.rename(live)
    if not live.exists() and old.exists():
        old.rename(live)
    for leftover in (new, old):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
    # Whoosh writes its table of contents beside and renames it; a writer killed in
    # between leaves `_MAIN_N.toc.TIME`, which Whoosh itself never removes.
    if live.exists():
        for temporary in live.glob("*.toc.*"):
            temporary.unlink(missing_ok=True)


def index_exists(home: Home) -> bool:
    return (home.index_dir / COMPLETE_MARK).exists() and whoosh_index.exists_in(str(home.index_dir))


def ensure_index(home: Home) -> bool:
    """Build the index when there is none (`observatory serve` starts with it: readers never
    build one); True when it built."""
    if index_exists(home):
        return False
    update_index(home)
    return True


def concept_matcher(home: Home) -> ConceptMatcher:
    """The concepts of the home's thesaurus as it is now (what a new index is built with)."""
    return ConceptMatcher(load_thesaurus(home.thesaurus_path))


def index_matcher(home: Home) -> ConceptMatcher:
    """The concepts the live index was built with (its copy of the thesaurus), so queries
    and write-throughs match its documents until it is rebuilt; the home's for an index
    that keeps no copy."""
    copies = thesaurus_copies(home.index_dir)
    if copies is None:
        return concept_matcher(home)
    bundled, additions = copies
    return ConceptMatcher(load_thesaurus(additions, bundled=bundled))


# --- manifest: id -> fingerprint of the stored file last indexed -----------------


def _manifest(folder: Path) -> sqlite3.Connection:
    db = sqlite3.connect(folder / MANIFEST, timeout=WRITE_TIMEOUT)
    db.execute(
        "CREATE TABLE IF NOT EXISTS indexed (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"
    )
    return db


def read_manifest(folder: Path) -> dict[str, str]:
    with closing(_manifest(folder)) as db:
        return dict(db.execute("SELECT id, fingerprint FROM indexed"))


def _record(folder: Path, upserts: dict[str, str], deletes: Iterable[str]) -> None:
    with closing(_manifest(folder)) as db, db:
        db.executemany("INSERT OR REPLACE INTO indexed VALUES (?, ?)", upserts.items())
        db.executemany("DELETE FROM indexed WHERE id = ?", [(i,) for i in deletes])


# --- writing -------------------------------------------------------------------


def _add_entries(
    writer: IndexWriter, entries: Iterable[Entry], matcher: ConceptMatcher, *, update: bool
) -> int:
    count = 0
    for entry in entries:
        doc = to_document(entry, matcher)
        if update:
            writer.update_document(**doc)
        else:
            writer.add_document(**doc)
        count += 1
    return count


_BUILDER_PID = [0]  # the process whose sub-writers are being forked


def _die_with_builder(_sentinel: object) -> None:
    """In each forked sub-writer: die when the builder dies (SIGKILL included).

    An orphaned sub-writer would block forever on its queue while holding an
    inherited copy of the index write lock, and every later index command would
    wait on that lock for ever (tests/test_fault_injection.py found this).
    """
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: rely on the parent's normal clean-up
        return
    if os.getppid() != _BUILDER_PID[0]:  # the builder died before prctl took effect
        os._exit(1)


_FORK_SENTINEL = type("ForkSentinel", (), {})()
multiprocessing.util.register_after_fork(_FORK_SENTINEL, _die_with_builder)


def _bulk_writer_options() -> dict:
    """A full build's writer: one sub-writer process per core, their segments kept
    (multisegment: no final merge), since analysis is pure Python and one process
    leaves the other core idle. Segments stay separate files (compound=False):
    a reader of a compound segment copies its files into memory, in every worker
    and again each time a writer opens the index for an edit."""
    procs = min(2, os.cpu_count() or 1)
    if procs < 2:
        return {"limitmb": 256, "compound": False}
    return {"procs": procs, "multisegment": True, "limitmb": 128, "compound": False}


def _build_fresh(
    home: Home, store: CorpusStore, report: IndexReport, progress: Callable[[int], None] | None
) -> None:
    new, old = _side_paths(home)
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir(parents=True)
    ix = whoosh_index.create_in(str(new), build_schema())
    matcher = concept_matcher(home)
    fingerprints = store.fingerprints()
    indexed: dict[str, str] = {}
    _BUILDER_PID[0] = os.getpid()
    writer = ix.writer(**_bulk_writer_options())
    try:
        for entry_id in sorted(fingerprints):
            entry = _read(store, entry_id, report)
            if entry is None:
                continue
            _add_entries(writer, [entry], matcher, update=False)
            indexed[entry_id] = fingerprints[entry_id]
            if progress:
                progress(1)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    ix.close()
    _record(new, indexed, [])
    stamp_new_index(home, new)
    (new / COMPLETE_MARK).write_text(time.strftime("%Y-%m-%dT%H:%M:%S"))
    report.indexed, report.rebuilt = len(indexed), True
    live = home.index_dir
    if live.exists():
        live.rename(old)
    new.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def _read(store: CorpusStore, entry_id: str, report: IndexReport) -> Entry | None:
    try:
        return store.get(entry_id)
    except Exception as exc:  # an unreadable file is reported, the rest goes on
        report.refused.append(Refusal(str(store.path_of(entry_id)), entry_id, "", str(exc)))
        return None


def update_index(
    home: Home, *, rebuild: bool = False, progress: Callable[[int], None] | None = None
) -> IndexReport:
    """Bring the index up to date with the corpus; returns what was done."""
    store = CorpusStore(home.corpus_dir)
    report = IndexReport()
    with write_lock(home):
        repair_swap(home)
        if not rebuild and index_exists(home):
            report.stale = stale_parts(home)
        if rebuild or report.stale or not index_exists(home):
            _build_fresh(home, store, report, progress)
            return report
        live = home.index_dir
        known = read_manifest(live)
        current = store.fingerprints()
        changed = [i for i, fp in current.items() if known.get(i) != fp]
        deleted = [i for i in known if i not in current]
        report.unchanged = len(current) - len(changed)
        if not changed and not deleted:
            return report
        matcher = concept_matcher(home)  # the stamp matches: the index's thesaurus is this one
        upserts: dict[str, str] = {}
        _record(live, dict.fromkeys(changed, PENDING), [])
        with index_writer(live, limitmb=128) as writer:
            for entry_id in changed:
                entry = _read(store, entry_id, report)
                if entry is not None:
                    _add_entries(writer, [entry], matcher, update=True)
                    upserts[entry_id] = current[entry_id]
                if progress:
                    progress(1)
            for entry_id in deleted:
                writer.delete_by_term("id", entry_id)
        _record(live, upserts, deleted)
        report.indexed, report.deleted = len(upserts), len(deleted)
        return report


@lru_cache(maxsize=8)
def _store_of(folder: Path) -> CorpusStore:
    """One store per folder and process: opening one sweeps temporaries with a glob
    over the whole folder (~90 ms at 100,000 entries), too slow for every edit."""
    return CorpusStore(folder)


def write_through(
    home: Home,
    entries: list[Entry],
    deleted_ids: Iterable[str] = (),
    matcher: ConceptMatcher | None = None,
) -> None:
    """Index these stored entries now (an editor's save): searchable when this returns."""
    store = _store_of(home.corpus_dir)
    deleted_ids = list(deleted_ids)
    with write_lock(home):
        repair_swap(home)
        if not index_exists(home):
            _build_fresh(home, store, IndexReport(), None)
            return
        _record(home.index_dir, {entry.id: PENDING for entry in entries}, [])
        with index_writer(home.index_dir, compound=False) as writer:
            _add_entries(writer, entries, matcher or index_matcher(home), update=True)
            for entry_id in deleted_ids:
                writer.delete_by_term("id", entry_id)
        fingerprints = {entry.id: store.fingerprint(entry.id) for entry in entries}
        _record(home.index_dir, fingerprints, deleted_ids)

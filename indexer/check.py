"""Does the index agree with the corpus? `observatory check [--repair]`.

The corpus files are the truth; the index and its manifest can always be
rebuilt from them. So every index problem has an automatic repair: finish or
undo a cut-short swap, drop documents whose file is gone, re-index what the
manifest does not know at its current fingerprint, and rebuild (beside, then
swap) when the index is unusable or holds an id twice.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from corpus.check import Problem, check_corpus, check_database, repair_corpus
from corpus.store import CorpusStore
from indexer.build import (
    MANIFEST,
    _side_paths,
    index_exists,
    index_writer,
    read_manifest,
    repair_swap,
    update_index,
    write_lock,
)
from indexer.version import describe, stale_parts
from observatory.home import Home


@dataclass
class IndexState:
    """What the live index holds: ids of live documents (with repeats) and the manifest."""

    ids: Counter = field(default_factory=Counter)
    manifest: dict[str, str] = field(default_factory=dict)
    unusable: str = ""  # why it cannot be read, when it cannot


def read_state(home: Home) -> IndexState:
    state = IndexState()
    if not index_exists(home):
        state.unusable = "no complete index"
        return state
    try:
        ix = whoosh_index.open_dir(str(home.index_dir))
        try:
            with ix.reader() as reader:
                state.ids = Counter(reader.stored_fields(n)["id"] for n in reader.all_doc_ids())
        finally:
            ix.close()
        state.manifest = read_manifest(home.index_dir)
    except Exception as exc:  # a damaged index of any kind is rebuilt from the corpus
        state.unusable = f"cannot be read ({type(exc).__name__}: {exc})"
    return state


def toc_temporaries(home: Home) -> list[Path]:
    """Whoosh writes its table of contents beside, then renames: a kill leaves `_MAIN_N.toc.TIME`."""
    return sorted(p for p in home.index_dir.glob("*.toc.*")) if home.index_dir.exists() else []


def check_index(
    home: Home, store: CorpusStore, unreadable: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every stored entry indexed at its current fingerprint, nothing more, no leftovers.

    `unreadable` ids (corpus files a person must fix) are left to the corpus check.
    """
    problems: list[Problem] = []
    for side in _side_paths(home):
        if side.exists():
            problems.append(
                Problem(
                    "index",
                    str(side),
                    "one side of an interrupted swap is left",
                    "finish or undo the swap",
                    True,
                )
            )
    problems += [
        Problem("index", str(p), "temporary file of an interrupted index write", "remove it", True)
        for p in toc_temporaries(home)
    ]
    problems += [
        Problem("index", p.where, p.message, "rebuild the index", True)
        for p in check_database(home.index_dir / MANIFEST, "index")
    ]
    state = read_state(home)
    current = store.fingerprints()
    if state.unusable and not current and not home.index_dir.exists():
        return problems  # a new home: nothing to index yet
    if state.unusable:
        return problems + [
            Problem("index", str(home.index_dir), state.unusable, "rebuild the index", True)
        ]
    stale = stale_parts(home)
    if stale:
        problems.append(
            Problem("index", str(home.index_dir), describe(stale), "rebuild the index", True)
        )
    for entry_id, count in sorted(state.ids.items()):
        if count > 1:
            problems.append(
                Problem("index", entry_id, f"indexed {count} times", "rebuild the index", True)
            )
        if entry_id not in current:
            problems.append(
                Problem(
                    "index",
                    entry_id,
                    "indexed, but no corpus file",
                    "remove it from the index",
                    True,
                )
            )
    for entry_id, fingerprint in sorted(current.items()):
        if entry_id in unreadable:
            continue
        if entry_id not in state.ids:
            problems.append(Problem("index", entry_id, "stored, but not indexed", "index it", True))
        elif state.manifest.get(entry_id) != fingerprint:
            problems.append(
                Problem(
                    "index",
                    entry_id,
                    "indexed from an older version of its file",
                    "index it again",
                    True,
                )
            )
    return problems


def check_home(home: Home) -> list[Problem]:
    """Every check: corpus files, the home's database, the index."""
    store = CorpusStore(home.corpus_dir, sweep=False)  # a check only looks
    problems = check_corpus(store)
    unreadable = frozenset(Path(p.where).stem for p in problems if not p.automatic)
    problems += check_database(home.database_path)
    return problems + check_index(home, store, unreadable)


def repair_home(home: Home) -> list[str]:
    """Repair what can be repaired without a person; returns what was done."""
    store = CorpusStore(home.corpus_dir, sweep=False)
    done = repair_corpus(store)
    rebuild = False
    with write_lock(home):
        sides = [side for side in _side_paths(home) if side.exists()]
        leftovers = toc_temporaries(home)
        repair_swap(home)  # also sweeps Whoosh's table-of-contents temporaries
        if sides:
            done.append("finished or undid an interrupted index swap")
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
            done.append(f"removed {leftover.name}")
        state = read_state(home)
        current = store.fingerprints()
        if (
            state.unusable
            or any(count > 1 for count in state.ids.values())
            or check_database(home.index_dir / MANIFEST, "index")
        ):
            rebuild = True
        else:
            done += _forget_strays(home, state, current)
    report = update_index(home, rebuild=rebuild)
    if rebuild or report.rebuilt or report.indexed or report.deleted:
        done.append(f"index: {report.summary()}")
    return done


def _forget_strays(home: Home, state: IndexState, current: dict[str, str]) -> list[str]:
    """Drop documents without a file; forget manifest rows the index does not back (re-indexed next)."""
    stray = sorted(i for i in state.ids if i not in current)
    unbacked = sorted(i for i in state.manifest if i not in state.ids)
    if stray:
        with index_writer(home.index_dir) as writer:
            for entry_id in stray:
                writer.delete_by_term("id", entry_id)
    gone = set(stray) | set(unbacked)
    if gone:
        db = sqlite3.connect(home.index_dir / MANIFEST)
        try:
            with db:
                db.executemany("DELETE FROM indexed WHERE id = ?", [(i,) for i in sorted(gone)])
        finally:
            db.close()
    return (
        [f"removed {len(stray)} document(s) without a corpus file from the index"] if stray else []
    ) + ([f"forgot {len(unbacked)} manifest row(s) the index lacks"] if unbacked else [])

"""Corpus- and database-side checks for `observatory check`: what a crash or a hand edit can leave.

Corpus files are written atomically, so a crash leaves at worst a temporary
file beside them (swept here); a file a person broke is reported, never
"repaired" by guessing. SQLite databases run `PRAGMA integrity_check`.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from corpus.atomic import TEMP_SUFFIX, sweep_temporaries
from corpus.store import CorpusStore
from observatory.errors import ObservatoryError


@dataclass(frozen=True, slots=True)
class Problem:
    """One disagreement found by a check, and how it gets repaired."""

    area: str  # "corpus", "index" or "database"
    where: str  # a file, folder or entry id
    message: str
    repair: str  # what `--repair` does, or what a person has to do
    automatic: bool  # whether `observatory check --repair` fixes it

    def __str__(self) -> str:
        how = "check --repair: " if self.automatic else "by hand: "
        return f"[{self.area}] {self.where}: {self.message} ({how}{self.repair})"


def temporaries(store: CorpusStore) -> list[Path]:
    return sorted(store.folder.glob(f".*{TEMP_SUFFIX}"))


def check_corpus(store: CorpusStore) -> list[Problem]:
    """Leftover temporaries, and stored files that do not read back as valid entries."""
    problems = [
        Problem(
            "corpus", str(path), "temporary file left by an interrupted write", "remove it", True
        )
        for path in temporaries(store)
    ]

    def unreadable(path: Path, exc: Exception) -> None:
        problems.append(
            Problem(
                "corpus",
                str(path),
                f"unreadable entry: {exc}",
                "fix the file (or remove it), then run `observatory check --repair`",
                False,
            )
        )

    for _ in store.entries(on_error=unreadable):
        pass
    return problems


def repair_corpus(store: CorpusStore) -> list[str]:
    """Do what can be done without a person: remove temporaries. Returns what was done."""
    removed = sweep_temporaries(store.folder)
    return [f"removed {removed} temporary file(s) from {store.folder}"] if removed else []


def check_database(path: Path, area: str = "database") -> list[Problem]:
    """SQLite's own integrity check of one database file (absent is fine)."""
    if not path.exists():
        return []
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as db:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        return []
    return [
        Problem(
            area,
            str(path),
            "integrity check failed: " + "; ".join(rows[:5]),
            "restore it from an archive (`observatory import ARCHIVE`) or with "
            "`sqlite3 FILE .recover`",
            False,
        )
    ]


class CheckFailed(ObservatoryError):
    """Problems remain after a check (or a repair): the command exits 1."""

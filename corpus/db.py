"""The home's SQLite database (HOME/observatory.db): one way to open it, one way to migrate it.

Several areas share the file (accounts, history, crawl state), and several
worker processes open it at once, so every connection uses WAL (readers never
wait for a writer), a busy timeout instead of "database is locked" errors, and
short transactions. Each area declares its own named, numbered migrations;
`migrate` applies the missing ones once and records them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode; use `transaction()` for grouped writes."""
    db = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT: takes the write lock up front, so no upgrade deadlock."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def migrate(path: Path, area: str, steps: Sequence[str]) -> None:
    """Apply `area`'s SQL scripts not yet applied (step i is version i + 1), in one transaction."""
    with closing(connect(path)) as db, transaction(db):
        db.execute(
            "CREATE TABLE IF NOT EXISTS migrations ("
            "area TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        row = db.execute("SELECT version FROM migrations WHERE area = ?", (area,)).fetchone()
        done = row["version"] if row else 0
        for version, script in enumerate(steps, start=1):
            if version <= done:
                continue
            for statement in (s.strip() for s in script.split(";")):
                if statement:
                    db.execute(statement)
        if len(steps) > done:
            db.execute("INSERT OR REPLACE INTO migrations VALUES (?, ?)", (area, len(steps)))

"""Crawl state in HOME/observatory.db (tables crawl_*): frontier, validators, history.

Why SQLite with WAL and one short transaction per page: a crawl killed at any
moment (SIGKILL included) leaves every page either wholly done (entry stored,
validators and discovered links recorded, frontier row marked) or not done at
all, so the next run resumes the same frontier and fetches nothing again that
was finished. Other parts of the observatory share the file; WAL lets them
read while the crawler writes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_runs (
    source TEXT PRIMARY KEY, run INTEGER NOT NULL, started REAL NOT NULL, finished REAL);
CREATE TABLE IF NOT EXISTS crawl_frontier (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, url TEXT NOT NULL,
    kind TEXT NOT NULL, data TEXT, state TEXT NOT NULL DEFAULT 'pending',
    UNIQUE (source, url));
CREATE INDEX IF NOT EXISTS crawl_frontier_pending ON crawl_frontier (source, state, seq);
CREATE TABLE IF NOT EXISTS crawl_pages (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, content_hash TEXT,
    entry_id TEXT, children TEXT, fetched REAL);
CREATE TABLE IF NOT EXISTS crawl_fingerprints (
    entry_id TEXT PRIMARY KEY, url TEXT NOT NULL, source TEXT NOT NULL, signature BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS crawl_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, source TEXT NOT NULL,
    url TEXT NOT NULL, status INTEGER, outcome TEXT NOT NULL);
"""


@dataclass
class Task:
    seq: int
    url: str
    kind: str  # page | sitemap | feed | item
    data: dict | None


@dataclass
class Known:
    """What the last successful fetch of a URL left: validators and what it led to."""

    etag: str | None
    last_modified: str | None
    content_hash: str | None
    entry_id: str | None
    children: list[list]  # [[url, kind, data], ...]


class CrawlState:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        return _Transaction(self.db)

    def begin_run(self, source: str, seeds: list[tuple[str, str]]) -> bool:
        """Resume the source's unfinished run (True) or start a new one from `seeds` (False)."""
        with self.transaction():
            row = self.db.execute(
                "SELECT run, finished FROM crawl_runs WHERE source=?", (source,)
            ).fetchone()
            if row and row[1] is None:
                return True
            self.db.execute("DELETE FROM crawl_frontier WHERE source=?", (source,))
            self.db.execute(
                "INSERT INTO crawl_runs (source, run, started, finished) VALUES (?, 1, ?, NULL) "
                "ON CONFLICT(source) DO UPDATE SET run=run+1, started=excluded.started, "
                "finished=NULL",
                (source, time.time()),
            )
            for url, kind in seeds:
                self._enqueue(source, url, kind, None)
            return False

    def finish_run(self, source: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE crawl_runs SET finished=? WHERE source=?", (time.time(), source)
            )

    def _enqueue(self, source: str, url: str, kind: str, data: dict | None) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO crawl_frontier (source, url, kind, data) VALUES (?, ?, ?, ?)",
            (source, url, kind, json.dumps(data) if data is not None else None),
        )

    def next_task(self, source: str) -> Task | None:
        row = self.db.execute(
            "SELECT seq, url, kind, data FROM crawl_frontier WHERE source=? AND state='pending' "
            "ORDER BY seq LIMIT 1",
            (source,),
        ).fetchone()
        if row is None:
            return None
        return Task(row[0], row[1], row[2], json.loads(row[3]) if row[3] else None)

    def pending_count(self, source: str) -> int:
        return self.db.execute(
            "SELECT count(*) FROM crawl_frontier WHERE source=? AND state='pending'", (source,)
        ).fetchone()[0]

    def done_count(self, source: str) -> int:
        return self.db.execute(
            "SELECT count(*) FROM crawl_frontier WHERE source=? AND state!='pending'", (source,)
        ).fetchone()[0]

    def known(self, url: str) -> Known | None:
        row = self.db.execute(
            "SELECT etag, last_modified, content_hash, entry_id, children "
            "FROM crawl_pages WHERE url=?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return Known(row[0], row[1], row[2], row[3], json.loads(row[4] or "[]"))

    def complete(
        self,
        source: str,
        task: Task,
        *,
        state: str = "done",
        status: int | None = None,
        outcome: str,
        known: Known | None = None,
        page_url: str | None = None,
        children: list[list] = (),
    ) -> None:
        """Record one finished task, its validators and its children, all or nothing."""
        with self.transaction():
            self.db.execute("UPDATE crawl_frontier SET state=? WHERE seq=?", (state, task.seq))
            if known is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO crawl_pages (url, etag, last_modified, content_hash, "
                    "entry_id, children, fetched) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        page_url or task.url,
                        known.etag,
                        known.last_modified,
                        known.content_hash,
                        known.entry_id,
                        json.dumps(known.children),
                        time.time(),
                    ),
                )
            for url, kind, data in children:
                self._enqueue(source, url, kind, data)
            self.db.execute(
                "INSERT INTO crawl_history (at, source, url, status, outcome) "
                "VALUES (?, ?, ?, ?, ?)",
                (time.time(), source, task.url, status, outcome),
            )

    def fingerprints(self) -> list[tuple[str, str, str, bytes]]:
        return self.db.execute(
            "SELECT entry_id, url, source, signature FROM crawl_fingerprints"
        ).fetchall()

    def add_fingerprint(self, entry_id: str, url: str, source: str, signature: bytes) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO crawl_fingerprints VALUES (?, ?, ?, ?)",
                (entry_id, url, source, signature),
            )


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, traceback):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False

"""The observatory's services as the web sees them: one search engine and one store per app.

The engine is opened on first use, not in `create_app`, so building an app
(in tests, in each worker) costs nothing and never touches the index; it is
closed when the process ends. Flask code reaches them through `get_services()`.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

from flask import Flask, current_app

from corpus.store import CorpusStore
from observatory.entry import Entry
from observatory.errors import NotFound
from observatory.home import Home

EXTENSION = "observatory"
DEMO_SAMPLE = 50  # stored entries looked at to tell whether the corpus is demo content


class Services:
    def __init__(self, home: Home, engine: Any = None):
        self.home = home
        self.store = CorpusStore(home.corpus_dir)
        self._engine = engine
        self._lock = threading.Lock()
        self._demo: tuple[int, bool] | None = None

    @property
    def engine(self):
        """The process's SearchEngine (thread-safe; it refreshes itself when the index changes)."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from indexer.search import SearchEngine

                    self._engine = SearchEngine(self.home)
        return self._engine

    def close(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()

    def published_entry(self, entry_id: str) -> Entry:
        """The entry anonymous visitors may see: a draft is NotFound, like a missing id."""
        entry = self.store.get(entry_id)
        if entry.status != "published":
            raise NotFound(f"no entry {entry_id!r}")
        return entry

    def corpus_is_demo(self) -> bool:
        """Whether the corpus is (mostly) the bundled demonstration content.

        Looks at a sample of stored entries, and only again when the corpus
        folder changes (its modification time moves on every add or delete).
        """
        try:
            stamp = self.store.folder.stat().st_mtime_ns
        except OSError:
            return False
        cached = self._demo
        if cached is not None and cached[0] == stamp:
            return cached[1]
        sample = self.store.ids()[:DEMO_SAMPLE]
        demo = 0
        for entry_id in sample:
            try:
                demo += self.store.get(entry_id).is_demo
            except Exception:  # an unreadable file says nothing either way
                continue
        answer = bool(sample) and demo * 2 > len(sample)
        self._demo = (stamp, answer)
        return answer


def init_app(app: Flask, home: Home) -> None:
    services = Services(home, engine=app.config.get("OBSERVATORY_ENGINE"))
    app.extensions[EXTENSION] = services
    atexit.register(services.close)


def get_services() -> Services:
    return current_app.extensions[EXTENSION]

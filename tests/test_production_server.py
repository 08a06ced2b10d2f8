"""`observatory serve` under gunicorn: several workers answer, an edit made
through one process is searchable through the others, and SIGTERM or SIGINT
stops the master and every worker."""

from __future__ import annotations

import json
import os
import signal
import urllib.request
from pathlib import Path

import pytest

from webui.server import ServerProcess


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _search(url: str, words: str) -> dict:
    with urllib.request.urlopen(f"{url}/api/search?q={words}", timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_workers_serve_and_stop_cleanly(small_home, monkeypatch, stop):
    monkeypatch.setenv("OBSERVATORY_SERVE_WORKERS", "3")
    monkeypatch.setenv("OBSERVATORY_SERVE_THREADS", "2")
    with ServerProcess(small_home.path) as server:
        workers = _children(server.process.pid)
        assert len(workers) == 3
        before = _search(server.url, "zanzibarword")["total"]
        from corpus.store import CorpusStore
        from indexer.search import SearchEngine

        store = CorpusStore(small_home.corpus_dir)
        entry = next(e for e in store.entries() if e.status == "published")
        changed = entry.evolve(title=entry.title + " zanzibarword")
        store.put(changed)
        with SearchEngine(small_home) as engine:  # another process's write, as an editor's save
            engine.index_entries([changed])
        answers = {_search(server.url, "zanzibarword")["total"] for _ in range(9)}
        assert (before, answers) == (0, {1})  # every worker refreshed its reader
        server.process.send_signal(stop)
        assert server.process.wait(timeout=30) == 0
    for pid in workers:
        assert (
            not os.path.exists(f"/proc/{pid}")
            or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )

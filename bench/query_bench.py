"""In-process query latency (SearchEngine.search against Fts5Search.search) and an
edit's time until searchable, on the same data and the same queries.

Every query runs once to warm caches (the engine's facet tables, SQLite's page
cache), then `rounds` times measured, alternating the two engines query by
query so that a burst of load from elsewhere hits both alike.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.common import percentiles
from bench.fts5_baseline import Fts5Search
from bench.queries import query_set


def _timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args)
    return (time.perf_counter() - start) * 1000, value


def latency(home: Path, fts_db: Path, rounds: int = 3) -> dict:
    from indexer.search import SearchEngine, SearchQuery
    from observatory.home import Home

    queries = query_set()
    ours_ms, fts_ms, kinds = [], [], {"filtered": ([], []), "plain": ([], [])}
    fts = Fts5Search(fts_db)
    with SearchEngine(Home(home)) as engine:
        first_ms, _ = _timed(engine.search, SearchQuery.from_args({"q": ["warm"]}))
        for args in queries:  # warm-up
            engine.search(SearchQuery.from_args(args))
            fts.search(args)
        for _ in range(rounds):
            for args in queries:
                ms, _ = _timed(engine.search, SearchQuery.from_args(args))
                fms, _ = _timed(fts.search, args)
                ours_ms.append(ms)
                fts_ms.append(fms)
                kind = "filtered" if set(args) - {"q", "page", "sort"} else "plain"
                kinds[kind][0].append(ms)
                kinds[kind][1].append(fms)
    result = {
        "queries": len(queries),
        "rounds": rounds,
        "first_search_ms": round(first_ms, 1),
        "ours": percentiles(ours_ms),
        "fts5": percentiles(fts_ms),
    }
    for kind, (ours, theirs) in kinds.items():
        result[kind] = {"ours": percentiles(ours), "fts5": percentiles(theirs)}
    result["p95_ratio"] = round(result["ours"]["p95"] / max(result["fts5"]["p95"], 1e-6), 2)
    print(
        f"  in-process  ours p50 {result['ours']['p50']} p95 {result['ours']['p95']} "
        f"p99 {result['ours']['p99']} ms | FTS5 p50 {result['fts5']['p50']} "
        f"p95 {result['fts5']['p95']} p99 {result['fts5']['p99']} ms | "
        f"p95 ratio {result['p95_ratio']}",
        flush=True,
    )
    return result


def edits(home: Path, fts_db: Path, count: int = 20) -> dict:
    """store.put + engine.index_entries, then a search that must find the new word."""
    from corpus.store import CorpusStore
    from indexer.search import SearchEngine, SearchQuery
    from observatory.home import Home

    store = CorpusStore(Path(home) / "corpus")
    spread = store.ids()[:: max(1, len(store.ids()) // (count * 2))]
    ids = [i for i in spread if store.get(i).status == "published"][:count]  # drafts are hidden
    ours_ms, fts_ms = [], []
    stamp = int(time.time()) % 100000
    fts = Fts5Search(fts_db)
    writer = sqlite3.connect(fts_db)
    with SearchEngine(Home(home)) as engine:
        engine.search(SearchQuery.from_args({"q": ["warm"]}))
        for number, entry_id in enumerate(ids):
            word = f"edit{stamp}x{number}"
            entry = store.get(entry_id)
            changed = entry.evolve(title=f"{entry.title} {word}")
            start = time.perf_counter()
            store.put(changed, expected_version=entry.version)
            engine.index_entries([changed])
            found = engine.search(SearchQuery.from_args({"q": [word]}))["total"]
            ours_ms.append((time.perf_counter() - start) * 1000)
            if found != 1:
                raise RuntimeError(f"the edit of {entry_id} is not searchable ({found} found)")
            start = time.perf_counter()
            rowid = writer.execute("SELECT rowid FROM docs WHERE id = ?", (entry_id,)).fetchone()[0]
            with writer:
                writer.execute(
                    "UPDATE fts SET title = title || ' ' || ? WHERE rowid = ?", (word, rowid)
                )
            found = fts.search({"q": [word]})["total"]
            fts_ms.append((time.perf_counter() - start) * 1000)
            if found != 1:
                raise RuntimeError(f"FTS5: the edit of {entry_id} is not searchable")
    writer.close()
    result = {"edits": len(ids), "ours": percentiles(ours_ms), "fts5": percentiles(fts_ms)}
    print(
        f"  edit->searchable  ours p50 {result['ours']['p50']} p95 {result['ours']['p95']} ms | "
        f"FTS5 p50 {result['fts5']['p50']} p95 {result['fts5']['p95']} ms",
        flush=True,
    )
    return result

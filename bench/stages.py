"""Where a search's time goes: a per-stage breakdown of `SearchEngine.search` and its
JSON serialisation, over the benchmark's query set, on an index built by run_all.

    .venv/bin/python -m bench.stages --size 20000            # needs bench/out/home-20000
    .venv/bin/python -m bench.stages --home DIR --rounds 3

The engine is not changed for this: the functions that make up each stage are
wrapped with timers for the run (exclusive time: a stage nested in another is
subtracted from its parent), so the figures are the real code's. Stages:

- parse: the query text to a tree (indexer.query.parse)
- matching: the tree to document masks (Compiler.compile: postings, fuzzy)
- spelling: "did you mean" for unknown words (suggest)
- expansion: thesaurus concepts of the query and their documents (_expand)
- plan: the rest of planning (word units, soft AND, the relaxed base)
- filters: facet filter masks (_filter_masks)
- relaxation: strict or relaxed match after filters (_apply)
- facets: disjunctive counts and labels (_facet_values)
- scoring: Whoosh's BM25F over the matches (searcher.search inside _rank)
- proximity: the proximity bonus over the top candidates (proximity_factor)
- rank: the rest of ranking (coverage, trend/language factors, ordering)
- results: stored fields of the page shown, highlight excluded (_result)
- highlight: snippets (highlight, target_forms)
- serialisation: json.dumps of the answer, as Flask's jsonify does
- other: the engine's remainder (refresh checks, locking, the answer dict)

Warm: one pass first (facet tables, posting arrays), then `rounds` measured
passes, with the answer cache off. No FTS5 here: this says where our time goes,
bench.run_all compares engines.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import time
from collections import defaultdict
from pathlib import Path

from bench.common import OUT, machine, percentiles, save
from bench.queries import query_set


class StageClock:
    """Exclusive time per stage, across nested wrapped calls."""

    def __init__(self):
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []  # [stage, start, time spent in nested stages]

    def wrap(self, owner: object, name: str, stage: str) -> None:
        """Replace owner.name (a function, method or static method) by a timed one;
        a name the code does not have (any more) is left out."""
        if not hasattr(owner, name):
            return
        raw = owner.__dict__.get(name) if isinstance(owner, type) else None
        if isinstance(raw, staticmethod):
            setattr(owner, name, staticmethod(self._timed(raw.__func__, stage)))
        else:
            setattr(owner, name, self._timed(getattr(owner, name), stage))

    def _timed(self, function, stage: str):
        clock = self

        @functools.wraps(function)
        def timed(*args, **kwargs):
            frame = [stage, time.perf_counter(), 0.0]
            clock._stack.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                clock._stack.pop()
                elapsed = time.perf_counter() - frame[1]
                clock.totals[stage] += elapsed - frame[2]
                if clock._stack:
                    clock._stack[-1][2] += elapsed

        return timed

    def take(self) -> dict[str, float]:
        out, self.totals = dict(self.totals), defaultdict(float)
        return out


def _instrument(clock: StageClock) -> None:
    import indexer.highlight
    import indexer.matching
    import indexer.search
    from indexer import query as q
    from indexer.search import SearchEngine

    clock.wrap(q, "parse", "parse")
    clock.wrap(indexer.matching.Compiler, "compile", "matching")
    clock.wrap(indexer.matching, "suggest", "spelling")
    clock.wrap(indexer.matching, "_expand", "expansion")
    clock.wrap(indexer.search, "plan_query", "plan")
    clock.wrap(SearchEngine, "_filter_masks", "filters")
    clock.wrap(SearchEngine, "_apply", "relaxation")
    clock.wrap(SearchEngine, "_facet_values", "facets")
    clock.wrap(SearchEngine, "_rank", "rank")
    clock.wrap(indexer.search, "proximity_factor", "proximity")
    clock.wrap(indexer.search, "top_scores", "scoring")
    clock.wrap(SearchEngine, "_result", "results")
    clock.wrap(indexer.search, "highlight", "highlight")
    clock.wrap(indexer.search, "target_forms", "highlight")


ORDER = (
    "parse",
    "matching",
    "spelling",
    "expansion",
    "plan",
    "filters",
    "relaxation",
    "facets",
    "scoring",
    "proximity",
    "rank",
    "results",
    "highlight",
    "serialisation",
    "other",
)


def measure(home: Path, rounds: int = 3) -> dict:
    from indexer.search import SearchEngine, SearchQuery
    from observatory.home import Home

    clock = StageClock()
    _instrument(clock)
    queries = query_set()
    per_query: list[dict[str, float]] = []
    with SearchEngine(Home(home)) as engine:
        searcher, _ = engine._current()
        # scoring is the searcher's own search(), called from _rank
        original_search = type(searcher).search
        type(searcher).search = clock._timed(original_search, "scoring")
        try:
            for args in queries:  # warm-up
                json.dumps(engine.search(SearchQuery.from_args(args)))
            clock.take()
            for _ in range(rounds):
                for args in queries:
                    start = time.perf_counter()
                    answer = clock._timed(engine.search, "other")(SearchQuery.from_args(args))
                    clock._timed(json.dumps, "serialisation")(answer, ensure_ascii=False)
                    total = time.perf_counter() - start
                    stages = clock.take()
                    stages["total"] = total
                    stages["q"] = args.get("q", [""])[0]
                    stages["filtered"] = bool(set(args) - {"q", "page", "sort"})
                    per_query.append(stages)
        finally:
            type(searcher).search = original_search
    return summarise(per_query)


def summarise(per_query: list[dict]) -> dict:
    """Mean ms per stage, share of the total; the same for the slowest 10% of queries."""
    totals = [row["total"] * 1000 for row in per_query]
    cut = sorted(totals)[int(len(totals) * 0.9)]
    slow = [row for row in per_query if row["total"] * 1000 >= cut]

    def means(rows):
        n = max(len(rows), 1)
        total = sum(r["total"] for r in rows) / n * 1000
        stages = {s: sum(r.get(s, 0.0) for r in rows) / n * 1000 for s in ORDER}
        return {
            "total_ms": round(total, 2),
            "stages_ms": {s: round(v, 2) for s, v in stages.items()},
            "share": {s: round(v / total, 3) if total else 0 for s, v in stages.items()},
        }

    worst: dict[str, list[float]] = defaultdict(list)
    for row in per_query:
        worst[row["q"] + (" +filters" if row["filtered"] else "")].append(row["total"] * 1000)
    slowest = sorted(((max(v), k) for k, v in worst.items()), reverse=True)[:8]
    return {
        "searches": len(per_query),
        "latency": percentiles(totals),
        "all": means(per_query),
        "slowest_tenth": means(slow),
        "slowest_queries_ms": [[k, round(v, 1)] for v, k in slowest],
    }


def table(result: dict) -> str:
    """A markdown table: stage, mean ms and share over all, and over the slowest tenth."""
    lines = [
        "| stage | mean ms (all) | share | mean ms (slowest 10%) | share |",
        "| --- | --- | --- | --- | --- |",
    ]
    a, s = result["all"], result["slowest_tenth"]
    for stage in ORDER:
        lines.append(
            f"| {stage} | {a['stages_ms'][stage]} | {a['share'][stage]:.0%} | "
            f"{s['stages_ms'][stage]} | {s['share'][stage]:.0%} |"
        )
    lines.append(f"| total | {a['total_ms']} | | {s['total_ms']} | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--home", type=Path, help="default: bench/out/home-SIZE")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    home = args.home or OUT / f"home-{args.size}"
    os.environ["OBSERVATORY_SEARCH_CACHE_MB"] = "0"  # each pass computes every answer afresh
    info = machine()
    print(f"{home}: load average before {info['loadavg']}", flush=True)
    result = measure(home, args.rounds)
    result["machine"] = info
    result["machine"]["loadavg_after"] = os.getloadavg()
    print(table(result))
    print(f"latency ms: {result['latency']}")
    print("slowest:", result["slowest_queries_ms"])
    print(f"load average after {result['machine']['loadavg_after']}")
    save(f"stages-{home.name}-{time.strftime('%Y%m%d-%H%M%S')}", result)


if __name__ == "__main__":
    main()

"""Every benchmark in one command, ours next to SQLite FTS5 in the same run.

    .venv/bin/python -m bench.run_all --quick          # 2,000 entries, a smoke run (~1 min)
    .venv/bin/python -m bench.run_all --size 10000
    .venv/bin/python -m bench.run_all --size 100000    # about 15-25 minutes on 2 cores

Generates the entries (seeded, reused when already there), builds both
indexes, then measures in-process queries, HTTP latency and throughput, and
edits. Prints each figure and writes bench/out/results-SIZE-TIME.json.
`--skip-build` reuses the home and database of a previous run of that size,
to repeat the query measurements alone.
"""

from __future__ import annotations

import argparse
import time

from bench import build_bench, generate, http_bench, query_bench
from bench.common import OUT, machine, save


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--quick", action="store_true", help="2,000 entries, short load test")
    parser.add_argument("--skip-build", action="store_true", help="reuse the previous home")
    parser.add_argument("--no-rebuild", action="store_true", help="skip index --rebuild")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query set")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="load test duration")
    args = parser.parse_args()
    size = 2000 if args.quick else args.size
    seconds = 5.0 if args.quick else args.seconds
    data, home, fts_db = OUT / f"data-{size}", OUT / f"home-{size}", OUT / f"fts5-{size}.db"
    info = machine()
    print(
        f"{size} entries on {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}, "
        f"Python {info['python']}; load average {info['loadavg']}",
        flush=True,
    )
    started = time.perf_counter()
    generate.write(size, data)
    results: dict = {"size": size, "machine": info, "args": vars(args)}
    name = f"results-{size}-{time.strftime('%Y%m%d-%H%M%S')}"
    if not args.skip_build:
        results["build"] = build_bench.measure(
            size, data, home, fts_db, rebuild=not args.no_rebuild
        )
        save(name, results)  # each stage saved as it ends: a later failure loses nothing
    results["inprocess"] = query_bench.latency(home, fts_db, rounds=args.rounds)
    save(name, results)
    results["http"] = http_bench.measure(
        home,
        fts_db,
        workers=args.workers,
        threads=args.threads,
        rounds=max(1, args.rounds - 1),
        clients=args.clients,
        seconds=seconds,
    )
    save(name, results)
    results["edits"] = query_bench.edits(home, fts_db, count=10 if args.quick else 20)
    results["machine"]["loadavg_after"] = machine()["loadavg"]
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    path = save(name, results)
    print(f"done in {results['total_seconds']} s; figures in {path}")


if __name__ == "__main__":
    main()

"""Time to draw the map page `/map` (issue 15): cold (a fresh process's first map) and
cached (the same map again), next to SQLite FTS5 counting the same countries.

    .venv/bin/python -m bench.map_bench --size 100000    # builds the home once (minutes)
    .venv/bin/python -m bench.map_bench --size 20000 --skip-build

Targets: cached < 50 ms, cold < 1 s at 100,000 entries. The entries are the
generator's (bench/generate.py), imported and indexed as bench/run_all does,
into bench/out/home-SIZE (shared with run_all, so either reuses the other's).
Cold is measured in a child process: import of the app, the index opened,
the facet columns read and the map drawn, for one request through Flask's
test client (no network). Cached is the median and p95 of repeated requests
in one process. The FTS5 baseline counts entries per country with GROUP BY
over the same generated entries (no drawing): the floor of the counting.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import time
from pathlib import Path

from bench import build_bench, generate
from bench.common import OUT, PYTHON, machine, save

PAGES = ("/map?ui=en", "/map?q=open+data&ui=en", "/map?theme=smart-mobility&type=practice&ui=en")
FTS_QUERIES = (
    ("", "SELECT country, count(*) FROM docs WHERE status = 'published' GROUP BY country"),
    (
        "open data",
        "SELECT d.country, count(*) FROM fts JOIN docs d ON d.rowid = fts.rowid "
        "WHERE fts MATCH 'open data' AND d.status = 'published' GROUP BY d.country",
    ),
)

COLD = """
import json, sys, time
start = time.perf_counter()
from observatory.home import Home
from webui import create_app
client = create_app(Home(sys.argv[1]), {"TESTING": True}).test_client()
ready = time.perf_counter()
response = client.get(sys.argv[2])
done = time.perf_counter()
assert response.status_code == 200, response.status_code
print(json.dumps({"app_s": ready - start, "first_map_s": done - ready, "bytes": len(response.data)}))
"""


def cold(home: Path, page: str) -> dict:
    out = subprocess.run(
        [PYTHON, "-c", COLD, str(home), page], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def cached(home: Path, page: str, rounds: int) -> dict:
    from observatory.home import Home
    from webui import create_app

    client = create_app(Home(home), {"TESTING": True}).test_client()
    assert client.get(page).status_code == 200  # the first one draws and caches
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(page)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    times.sort()
    return {
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 2),
    }


def fts_counts(db: Path, rounds: int) -> dict:
    conn = sqlite3.connect(db)
    found = {}
    for name, sql in FTS_QUERIES:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            conn.execute(sql).fetchall()
            times.append(time.perf_counter() - start)
        found[name or "(all)"] = round(statistics.median(times) * 1000, 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--skip-build", action="store_true", help="reuse bench/out/home-SIZE")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    data, home, fts_db = (
        OUT / f"data-{args.size}",
        OUT / f"home-{args.size}",
        OUT / f"fts5-{args.size}.db",
    )
    info = machine()
    print(
        f"{args.size} entries on {info['nproc']} cores, load average {info['loadavg']}", flush=True
    )
    generate.write(args.size, data)
    if not (args.skip_build and (home / "index").exists() and fts_db.exists()):
        build_bench.measure(args.size, data, home, fts_db, rebuild=False)
    results: dict = {"size": args.size, "machine": info, "pages": {}}
    for page in PAGES:
        first = cold(home, page)
        again = cached(home, page, args.rounds)
        results["pages"][page] = {"cold": first, "cached": again}
        print(
            f"  {page:50} cold {first['first_map_s'] * 1000:7.0f} ms "
            f"(+ app start {first['app_s'] * 1000:.0f} ms)  cached median "
            f"{again['median_ms']:6.1f} ms  p95 {again['p95_ms']:6.1f} ms",
            flush=True,
        )
    results["fts5_group_by_ms"] = fts_counts(fts_db, args.rounds)
    print(f"  baseline: SQLite FTS5 GROUP BY country, median ms {results['fts5_group_by_ms']}")
    save(f"map-{args.size}-{time.strftime('%Y%m%d-%H%M%S')}", results)


if __name__ == "__main__":
    main()

"""Load test: many concurrent clients against the production server on 127.0.0.1, for a bounded time.

Why a mix and not one URL: people search, open entries, page, filter, follow
feeds and make mistakes (bad parameters must stay 4xx under load too). Each
client is a thread with a keep-alive connection that goes round the mix until
the deadline. Prints requests/s, latency percentiles, errors (exceptions and
5xx, and any status the mix did not expect), and the server's memory (all its
processes, from /proc) after warm-up and at the end, to show it does not grow.

    .venv/bin/python -m bench.load --clients 32 --seconds 60            # demo corpus home
    .venv/bin/python -m bench.load --home var --clients 8 --seconds 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from bench.common import percentiles, rss_of_tree
from bench.http_bench import Server as HttpServer

QUERIES = [
    "open data",
    "participatory budgeting",
    "bike sharing",
    "données ouvertes",
    "presupuesto participativo",
    "smart city sensors",
    "waste collection",
    "e-government",
    '"open data" portal',
    "water NOT drought",
    "mobilité",
    "transparencia",
    "",
]


def request_mix(entry_ids: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """(path, acceptable statuses): the pages and API calls a day of visitors makes."""
    mix: list[tuple[str, tuple[int, ...]]] = []
    for q in QUERIES:
        mix.append((f"/api/search?q={quote(q)}", (200,)))
        mix.append((f"/?q={quote(q)}", (200,)))
    mix += [
        ("/api/search?q=data&theme=open-data&theme=e-government&region=europe", (200,)),
        ("/api/search?q=city&page=2&per_page=20&sort=newest", (200,)),
        ("/?lang=fr&year_from=2015&year_to=2020", (200,)),
        ("/feeds/search.atom?q=open+data", (200,)),
        ("/api/trends?facet=theme&interval=year", (200,)),
        ("/api/search?per_page=1000", (400,)),
        ("/api/search?q=%22unclosed", (400,)),
        ("/entries/no-such-entry", (404,)),
    ]
    for entry_id in entry_ids[:20]:
        mix.append((f"/entries/{entry_id}", (200,)))
        mix.append((f"/api/entries/{entry_id}/similar", (200,)))
    return mix


class Server(HttpServer):
    """`observatory serve --port 0` (gunicorn, the production server), address read from its output."""

    def __init__(self, home: Path):
        super().__init__(
            [
                sys.executable,
                "-m",
                "observatory",
                "--home",
                str(home),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
            ],
            {},
        )

    def rss_mb(self) -> float:
        return round(sum(p["rss_mb"] for p in rss_of_tree(self.process.pid).values()), 1)


def _client(
    server: Server, mix, deadline: float, seed: int, out: dict, lock: threading.Lock
) -> None:
    rng = random.Random(seed)
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: list[str] = []
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    for _ in range(1_000_000):  # bounded; the deadline ends it first
        if time.monotonic() >= deadline:
            break
        path, expected = rng.choice(mix)
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{path}: {type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[response.status] += 1
        if response.status not in expected:
            errors.append(f"{path}: HTTP {response.status}")
    connection.close()
    with lock:
        out["latencies"] += latencies
        out["statuses"].update(statuses)
        out["errors"] += errors


def _entry_ids(server: Server) -> list[str]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    connection.request("GET", "/api/search?per_page=20")
    answer = json.loads(connection.getresponse().read())
    connection.close()
    return [hit["id"] for hit in answer["results"]]


def run(home: Path, clients: int = 32, seconds: float = 60.0, seed: int = 8) -> dict:
    """Start the server, warm it up, load it, and measure; returns the figures."""
    server = Server(home)
    try:
        mix = request_mix(_entry_ids(server))
        warm = {"latencies": [], "statuses": Counter(), "errors": []}
        _client(server, mix, time.monotonic() + 2.0, seed, warm, threading.Lock())  # warm-up
        rss_start = server.rss_mb()
        out = {"latencies": [], "statuses": Counter(), "errors": []}
        lock = threading.Lock()
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        threads = [
            threading.Thread(target=_client, args=(server, mix, deadline, seed + n, out, lock))
            for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        samples = []  # the server's memory at each tenth of the run: a plateau, or growth?
        for tenth in range(1, 11):
            threads[0].join(timeout=max(0.0, started + seconds * tenth / 10 - time.monotonic()))
            samples.append(server.rss_mb())
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        rss_end = server.rss_mb()
        alive = server.process.poll() is None
    finally:
        server.close()
    total = len(out["latencies"])
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "latency_ms": percentiles(out["latencies"]),
        "statuses": dict(sorted(out["statuses"].items())),
        "server_errors": sum(n for status, n in out["statuses"].items() if status >= 500),
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:10],
        "rss_mb_start": rss_start,
        "rss_mb_end": rss_end,
        "rss_mb_samples": samples,
        "server_alive": alive,
    }


def demo_home(folder: Path) -> Path:
    """A home with the demo corpus, imported and indexed the way a user does it."""
    home = folder / "home"
    subprocess.run(
        [sys.executable, "-m", "observatory", "--home", str(home), "import", "--demo"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", type=Path, help="An existing home (default: a new one with the demo corpus)."
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="observatory-load-") as folder:
        home = args.home or demo_home(Path(folder))
        figures = run(home, args.clients, args.seconds, args.seed)
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    latency = figures["latency_ms"]
    print(
        f"{figures['clients']} clients, {figures['seconds']} s: {figures['requests']} requests, "
        f"{figures['requests_per_s']} req/s; latency p50 {latency.get('p50')} ms, "
        f"p95 {latency.get('p95')} ms, p99 {latency.get('p99')} ms; {figures['errors']} errors, "
        f"{figures['server_errors']} 5xx; server RSS {figures['rss_mb_start']} -> "
        f"{figures['rss_mb_end']} MB",
        file=sys.stderr,
    )
    return 0 if figures["errors"] == 0 and figures["server_alive"] else 1


if __name__ == "__main__":
    sys.exit(main())

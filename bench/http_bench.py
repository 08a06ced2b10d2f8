"""/api/search over HTTP on live production servers: ours and FTS5's, both under gunicorn
with the same workers and threads, on 127.0.0.1 only.

Latency: each query of the set, one at a time, `rounds` times, alternating the
two servers. Throughput: `clients` threads with keep-alive connections send
the query set round and round for `seconds`, a bounded loop. Memory: each
server process's resident and peak memory from /proc, after the load.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import PYTHON, ROOT, percentiles, rss_of_tree
from bench.queries import as_path, query_set


class Server:
    """A server process that prints `Serving on http://HOST:PORT` first."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **env},
            cwd=ROOT,
        )
        line = self.process.stdout.readline()
        if not line.startswith("Serving on http://"):
            self.close()
            raise RuntimeError(f"server did not start: {line!r}")
        host_port = line.strip().removeprefix("Serving on http://")
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


def ours(home: Path, workers: int, threads: int) -> Server:
    env = {"OBSERVATORY_SERVE_WORKERS": str(workers), "OBSERVATORY_SERVE_THREADS": str(threads)}
    return Server([PYTHON, "-m", "observatory", "--home", str(home), "serve", "--port", "0"], env)


def fts5(db: Path, workers: int, threads: int) -> Server:
    return Server(
        [
            PYTHON,
            "-m",
            "webui.production",
            "bench.fts5_server:app_factory",
            "127.0.0.1",
            "0",
            str(workers),
            str(threads),
        ],
        {"BENCH_FTS5_DB": str(db)},
    )


def get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"Accept": "application/json"})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return response.status


def _timed_get(server: Server, conns: dict, path: str) -> float:
    """One request's milliseconds; a keep-alive connection the server closed
    (idle past its keep-alive time) is reopened and the request timed again."""
    for _attempt in range(2):
        conn = conns.get(server) or conns.setdefault(
            server, http.client.HTTPConnection(server.host, server.port, timeout=60)
        )
        start = time.perf_counter()
        try:
            get(conn, path)
            return (time.perf_counter() - start) * 1000
        except (http.client.RemoteDisconnected, ConnectionError):
            conn.close()
            del conns[server]
    raise RuntimeError(f"{path}: the server closed the connection twice")


def _latencies(servers: list[Server], paths: list[str], rounds: int) -> list[list[float]]:
    conns: dict = {}
    samples: list[list[float]] = [[] for _ in servers]
    for path in paths:  # warm-up: every worker should have its tables; a few passes
        for server in servers:
            _timed_get(server, conns, path)
    for _ in range(rounds):
        for path in paths:
            for server, bucket in zip(servers, samples, strict=True):
                bucket.append(_timed_get(server, conns, path))
    for conn in conns.values():
        conn.close()
    return samples


def _load(server: Server, paths: list[str], clients: int, seconds: float) -> dict:
    deadline = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
        position = number * 7
        while time.perf_counter() < deadline:
            path = paths[position % len(paths)]
            position += 1
            start = time.perf_counter()
            try:
                get(conn, path)
                counts[number] += 1
                latencies[number].append((time.perf_counter() - start) * 1000)
            except (OSError, RuntimeError, http.client.HTTPException):
                errors[number] += 1
                conn.close()
                conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": sum(counts),
        "errors": sum(errors),
        "rps": round(sum(counts) / elapsed, 1),
        "latency": percentiles([ms for bucket in latencies for ms in bucket]),
    }


def measure(
    home: Path,
    fts_db: Path,
    *,
    workers: int = 2,
    threads: int = 4,
    rounds: int = 2,
    clients: int = 16,
    seconds: float = 20.0,
) -> dict:
    paths = [as_path(args) for args in query_set()]
    result: dict = {"workers": workers, "threads": threads}
    with ours(home, workers, threads) as mine, fts5(fts_db, workers, threads) as theirs:
        # several warm-up passes so that every worker has opened its index
        for _ in range(workers):
            _latencies([mine, theirs], paths[:5], 1)
        ours_ms, fts_ms = _latencies([mine, theirs], paths, rounds)
        result["latency"] = {"ours": percentiles(ours_ms), "fts5": percentiles(fts_ms)}
        result["p95_ratio"] = round(
            result["latency"]["ours"]["p95"] / max(result["latency"]["fts5"]["p95"], 1e-6), 2
        )
        print(
            f"  HTTP        ours p50 {result['latency']['ours']['p50']} "
            f"p95 {result['latency']['ours']['p95']} p99 {result['latency']['ours']['p99']} ms | "
            f"FTS5 p50 {result['latency']['fts5']['p50']} p95 {result['latency']['fts5']['p95']} "
            f"p99 {result['latency']['fts5']['p99']} ms | p95 ratio {result['p95_ratio']}",
            flush=True,
        )
        for name, server in (("ours", mine), ("fts5", theirs)):
            load = _load(server, paths, clients, seconds)
            load["processes"] = rss_of_tree(server.process.pid)
            result[f"load_{name}"] = load
            print(
                f"  load {name:5} {load['rps']} req/s with {clients} clients "
                f"(p95 {load['latency'].get('p95')} ms, {load['errors']} errors); "
                f"RSS MB by pid: {load['processes']}",
                flush=True,
            )
    return result


if __name__ == "__main__":
    print(measure(Path(sys.argv[1]), Path(sys.argv[2]), seconds=5))

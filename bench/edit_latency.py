"""How long a saved edit takes to appear in search, over HTTP against a live server.

    .venv/bin/python -m bench.edit_latency                   # demo corpus, 50 edits
    .venv/bin/python -m bench.edit_latency --edits 200 --home var   # a copy of an existing home

Starts `observatory serve --port 0` (gunicorn, serve.workers processes) on a
fresh home with the demo corpus (or on a copy of --home: the real one is never
touched), makes an editor and a token, then for N published entries: PATCH
the title with a new word (If-Match from a GET), and poll /api/search for that
word until the entry shows. Prints p50/p95 of the PATCH alone, of save-to-
searchable, the polls needed, and, as the baseline from the same run, a plain
search for a word that is already there.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import string
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

POLL_LIMIT = 200


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def call(method: str, url: str, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return dict(response.headers), json.load(response)


def prepare(home_arg: str | None, workdir: Path):
    from corpus.accounts import Accounts
    from corpus.importers import demo_folder, import_paths
    from corpus.store import CorpusStore
    from indexer.build import update_index
    from observatory.home import Home

    target = workdir / "home"
    if home_arg:
        shutil.copytree(home_arg, target, ignore=shutil.ignore_patterns("secret_key"))
        home = Home(target)
    else:
        home = Home(target)
        import_paths(CorpusStore(home.corpus_dir), [demo_folder()])
    update_index(home)
    accounts = Accounts(home.database_path)
    name = "bench-" + "".join(random.choices(string.ascii_lowercase, k=6))
    accounts.add_user(name, "editor", "".join(random.choices(string.ascii_letters, k=24)))
    return home, accounts.create_token(name, "bench/edit_latency.py")[1]


def measure(base: str, token: str, ids: list[str]) -> dict:
    patch_ms, visible_ms, polls, baseline_ms = [], [], [], []
    for entry_id in ids:
        word = "zq" + "".join(random.choices(string.ascii_lowercase, k=10))
        headers, entry = call("GET", f"{base}/api/entries/{entry_id}")
        started = time.perf_counter()
        call(
            "PATCH",
            f"{base}/api/entries/{entry_id}",
            {"title": f"{entry['title']} {word}"},
            {
                "Authorization": f"Bearer {token}",
                "If-Match": headers["ETag"],
                "Content-Type": "application/json",
            },
        )
        patched = time.perf_counter()
        for attempt in range(1, POLL_LIMIT + 1):  # noqa: B007 (read after the loop)
            _, found = call("GET", f"{base}/api/search?q={word}")
            if any(hit["id"] == entry_id for hit in found["results"]):
                break
        else:
            raise RuntimeError(f"{entry_id}: not searchable after {POLL_LIMIT} searches")
        done = time.perf_counter()
        patch_ms.append((patched - started) * 1000)
        visible_ms.append((done - started) * 1000)
        polls.append(attempt)
        first_word = entry["title"].split()[0]
        started = time.perf_counter()
        call("GET", f"{base}/api/search?q={urllib.request.quote(first_word)}")
        baseline_ms.append((time.perf_counter() - started) * 1000)
    return {
        "edits": len(ids),
        "patch_ms": patch_ms,
        "visible_ms": visible_ms,
        "polls": polls,
        "baseline_search_ms": baseline_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--home", default=None, help="measure on a copy of this home")
    args = parser.parse_args()
    from bench.common import machine
    from corpus.store import CorpusStore
    from webui.server import ServerProcess

    with tempfile.TemporaryDirectory(prefix="edit-latency-") as workdir:
        home, token = prepare(args.home, Path(workdir))
        store = CorpusStore(home.corpus_dir)
        published = [e.id for e in store.entries() if e.status == "published"]
        ids = random.Random(7).sample(published, min(args.edits, len(published)))
        size = len(store)
        with (
            open(Path(workdir) / "server.log", "w") as log,
            ServerProcess(home.path, log=log) as server,
        ):
            call("GET", f"{server.url}/api/search?q=warm+up")
            result = measure(server.url, token, ids)
    workers = home.settings["serve.workers"]
    info = machine()
    print(
        f"{result['edits']} edits on {size} entries, {workers} worker process(es); "
        f"{info['nproc']} cores, {info['cpu']}, Python {sys.version.split()[0]}, "
        f"load average {info['loadavg']}"
    )
    for key, title in (
        ("patch_ms", "PATCH answered (saved, indexed)"),
        ("visible_ms", "PATCH sent -> found by /api/search"),
        ("baseline_search_ms", "baseline: one /api/search"),
    ):
        values = result[key]
        print(
            f"  {title:38} p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms"
            f"   max {max(values):7.1f} ms"
        )
    print(
        f"  searches needed until found: max {max(result['polls'])}, "
        f"first search found it in {sum(p == 1 for p in result['polls'])}/{len(result['polls'])}"
    )


if __name__ == "__main__":
    main()

"""Import and index throughput, index size and peak memory, next to FTS5's build.

Each step runs as its own child process, exactly as a user runs it, so its
peak memory is its own (`wait4` rusage): `observatory import --no-index`, then
`observatory index` (first build), then `observatory index --rebuild`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.common import PYTHON, folder_size_mb, run_child


def observatory(home: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "observatory", "--home", str(home), *args]


def measure(size: int, data: Path, home: Path, fts_db: Path, rebuild: bool = True) -> dict:
    shutil.rmtree(home, ignore_errors=True)
    result: dict = {"entries": size}
    steps = [
        ("import", observatory(home, "import", "--no-index", str(data))),
        ("index", observatory(home, "index")),
    ]
    if rebuild:
        steps.append(("rebuild", observatory(home, "index", "--rebuild")))
    for name, command in steps:
        figures = run_child(command)
        figures["per_second"] = round(size / figures["seconds"], 1)
        result[name] = figures
        print(
            f"  {name:8} {figures['seconds']:8.1f} s  {figures['per_second']:7.0f}/s  "
            f"peak {figures['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    both = result["import"]["seconds"] + result["index"]["seconds"]
    result["import_and_index"] = {"seconds": round(both, 2), "per_second": round(size / both, 1)}
    result["index_mb"] = folder_size_mb(home / "index")
    result["corpus_mb"] = folder_size_mb(home / "corpus")
    fts = run_child([PYTHON, "-m", "bench.fts5_baseline", str(fts_db), str(data)])
    fts["per_second"] = round(size / fts["seconds"], 1)
    fts["db_mb"] = round(fts_db.stat().st_size / 1024 / 1024, 1)
    result["fts5_build"] = fts
    print(
        f"  import+index {both:.1f} s ({size / both:.0f}/s); index {result['index_mb']} MB; "
        f"FTS5 build {fts['seconds']:.1f} s ({fts['per_second']:.0f}/s), {fts['db_mb']} MB, "
        f"peak {fts['peak_rss_mb']:.0f} MB",
        flush=True,
    )
    return result

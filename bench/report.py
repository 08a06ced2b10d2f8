"""Markdown tables from results JSON, for docs/benchmarks.md.

.venv/bin/python -m bench.report bench/out/results-100000-*.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _lat(figures: dict) -> str:
    return f"{figures.get('p50', '-')} / {figures.get('p95', '-')} / {figures.get('p99', '-')}"


def render(path: Path) -> str:
    data = json.loads(path.read_text("utf-8"))
    machine = data["machine"]
    lines = [
        f"### {data['size']:,} entries — {path.name}",
        "",
        f"{machine['date']}; {machine['nproc']} cores, {machine['memory_gib']} GiB, "
        f"{machine['cpu']}, Python {machine['python']}; load average before "
        f"{[round(x, 1) for x in machine['loadavg']]}, after "
        f"{[round(x, 1) for x in machine.get('loadavg_after', [])]}",
        "",
        _row("figure", "observatory", "SQLite FTS5", "ratio"),
        _row("---", "---", "---", "---"),
    ]
    build = data.get("build")
    if build:
        for step in ("import", "index", "rebuild"):
            if step in build:
                b = build[step]
                lines.append(
                    _row(
                        f"{step}: s (entries/s), CPU s, peak RSS MB",
                        f"{b['seconds']} ({b['per_second']}/s), {b['cpu_seconds']}, "
                        f"{b['peak_rss_mb']}",
                        "",
                        "",
                    )
                )
        both, fts = build["import_and_index"], build["fts5_build"]
        lines.append(
            _row(
                "import + index: s (entries/s)",
                f"{both['seconds']} ({both['per_second']}/s)",
                f"{fts['seconds']} ({fts['per_second']}/s), peak {fts['peak_rss_mb']} MB",
                round(both["seconds"] / max(fts["seconds"], 1e-6), 1),
            )
        )
        lines.append(_row("index size MB", build["index_mb"], fts["db_mb"], ""))
    inproc = data.get("inprocess")
    if inproc:
        for key, label in (("", "all"), ("plain", "no filters"), ("filtered", "with filters")):
            part = inproc[key] if key else inproc
            ratio = round(part["ours"]["p95"] / max(part["fts5"]["p95"], 1e-6), 2)
            lines.append(
                _row(
                    f"in-process p50/p95/p99 ms, {label}",
                    _lat(part["ours"]),
                    _lat(part["fts5"]),
                    f"p95 {ratio}x",
                )
            )
    http = data.get("http")
    if http:
        lines.append(
            _row(
                "HTTP /api/search p50/p95/p99 ms",
                _lat(http["latency"]["ours"]),
                _lat(http["latency"]["fts5"]),
                f"p95 {http['p95_ratio']}x",
            )
        )
        ours, fts = http["load_ours"], http["load_fts5"]
        lines.append(
            _row(
                f"req/s, {ours['clients']} clients, {http['workers']} workers x "
                f"{http['threads']} threads",
                ours["rps"],
                fts["rps"],
                round(ours["rps"] / max(fts["rps"], 1e-6), 2),
            )
        )

        def worker_rss(load):
            sizes = sorted(p["rss_mb"] for p in load["processes"].values())
            return f"master {sizes[0]}, workers {', '.join(map(str, sizes[1:]))}"

        lines.append(_row("server RSS MB after load", worker_rss(ours), worker_rss(fts), ""))
    edits = data.get("edits")
    if edits:
        lines.append(
            _row(
                "edit until searchable p50/p95/p99 ms", _lat(edits["ours"]), _lat(edits["fts5"]), ""
            )
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    for name in sys.argv[1:]:
        print(render(Path(name)))


if __name__ == "__main__":
    main()

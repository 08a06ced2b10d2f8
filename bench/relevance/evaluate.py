"""Relevance report: nDCG@10, recall@10 and MRR per query class, ours next to FTS5.

    python -m bench.relevance.evaluate                 # the dev set over the demo corpus
    python -m bench.relevance.evaluate --set heldout   # the held-out set over its own corpus
    python -m bench.relevance.evaluate --json          # machine-readable
    python -m bench.relevance.evaluate --per-query     # every query's figures

Both engines are built in the same run from the same corpus files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

from bench.relevance.fts5 import Fts5Index
from bench.relevance.metrics import ndcg_at, recall_at, reciprocal_rank
from corpus.importers import demo_folder, import_paths
from corpus.store import CorpusStore
from indexer.build import update_index
from indexer.search import SearchEngine, SearchQuery
from observatory.home import Home

HERE = Path(__file__).parent
SETS = {
    "dev": (HERE / "devset.yaml", demo_folder()),
    "heldout": (HERE / "heldout" / "queries.yaml", HERE / "heldout" / "corpus"),
}
K = 10


def load_queries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text("utf-8"))


def evaluate(set_name: str = "dev", expand: bool = True) -> dict:
    queries_path, corpus_path = SETS[set_name]
    queries = load_queries(queries_path)
    with tempfile.TemporaryDirectory() as tmp:
        home = Home(tmp)
        store = CorpusStore(home.corpus_dir)
        report = import_paths(store, [corpus_path])
        if report.refused:
            raise SystemExit(f"corpus refused entries: {report.refused[:3]}")
        update_index(home)
        entries = list(store.entries())
        known = {e.id for e in entries}
        fts = Fts5Index(entries)
        rows = []
        with SearchEngine(home) as engine:
            for q in queries:
                judged = {doc: int(grade) for doc, grade in q["relevant"].items()}
                missing = set(judged) - known
                if missing:
                    raise SystemExit(f"{q['id']}: judged ids not in corpus: {sorted(missing)}")
                filters = {
                    k: list(v) if isinstance(v, list) else [v]
                    for k, v in (q.get("filters") or {}).items()
                }
                args = {"q": [q["query"]], "per_page": [str(K)], **filters}
                if not expand:
                    args["expand"] = ["0"]
                ours = [
                    r["id"]
                    for r in engine.search(
                        SearchQuery.from_args(args), ui_lang=q.get("lang", "en")
                    )["results"]
                ]
                base = fts.search(q["query"], filters, K)
                rows.append(
                    {
                        "id": q["id"],
                        "class": q["class"],
                        "query": q["query"],
                        "ours": _scores(ours, judged),
                        "fts5": _scores(base, judged),
                    }
                )
    return {"set": set_name, "queries": len(rows), "rows": rows, "summary": summarise(rows)}


def _scores(ranked: list[str], judged: dict[str, int]) -> dict[str, float]:
    return {
        "ndcg": ndcg_at(ranked, judged, K),
        "recall": recall_at(ranked, judged, K),
        "mrr": reciprocal_rank(ranked, judged),
    }


def summarise(rows: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["class"]].append(row)
        groups["overall"].append(row)
    summary = {}
    for name, members in groups.items():
        summary[name] = {"n": len(members)}
        for engine in ("ours", "fts5"):
            summary[name][engine] = {
                m: sum(r[engine][m] for r in members) / len(members)
                for m in ("ndcg", "recall", "mrr")
            }
    return summary


def print_report(result: dict, per_query: bool) -> None:
    print(f"Relevance on the {result['set']} set ({result['queries']} queries), @{K}")
    print(
        f"{'class':<16}{'n':>3}  {'nDCG ours':>9} {'FTS5':>6}  {'R@10 ours':>9} {'FTS5':>6}  {'MRR ours':>8} {'FTS5':>6}"
    )
    order = sorted(k for k in result["summary"] if k != "overall") + ["overall"]
    for name in order:
        s = result["summary"][name]
        print(
            f"{name:<16}{s['n']:>3}  {s['ours']['ndcg']:>9.3f} {s['fts5']['ndcg']:>6.3f}  "
            f"{s['ours']['recall']:>9.3f} {s['fts5']['recall']:>6.3f}  "
            f"{s['ours']['mrr']:>8.3f} {s['fts5']['mrr']:>6.3f}"
        )
    if per_query:
        for row in result["rows"]:
            print(
                f"{row['id']:<6} {row['class']:<15} {row['ours']['ndcg']:.2f} {row['fts5']['ndcg']:.2f}  {row['query']}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="dev")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--per-query", action="store_true")
    parser.add_argument(
        "--no-expand", action="store_true", help="turn cross-language expansion off"
    )
    args = parser.parse_args(argv)
    result = evaluate(args.set, expand=not args.no_expand)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
    else:
        print_report(result, args.per_query)
    return 0


if __name__ == "__main__":
    sys.exit(main())

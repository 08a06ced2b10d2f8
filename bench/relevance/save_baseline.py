"""Store the dev set's current figures as the baseline the tests hold us to.

    python -m bench.relevance.save_baseline

Run it only when a change has made relevance better on purpose (and say so in the commit).
"""

import json
from pathlib import Path

from bench.relevance.evaluate import evaluate

if __name__ == "__main__":
    summary = evaluate("dev")["summary"]
    baseline = {
        "overall": round(summary["overall"]["ours"]["ndcg"], 4),
        "classes": {k: round(v["ours"]["ndcg"], 4) for k, v in summary.items() if k != "overall"},
        "fts5_overall": round(summary["overall"]["fts5"]["ndcg"], 4),
    }
    path = Path(__file__).parent / "baseline.json"
    path.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n")
    print(json.dumps(baseline, indent=2, sort_keys=True))

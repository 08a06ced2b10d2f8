"""Relevance is gated: the dev set's nDCG@10 may not fall below the stored baseline.

The baseline (bench/relevance/baseline.json) is what `python -m bench.relevance.evaluate
--json` measured when it was last raised on purpose; FTS5 is computed in the same run.
"""

import json
from pathlib import Path

import pytest

from bench.relevance.evaluate import evaluate

BASELINE = json.loads(
    (Path(__file__).resolve().parent.parent / "bench/relevance/baseline.json").read_text()
)
TOLERANCE = 0.005  # rounding room only: any real loss fails


@pytest.fixture(scope="module")
def report():
    return evaluate("dev")


def test_overall_ndcg_does_not_fall_below_the_baseline(report):
    assert report["summary"]["overall"]["ours"]["ndcg"] >= BASELINE["overall"] - TOLERANCE


@pytest.mark.parametrize("name", sorted(k for k in BASELINE["classes"]))
def test_each_class_holds_its_baseline(report, name):
    assert report["summary"][name]["ours"]["ndcg"] >= BASELINE["classes"][name] - 0.03


def test_we_beat_fts5_on_the_same_data(report):
    summary = report["summary"]
    assert summary["overall"]["ours"]["ndcg"] > summary["overall"]["fts5"]["ndcg"]
    assert summary["cross-language"]["ours"]["ndcg"] > summary["cross-language"]["fts5"]["ndcg"]

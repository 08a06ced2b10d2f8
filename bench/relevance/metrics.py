"""nDCG@k, recall@k and MRR over graded judgments (2 = highly relevant, 1 = relevant)."""

from __future__ import annotations

import math


def dcg(gains: list[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(doc, 0) for doc in ranked[:k]]) / ideal


def recall_at(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    relevant = {doc for doc, grade in judged.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / min(len(relevant), k)


def reciprocal_rank(ranked: list[str], judged: dict[str, int]) -> float:
    for position, doc in enumerate(ranked, start=1):
        if judged.get(doc, 0) > 0:
            return 1.0 / position
    return 0.0

"""From a crawled page or feed item to a stored entry: identity, merge, near-duplicates.

Why a merge and not an overwrite: once an entry is in the corpus, editors
improve it (themes, region, status, and often the title or summary). A
re-crawl updates only what the page itself says (title, summary, body, date,
language, address), and of those only the fields nobody edited since the last
crawl: a short hash of each crawled value is kept in `crawled_hashes`, and a
field whose stored value no longer has that hash is an editor's and stays.
The write is a compare-and-set, so an editor's save in between is never lost. A page that is a near-copy of one already stored from another address
does not become a second entry: its address is added to the first one's
`also_reported_by`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from corpus.crawlstate import CrawlState
from corpus.identity import SIMILAR, entry_id_for, signature, similarity
from corpus.sources import Source
from corpus.store import CorpusStore
from observatory.entry import entry_from_mapping
from observatory.errors import StaleVersion

CRAWLED_FIELDS = ("title", "summary", "body", "published", "url", "lang")
HASHES_KEY = "crawled_hashes"


def value_hash(value: Any) -> str:
    return hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:12]


def merge_crawled(mapping: dict[str, Any], crawled: dict[str, Any]) -> dict[str, Any]:
    """`mapping` updated with the crawled fields that no editor changed since the last crawl."""
    merged = dict(mapping)
    known = dict(mapping.get(HASHES_KEY) or {})
    for field, value in crawled.items():
        current = mapping.get(field)
        edited = (
            current not in (None, "") and field in known and value_hash(current) != known[field]
        )
        if not edited:
            merged[field] = value
            known[field] = value_hash(value) if value not in (None, "") else ""
    merged[HASHES_KEY] = known
    return merged


@dataclass(frozen=True)
class Outcome:
    kind: str  # new | updated | unchanged | grouped
    entry_id: str


class Ingester:
    def __init__(self, store: CorpusStore, state: CrawlState):
        self.store = store
        self.state = state

    def _grouping_target(self, url: str, sig: bytes) -> str | None:
        if not sig:
            return None
        best_id, best = None, SIMILAR
        for entry_id, other_url, _source, other_sig in self.state.fingerprints():
            if other_url == url:
                continue
            score = similarity(sig, other_sig)
            if score >= best and self.store.exists(entry_id):
                best_id, best = entry_id, score
        return best_id

    def _group(self, target_id: str, url: str) -> Outcome:
        entry = self.store.get(target_id)
        others = list(entry.extra.get("also_reported_by") or [])
        if url not in others and url != entry.url:
            others.append(url)
            mapping = entry.to_mapping()
            mapping["also_reported_by"] = others
            self.store.put(entry_from_mapping(mapping, detect_language=False))
        return Outcome("grouped", target_id)

    def ingest(
        self,
        source: Source,
        url: str,
        fields: dict[str, Any],
        *,
        id_key: str = "",
        known_entry: str | None = None,
        fill_only: bool = False,
    ) -> Outcome:
        """Store what `url` says. `known_entry` is the id an earlier crawl gave this URL.

        `id_key` names the item when it has no address of its own (a feed item without link).
        `fill_only`: the fields are second-hand (a feed item's blurb), so they only fill
        what a stored entry lacks and never replace what its page said.
        """
        entry_id = entry_id_for(url) if url else entry_id_for(id_key.replace("#", "/"))
        if known_entry and known_entry != entry_id and self.store.exists(known_entry):
            return self._group(known_entry, url)  # grouped before: stay grouped
        crawled = {k: v for k, v in fields.items() if k in CRAWLED_FIELDS and v}
        crawled["url"] = url or None
        if self.store.exists(entry_id):
            for _attempt in range(3):  # an editor saved in between: merge again
                previous = self.store.get(entry_id)
                mapping = previous.to_mapping()
                fresh = (
                    {k: v for k, v in crawled.items() if not mapping.get(k)}
                    if fill_only
                    else crawled
                )
                entry = entry_from_mapping(merge_crawled(mapping, fresh))
                try:
                    self.store.put(entry, expected_version=previous.version)
                except StaleVersion:
                    continue
                changed = previous.to_mapping() != entry.to_mapping()
                return Outcome("updated" if changed else "unchanged", entry_id)
            return Outcome("unchanged", entry_id)
        sig = signature(fields.get("body") or "")
        target = self._grouping_target(url, sig) if url else None
        if target is not None:
            return self._group(target, url)
        mapping = {
            **source.defaults,
            **crawled,
            "id": entry_id,
            "type": source.type,
            "status": source.status,
            "source": source.name,
        }
        entry = entry_from_mapping(merge_crawled(mapping, crawled))
        self.store.put(entry)
        if sig:
            self.state.add_fingerprint(entry_id, url, source.name, sig)
        return Outcome("new", entry_id)

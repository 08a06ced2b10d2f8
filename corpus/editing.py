"""Editors' changes, the one way: validate, compare-and-set, record, index.

Every save goes `store.put(entry, expected_version=...)`: the file is written
only if nobody saved the entry since the version the editor started from
(StaleVersion otherwise, and nothing is written). Under the same store lock,
the change is recorded in the history and handed to `index` (the search
engine's write-through), so when a save returns the entry is in the files,
in the history and in search results, in the order the saves happened.

Reject keeps the entry as a draft with an extra key `rejected` (who, when):
the crawler still recognises it (and does not bring it back as new), the
queue hides it by default, and publishing it later removes the mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from corpus.history import History
from corpus.store import CorpusStore
from observatory import taxonomy
from observatory.entry import Entry, entry_from_mapping
from observatory.errors import EntryInvalid, NotFound, StaleVersion

Indexer = Callable[[list[Entry], list[str]], None]
REJECTED = "rejected"
UNRECORDED_USER = "(outside the workspace)"
EMPTY = (None, "", [])


def apply_changes(entry: Entry, changes: Mapping[str, Any]) -> Entry:
    """`entry` with `changes` set (an empty value removes the field); EntryInvalid names the field."""
    mapping = entry.to_mapping()
    if (
        "country" in changes
        and "region" not in changes
        and entry.region == taxonomy.region_of_country(entry.country)
    ):
        mapping.pop("region", None)  # it followed the old country: derive it from the new one
    for name, value in changes.items():
        if name == "id" and value != entry.id:
            raise EntryInvalid("id", "cannot be changed")
        if value in EMPTY:
            mapping.pop(name, None)
        else:
            mapping[name] = value
    return entry_from_mapping(mapping, detect_language=not mapping.get("lang"))


@dataclass
class BulkReport:
    saved: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)


class Editing:
    def __init__(self, store: CorpusStore, history: History, index: Indexer | None = None):
        self.store, self.history, self.index = store, history, index

    def save(
        self, entry: Entry, *, expected_version: str, user: str, action: str = "edit"
    ) -> Entry:
        """Store `entry` if the stored one is still at `expected_version` (StaleVersion if not)."""

        def after_write(previous: Entry | None) -> None:
            before = previous.to_mapping() if previous else None
            if before == entry.to_mapping():
                return
            self._record_unrecorded(entry.id, previous)
            self.history.record(
                entry.id,
                user=user,
                action=action,
                before=before,
                after=entry.to_mapping(),
                from_version=previous.version if previous else "",
                to_version=entry.version,
            )
            if self.index is not None:
                self.index([entry], [])

        if not self.store.exists(entry.id):
            raise NotFound(f"no entry {entry.id!r}")
        stored, _ = self.store.put(entry, expected_version=expected_version, on_stored=after_write)
        return stored

    def _record_unrecorded(self, entry_id: str, previous: Entry | None) -> None:
        """Close a gap in the history before adding to it: a change stored without a record
        (a save killed between its file and its record, an import, a crawl) is recorded as
        such, so the chain of versions stays whole and every state can be restored."""
        last = self.history.last(entry_id)
        if last is None or previous is None or last.to_version == previous.version:
            return
        self.history.record(
            entry_id,
            user=UNRECORDED_USER,
            action="unrecorded",
            before=last.after,
            after=previous.to_mapping(),
            from_version=last.to_version,
            to_version=previous.version,
        )

    def update(
        self,
        entry_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: str,
        user: str,
        action: str = "edit",
    ) -> Entry:
        """Set some fields of the entry (a PATCH); stale or invalid changes write nothing."""
        current = self.store.get(entry_id)
        if current.version != expected_version:
            raise StaleVersion(entry_id, expected_version, current.version)
        return self.save(
            apply_changes(current, changes),
            expected_version=expected_version,
            user=user,
            action=action,
        )

    def decide(self, entry_id: str, decision: str, *, expected_version: str, user: str) -> Entry:
        """Publish or reject the stored entry as it is."""
        current = self.store.get(entry_id)
        if current.version != expected_version:
            raise StaleVersion(entry_id, expected_version, current.version)
        return self.save(
            with_decision(current, decision, user),
            expected_version=expected_version,
            user=user,
            action=decision,
        )

    def restore(
        self, entry_id: str, change_id: int, *, state: str, expected_version: str, user: str
    ) -> Entry:
        """Bring back the entry as it was after (or before) one recorded change."""
        change = self.history.get(change_id)
        if change.entry_id != entry_id:
            raise NotFound(f"change {change_id} is not a change of {entry_id!r}")
        mapping = change.after if state == "after" else change.before
        if mapping is None:
            raise NotFound(f"change {change_id} has no earlier version")
        entry = entry_from_mapping(mapping, detect_language=False)
        return self.save(entry, expected_version=expected_version, user=user, action="restore")

    def bulk(
        self, versions: Mapping[str, str], *, op: str, field_name: str, value: str, user: str
    ) -> BulkReport:
        """Add or remove one theme or tag on many entries, each with its own version check."""
        if op not in ("add", "remove") or field_name not in ("themes", "tags"):
            raise EntryInvalid(field_name, "bulk changes add or remove a theme or a tag")
        report = BulkReport()
        for entry_id, version in versions.items():
            try:
                current = self.store.get(entry_id)
                values = list(getattr(current, field_name))
                wanted = _toggled(values, value, op)
                if wanted == values:
                    report.unchanged.append(entry_id)
                    continue
                self.update(
                    entry_id,
                    {field_name: wanted},
                    expected_version=version,
                    user=user,
                    action="bulk",
                )
                report.saved.append(entry_id)
            except StaleVersion:
                report.stale.append(entry_id)
            except NotFound:
                report.missing.append(entry_id)
            except EntryInvalid as exc:
                report.invalid[entry_id] = str(exc)
        return report


def _toggled(values: list[str], value: str, op: str) -> list[str]:
    if op == "add":
        return values if value in values else [*values, value]
    return [v for v in values if v != value]


def with_decision(entry: Entry, decision: str, user: str) -> Entry:
    """The entry published (the reject mark removed) or rejected (a draft with the mark)."""
    extra = {k: v for k, v in entry.extra.items() if k != REJECTED}
    if decision == "publish":
        return entry.evolve(status="published", extra=extra)
    if decision == "reject":
        mark = {"by": user, "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
        return entry.evolve(status="draft", extra={**extra, REJECTED: mark})
    return entry

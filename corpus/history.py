"""Every change to an entry: who, when, what (a field-level diff), and the whole
entry before and after, so any version can be looked at and restored.

Rows are written by `corpus.editing` under the corpus store's lock, right after
the file is written, so their order is the order of the saves. A restore is
itself a change (action `restore`), so nothing is ever lost by restoring.
"""

from __future__ import annotations

import json
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.db import connect, migrate, transaction
from observatory.errors import NotFound

MIGRATIONS = (
    """
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        at REAL NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        from_version TEXT NOT NULL,
        to_version TEXT NOT NULL,
        diff TEXT NOT NULL,
        before TEXT,
        after TEXT NOT NULL
    );
    CREATE INDEX history_entry ON history (entry_id, id);
    """,
)


@dataclass(frozen=True, slots=True)
class Change:
    id: int
    entry_id: str
    at: float
    user: str
    action: str  # edit | publish | reject | restore | bulk | api | merge ...
    from_version: str
    to_version: str
    diff: list[dict[str, Any]]  # [{"field", "old", "new"}], in field order
    before: dict[str, Any] | None  # the entry's mapping before (None: it was created)
    after: dict[str, Any]


def field_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields whose value differs, in the order they appear (before's order first)."""
    before = before or {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        {"field": name, "old": before.get(name), "new": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
    ]


def _change(row) -> Change:
    return Change(
        id=row["id"],
        entry_id=row["entry_id"],
        at=row["at"],
        user=row["user"],
        action=row["action"],
        from_version=row["from_version"],
        to_version=row["to_version"],
        diff=json.loads(row["diff"]),
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]),
    )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class History:
    def __init__(self, path: Path):
        self.path = Path(path)
        migrate(self.path, "history", MIGRATIONS)

    def record(
        self,
        entry_id: str,
        *,
        user: str,
        action: str,
        before: dict | None,
        after: dict,
        from_version: str,
        to_version: str,
    ) -> int:
        with closing(connect(self.path)) as db, transaction(db):
            cursor = db.execute(
                "INSERT INTO history (entry_id, at, user, action, from_version, to_version, diff,"
                " before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry_id,
                    time.time(),
                    user,
                    action,
                    from_version,
                    to_version,
                    _dumps(field_diff(before, after)),
                    _dumps(before) if before is not None else None,
                    _dumps(after),
                ),
            )
        return cursor.lastrowid

    def of_entry(self, entry_id: str, limit: int = 200) -> list[Change]:
        """The entry's changes, newest first."""
        with closing(connect(self.path)) as db:
            rows = db.execute(
                "SELECT * FROM history WHERE entry_id = ? ORDER BY id DESC LIMIT ?",
                (entry_id, limit),
            ).fetchall()
        return [_change(row) for row in rows]

    def last(self, entry_id: str) -> Change | None:
        """The entry's latest recorded change."""
        changes = self.of_entry(entry_id, limit=1)
        return changes[0] if changes else None

    def get(self, change_id: int) -> Change:
        with closing(connect(self.path)) as db:
            row = db.execute("SELECT * FROM history WHERE id = ?", (change_id,)).fetchone()
        if row is None:
            raise NotFound(f"no change {change_id}")
        return _change(row)

    def snapshot(self, entry_id: str, version: str) -> dict[str, Any] | None:
        """The entry's mapping at `version`, when a recorded change produced or started from it."""
        with closing(connect(self.path)) as db:
            row = db.execute(
                "SELECT after FROM history WHERE entry_id = ? AND to_version = ? "
                "ORDER BY id DESC LIMIT 1",
                (entry_id, version),
            ).fetchone()
            if row is not None:
                return json.loads(row["after"])
            row = db.execute(
                "SELECT before FROM history WHERE entry_id = ? AND from_version = ? "
                "AND before IS NOT NULL ORDER BY id LIMIT 1",
                (entry_id, version),
            ).fetchone()
        return json.loads(row["before"]) if row is not None else None

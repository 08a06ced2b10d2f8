"""Saved searches, what each viewer has already seen of them, and digest runs (HOME/observatory.db).

A saved search is a name, an owner (a user id of corpus.accounts), the
search's URL arguments, and whether it is public. Public ones have a feed at
a stable address (by id); every one also has a secret feed token, so a
private search can be followed in a feed reader without a login.

"New since" is by membership, not by date: what matched when the viewer last
looked is kept (up to `MAX_TRACKED` newest ids), and an entry is new when it
matches now and did not then. So an old practice imported today counts as
new, and an entry edited into the search too; dates cannot tell either.
"""

from __future__ import annotations

import json
import secrets
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from corpus.db import connect, migrate, transaction
from observatory.errors import NotFound, UsageError

MAX_NAME = 200
MAX_TRACKED = 10_000
DIGEST = "digest"  # the viewer name under which the digest keeps what it has sent

MIGRATIONS = (
    """
    CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        args TEXT NOT NULL,
        public INTEGER NOT NULL DEFAULT 0,
        token TEXT NOT NULL UNIQUE,
        created REAL NOT NULL
    );
    CREATE INDEX saved_searches_user ON saved_searches(user_id);
    CREATE TABLE saved_seen (
        search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
        viewer TEXT NOT NULL,
        seen_at REAL NOT NULL,
        ids TEXT NOT NULL,
        PRIMARY KEY (search_id, viewer)
    );
    CREATE TABLE digest_runs (
        id INTEGER PRIMARY KEY,
        ran_at REAL NOT NULL,
        searches INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        out TEXT NOT NULL
    );
    """,
    # Searches whose owner unsubscribed from their mailed digest (issue 15).
    """
    ALTER TABLE saved_searches ADD COLUMN mailed INTEGER NOT NULL DEFAULT 1
    """,
)


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    user_id: int
    name: str
    args: dict[str, list[str]]
    public: bool
    token: str
    created: float
    mailed: bool = True  # False once its owner unsubscribed from the mailed digest


def canonical_args(args: dict[str, list[str]]) -> dict[str, list[str]]:
    """The search arguments worth keeping: no paging, empty values dropped, keys sorted."""
    kept = {}
    for name in sorted(args):
        if name in ("page", "per_page", "ui"):
            continue
        values = [str(v) for v in args[name] if str(v).strip()]
        if values:
            kept[name] = values
    return kept


class SavedSearches:
    def __init__(self, path: Path):
        self.path = Path(path)
        migrate(self.path, "saved_searches", MIGRATIONS)

    def _row(self, row) -> SavedSearch:
        return SavedSearch(
            id=row["id"],
            user_id=row["user_id"],
            name=row["name"],
            args=json.loads(row["args"]),
            public=bool(row["public"]),
            token=row["token"],
            created=row["created"],
            mailed=bool(row["mailed"]),
        )

    def create(
        self, user_id: int, name: str, args: dict[str, list[str]], *, public: bool = False
    ) -> SavedSearch:
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise UsageError(f"a saved search needs a name of 1 to {MAX_NAME} characters")
        with closing(connect(self.path)) as db, transaction(db):
            cursor = db.execute(
                "INSERT INTO saved_searches (user_id, name, args, public, token, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    name,
                    json.dumps(canonical_args(args)),
                    int(public),
                    secrets.token_urlsafe(24),
                    time.time(),
                ),
            )
            new_id = cursor.lastrowid
        return self.get(new_id)

    def get(self, search_id: int) -> SavedSearch:
        with closing(connect(self.path)) as db:
            row = db.execute("SELECT * FROM saved_searches WHERE id = ?", (search_id,)).fetchone()
        if row is None:
            raise NotFound(f"no saved search {search_id}")
        return self._row(row)

    def by_token(self, token: str) -> SavedSearch:
        with closing(connect(self.path)) as db:
            row = db.execute("SELECT * FROM saved_searches WHERE token = ?", (token,)).fetchone()
        if row is None or not secrets.compare_digest(row["token"], token):
            raise NotFound("no saved search with this address")
        return self._row(row)

    def of_user(self, user_id: int) -> list[SavedSearch]:
        with closing(connect(self.path)) as db:
            rows = db.execute(
                "SELECT * FROM saved_searches WHERE user_id = ? ORDER BY name, id", (user_id,)
            ).fetchall()
        return [self._row(r) for r in rows]

    def all(self) -> list[SavedSearch]:
        with closing(connect(self.path)) as db:
            rows = db.execute("SELECT * FROM saved_searches ORDER BY id").fetchall()
        return [self._row(r) for r in rows]

    def delete(self, search_id: int, user_id: int) -> None:
        with closing(connect(self.path)) as db, transaction(db):
            cursor = db.execute(
                "DELETE FROM saved_searches WHERE id = ? AND user_id = ?", (search_id, user_id)
            )
        if cursor.rowcount == 0:
            raise NotFound(f"no saved search {search_id}")

    def set_mailed(self, search_id: int, mailed: bool) -> SavedSearch:
        """Whether the search's new entries go into its owner's mailed digest."""
        with closing(connect(self.path)) as db, transaction(db):
            cursor = db.execute(
                "UPDATE saved_searches SET mailed = ? WHERE id = ?", (int(mailed), search_id)
            )
        if cursor.rowcount == 0:
            raise NotFound(f"no saved search {search_id}")
        return self.get(search_id)

    # --- what a viewer has seen ---------------------------------------------------
    def seen(self, search_id: int, viewer: str) -> tuple[float, set[str]] | None:
        """(when, ids that matched then) of the viewer's last look; None if never."""
        with closing(connect(self.path)) as db:
            row = db.execute(
                "SELECT seen_at, ids FROM saved_seen WHERE search_id = ? AND viewer = ?",
                (search_id, viewer),
            ).fetchone()
        return None if row is None else (row["seen_at"], set(json.loads(row["ids"])))

    def mark_seen(
        self, search_id: int, viewer: str, ids: list[str], when: float | None = None
    ) -> None:
        with closing(connect(self.path)) as db, transaction(db):
            db.execute(
                "INSERT OR REPLACE INTO saved_seen (search_id, viewer, seen_at, ids) "
                "VALUES (?, ?, ?, ?)",
                (
                    search_id,
                    viewer,
                    time.time() if when is None else when,
                    json.dumps(ids[:MAX_TRACKED]),
                ),
            )

    # --- digest runs --------------------------------------------------------------
    def record_digest(self, searches: int, entries: int, out: str) -> None:
        with closing(connect(self.path)) as db, transaction(db):
            db.execute(
                "INSERT INTO digest_runs (ran_at, searches, entries, out) VALUES (?, ?, ?, ?)",
                (time.time(), searches, entries, out),
            )

    def last_digest(self) -> dict | None:
        with closing(connect(self.path)) as db:
            row = db.execute("SELECT * FROM digest_runs ORDER BY id DESC LIMIT 1").fetchone()
        return dict(row) if row else None

"""Login rate limiting, kept in SQLite so every worker process counts the same failures.

Failed logins are counted per account and per client address over a sliding
window; past the limit, logging in is refused (even with the right password)
until old failures leave the window. A success clears the account's failures,
not the address's: one right password must not reset a guessing address.
"""

from __future__ import annotations

import time
from contextlib import closing
from pathlib import Path

from corpus.db import connect, migrate, transaction

WINDOW = 15 * 60  # seconds
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20

MIGRATIONS = (
    """
    CREATE TABLE login_attempts (key TEXT NOT NULL, at REAL NOT NULL);
    CREATE INDEX login_attempts_key ON login_attempts (key, at);
    """,
)


def _keys(name: str, address: str) -> tuple[str, str]:
    return f"user:{name.lower()}", f"ip:{address}"


class LoginThrottle:
    def __init__(
        self,
        path: Path,
        *,
        window: float = WINDOW,
        per_account: int = MAX_PER_ACCOUNT,
        per_address: int = MAX_PER_ADDRESS,
        clock=time.time,
    ):
        self.path = Path(path)
        self.window, self.per_account, self.per_address = window, per_account, per_address
        self.clock = clock
        migrate(self.path, "login_attempts", MIGRATIONS)

    def retry_after(self, name: str, address: str) -> int:
        """Seconds until a login for this account from this address may be tried; 0 when now."""
        now = self.clock()
        waits = [0.0]
        with closing(connect(self.path)) as db:
            for key, limit in zip(
                _keys(name, address), (self.per_account, self.per_address), strict=True
            ):
                rows = db.execute(
                    "SELECT at FROM login_attempts WHERE key = ? AND at > ? "
                    "ORDER BY at DESC LIMIT ?",
                    (key, now - self.window, limit),
                ).fetchall()
                if len(rows) >= limit:
                    waits.append(rows[-1]["at"] + self.window - now)
        return int(max(waits) + 0.999)

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        with closing(connect(self.path)) as db, transaction(db):
            db.executemany(
                "INSERT INTO login_attempts VALUES (?, ?)",
                [(key, now) for key in _keys(name, address)],
            )
            db.execute("DELETE FROM login_attempts WHERE at <= ?", (now - self.window,))

    def succeeded(self, name: str) -> None:
        with closing(connect(self.path)) as db, transaction(db):
            db.execute("DELETE FROM login_attempts WHERE key = ?", (_keys(name, "")[0],))

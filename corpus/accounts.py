"""Editors' accounts and API tokens, in the home's SQLite database.

Roles: `viewer` may log in but may not change anything (the API answers it
403), `editor` may review, edit and publish, `admin` may do that too (and is
the role that manages accounts from the command line). A disabled account
keeps its history but can neither log in nor use its tokens.

Passwords are hashed with argon2id (argon2-cffi's current defaults, rehashed
on login when those change). API tokens are 256 random bits shown once; only
their SHA-256 is stored: a slow hash protects guessable passwords, and a
random token is not guessable, so a fast one is enough and keeps every API
call cheap.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from corpus.db import connect, migrate, transaction
from observatory.errors import NotFound, UsageError

ROLES = ("viewer", "editor", "admin")
EDIT_ROLES = frozenset({"editor", "admin"})
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOKEN_PREFIX = "obs_"

MIGRATIONS = (
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created REAL NOT NULL
    );
    CREATE TABLE tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        token_hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL,
        revoked REAL
    );
    """,
    # Where and in which language a user's digests are mailed (issue 15).
    """
    ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'
    """,
)
EMAIL_PATTERN = re.compile(
    r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$"
)
DIGEST_LANGUAGES = ("en", "fr", "es", "pt")

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str
    active: bool
    email: str = ""
    lang: str = "en"

    @property
    def can_edit(self) -> bool:
        return self.active and self.role in EDIT_ROLES


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    user: str
    label: str
    created: float
    revoked: float | None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(row) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        active=bool(row["active"]),
        email=row["email"],
        lang=row["lang"],
    )


def check_contact(email: str | None, lang: str | None) -> None:
    """UsageError for an address that cannot receive mail or a language digests do not speak."""
    if email and not EMAIL_PATTERN.match(email):
        raise UsageError(f"{email[:80]!r} is not an e-mail address (name@example.org)")
    if lang is not None and lang not in DIGEST_LANGUAGES:
        raise UsageError(f"language {lang[:20]!r} must be one of {', '.join(DIGEST_LANGUAGES)}")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UsageError(f"the password must have at most {MAX_PASSWORD} characters")


class Accounts:
    """Users and tokens of one home; each call opens a short-lived connection (thread and process safe)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        migrate(self.path, "accounts", MIGRATIONS)

    def _db(self):
        return closing(connect(self.path))

    # --- users ---------------------------------------------------------------
    def add_user(
        self, name: str, role: str, password: str, email: str = "", lang: str = "en"
    ) -> User:
        if not NAME_PATTERN.match(name):
            raise UsageError(
                f"user name {name!r:.70} must be letters, digits and . _ @ - (at most 64)"
            )
        if role not in ROLES:
            raise UsageError(f"role {role!r} must be one of {', '.join(ROLES)}")
        check_password(password)
        check_contact(email, lang)
        hashed = _hasher.hash(password)
        with self._db() as db, transaction(db):
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UsageError(f"there is already a user named {name!r}")
            cursor = db.execute(
                "INSERT INTO users (name, role, password_hash, created, email, lang) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, role, hashed, time.time(), email, lang),
            )
        return User(id=cursor.lastrowid, name=name, role=role, active=True, email=email, lang=lang)

    def set_contact(self, name: str, email: str | None = None, lang: str | None = None) -> User:
        """Change where (an empty address: nowhere) and in which language digests are mailed."""
        check_contact(email, lang)
        user = self.get(name)
        with self._db() as db, transaction(db):
            db.execute(
                "UPDATE users SET email = ?, lang = ? WHERE id = ?",
                (user.email if email is None else email, lang or user.lang, user.id),
            )
        return self.get(name)

    def get(self, name: str) -> User:
        with self._db() as db:
            row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no user named {name!r}")
        return _user(row)

    def by_id(self, user_id: int) -> User | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def users(self) -> list[User]:
        with self._db() as db:
            return [_user(row) for row in db.execute("SELECT * FROM users ORDER BY name")]

    def set_active(self, name: str, active: bool) -> User:
        with self._db() as db, transaction(db):
            found = db.execute("UPDATE users SET active = ? WHERE name = ?", (int(active), name))
        if not found.rowcount:
            raise NotFound(f"no user named {name!r}")
        return self.get(name)

    def set_role(self, name: str, role: str) -> User:
        if role not in ROLES:
            raise UsageError(f"role {role!r} must be one of {', '.join(ROLES)}")
        with self._db() as db, transaction(db):
            found = db.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))
        if not found.rowcount:
            raise NotFound(f"no user named {name!r}")
        return self.get(name)

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        hashed = _hasher.hash(password)
        with self._db() as db, transaction(db):
            found = db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (hashed, name))
        if not found.rowcount:
            raise NotFound(f"no user named {name!r}")

    def authenticate(self, name: str, password: str) -> User | None:
        """The active user with this name and password, else None (same cost either way)."""
        with self._db() as db:
            row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        stored = row["password_hash"] if row else _DUMMY_HASH
        try:
            _hasher.verify(stored, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row["active"]:
            return None
        if _hasher.check_needs_rehash(stored):
            with self._db() as db, transaction(db):
                db.execute(
                    "UPDATE users SET password_hash = ? WHERE id = ?",
                    (_hasher.hash(password), row["id"]),
                )
        return _user(row)

    # --- tokens --------------------------------------------------------------
    def create_token(self, name: str, label: str = "") -> tuple[int, str]:
        """(token id, the token itself): the token is shown this once and never stored."""
        user = self.get(name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._db() as db, transaction(db):
            cursor = db.execute(
                "INSERT INTO tokens (user_id, token_hash, label, created) VALUES (?, ?, ?, ?)",
                (user.id, _token_hash(token), label[:200], time.time()),
            )
        return cursor.lastrowid, token

    def user_for_token(self, token: str) -> User | None:
        """The owner of a valid (known, not revoked) token, active or not; None otherwise."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT users.* FROM tokens JOIN users ON users.id = tokens.user_id "
                "WHERE tokens.token_hash = ? AND tokens.revoked IS NULL",
                (_token_hash(token),),
            ).fetchone()
        return _user(row) if row else None

    def tokens(self, name: str | None = None) -> list[TokenInfo]:
        sql = (
            "SELECT tokens.*, users.name AS user FROM tokens JOIN users ON users.id = tokens.user_id"
            + (" WHERE users.name = ?" if name else "")
            + " ORDER BY tokens.id"
        )
        with self._db() as db:
            rows = db.execute(sql, (name,) if name else ()).fetchall()
        return [
            TokenInfo(
                id=r["id"],
                user=r["user"],
                label=r["label"],
                created=r["created"],
                revoked=r["revoked"],
            )
            for r in rows
        ]

    def revoke_token(self, token_id: int) -> None:
        with self._db() as db, transaction(db):
            found = db.execute(
                "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                (time.time(), token_id),
            )
        if not found.rowcount:
            raise NotFound(f"no active token with id {token_id}")

    def revoke_tokens_of(self, name: str) -> int:
        """Revoke every token of a user; returns how many were active."""
        user = self.get(name)
        with self._db() as db, transaction(db):
            found = db.execute(
                "UPDATE tokens SET revoked = ? WHERE user_id = ? AND revoked IS NULL",
                (time.time(), user.id),
            )
        return found.rowcount

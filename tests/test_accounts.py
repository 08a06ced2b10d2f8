"""Accounts, tokens, the login throttle and the secret key: the parts of the editors'
workspace that live outside Flask (corpus.accounts, corpus.throttle, webui.secret)
and the `observatory user` / `observatory token` commands."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.accounts import MIGRATIONS, Accounts
from corpus.db import connect
from corpus.throttle import LoginThrottle
from observatory.errors import ConfigError, UsageError
from observatory.home import Home

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(tmp_path) -> Accounts:
    return Accounts(tmp_path / "observatory.db")


def run(home: Path, *args: str, stdin: str | None = None, env: dict | None = None):
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "observatory", "--home", str(home), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=environ,
        timeout=120,
    )


# --- accounts ----------------------------------------------------------------------


def test_users_are_created_with_a_role_and_a_hashed_password(accounts, tmp_path):
    alice = accounts.add_user("alice", "editor", PASSWORD)
    assert (alice.name, alice.role, alice.active, alice.can_edit) == ("alice", "editor", True, True)
    with sqlite3.connect(tmp_path / "observatory.db") as db:
        (stored,) = db.execute("SELECT password_hash FROM users WHERE name = 'alice'").fetchone()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("alice", PASSWORD) == alice
    assert accounts.authenticate("ALICE", PASSWORD) == alice  # names are case-insensitive
    assert accounts.authenticate("alice", PASSWORD + "!") is None
    assert accounts.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize(
    "name, role, password, message",
    [
        ("bob", "owner", PASSWORD, "role"),
        ("bob", "editor", "short", "at least"),
        ("bad name!", "editor", PASSWORD, "user name"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(accounts, name, role, password, message):
    with pytest.raises(UsageError, match=message):
        accounts.add_user(name, role, password)
    assert accounts.users() == []


def test_a_name_is_taken_once(accounts):
    accounts.add_user("alice", "editor", PASSWORD)
    with pytest.raises(UsageError, match="already"):
        accounts.add_user("Alice", "admin", PASSWORD)


def test_viewers_and_disabled_accounts_may_not_edit(accounts):
    viewer = accounts.add_user("vic", "viewer", PASSWORD)
    accounts.add_user("ed", "editor", PASSWORD)
    assert not viewer.can_edit
    disabled = accounts.set_active("ed", False)
    assert not disabled.can_edit
    assert accounts.authenticate("ed", PASSWORD) is None  # a disabled account cannot log in
    assert accounts.set_active("ed", True).can_edit


def test_tokens_are_stored_as_hashes_and_can_be_revoked(accounts, tmp_path):
    accounts.add_user("alice", "editor", PASSWORD)
    first_id, first = accounts.create_token("alice", "ci")
    second_id, second = accounts.create_token("alice")
    assert first != second and first.startswith("obs_")
    assert accounts.user_for_token(first).name == "alice"
    assert accounts.user_for_token(first + "x") is None
    assert accounts.user_for_token("") is None
    raw = (tmp_path / "observatory.db").read_bytes()
    assert first.encode() not in raw and second.encode() not in raw
    accounts.revoke_token(first_id)
    assert accounts.user_for_token(first) is None
    assert accounts.user_for_token(second).name == "alice"
    assert accounts.revoke_tokens_of("alice") == 1
    assert accounts.user_for_token(second) is None
    assert [(t.id, t.revoked is not None) for t in accounts.tokens("alice")] == [
        (first_id, True),
        (second_id, True),
    ]


def test_the_database_is_in_wal_mode_and_migrations_run_once(tmp_path):
    path = tmp_path / "observatory.db"
    Accounts(path).add_user("alice", "editor", PASSWORD)
    Accounts(path)  # a second open does not re-create (or wipe) the tables
    with connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT version FROM migrations WHERE area = 'accounts'").fetchone()[
            0
        ] == len(MIGRATIONS)
    assert [u.name for u in Accounts(path).users()] == ["alice"]


# --- login throttle ------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_blocks_an_account_after_five_failures_until_the_window_passes(tmp_path):
    clock = Clock()
    throttle = LoginThrottle(tmp_path / "db", clock=clock)
    for _ in range(4):
        throttle.failed("alice", "10.0.0.1")
    assert throttle.retry_after("alice", "10.0.0.1") == 0
    throttle.failed("alice", "10.0.0.2")  # from another address: still the same account
    assert throttle.retry_after("alice", "10.0.0.3") == 15 * 60
    assert throttle.retry_after("bob", "10.0.0.3") == 0
    clock.now += 15 * 60 + 1
    assert throttle.retry_after("alice", "10.0.0.3") == 0


def test_throttle_blocks_an_address_that_tries_many_accounts(tmp_path):
    throttle = LoginThrottle(tmp_path / "db", clock=Clock())
    for n in range(20):
        throttle.failed(f"user{n}", "10.0.0.9")
    assert throttle.retry_after("someone-new", "10.0.0.9") > 0
    assert throttle.retry_after("someone-new", "10.0.0.10") == 0


def test_a_success_clears_the_account_not_the_address(tmp_path):
    throttle = LoginThrottle(tmp_path / "db", clock=Clock(), per_address=6)
    for _ in range(4):
        throttle.failed("alice", "10.0.0.1")
    throttle.succeeded("alice")
    throttle.failed("alice", "10.0.0.1")
    throttle.failed("alice", "10.0.0.1")
    assert throttle.retry_after("alice", "10.0.0.2") == 0  # account count restarted
    assert throttle.retry_after("carol", "10.0.0.1") > 0  # the address's 6 failures stay


def test_throttle_counts_are_shared_between_processes(tmp_path):
    path = tmp_path / "db"
    LoginThrottle(path)
    code = (
        "import sys; from corpus.throttle import LoginThrottle; t = LoginThrottle(sys.argv[1]); "
        "[t.failed('alice', '10.0.0.1') for _ in range(5)]"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT, timeout=60)
    assert LoginThrottle(path).retry_after("alice", "10.0.0.7") > 0


# --- the command line ------------------------------------------------------------------


def test_user_add_and_token_commands(tmp_path):
    home = tmp_path / "home"
    done = run(
        home, "user", "add", "alice", "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert done.returncode == 0, done.stderr
    accounts = Accounts(Home(home).database_path)
    assert accounts.authenticate("alice", PASSWORD).role == "editor"
    made = run(home, "token", "create", "alice", "--label", "ci")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert accounts.user_for_token(token).name == "alice"
    listed = run(home, "token", "list", "alice")
    token_id = listed.stdout.split()[0]
    assert "active" in listed.stdout
    assert run(home, "token", "revoke", token_id).returncode == 0
    assert accounts.user_for_token(token) is None


def test_user_add_prompts_twice_without_password_stdin(tmp_path):
    home = tmp_path / "home"
    mismatch = run(
        home, "user", "add", "bob", "--role", "admin", stdin=f"{PASSWORD}\nother one!!\n"
    )
    assert mismatch.returncode != 0
    assert Accounts(Home(home).database_path).users() == []
    done = run(home, "user", "add", "bob", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert Accounts(Home(home).database_path).authenticate("bob", PASSWORD).role == "admin"


def test_user_add_refuses_a_short_password_and_a_duplicate_with_status_2(tmp_path):
    home = tmp_path / "home"
    short = run(home, "user", "add", "bob", "--role", "editor", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "at least" in short.stderr
    assert (
        run(
            home, "user", "add", "bob", "--role", "editor", "--password-stdin", stdin=PASSWORD
        ).returncode
        == 0
    )
    again = run(home, "user", "add", "bob", "--role", "editor", "--password-stdin", stdin=PASSWORD)
    assert again.returncode == 2 and "already" in again.stderr


# --- the secret key --------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["change-me", "CHANGE_ME", "secret", "dev", "x" * 40, "short-but-random-K3y9"]
)
def test_example_default_and_short_secret_keys_are_refused(key):
    from webui.secret import check_secret_key

    with pytest.raises(ConfigError, match="secret key"):
        check_secret_key(key, "setting 'secret_key'")


def test_a_long_random_secret_key_is_accepted():
    from webui.secret import check_secret_key

    check_secret_key("9f2c1e7a4b6d8e0f1a3c5e7b9d2f4a6c", "setting")


def test_the_app_refuses_a_configured_example_key(tmp_path):
    from webui import create_app

    home = Home(tmp_path / "home")
    home.settings_path.write_text("secret_key: change-me\n")
    with pytest.raises(ConfigError, match="example"):
        create_app(home)


def test_serve_refuses_to_start_with_an_example_key_and_says_why(tmp_path):
    done = run(
        tmp_path / "home", "serve", "--port", "0", env={"OBSERVATORY_SECRET_KEY": "change-me"}
    )
    assert done.returncode == 2
    assert "secret key" in done.stderr and "Serving on" not in done.stdout


def test_a_fresh_home_gets_a_private_random_key_once(tmp_path):
    from webui import create_app

    home = Home(tmp_path / "home")
    first = create_app(home).config["SECRET_KEY"]
    second = create_app(home).config["SECRET_KEY"]
    key_file = home.path / "secret_key"
    assert first == second == key_file.read_text().strip() and len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

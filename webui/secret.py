"""Where the key that signs cookies comes from when the settings give none.

A random key is made once per home and kept in HOME/secret_key (mode 0600),
so `make run` works on a fresh home, sessions survive restarts and every
process of one home agrees. A key given explicitly (the `secret_key` setting
or OBSERVATORY_SECRET_KEY) must be a real one: the server refuses to start
with an example or default value, or one shorter than 32 characters.
"""

from __future__ import annotations

import os
import secrets
import tempfile

from observatory.errors import ConfigError
from observatory.home import Home

FILE_NAME = "secret_key"
MIN_LENGTH = 32
# Values copied from examples and tutorials; compared case-insensitively, without - and _.
KNOWN_DEFAULTS = {
    "changeme",
    "changethis",
    "changemeplease",
    "secret",
    "secretkey",
    "dev",
    "devkey",
    "development",
    "default",
    "example",
    "test",
    "testing",
    "password",
    "ultrasecretkey",
    "yoursecretkey",
    "yoursecretkeyhere",
    "replaceme",
    "xxx",
}


def check_secret_key(key: str, origin: str) -> None:
    """Refuse (ConfigError naming `origin`) a missing, example or too short key."""
    folded = key.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    if not folded:
        raise ConfigError(
            f"{origin}: the secret key is empty; remove the setting to have one "
            f"generated in HOME/{FILE_NAME}, or set a random one"
        )
    if folded in KNOWN_DEFAULTS or len(set(folded)) < 4 or folded.startswith("changeme"):
        raise ConfigError(
            f"{origin}: the secret key is an example value; set a random one, "
            f"e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if len(key.strip()) < MIN_LENGTH:
        raise ConfigError(
            f"{origin}: the secret key has {len(key.strip())} characters; "
            f"it needs at least {MIN_LENGTH} random ones"
        )


def load_secret_key(home: Home) -> str:
    """The home's generated key, created on first use (0600, never overwritten)."""
    path = home.path / FILE_NAME
    if not path.exists():
        # Written aside then hard-linked into place: the link fails when another
        # process won the race, and nobody ever reads a half-written key.
        fd, temporary = tempfile.mkstemp(dir=home.path, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            os.chmod(temporary, 0o600)
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    key = path.read_text("ascii").strip()
    check_secret_key(key, str(path))
    return key


def secret_key_for(home: Home) -> str:
    """The key a server of this home signs with: the configured one if it is sound
    (ConfigError otherwise, so the server refuses to start), else the generated one."""
    configured = home.settings["secret_key"]
    if configured:
        check_secret_key(
            configured, f"setting 'secret_key' (OBSERVATORY_SECRET_KEY or {home.settings_path})"
        )
        return configured
    return load_secret_key(home)

"""Where the key that signs cookies comes from when the settings give none.

For now a random key is made once per home and kept in HOME/secret_key
(mode 0600), so sessions survive restarts and every process of one home
agrees. The editors' issue will tighten this (refuse to start without a
configured key); this is the one place to change.
"""

from __future__ import annotations

import os
import secrets
import tempfile

from observatory.home import Home

FILE_NAME = "secret_key"


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
    if not key:
        raise RuntimeError(f"{path} is empty: delete it or set the secret_key setting")
    return key

"""One table of settings: name, default, help, environment variable.

Values come from, in order: the environment, `HOME/settings.yaml` (nested
mappings, e.g. `crawl: {allow_private_addresses: true}`), then the default.
A test keeps this table and the README's table in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from observatory.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # dotted: "crawl.allow_private_addresses"
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "OBSERVATORY_" + self.name.upper().replace(".", "_")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "secret_key",
        "",
        "Key that signs sessions and CSRF tokens; the server refuses to start without one that is not the example.",
    ),
    Setting("site_name", "Observatory", "Name shown in the interface and feeds."),
    Setting(
        "base_url",
        "",
        "Public address (e.g. https://observatory.example.org) used for absolute links in feeds; the request's address when empty.",
    ),
    Setting(
        "contact_url",
        "https://github.com/observatory/observatory",
        "Contact address sent in the crawler's user agent.",
    ),
    Setting(
        "crawl.allow_private_addresses",
        False,
        "Let the crawler fetch private, loopback and link-local addresses (tests do).",
    ),
    Setting("crawl.max_pages", 200, "Pages fetched at most per source and crawl."),
    Setting(
        "crawl.delay",
        1.0,
        "Seconds between two requests to the same host (robots.txt Crawl-delay wins when larger).",
    ),
    Setting("crawl.timeout", 20.0, "Seconds before a request is given up."),
    Setting("crawl.max_bytes", 5_000_000, "Largest response body the crawler reads."),
    Setting(
        "crawl.max_redirects",
        5,
        "Redirects followed at most for one request (each hop is checked).",
    ),
    Setting(
        "crawl.retries", 2, "Retries of a request answered 429, 500, 502, 503 or 504, or cut off."
    ),
    Setting(
        "crawl.backoff",
        1.0,
        "Seconds before the first retry when the server gives no Retry-After (doubles each time).",
    ),
    Setting(
        "crawl.max_retry_wait",
        30.0,
        "Longest wait honoured for one Retry-After or back-off, in seconds.",
    ),
    Setting("crawl.max_crawl_delay", 60.0, "Longest robots.txt Crawl-delay honoured, in seconds."),
    Setting("mail.host", "", "SMTP server that `observatory digest --send` hands the digests to."),
    Setting("mail.port", 25, "Port of that SMTP server."),
    Setting(
        "mail.sender", "", "From address of the mailed digests (e.g. observatory@example.org)."
    ),
    Setting(
        "mail.base_url",
        "",
        "Public address the digests' links start with; base_url when empty.",
    ),
    Setting("mail.timeout", 30.0, "Seconds to wait for the SMTP server's each reply."),
    Setting("serve.workers", 2, "Worker processes of the production server."),
    Setting("serve.threads", 4, "Threads per worker of the production server."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                lowered = value.strip().lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off", ""):
                    return False
                raise ValueError(value)
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{origin}: setting '{setting.name}' has an invalid value {value!r}"
        ) from None


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


class Settings:
    """Resolved settings of one home; unknown keys in the file are an error that names them."""

    def __init__(self, path: Path | None = None, environ: dict[str, str] | None = None):
        self.path = path
        environ = os.environ if environ is None else environ
        from_file: dict[str, Any] = {}
        if path is not None and path.exists():
            try:
                loaded = yaml.safe_load(path.read_text("utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: not valid YAML: {exc}") from None
            if not isinstance(loaded, dict):
                raise ConfigError(f"{path}: must be a mapping of settings")
            from_file = _flatten(loaded)
            unknown = sorted(set(from_file) - set(_BY_NAME))
            if unknown:
                raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)}")
        self._values: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.env in environ:
                value = _coerce(setting, environ[setting.env], f"environment {setting.env}")
            elif setting.name in from_file:
                value = _coerce(setting, from_file[setting.name], str(path))
            else:
                value = setting.default
            self._values[setting.name] = value

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

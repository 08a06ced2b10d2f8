"""Web sources (contract section 4): read from HOME/sources.yaml or given on the command line.

A broken sources file is a ConfigError naming the file and the source, so the
crawl never starts half-configured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from observatory.entry import STATUSES, TYPES
from observatory.errors import ConfigError

KINDS = ("site", "sitemap", "feed")
DEFAULT_TYPE = {"site": "practice", "sitemap": "practice", "feed": "trend"}
OPTIONS = {
    "name",
    "kind",
    "url",
    "type",
    "status",
    "defaults",
    "fetch_full_text",
    "max_pages",
    "lang",
    "min_words",
}


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str
    type: str
    status: str = "draft"
    defaults: dict[str, Any] = field(default_factory=dict)
    fetch_full_text: bool = False
    max_pages: int | None = None
    lang: str = ""  # the source's declared language: a hint for detection
    min_words: int = 50  # a site page with fewer words of main text is a hub, not an entry


def source_from_mapping(data: Any, origin: str) -> Source:
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: each source must be a mapping")
    name = str(data.get("name") or "").strip()
    where = f"{origin}: source {name or '?'}"
    unknown = sorted(set(data) - OPTIONS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    if not name:
        raise ConfigError(f"{where}: 'name' is required")
    kind = str(data.get("kind") or "").strip()
    if kind not in KINDS:
        raise ConfigError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    url = str(data.get("url") or "").strip()
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ConfigError(f"{where}: 'url' must be an http(s) address")
    entry_type = str(data.get("type") or DEFAULT_TYPE[kind])
    if entry_type not in TYPES:
        raise ConfigError(f"{where}: 'type' must be one of {', '.join(TYPES)}")
    status = str(data.get("status") or "draft")
    if status not in STATUSES:
        raise ConfigError(f"{where}: 'status' must be one of {', '.join(STATUSES)}")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ConfigError(f"{where}: 'defaults' must be a mapping")
    max_pages = data.get("max_pages")
    lang = str(data.get("lang") or defaults.get("lang") or "").lower()
    return Source(
        name=name,
        kind=kind,
        url=url,
        type=entry_type,
        status=status,
        defaults=dict(defaults),
        fetch_full_text=bool(data.get("fetch_full_text")),
        max_pages=int(max_pages) if max_pages else None,
        lang=lang,
        min_words=int(data.get("min_words") or 50),
    )


def load_sources(path: Path) -> list[Source]:
    """The sources of a sources.yaml file ([] when there is none)."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, list):
        raise ConfigError(f"{path}: must be a list of sources")
    sources = [source_from_mapping(item, str(path)) for item in data]
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{path}: duplicate source name(s) {', '.join(duplicates)}")
    return sources


def source_for_url(kind: str, url: str) -> Source:
    """A source named on the command line (`--feed URL` and so on)."""
    parts = urlsplit(url)
    name = re.sub(r"[^a-z0-9]+", "-", f"{kind} {parts.hostname or ''} {parts.path}".lower())
    return source_from_mapping({"name": name.strip("-"), "kind": kind, "url": url}, "command line")

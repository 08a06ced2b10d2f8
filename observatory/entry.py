"""The entry: one practice or trend article, as the contract (section 1) defines it.

`entry_from_mapping` is the single gate every entry passes, whatever it came
from (a YAML file, a CSV row, a crawled page, an editor's form): it checks each
field, fills `lang` and `region` when absent, and keeps unknown keys in `extra`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from observatory import taxonomy
from observatory.errors import EntryInvalid

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,99}$")
PUBLISHED_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
LANG_PATTERN = re.compile(r"^[a-z]{2}$")
TYPES = ("practice", "trend")
STATUSES = ("draft", "published")

# Size limits (README, "Limits"): generous for real text, small enough that
# one hostile file cannot exhaust memory or the index.
MAX_TITLE = 500
MAX_SHORT_FIELD = 300  # city, organisation
MAX_SUMMARY = 5_000
MAX_BODY = 200_000
MAX_URL = 2_000
MAX_LIST_ITEMS = 50
MAX_TAG = 100
MAX_EXTRA_BYTES = 50_000
MAX_EXTRA_DEPTH = 10  # nesting of unknown keys' values (YAML anchors or deep JSON)
MAX_EXTRA_NODES = 5_000  # values counted with every alias expanded: no billion laughs

# Contract order, used when writing an entry back out.
KNOWN_KEYS = (
    "id",
    "type",
    "title",
    "summary",
    "body",
    "lang",
    "city",
    "country",
    "region",
    "themes",
    "tags",
    "organisation",
    "url",
    "published",
    "status",
)


@dataclass(slots=True, kw_only=True)
class Entry:
    """A validated entry. Text fields are '' when absent; `extra` keeps unknown keys."""

    id: str
    type: str
    title: str
    summary: str = ""
    body: str = ""
    lang: str = ""
    city: str = ""
    country: str = ""
    region: str = ""
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    organisation: str = ""
    url: str = ""
    published: str = ""
    status: str = "published"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published else None

    @property
    def is_demo(self) -> bool:
        return bool(self.extra.get("demo"))

    def to_mapping(self) -> dict[str, Any]:
        """The entry as a plain mapping in contract order, empty fields left out, extras last."""
        out: dict[str, Any] = {}
        for key in KNOWN_KEYS:
            value = getattr(self, key)
            if value in ("", [], None):
                continue
            out[key] = list(value) if isinstance(value, list) else value
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    @property
    def version(self) -> str:
        """A short content hash: the entry's ETag, changes whenever any field does."""
        canonical = json.dumps(self.to_mapping(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def text_for_detection(self) -> str:
        return "\n".join(part for part in (self.title, self.summary, self.body) if part)

    def evolve(self, **changes: Any) -> Entry:
        return replace(self, **changes)


ENTRY_FIELDS = tuple(f.name for f in fields(Entry) if f.name != "extra")


def _text(data: Mapping, key: str, limit: int, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise EntryInvalid(key, "is required")
        return ""
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise EntryInvalid(key, f"must be text, not {type(value).__name__}")
    text = _encodable(key, str(value).replace("\x00", ""))
    if required and not text.strip():
        raise EntryInvalid(key, "must not be empty")
    if len(text) > limit:
        raise EntryInvalid(key, f"is too long ({len(text)} characters, at most {limit})")
    return text.strip() if key != "body" else text.strip("\n")


def _encodable(key: str, text: str) -> str:
    """Text that can be stored as UTF-8 (a lone surrogate from JSON's \\ud800 cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EntryInvalid(
            key,
            f"holds a character that is not valid Unicode (a lone surrogate) at position {exc.start}",
        ) from None
    return text


def _check_extra(extra: Mapping) -> None:
    """Bound unknown keys' values before measuring them: depth, node count, valid text.

    Walks iteratively and stops at the first limit, so a YAML alias bomb (a small
    file whose values expand to billions of nodes) costs a few thousand steps.
    """
    stack: list[tuple[str, Any, int]] = [(str(k), v, 1) for k, v in extra.items()]
    nodes = 0
    while stack:
        key, value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_EXTRA_NODES:
            raise EntryInvalid(key, f"unknown keys hold more than {MAX_EXTRA_NODES} values")
        if depth > MAX_EXTRA_DEPTH:
            raise EntryInvalid(key, f"is nested more than {MAX_EXTRA_DEPTH} levels deep")
        if isinstance(value, str):
            _encodable(key, value)
        elif isinstance(value, Mapping):
            for k, v in value.items():
                _encodable(key, str(k))
                stack.append((key, v, depth + 1))
        elif isinstance(value, (list, tuple, set)):
            stack.extend((key, v, depth + 1) for v in value)


def _list(data: Mapping, key: str) -> list[str]:
    value = data.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part for part in re.split(r"[;,|]", value)]
    if not isinstance(value, (list, tuple)):
        raise EntryInvalid(key, f"must be a list, not {type(value).__name__}")
    items: list[str] = []
    for item in value:
        if isinstance(item, (list, dict)) or item is None:
            raise EntryInvalid(key, f"items must be text, found {item!r:.40}")
        text = _encodable(key, str(item).strip())
        if not text:
            continue
        if len(text) > MAX_TAG:
            raise EntryInvalid(key, f"item too long ({len(text)} characters, at most {MAX_TAG})")
        if text not in items:
            items.append(text)
    if len(items) > MAX_LIST_ITEMS:
        raise EntryInvalid(key, f"has {len(items)} items, at most {MAX_LIST_ITEMS}")
    return items


def normalise_published(value: Any) -> str:
    """'2015', '2015-07' or '2015-07-01' from a string, an int year or a date; '' when absent."""
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        if not 1000 <= value.year <= 2999:
            raise EntryInvalid("published", f"year {value.year} is out of range")
        return value.isoformat()
    if isinstance(value, bool):
        raise EntryInvalid("published", "must be a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    text = str(value).strip()
    match = PUBLISHED_PATTERN.match(text)
    if not match:
        raise EntryInvalid("published", f"{text!r:.40} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    if not 1000 <= int(year) <= 2999:
        raise EntryInvalid("published", f"year {year} is out of range")
    try:
        if day:
            _dt.date(int(year), int(month), int(day))
        elif month and not 1 <= int(month) <= 12:
            raise ValueError
    except ValueError:
        raise EntryInvalid("published", f"{text!r} is not a valid date") from None
    return text


def entry_from_mapping(data: Any, *, detect_language: bool = True) -> Entry:
    """Validate one raw mapping into an Entry, or raise EntryInvalid naming the field."""
    if not isinstance(data, Mapping):
        raise EntryInvalid("", f"an entry must be a mapping, not {type(data).__name__}")
    data = {_encodable("", str(k).strip()): v for k, v in data.items()}
    # YAML 1.1 reads an unquoted NO (Norway; Norwegian) as false: take it as written.
    for key, code in (("country", "NO"), ("lang", "no")):
        if data.get(key) is False:
            data[key] = code
    raw_id = data.get("id")
    entry_id = "" if raw_id is None else str(raw_id).strip()
    if not entry_id:
        raise EntryInvalid("id", "is required")
    if not ID_PATTERN.match(entry_id):
        raise EntryInvalid("id", f"{entry_id!r:.60} must match [a-z0-9][a-z0-9-]{{1,99}}")
    entry_type = _text(data, "type", 20, required=True)
    if entry_type not in TYPES:
        raise EntryInvalid("type", f"{entry_type!r} must be one of {', '.join(TYPES)}")
    title = _text(data, "title", MAX_TITLE, required=True)
    summary = _text(data, "summary", MAX_SUMMARY)
    body = _text(data, "body", MAX_BODY)

    lang = _text(data, "lang", 10).lower()
    if lang and not LANG_PATTERN.match(lang):
        raise EntryInvalid("lang", f"{lang!r} is not an ISO 639-1 code")

    country = _text(data, "country", 10).upper()
    if country and not taxonomy.is_country(country):
        raise EntryInvalid("country", f"{country!r} is not an ISO 3166-1 alpha-2 code")

    region = _text(data, "region", 40).lower()
    if region and region not in taxonomy.REGION_IDS:
        raise EntryInvalid("region", f"{region!r} is not one of {', '.join(taxonomy.REGION_IDS)}")
    if not region and country:
        region = taxonomy.region_of_country(country)

    themes = [t.lower() for t in _list(data, "themes")]
    for theme in themes:
        if theme not in taxonomy.THEME_IDS:
            raise EntryInvalid("themes", f"{theme!r} is not a theme id")

    status = _text(data, "status", 20).lower() or "published"
    if status not in STATUSES:
        raise EntryInvalid("status", f"{status!r} must be one of {', '.join(STATUSES)}")

    url = _text(data, "url", MAX_URL)
    if url and not re.match(r"^https?://[^\s]+$", url, re.IGNORECASE):
        raise EntryInvalid("url", f"{url!r:.60} must be an http(s) address")

    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    _check_extra(extra)
    if extra and len(json.dumps(extra, default=str)) > MAX_EXTRA_BYTES:
        raise EntryInvalid("", f"unknown keys take more than {MAX_EXTRA_BYTES} bytes")

    entry = Entry(
        id=entry_id,
        type=entry_type,
        title=title,
        summary=summary,
        body=body,
        lang=lang,
        city=_text(data, "city", MAX_SHORT_FIELD),
        country=country,
        region=region,
        themes=themes,
        tags=_list(data, "tags"),
        organisation=_text(data, "organisation", MAX_SHORT_FIELD),
        url=url,
        published=normalise_published(data.get("published")),
        status=status,
        extra=extra,
    )
    if not entry.lang and detect_language:
        from observatory.languages import detect_language as detect

        entry.lang = detect(entry.text_for_detection())
    return entry

"""The edit form's fields, both ways: an entry to form values, form values to an entry.

Form values are what the browser sends: strings, and a list for themes. Tags
are one comma-separated line; unknown keys (`extra`) are one YAML block, so
every field of an entry can be edited. The same representation carries "my"
and "their" versions through the conflict screen as hidden fields.
"""

from __future__ import annotations

from typing import Any

import yaml

from observatory import taxonomy
from observatory.entry import Entry, entry_from_mapping
from observatory.errors import EntryInvalid

TEXT_FIELDS = (
    "type",
    "title",
    "summary",
    "body",
    "lang",
    "city",
    "country",
    "region",
    "organisation",
    "url",
    "published",
    "status",
)
FIELDS = (
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
    "extra",
)
LIST_FIELDS = ("themes",)
Values = dict[str, Any]


def entry_values(entry: Entry) -> Values:
    """The form values showing `entry`."""
    values: Values = {name: getattr(entry, name) for name in TEXT_FIELDS}
    values["themes"] = list(entry.themes)
    values["tags"] = ", ".join(entry.tags)
    values["extra"] = (
        yaml.safe_dump(entry.extra, allow_unicode=True, sort_keys=False).strip()
        if entry.extra
        else ""
    )
    return values


def form_values(form, prefix: str = "") -> Values:
    """Form values from a submitted form (fields optionally prefixed, as on the conflict screen)."""
    values: Values = {}
    for name in FIELDS:
        key = prefix + name
        if name in LIST_FIELDS:
            values[name] = [v for v in form.getlist(key) if v]
        else:
            values[name] = form.get(key, "").replace("\r\n", "\n")
    return values


def values_to_entry(values: Values, entry_id: str) -> Entry:
    """Validate form values into an entry (EntryInvalid names the field)."""
    mapping: dict[str, Any] = {}
    extra_text = values.get("extra", "").strip()
    if extra_text:
        try:
            extra = yaml.safe_load(extra_text)
        except yaml.YAMLError:
            raise EntryInvalid("extra", "is not valid YAML") from None
        if not isinstance(extra, dict):
            raise EntryInvalid("extra", "must be YAML key: value lines")
        clash = sorted(set(map(str, extra)) & set(FIELDS) | ({"id"} & set(map(str, extra))))
        if clash:
            raise EntryInvalid("extra", f"{', '.join(clash)} has its own field")
        mapping.update(extra)
    for name in TEXT_FIELDS:
        mapping[name] = values.get(name, "")
    mapping["themes"] = list(values.get("themes") or [])
    mapping["tags"] = values.get("tags", "")
    mapping["id"] = entry_id
    return entry_from_mapping(mapping, detect_language=not mapping.get("lang"))


def same(a: Any, b: Any) -> bool:
    """Two form values are the same, ignoring trailing spaces and list order of themes."""
    if isinstance(a, list) or isinstance(b, list):
        return sorted(a or []) == sorted(b or [])
    return (a or "").strip() == (b or "").strip()


def differing(mine: Values, theirs: Values) -> list[str]:
    return [name for name in FIELDS if not same(mine.get(name), theirs.get(name))]


def merged(mine: Values, theirs: Values, choices: dict[str, str]) -> Values:
    """Per field, "mine" or "theirs" (theirs when not chosen)."""
    return {name: (mine if choices.get(name) == "mine" else theirs).get(name) for name in FIELDS}


def default_choices(mine: Values, theirs: Values, base: Values | None) -> dict[str, str]:
    """Keep what each side changed: mine where I changed the field, theirs elsewhere.

    Without the base version (not in the history), mine wins every differing field.
    """
    choices = {}
    for name in differing(mine, theirs):
        changed_by_me = base is None or not same(mine.get(name), base.get(name))
        choices[name] = "mine" if changed_by_me else "theirs"
    return choices


def choices_for(lang: str) -> dict[str, list[tuple[str, str]]]:
    """Picker options with labels in the editor's language, sorted by label."""

    def by_label(pairs):
        return sorted(pairs, key=lambda pair: pair[1].lower())

    return {
        "themes": by_label((t, taxonomy.theme_label(t, lang)) for t in taxonomy.THEME_IDS),
        "region": by_label((r, taxonomy.region_label(r, lang)) for r in taxonomy.REGION_IDS),
        "country": by_label((c, taxonomy.country_label(c, lang)) for c in taxonomy.country_codes()),
        "type": [(t, taxonomy.type_label(t, lang)) for t in taxonomy.TYPE_IDS],
        "lang": [(code, taxonomy.language_label(code, lang)) for code in taxonomy.LANGS],
    }

"""The multilingual thesaurus: concepts of local-government practice with labels
in en, fr, es, pt (SKOS-like YAML, `corpus/thesaurus.yaml`).

Editors extend it with `HOME/thesaurus.yaml` in the same format: a concept
with a new id is added; one with a known id adds its labels and themes to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from corpus.store import FAST_SAFE_LOADER
from observatory import taxonomy
from observatory.errors import ConfigError

BUNDLED = Path(__file__).parent / "thesaurus.yaml"
LANGS = taxonomy.LANGS
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(slots=True)
class Concept:
    id: str
    themes: list[str] = field(default_factory=list)
    broader: str = ""
    pref: dict[str, str] = field(default_factory=dict)
    alt: dict[str, list[str]] = field(default_factory=dict)

    def labels(self, lang: str) -> list[str]:
        """Preferred label first, then the alternatives, without repeats."""
        out: list[str] = []
        for label in [self.pref.get(lang, ""), *self.alt.get(lang, [])]:
            if label and label not in out:
                out.append(label)
        return out

    def label(self, lang: str) -> str:
        return self.pref.get(lang) or self.pref.get("en") or self.id


def _parse(data: object, origin: str) -> list[Concept]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"{origin}: a thesaurus is a list of concepts")
    concepts = []
    for position, item in enumerate(data, start=1):
        where = f"{origin}: concept #{position}"
        if not isinstance(item, dict) or not _ID.match(str(item.get("id", ""))):
            raise ConfigError(f"{where}: needs an 'id' of lowercase letters, digits and hyphens")
        themes = [str(t) for t in item.get("themes") or []]
        unknown = [t for t in themes if t not in taxonomy.THEME_IDS]
        if unknown:
            raise ConfigError(f"{where} ({item['id']}): unknown theme(s) {', '.join(unknown)}")
        pref = {str(k): str(v).strip().lower() for k, v in (item.get("pref") or {}).items() if v}
        alt: dict[str, list[str]] = {}
        for lang, labels in (item.get("alt") or {}).items():
            if isinstance(labels, str):
                labels = [labels]
            alt[str(lang)] = [str(label).strip().lower() for label in labels or [] if label]
        concepts.append(
            Concept(
                id=str(item["id"]),
                themes=themes,
                broader=str(item.get("broader") or ""),
                pref=pref,
                alt=alt,
            )
        )
    return concepts


def load_file(path: Path) -> list[Concept]:
    try:
        return _parse(yaml.load(path.read_text("utf-8"), Loader=FAST_SAFE_LOADER), str(path))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None


def load_thesaurus(extra: Path | None = None, bundled: Path = BUNDLED) -> list[Concept]:
    """The bundled concepts merged with a home's additions (when the file exists); `bundled`
    is another copy of the bundled file (the one an index was built with)."""
    concepts = {c.id: c for c in load_file(bundled)} if bundled.exists() else {}
    if extra is not None and extra.exists():
        for added in load_file(extra):
            known = concepts.get(added.id)
            if known is None:
                concepts[added.id] = added
                continue
            known.themes = list(dict.fromkeys(known.themes + added.themes))
            for lang, label in added.pref.items():
                known.alt.setdefault(lang, []).append(label)
            for lang, labels in added.alt.items():
                known.alt.setdefault(lang, []).extend(labels)
    return list(concepts.values())

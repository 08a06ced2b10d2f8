"""What an index was built with, stamped beside it, so a stale index is never served unnoticed.

Three parts are stamped in the index's manifest when it is built: the schema
(fields, their kinds and analyzers, from the facet and language tables), the
analysis (the language table's stemmers and stop words, the tokenizer, and
`ANALYSIS_VERSION`), and the thesaurus (the bundled file and HOME/thesaurus.yaml).
The thesaurus files themselves are copied into the index, so queries and later
write-throughs use the concepts the documents were built with until the index
is rebuilt: a changed thesaurus is reported (`observatory check`, the editors'
pages), never mixed. `observatory index` rebuilds an index whose stamp differs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from corpus.thesaurus import BUNDLED
from indexer.analysis import ANALYSED_LANGS, MAX_TOKEN, TOKEN_PATTERN, stop_words
from indexer.schema import build_schema
from observatory.home import Home
from observatory.languages import BY_CODE

# Bump when the way entries become documents changes in code the stamps cannot see
# (to_document, the word-form rules of analysis.py, concept weights).
ANALYSIS_VERSION = 1
MANIFEST = "manifest.sqlite"
PARTS = ("schema", "analysis", "thesaurus")
BUNDLED_COPY = "thesaurus.bundled.yaml"
HOME_COPY = "thesaurus.home.yaml"
WHAT = {
    "schema": "the index's fields changed (a facet or a language was added or changed)",
    "analysis": "text analysis changed (stemming, stop words, tokenizing)",
    "thesaurus": "the thesaurus changed (corpus/thesaurus.yaml or HOME/thesaurus.yaml)",
}


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def schema_stamp() -> str:
    """The fields' names, kinds and analyzers (Whoosh prints analyzers with their settings)."""
    schema = build_schema()
    return _digest(
        [(name, type(f).__name__, repr(getattr(f, "analyzer", None))) for name, f in schema.items()]
    )


def analysis_stamp() -> str:
    languages = {
        lang: [BY_CODE[lang].snowball, sorted(stop_words(lang))] for lang in ANALYSED_LANGS
    }
    return _digest([ANALYSIS_VERSION, TOKEN_PATTERN, MAX_TOKEN, languages])


def thesaurus_stamp(bundled: Path, home_additions: Path) -> str:
    digest = hashlib.sha256(bundled.read_bytes() if bundled.exists() else b"")
    digest.update(b"\0" + (home_additions.read_bytes() if home_additions.exists() else b""))
    return digest.hexdigest()[:16]


def current_stamp(home: Home) -> dict[str, str]:
    """What an index built now from this home would be stamped with."""
    return {
        "schema": schema_stamp(),
        "analysis": analysis_stamp(),
        "thesaurus": thesaurus_stamp(BUNDLED, home.thesaurus_path),
    }


def _db(folder: Path) -> sqlite3.Connection:
    db = sqlite3.connect(folder / MANIFEST, timeout=60.0)
    db.execute("CREATE TABLE IF NOT EXISTS stamp (part TEXT PRIMARY KEY, value TEXT NOT NULL)")
    return db


def read_stamp(folder: Path) -> dict[str, str]:
    """The stamp of the index in `folder`; {} for an index built before stamps existed."""
    if not (folder / MANIFEST).exists():
        return {}
    with closing(_db(folder)) as db:
        return dict(db.execute("SELECT part, value FROM stamp"))


def stamp_new_index(home: Home, folder: Path) -> None:
    """Copy the thesaurus into a freshly built index and stamp it (before it is swapped in)."""
    shutil.copyfile(BUNDLED, folder / BUNDLED_COPY)
    if home.thesaurus_path.exists():
        shutil.copyfile(home.thesaurus_path, folder / HOME_COPY)
    stamp = current_stamp(home)
    stamp["thesaurus"] = thesaurus_stamp(folder / BUNDLED_COPY, folder / HOME_COPY)
    with closing(_db(folder)) as db, db:
        db.executemany("INSERT OR REPLACE INTO stamp VALUES (?, ?)", stamp.items())


def stale_parts(home: Home) -> list[str]:
    """The parts of the live index's stamp that differ from what the code and home give now."""
    stamped = read_stamp(home.index_dir)
    now = current_stamp(home)
    return [part for part in PARTS if stamped.get(part) != now[part]]


def describe(parts: list[str]) -> str:
    """One sentence for people: why the index is out of date, and what to do."""
    reasons = "; ".join(WHAT[part] for part in parts)
    return f"The search index is out of date: {reasons}. Run `observatory index` to rebuild it."


def thesaurus_copies(folder: Path) -> tuple[Path, Path] | None:
    """The thesaurus files an index was built with, when it keeps them."""
    bundled = folder / BUNDLED_COPY
    return (bundled, folder / HOME_COPY) if bundled.exists() else None

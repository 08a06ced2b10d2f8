"""The home folder: where one observatory keeps its corpus, index, database and settings.

Chosen by `--home`, else `OBSERVATORY_HOME`, else `./var`; created when missing.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from observatory.settings import Settings

DEFAULT_HOME = "var"


class Home:
    def __init__(self, path: str | os.PathLike | None = None):
        chosen = path or os.environ.get("OBSERVATORY_HOME") or DEFAULT_HOME
        self.path = Path(chosen).expanduser().resolve()
        self.path.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"Home({str(self.path)!r})"

    @property
    def corpus_dir(self) -> Path:
        """One YAML file per entry."""
        return self.path / "corpus"

    @property
    def index_dir(self) -> Path:
        """The live Whoosh index (rebuilds happen beside it and are swapped in)."""
        return self.path / "index"

    @property
    def database_path(self) -> Path:
        """SQLite: users, tokens, history, saved searches, crawl state."""
        return self.path / "observatory.db"

    @property
    def settings_path(self) -> Path:
        return self.path / "settings.yaml"

    @property
    def sources_path(self) -> Path:
        return self.path / "sources.yaml"

    @property
    def thesaurus_path(self) -> Path:
        """Editors' additions to the bundled thesaurus."""
        return self.path / "thesaurus.yaml"

    @cached_property
    def settings(self) -> Settings:
        return Settings(self.settings_path)

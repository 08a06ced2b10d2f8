"""The query model: what one search asks for, built the same way from URL
arguments (`/api/search`, `/`) and from command-line options, and validated
once, so bad input is a QueryError (a 4xx), never a crash deeper down."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer import query as q
from observatory import facets
from observatory.errors import QueryError

MAX_PER_PAGE = 100
MAX_PAGE = 1000
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass
class SearchQuery:
    """What one search asks for; the web and the command line both build it with `from_args`."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    page: int = 1
    per_page: int = 10
    sort: str = ""  # "" -> relevance with a query, newest when browsing
    expand: bool = True
    include_drafts: bool = False

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "newest")

    @classmethod
    def from_args(cls, args: Mapping[str, list[str] | str]) -> SearchQuery:
        """Validate request-style arguments (each a list of strings); QueryError on bad input."""

        def values(name: str) -> list[str]:
            raw = args.get(name) or []
            raw = [raw] if isinstance(raw, str) else list(raw)
            return [v.strip() for v in raw if v is not None and v.strip()]

        def one(name: str) -> str | None:
            found = values(name)
            return found[-1] if found else None

        def integer(name: str, low: int, high: int, default: int | None) -> int | None:
            text = one(name)
            if text is None:
                return default
            if not re.fullmatch(r"-?\d{1,6}", text):
                raise QueryError(f"{name} must be a whole number, not {text[:20]!r}")
            number = int(text)
            if not low <= number <= high:
                raise QueryError(f"{name} must be between {low} and {high}")
            return number

        text = " ".join(values("q"))
        q.parse(text)  # raises QueryError on a malformed query
        filters: dict[str, list[str]] = {}
        for facet in facets.filters():
            chosen = list(dict.fromkeys(values(facet.name)))
            for value in chosen:
                if not facet.is_valid(value):
                    raise QueryError(f"unknown {facet.name} {value[:40]!r}")
            if chosen:
                filters[facet.name] = [facet.normalise(v) for v in chosen]
        sort = one("sort") or ""
        if sort not in ("", "relevance", "newest"):
            raise QueryError("sort must be 'relevance' or 'newest'")
        expand_text = (one("expand") or "1").lower()
        if expand_text not in _TRUE | _FALSE:
            raise QueryError("expand must be 1 or 0")
        year_from = integer("year_from", 1000, 2999, None)
        year_to = integer("year_to", 1000, 2999, None)
        if year_from and year_to and year_from > year_to:
            raise QueryError("year_from must not be after year_to")
        return cls(
            q=text,
            filters=filters,
            year_from=year_from,
            year_to=year_to,
            page=integer("page", 1, MAX_PAGE, 1),
            per_page=integer("per_page", 1, MAX_PER_PAGE, 10),
            sort=sort,
            expand=expand_text in _TRUE,
        )

    def to_args(self) -> dict[str, list[str]]:
        """The arguments that reproduce this query (for links and permalinks)."""
        args: dict[str, list[str]] = {}
        if self.q:
            args["q"] = [self.q]
        for facet, chosen in self.filters.items():
            if chosen:
                args[facet] = list(chosen)
        if self.year_from:
            args["year_from"] = [str(self.year_from)]
        if self.year_to:
            args["year_to"] = [str(self.year_to)]
        if self.sort:
            args["sort"] = [self.sort]
        if not self.expand:
            args["expand"] = ["0"]
        if self.per_page != 10:
            args["per_page"] = [str(self.per_page)]
        if self.page != 1:
            args["page"] = [str(self.page)]
        return args

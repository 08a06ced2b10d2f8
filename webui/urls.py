"""Search state as addresses: every state of the search page is a URL that can be shared.

`SearchState` holds the request's search parameters (those of /api/search,
in a fixed order, empty values dropped) and makes the links of the page:
a facet value's toggle, a page, a sort, the suggestion, expansion on/off.
Any change of filters goes back to page 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from observatory import facets

KEPT = ("ui",)  # not search parameters, but carried along so links keep the chosen language


def facet_params() -> tuple[str, ...]:
    """The facets chosen in addresses (several values each), as observatory.facets declares."""
    return tuple(f.name for f in facets.filters())


def params() -> tuple[str, ...]:
    """The search parameters, in the fixed order of every address."""
    return ("q", *facet_params(), "year_from", "year_to", "sort", "expand", "per_page", "page")


class SearchState:
    def __init__(self, args: Mapping[str, list[str]], kept: Mapping[str, str] | None = None):
        self.args: dict[str, list[str]] = {}
        multi = facet_params()
        for name in params():
            values = [v for v in args.get(name, []) if v != ""]
            if name not in multi:
                values = values[-1:]  # single-valued: the last one wins, as in from_args
            if values:
                self.args[name] = values
        self.kept = dict(kept or {})

    @classmethod
    def from_request(cls, request) -> SearchState:
        args = request.args.to_dict(flat=False)
        kept = {name: request.args[name] for name in KEPT if request.args.get(name)}
        return cls(args, kept)

    # --- reading -------------------------------------------------------------
    def get(self, name: str, default: str = "") -> str:
        values = self.args.get(name)
        return values[-1] if values else default

    def values(self, name: str) -> list[str]:
        return list(self.args.get(name, []))

    def query_args(self) -> dict[str, list[str]]:
        """What `SearchQuery.from_args` receives."""
        return {name: list(values) for name, values in self.args.items()}

    @property
    def has_filters(self) -> bool:
        return any(name in self.args for name in (*facet_params(), "year_from", "year_to"))

    # --- making links ----------------------------------------------------------
    def _changed(self, changes: Mapping[str, Iterable[str] | str | None]) -> SearchState:
        state = SearchState({}, self.kept)
        state.args = {name: list(values) for name, values in self.args.items()}
        for name, value in changes.items():
            if value is None or value == "" or value == []:
                state.args.pop(name, None)
            else:
                state.args[name] = [value] if isinstance(value, str) else list(value)
        if set(changes) - {"page"}:
            state.args.pop("page", None)
        state.args = {name: state.args[name] for name in params() if name in state.args}
        return state

    def url(self, path: str = "/", **changes) -> str:
        """This state's address (with `changes` applied) under `path`."""
        state = self._changed(changes) if changes else self
        pairs = [(name, value) for name, values in state.args.items() for value in values]
        pairs += list(state.kept.items())
        return path + ("?" + urlencode(pairs) if pairs else "")

    def toggle_url(self, facet: str, value: str) -> str:
        """The address with `value` of `facet` added when absent, removed when present."""
        current = self.values(facet)
        chosen = [v for v in current if v != value] if value in current else [*current, value]
        return self.url(**{facet: chosen})

    def year_url(self, year: str) -> str:
        """The address showing one year only (or all years again when it is the one shown)."""
        if self.get("year_from") == year and self.get("year_to") == year:
            return self.url(year_from=None, year_to=None)
        return self.url(year_from=year, year_to=year)

    def page_url(self, page: int) -> str:
        return self.url(page=str(page) if page > 1 else None)

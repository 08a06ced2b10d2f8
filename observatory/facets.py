"""Every facet declared once: what it is called, where its values come from,
which values it accepts, how they are labelled, and where it appears.

The schema, the indexed documents, the facet columns, query validation, the
search page's state and filters, the command-line options and the trends all
read this table (datasette's `Facet` classes keep a facet's whole behaviour in
one place the same way). Adding a facet is one `Facet(...)` here plus its data
(values on the entry, labels in `observatory/data`); docs/ARCHITECTURE.md says how.
The table is read when needed, never copied at import, so `registered()` can add
a facet for the length of a test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from observatory import taxonomy
from observatory.entry import Entry

_LANG = re.compile(r"^[a-z]{2}$")


def N_(message: str) -> str:
    """Marks an interface string for Babel's extraction; translated where it is shown."""
    return message


def _keep(value: str) -> str:
    return value


@dataclass(frozen=True, kw_only=True)
class Facet:
    """One facet: its name in addresses, the API and the command line, and its behaviour."""

    name: str  # URL parameter, key of the API's `facets`, `--name` on the command line
    field: str  # the index field holding its values
    values: Callable[[Entry], Sequence[str]]  # what an entry is counted under
    title: str = ""  # the interface's heading (a msgid, translated in webui)
    noun: str = ""  # the same in a sentence: "Entries per year, by theme"
    cli_help: str = ""
    multi: bool = False  # an entry may have several values
    public: bool = True  # counted in every search answer
    filter: bool = True  # can be chosen: URL parameter, checkbox list, command-line option
    page_order: int = 0  # position among the search page's filter lists
    trend: bool = False  # trends can split their counts by it
    choices: Callable[[], Sequence[str]] | None = None  # a closed vocabulary; None: open
    accepts: Callable[[str], bool] | None = None  # for an open vocabulary: is it a value?
    normalise: Callable[[str], str] = str.lower  # how a chosen value is written
    label: Callable[[str, str], str] = lambda value, lang: value  # (value, ui lang) -> label

    def is_valid(self, value: str) -> bool:
        if self.choices is not None:
            return self.normalise(value) in self.choices()
        return self.accepts(value) if self.accepts is not None else True

    def document_value(self, entry: Entry) -> str:
        """What the index field receives for `entry` ('' when it has no value)."""
        values = [v for v in self.values(entry) if v]
        return " ".join(values) if self.multi else (values[0] if values else "")


def _one(value: str) -> tuple[str, ...]:
    return (value,) if value else ()


_TABLE: list[Facet] = [
    Facet(
        name="theme",
        field="themes",
        multi=True,
        values=lambda e: tuple(e.themes),
        title=N_("Theme"),
        noun=N_("theme"),
        cli_help="Theme id (repeatable: values are OR-ed).",
        page_order=2,
        trend=True,
        choices=lambda: taxonomy.THEME_IDS,
        label=taxonomy.theme_label,
    ),
    Facet(
        name="region",
        field="region",
        values=lambda e: _one(e.region),
        title=N_("Region"),
        noun=N_("region"),
        cli_help="Region id (repeatable).",
        page_order=3,
        trend=True,
        choices=lambda: taxonomy.REGION_IDS,
        label=taxonomy.region_label,
    ),
    Facet(
        name="country",
        field="country",
        values=lambda e: _one(e.country),
        title=N_("Country"),
        noun=N_("country"),
        cli_help="ISO country code (repeatable).",
        page_order=4,
        accepts=taxonomy.is_country,
        normalise=str.upper,
        label=taxonomy.country_label,
    ),
    Facet(
        name="lang",
        field="lang",
        values=lambda e: (e.lang or "xx",),
        title=N_("Language"),
        noun=N_("language"),
        cli_help="Language code (repeatable).",
        page_order=5,
        trend=True,
        accepts=lambda v: bool(_LANG.match(v.lower())),
        label=taxonomy.language_label,
    ),
    Facet(
        name="type",
        field="type",
        values=lambda e: _one(e.type),
        title=N_("Type"),
        noun=N_("type"),
        cli_help="practice or trend (repeatable).",
        page_order=1,
        trend=True,
        choices=lambda: taxonomy.TYPE_IDS,
        label=taxonomy.type_label,
    ),
    Facet(
        name="year",
        field="year",
        values=lambda e: _one(str(e.year) if e.year else ""),
        title=N_("Year"),
        filter=False,  # chosen as a range: year_from, year_to
        normalise=_keep,
    ),
    Facet(
        name="status",
        field="status",
        values=lambda e: _one(e.status),
        public=False,  # visibility, not a facet people see: drafts are filtered out
        filter=False,
    ),
]


def all_facets() -> tuple[Facet, ...]:
    """Every facet, in the order of the API's `facets` object."""
    return tuple(_TABLE)


def public() -> tuple[Facet, ...]:
    """The facets every search answer counts."""
    return tuple(f for f in _TABLE if f.public)


def filters() -> tuple[Facet, ...]:
    """The facets people choose values of (URL parameters and command-line options)."""
    return tuple(f for f in _TABLE if f.public and f.filter)


def on_page() -> tuple[Facet, ...]:
    """The search page's filter lists, in their order."""
    return tuple(sorted(filters(), key=lambda f: f.page_order))


def trend() -> tuple[Facet, ...]:
    """The facets trends can split by."""
    return tuple(f for f in _TABLE if f.trend)


def get(name: str) -> Facet | None:
    return next((f for f in _TABLE if f.name == name), None)


def label(name: str, value: str, lang: str = "en") -> str:
    """The label shown for one facet value, in the interface language."""
    facet = get(name)
    return facet.label(value, lang) if facet is not None else value


@contextmanager
def registered(facet: Facet) -> Iterator[Facet]:
    """`facet` added to the table for the length of a `with` block (tests, experiments)."""
    if get(facet.name) is not None:
        raise ValueError(f"a facet named {facet.name!r} exists already")
    _TABLE.append(facet)
    try:
        yield facet
    finally:
        _TABLE.remove(facet)

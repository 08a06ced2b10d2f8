"""The map at `/map` (contract section 5): where the entries of a search come from.

The same parameters as `/` (read by the same query model), counted per
country over every match, drawn as an SVG world map on the server (see
`webui.worldmap`) with a table of the same counts beside it, so the page
works without JavaScript and reads with a screen reader. Each country links
to the search filtered by it; the counts are those of the search page's
country facet (the country filter itself aside, so every country stays
visible).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

from indexer.geo import country_counts
from observatory import taxonomy
from observatory.errors import QueryError
from webui import worldmap
from webui.i18n import select_language
from webui.search import parse
from webui.services import get_services
from webui.urls import SearchState

bp = Blueprint("maps", __name__)


@bp.get("/map")
def page():
    state = SearchState.from_request(request)
    ui_lang = select_language()
    try:
        query = parse(state)
    except QueryError as exc:
        return render_template("map/index.html", state=state, error=str(exc)), 400
    found = country_counts(get_services().engine, query)
    chosen = set(query.filters.get("country", []))

    def label(code: str) -> str:
        return taxonomy.facet_label("country", code, ui_lang)

    def link(code: str) -> str:
        return state.url("/", country=code)

    rows = sorted(
        (
            {"code": c, "label": label(c), "count": n, "url": link(c), "selected": c in chosen}
            for c, n in found.counts.items()
        ),
        key=lambda row: (-row["count"], row["label"].lower()),
    )
    title = _("Entries per country")
    describe = ngettext(
        "%(num)d country has matching entries.",
        "%(num)d countries have matching entries.",
        len(rows),
    )
    svg = worldmap.draw(
        found.counts, found.places, label, link, (ui_lang, state.url("/")), title, describe
    )
    return render_template(
        "map/index.html",
        state=state,
        error=None,
        svg=svg,
        rows=rows,
        total=found.total,
        located=sum(row["count"] for row in rows),
        legend=worldmap.legend(found.counts),
        dots=bool(found.places),
    )

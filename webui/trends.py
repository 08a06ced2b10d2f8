"""Trends: `GET /api/trends` (contract section 5) and the `/trends` page.

The page is one GET form (the search's words and filters, the facet to split
by, years or months), so it works without JavaScript and every view is an
address. Its chart is inline SVG drawn on the server, with the same numbers
in a table; below it, what is emerging, each term linking to its search.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from indexer.emerging import Window, emerging
from indexer.trends import INTERVALS, check, trends
from observatory import facets
from observatory.errors import QueryError
from webui.charts import line_chart
from webui.i18n import select_language
from webui.search import parse
from webui.services import get_services
from webui.urls import SearchState

bp = Blueprint("trends", __name__)


def filter_facets() -> tuple[facets.Facet, ...]:
    """The form's filter lists: the facets with a closed vocabulary (a list to choose from)."""
    return tuple(f for f in facets.filters() if f.choices is not None)


def chosen() -> tuple[str, str]:
    """The facet and interval asked for (defaults: theme, year); QueryError when unknown."""
    facet = request.args.get("facet", "theme").strip() or "theme"
    interval = request.args.get("interval", "year").strip() or "year"
    check(facet, interval)
    return facet, interval


@bp.get("/api/trends")
def api_trends():
    facet, interval = chosen()
    query = parse(SearchState.from_request(request))
    return jsonify(trends(get_services().engine, query, facet, interval, select_language()))


def filter_options(ui_lang: str) -> dict[str, list[dict]]:
    return {
        facet.name: [{"value": v, "label": facet.label(v, ui_lang)} for v in facet.choices()]
        for facet in filter_facets()
        if facet.choices is not None
    }


@bp.get("/trends")
def page():
    state = SearchState.from_request(request)
    ui_lang = select_language()
    context = {
        "state": state,
        "error": None,
        "facets": facets.trend(),
        "filter_facets": filter_facets(),
        "intervals": INTERVALS,
        "options": filter_options(ui_lang),
        "facet": request.args.get("facet", "theme"),
        "interval": request.args.get("interval", "year"),
    }
    try:
        facet, interval = chosen()
        query = parse(state)
        engine = get_services().engine
        result = trends(engine, query, facet, interval, ui_lang)
        rising = emerging(engine, query, Window(), ui_lang)
    except QueryError as exc:
        context["error"] = str(exc)
        return render_template("trends/index.html", **context), 400
    context.update(
        facet=facet,
        facet_noun=facets.get(facet).noun,
        interval=interval,
        result=result,
        emerging=rising,
        chart=line_chart(result["periods"], result["series"]),
        api_url=state.url("/api/trends", **{}) + _extra(facet, interval, state),
    )
    return render_template("trends/index.html", **context)


def _extra(facet: str, interval: str, state: SearchState) -> str:
    joiner = "&" if state.args or state.kept else "?"
    return f"{joiner}facet={facet}&interval={interval}"

"""Trends: `GET /api/trends` (contract section 5) and the `/trends` page.

The page is one GET form (the search's words and filters, the facet to split
by, years or months), so it works without JavaScript and every view is an
address. Its chart is inline SVG drawn on the server, with the same numbers
in a table folded under it. It is made for reading: what is emerging comes
first, each term with its evidence (how many entries mention it per year, a
few of them); the chart spans the last ten years with data unless the form
asks for other years, and draws at most five lines (webui.charts).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask_babel import gettext as _

from indexer.emerging import Window, emerging
from indexer.search import SearchQuery
from indexer.trends import INTERVALS, check, trends
from observatory import facets
from observatory.errors import QueryError
from webui.charts import DEFAULT_YEARS, fold_series, last_years, line_chart
from webui.i18n import select_language
from webui.search import parse
from webui.services import get_services
from webui.urls import SearchState

bp = Blueprint("trends", __name__)

EVIDENCE_ITEMS = 3  # emerging concepts and terms (each) shown with their evidence
EXAMPLES = 3  # entries shown for each
SHOWN = 5  # emerging concepts and terms (each) listed: the page is for reading
ENOUGH_RECENT = 20  # entries in the recent window before a rise is looked for


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
        rising = emerging_enough(engine, query, ui_lang)
    except QueryError as exc:
        context["error"] = str(exc)
        return render_template("trends/index.html", **context), 400
    whole = result
    if not (query.year_from or query.year_to):
        result = last_years(result, DEFAULT_YEARS)
    series = fold_series(result["series"], _("Others"))
    context.update(
        facet=facet,
        facet_noun=facets.get(facet).noun,
        interval=interval,
        result=result,
        whole=whole,
        series=series,
        emerging=rising,
        evidence=evidence(engine, query, rising, ui_lang),
        chart=line_chart(result["periods"], series),
        api_url=state.url("/api/trends", **{}) + _extra(facet, interval, state),
        all_years_url=state.url("/trends", year_from=whole["periods"][0][:4])
        + _extra(facet, interval, state)
        if result is not whole
        else None,
    )
    return render_template("trends/index.html", **context)


def emerging_enough(engine, query: SearchQuery, ui_lang: str) -> dict:
    """What is emerging, the recent window widened (2 to 5 years) until it holds enough
    entries to tell a rise from noise: a small corpus or a narrow search still gets an
    answer, and the page says which years it compared."""
    for recent in range(2, 6):
        window = Window(recent=recent, previous=recent + 2, limit=SHOWN)
        found = emerging(engine, query, window, ui_lang)
        if found["recent_total"] >= ENOUGH_RECENT:
            break
    return found


def evidence(engine, query: SearchQuery, rising: dict, ui_lang: str) -> dict[str, dict]:
    """For the first emerging items: entries mentioning each, per year of both windows, and
    the newest few of them (one search each, within the page's own search and filters)."""
    first, last = rising["previous_years"][0], rising["recent_years"][1]
    found = {}
    for kind in ("concepts", "terms"):
        for item in rising[kind][:EVIDENCE_ITEMS]:
            words = f"{query.q} {item['q']}".strip()
            asked = SearchQuery(
                q=words,
                filters=query.filters,
                year_from=first,
                year_to=last,
                per_page=EXAMPLES,
                sort="newest",
                expand=kind == "concepts",  # a concept is found through its thesaurus words
            )
            try:
                answer = engine.search(asked, ui_lang=ui_lang)
            except QueryError:
                continue
            per_year = {int(y["value"]): y["count"] for y in answer["facets"]["year"]}
            found[f"{kind}:{item['key']}"] = {
                "years": [{"year": y, "count": per_year.get(y, 0)} for y in range(first, last + 1)],
                "examples": answer["results"],
                "total": answer["total"],
                "recent_from": rising["recent_years"][0],
            }
    return found


def _extra(facet: str, interval: str, state: SearchState) -> str:
    joiner = "&" if state.args or state.kept else "?"
    return f"{joiner}facet={facet}&interval={interval}"

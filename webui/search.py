"""The search page at `/`: the same parameters as /api/search, rendered for people.

The page is one GET form (query, facet checkboxes, years, sort), so it works
without JavaScript and every state is an address; links (selected filters,
pages, suggestion, expansion) come from `SearchState`. A bad query is shown
on the page itself, with status 400, so it can be corrected in place.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from observatory import facets as declared
from observatory.errors import QueryError
from webui.i18n import select_language
from webui.services import get_services
from webui.urls import SearchState

bp = Blueprint("search", __name__)

VISIBLE_VALUES = 8  # facet values shown before "more"
PAGE_WINDOW = 2  # pages shown each side of the current one


def parse(state: SearchState):
    """The SearchQuery of a state (QueryError on bad input)."""
    from indexer.search import SearchQuery

    return SearchQuery.from_args(state.query_args())


def facet_groups(facets: dict, state: SearchState) -> list[dict]:
    """Facet lists for the template: each value with its toggle link, the tail under "more"."""
    groups = []
    for facet in declared.on_page():
        name = facet.name
        items = [
            dict(item, toggle_url=state.toggle_url(name, item["value"]))
            for item in facets.get(name, [])
        ]
        head, tail = items[:VISIBLE_VALUES], items[VISIBLE_VALUES:]
        groups.append(
            {
                "name": name,
                "title": facet.title,
                "head": head,
                "tail": tail,
                "open": any(item["selected"] for item in tail),
            }
        )
    return groups


def year_items(facets: dict, state: SearchState) -> list[dict]:
    items = sorted(facets.get("year", []), key=lambda item: str(item["value"]), reverse=True)
    shown = state.get("year_from") == state.get("year_to") != ""
    return [
        dict(
            item,
            url=state.year_url(str(item["value"])),
            current=shown and state.get("year_from") == str(item["value"]),
        )
        for item in items
    ]


def page_numbers(page: int, last: int) -> list[int | None]:
    """1 … around the current page … last; None marks a gap."""
    wanted = {1, last, *range(page - PAGE_WINDOW, page + PAGE_WINDOW + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def selected_filters(facets: dict, state: SearchState) -> list[dict]:
    """The chosen filters, each with a link that removes it."""
    chips = []
    for name in (f.name for f in declared.on_page()):
        labels = {item["value"]: item["label"] for item in facets.get(name, [])}
        for value in state.values(name):
            chips.append(
                {
                    "facet": name,
                    "label": labels.get(value, value),
                    "url": state.toggle_url(name, value),
                }
            )
    for name in ("year_from", "year_to"):
        if state.get(name):
            chips.append(
                {"facet": name, "label": state.get(name), "url": state.url(**{name: None})}
            )
    return chips


@bp.get("/")
def index():
    state = SearchState.from_request(request)
    services = get_services()
    error, result = None, None
    try:
        result = services.engine.search(parse(state), ui_lang=select_language())
    except QueryError as exc:
        error = str(exc)
    context = {"state": state, "error": error, "result": result, "demo": services.corpus_is_demo()}
    if result is not None:
        per_page = max(int(result["per_page"]), 1)
        last = max((int(result["total"]) + per_page - 1) // per_page, 1)
        context.update(
            facets=facet_groups(result["facets"], state),
            years=year_items(result["facets"], state),
            chips=selected_filters(result["facets"], state),
            pages=page_numbers(int(result["page"]), last),
            last_page=last,
            first_rank=(int(result["page"]) - 1) * per_page + 1,
            sort=result.get("sort")
            or state.get("sort")
            or ("relevance" if result["query"] else "newest"),
        )
    return render_template("search/index.html", **context), 400 if error else 200

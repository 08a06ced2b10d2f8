"""Feeds and search-engine discovery: `/feeds/search.atom` (contract section 5), the feeds of
saved searches, and the OpenSearch description at `/opensearch.xml`.

Links are absolute: the `base_url` setting when set (a proxy may hide the
public address), else the request's host. A feed answers with an ETag, so a
reader polling an unchanged search gets a 304.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from observatory import taxonomy
from webui.i18n import select_language
from webui.search import parse
from webui.services import get_services
from webui.urls import SearchState, facet_params

bp = Blueprint("feeds", __name__)

FEED_SIZE = 20
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def base_url() -> str:
    configured = get_services().home.settings["base_url"]
    return (configured or request.host_url).rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path


def feed_state(args: dict[str, list[str]]) -> SearchState:
    """The feed's search: newest first, first page, facet values in a fixed order (stable ids)."""
    multi = facet_params()
    canonical = {
        name: sorted(values) if name in multi else values
        for name, values in args.items()
        if name not in ("page", "sort")
    }
    per_page = canonical.get("per_page") or [str(FEED_SIZE)]
    canonical["per_page"] = per_page
    return SearchState(canonical)


def feed_response(args: dict[str, list[str]], *, title: str, self_path: str) -> Response:
    """An Atom feed of the newest entries that `args` match."""
    from webui.atom import build_feed

    state = feed_state(args)
    query = parse(state)
    query.sort = "newest"
    ui_lang = select_language()
    result = get_services().engine.search(query, ui_lang=ui_lang)
    page_state = SearchState({k: v for k, v in state.args.items() if k != "per_page"})
    body = build_feed(
        title=title,
        feed_id=absolute(self_path),
        self_url=absolute(self_path),
        html_url=absolute(page_state.url("/", sort="newest")),
        site=current_app.config["SITE_NAME"],
        results=result["results"],
        permalink=lambda entry_id: absolute(f"/entries/{entry_id}"),
        theme_labels={t: taxonomy.theme_label(t, ui_lang) for t in taxonomy.THEME_IDS},
    )
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Content-Type"] = ATOM_TYPE
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def search_title(state: SearchState) -> str:
    site = current_app.config["SITE_NAME"]
    text = state.get("q")
    return (
        _("%(site)s: %(query)s", site=site, query=text)
        if text
        else _("%(site)s: newest entries", site=site)
    )


@bp.get("/feeds/search.atom")
def search_feed():
    state = SearchState.from_request(request)
    self_state = feed_state(state.query_args())
    if not state.get("per_page"):
        self_state.args.pop("per_page", None)
    return feed_response(
        state.query_args(),
        title=search_title(state),
        self_path=self_state.url("/feeds/search.atom"),
    )


@bp.get("/feeds/saved/<int:search_id>.atom")
def saved_feed(search_id: int):
    from webui.saved import store

    saved = store().get(search_id)
    if not saved.public:
        from observatory.errors import NotFound

        raise NotFound(f"no public saved search {search_id}")
    return feed_response(
        saved.args,
        title=f"{current_app.config['SITE_NAME']}: {saved.name}",
        self_path=f"/feeds/saved/{saved.id}.atom",
    )


@bp.get("/feeds/private/<token>.atom")
def private_feed(token: str):
    from webui.saved import store

    saved = store().by_token(token)
    response = feed_response(
        saved.args,
        title=f"{current_app.config['SITE_NAME']}: {saved.name}",
        self_path=f"/feeds/private/{token}.atom",
    )
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/opensearch.xml")
def opensearch():
    body = render_template(
        "feeds/opensearch.xml", base=base_url(), site=current_app.config["SITE_NAME"]
    )
    return Response(body, mimetype="application/opensearchdescription+xml")

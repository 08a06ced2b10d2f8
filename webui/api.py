"""The JSON API of contract section 5: search, one entry (with ETag), similar entries.

Errors are JSON `{"error": ...}` with a 4xx status (webui.errors turns the
observatory's errors and every /api/ 404 or 405 into that); never a 500 for
bad input.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from observatory.errors import QueryError
from webui.auth import bearer_user
from webui.i18n import select_language
from webui.search import parse
from webui.services import get_services
from webui.urls import SearchState

bp = Blueprint("api", __name__, url_prefix="/api")

SIMILAR_DEFAULT, SIMILAR_MAX = 5, 20


@bp.get("/search")
def search():
    query = parse(SearchState.from_request(request))
    return jsonify(get_services().engine.search(query, ui_lang=select_language()))


@bp.get("/entries/<entry_id>")
def entry(entry_id: str):
    """A published entry; with an editor's bearer token, a draft too (its ETag is what a
    PATCH needs)."""
    user = bearer_user()
    services = get_services()
    found = (
        services.store.get(entry_id)
        if user and user.can_edit
        else services.published_entry(entry_id)
    )
    response = jsonify(found.to_mapping())
    response.set_etag(found.version)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


@bp.get("/entries/<entry_id>/similar")
def similar(entry_id: str):
    raw = request.args.get("limit", str(SIMILAR_DEFAULT))
    if not raw.isdigit() or not 1 <= int(raw) <= SIMILAR_MAX:
        raise QueryError(f"limit must be a whole number from 1 to {SIMILAR_MAX}, not {raw!r}")
    services = get_services()
    found = services.published_entry(entry_id)
    results = services.engine.similar(found.id, limit=int(raw))
    return jsonify({"id": found.id, "results": results})

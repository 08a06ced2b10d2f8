"""Bulk tagging at `/editor/search`: any search (the parameters of /api/search, drafts
included), tick entries, add or remove one theme or tag on all of them.

Each entry is saved on its own, from the version shown on the page (each
checkbox carries it): an entry someone changed meanwhile is reported as
stale and left alone, never overwritten.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from observatory.errors import EntryInvalid, QueryError
from webui.auth import current_user, editor_required
from webui.editor_forms import choices_for
from webui.i18n import select_language
from webui.search import parse
from webui.services import get_services
from webui.urls import SearchState
from webui.workspace import get_workspace

bp = Blueprint("bulk", __name__, url_prefix="/editor")


def _results(state: SearchState):
    query = parse(state)
    query.include_drafts = True
    return get_services().engine.search(query, ui_lang=select_language())


def _page(state: SearchState, *, report=None, error=None, status=200):
    result = None
    try:
        result = _results(state)
    except QueryError as exc:
        error, status = str(exc), 400
    store = get_services().store
    versions = {}
    for item in (result or {}).get("results", []):
        try:
            versions[item["id"]] = store.get(item["id"]).version
        except Exception:  # deleted since it was indexed
            continue
    return render_template(
        "editor/bulk.html",
        result=result,
        versions=versions,
        state=state,
        report=report,
        error=error,
        choices=choices_for(select_language()),
        hidden=[(k, v) for k, vs in state.args.items() for v in vs],
    ), status


@bp.get("/search")
@editor_required
def search():
    return _page(SearchState.from_request(request))


@bp.post("/search")
@editor_required
def apply():
    state = SearchState(
        {
            name: request.form.getlist(name)
            for name in request.form
            if not name.startswith(("pick", "version__", "csrf"))
        }
    )
    picked = request.form.getlist("pick")
    versions = {entry_id: request.form.get("version__" + entry_id, "") for entry_id in picked}
    field_name = request.form.get("field", "")
    value = request.form.get("bulk_theme" if field_name == "themes" else "bulk_tag", "").strip()
    if not picked or not value:
        return _page(
            state, error=_("Tick at least one entry and give a theme or a tag."), status=422
        )
    try:
        report = get_workspace().editing.bulk(
            versions,
            op=request.form.get("op", ""),
            field_name=field_name,
            value=value,
            user=current_user().name,
        )
    except EntryInvalid as exc:
        return _page(state, error=str(exc), status=422)
    return _page(state, report=report)

"""The review queue and the edit page at `/editor/`.

Every edit form carries the version it started from. Saving goes through
`corpus.editing` (compare-and-set, history, write-through); a stale save is
refused, and the editor gets the conflict screen: both versions field by
field, a choice per field (defaulting to "keep what each side changed" when
the starting version is in the history), then save or edit the merge.
Suggested tags are buttons of the edit form itself, so accepting one keeps
unsaved edits and works without JavaScript.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from corpus.editing import REJECTED, with_decision
from observatory.errors import EntryInvalid, StaleVersion
from webui import editor_forms as forms
from webui.auth import current_user, editor_required
from webui.i18n import select_language
from webui.services import get_services
from webui.workspace import get_workspace

bp = Blueprint("editor", __name__, url_prefix="/editor")

QUEUE_PAGE = 50
QUEUE_SCAN = 2000  # search results looked at, at most, to order the queue
STATUSES = ("open", "draft", "published", "rejected", "all")
DECISIONS = ("save", "publish", "reject")


def _queue_items(args) -> list[dict]:
    """Search results (drafts included) in queue order: drafts, newest stored first."""
    from indexer.search import SearchQuery

    services = get_services()
    query = SearchQuery.from_args({name: args.getlist(name) for name in ("q", "theme", "lang")})
    query.include_drafts = True
    items = list(services.engine.iterate(query, select_language(), limit=QUEUE_SCAN))
    stamps = {
        entry_id: int(mark.split("-")[0], 16)
        for entry_id, mark in services.store.fingerprints().items()
    }
    status = args.get("status", "open")
    kept = []
    for item in items:
        if item["status"] == "draft":
            try:
                item["rejected"] = bool(services.store.get(item["id"]).extra.get(REJECTED))
            except Exception:  # gone since it was indexed
                continue
        else:
            item["rejected"] = False
        shown = {
            "open": not item["rejected"],
            "draft": item["status"] == "draft" and not item["rejected"],
            "published": item["status"] == "published",
            "rejected": item["rejected"],
            "all": True,
        }.get(status, True)
        if shown:
            item["stored"] = stamps.get(item["id"], 0)
            kept.append(item)
    kept.sort(key=lambda item: (item["status"] != "draft", -item["stored"]))
    return kept


@bp.app_context_processor
def _index_state() -> dict:
    """`index_stale()` for the editors' layout: what makes the index out of date, if anything."""
    return {"index_stale": lambda: get_services().engine.stale_parts()}


@bp.get("/")
@editor_required
def queue():
    from observatory.errors import QueryError

    error, items = None, []
    try:
        items = _queue_items(request.args)
    except QueryError as exc:
        error = str(exc)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    start = (page - 1) * QUEUE_PAGE
    return render_template(
        "editor/queue.html",
        items=items[start : start + QUEUE_PAGE],
        total=len(items),
        page=page,
        pages=max(1, (len(items) + QUEUE_PAGE - 1) // QUEUE_PAGE),
        error=error,
        statuses=STATUSES,
        status=request.args.get("status", "open"),
        choices=forms.choices_for(select_language()),
        args={k: request.args.get(k, "") for k in ("q", "theme", "lang")},
    ), (400 if error else 200)


def render_edit(
    entry_id: str,
    values: forms.Values,
    version: str,
    *,
    status: int = 200,
    error: EntryInvalid | None = None,
    preview=None,
):
    from indexer.tagging import suggest_tags

    workspace = get_workspace()
    stored = get_services().store.get(entry_id)
    try:
        suggestions = suggest_tags(get_services().engine, stored)
    except Exception:  # suggestions help; they must never keep the entry from opening
        from flask import current_app

        current_app.logger.exception("suggestions for %s failed", entry_id)
        suggestions = []
    suggestions = [
        s for s in suggestions if not (s.field == "themes" and s.value in values["themes"])
    ]
    matcher = get_services().engine.matcher
    return render_template(
        "editor/edit.html",
        entry_id=entry_id,
        values=values,
        version=version,
        stored=stored,
        error=error,
        preview=preview,
        suggestions=suggestions,
        concept_names=lambda s: ", ".join(
            f"“{matcher.concepts[c].label(select_language())}”" for c in dict.fromkeys(s.concepts)
        ),
        history=workspace.history.of_entry(entry_id, limit=50),
        choices=forms.choices_for(select_language()),
        lang=select_language(),
    ), status


@bp.get("/entries/<entry_id>")
@editor_required
def edit(entry_id: str):
    entry = get_services().store.get(entry_id)
    return render_edit(entry_id, forms.entry_values(entry), entry.version)


@bp.post("/entries/<entry_id>")
@editor_required
def save(entry_id: str):
    user = current_user()
    version = request.form.get("version", "")
    values = forms.form_values(request.form)
    accept = request.form.get("accept", "")
    decision = request.form.get("action", "save")
    if accept:
        field_name, _sep, value = accept.partition(":")
        if field_name == "themes" and value not in values["themes"]:
            values["themes"].append(value)
        elif field_name == "region":
            values["region"] = value
        decision = "save"
    try:
        entry = forms.values_to_entry(values, entry_id)
    except EntryInvalid as exc:
        return render_edit(entry_id, values, version, status=422, error=exc)
    if decision == "preview":
        return render_edit(entry_id, values, version, preview=entry)
    if decision not in DECISIONS:
        decision = "save"
    entry = with_decision(entry, decision, user.name)
    action = "accept" if accept else ("edit" if decision == "save" else decision)
    try:
        get_workspace().editing.save(entry, expected_version=version, user=user.name, action=action)
    except StaleVersion:
        return conflict(entry_id, forms.entry_values(entry), base_version=version)
    flash(
        {
            "publish": _("Published."),
            "reject": _("Rejected: kept as a draft, out of the queue."),
        }.get(decision, _("Saved."))
    )
    return redirect(url_for("editor.edit", entry_id=entry_id))


def conflict(entry_id: str, mine: forms.Values, *, base_version: str):
    """The conflict screen (409): both versions, a choice per differing field."""
    current = get_services().store.get(entry_id)
    theirs = forms.entry_values(current)
    base_mapping = get_workspace().history.snapshot(entry_id, base_version)
    base = None
    if base_mapping is not None:
        try:
            from observatory.entry import entry_from_mapping

            base = forms.entry_values(entry_from_mapping(base_mapping, detect_language=False))
        except EntryInvalid:
            base = None
    return render_template(
        "editor/conflict.html",
        entry_id=entry_id,
        mine=mine,
        theirs=theirs,
        fields=forms.differing(mine, theirs),
        all_fields=forms.FIELDS,
        choices=forms.default_choices(mine, theirs, base),
        version=current.version,
        changes=[
            c
            for c in get_workspace().history.of_entry(entry_id, limit=20)
            if c.to_version != base_version
        ],
        pickers=forms.choices_for(select_language()),
    ), 409


@bp.post("/entries/<entry_id>/merge")
@editor_required
def merge(entry_id: str):
    mine = forms.form_values(request.form, prefix="mine__")
    theirs = forms.form_values(request.form, prefix="theirs__")
    choices = {name: request.form.get("choice__" + name, "theirs") for name in forms.FIELDS}
    values = forms.merged(mine, theirs, choices)
    version = request.form.get("version", "")
    if request.form.get("action") == "edit":
        return render_edit(entry_id, values, version)
    try:
        entry = forms.values_to_entry(values, entry_id)
    except EntryInvalid as exc:
        return render_edit(entry_id, values, version, status=422, error=exc)
    try:
        get_workspace().editing.save(
            entry, expected_version=version, user=current_user().name, action="merge"
        )
    except StaleVersion:
        return conflict(entry_id, values, base_version=version)
    flash(_("Merged and saved."))
    return redirect(url_for("editor.edit", entry_id=entry_id))

"""An entry's history at `/editor/entries/<id>/history`: every change with its field diff,
and a restore button for any version (restoring is itself a recorded change,
made from the version shown, so a restore can never silently undo a newer save)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from observatory.errors import StaleVersion
from webui.auth import current_user, editor_required
from webui.services import get_services
from webui.workspace import get_workspace

bp = Blueprint("history", __name__, url_prefix="/editor")


def shown(value) -> str:
    """A field value as one readable line."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@bp.get("/entries/<entry_id>/history")
@editor_required
def show(entry_id: str):
    entry = get_services().store.get(entry_id)
    return render_template(
        "editor/history.html",
        entry=entry,
        changes=get_workspace().history.of_entry(entry_id),
        shown=shown,
        when=when,
    )


@bp.post("/entries/<entry_id>/restore/<int:change_id>")
@editor_required
def restore(entry_id: str, change_id: int):
    state = "before" if request.form.get("state") == "before" else "after"
    try:
        get_workspace().editing.restore(
            entry_id,
            change_id,
            state=state,
            expected_version=request.form.get("version", ""),
            user=current_user().name,
        )
    except StaleVersion:
        flash(_("The entry changed since this page was shown: nothing was restored. Look again."))
        return redirect(url_for("history.show", entry_id=entry_id)), 303
    flash(_("Version restored."))
    return redirect(url_for("editor.edit", entry_id=entry_id))

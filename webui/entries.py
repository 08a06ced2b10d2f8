"""The entry page at `/entries/<id>`: every field, labels in the interface language.

Anonymous visitors see published entries only; a draft answers 404 exactly
like a missing id, so its existence does not leak. Unknown keys (`extra`) are
shown too: the contract says they are kept and shown, never dropped.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template, url_for

from observatory.errors import NotFound
from webui.services import get_services

bp = Blueprint("entries", __name__)

SIMILAR_LIMIT = 5
HIDDEN_EXTRA = ("demo",)  # shown as the demonstration notice instead


def extra_items(extra: dict) -> list[tuple[str, str]]:
    """Unknown keys as (key, readable text), in stored order."""
    items = []
    for key, value in extra.items():
        if key in HIDDEN_EXTRA:
            continue
        if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, (list, dict)):
            text = json.dumps(value, ensure_ascii=False, default=str)
        else:
            text = str(value)
        items.append((str(key), text))
    return items


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs of plain text (Markdown is shown as written)."""
    return [part.strip("\n") for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


@bp.get("/entries/<entry_id>")
def show(entry_id: str):
    services = get_services()
    entry = services.published_entry(entry_id)
    try:
        similar = services.engine.similar(entry.id, limit=SIMILAR_LIMIT)
    except NotFound:  # stored but not indexed yet
        similar = []
    except Exception:  # a side panel must not take the entry page down with it
        current_app.logger.exception("similar entries of %s failed", entry.id)
        similar = []
    return render_template(
        "entries/show.html",
        entry=entry,
        similar=similar,
        extras=extra_items(entry.extra),
        body=paragraphs(entry.body),
        permalink=url_for("entries.show", entry_id=entry.id, _external=True),
    )

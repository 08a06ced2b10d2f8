"""`PATCH /api/entries/<id>` (contract section 5): change some fields of an entry.

- `Authorization: Bearer TOKEN`: missing, unknown or revoked -> 401;
  the token of a `viewer` or of a disabled account -> 403.
- `If-Match: ETAG` (the `ETag` of GET /api/entries/<id>, quoted or not, weak
  or strong): missing or `*` -> 428, since a blind write could lose someone
  else's change; stale -> 412 with the current entry and its `ETag`, so a
  client can merge and retry without another request; nothing is written.
- The body is a JSON object of fields to set (null or "" removes a field);
  an invalid value -> 422 naming the field, nothing written.
- 200: the new entry and its `ETag`; it is in the corpus files, the history
  and search results when the answer is sent.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from observatory.errors import EntryInvalid, StaleVersion
from webui.auth import bearer_user
from webui.services import get_services
from webui.workspace import get_workspace

bp = Blueprint("editor_api", __name__, url_prefix="/api")


def _error(status: int, message: str, **extra):
    response = jsonify(error=message, **extra)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="observatory"'
    return response


def _if_match() -> str | None:
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    first = raw.split(",")[0].strip()
    return first.removeprefix("W/").strip('"')


@bp.patch("/entries/<entry_id>")
def patch(entry_id: str):
    user = bearer_user()
    if user is None:
        return _error(401, "a valid API token is required (Authorization: Bearer TOKEN)")
    if not user.can_edit:
        return _error(
            403,
            f"user {user.name!r} may not change entries"
            + ("" if user.active else " (account disabled)"),
        )
    get_services().store.get(entry_id)  # NotFound -> 404
    version = _if_match()
    if version is None:
        return _error(428, "If-Match with the entry's ETag is required")
    changes = request.get_json(silent=True)
    if not isinstance(changes, dict):
        return _error(400, "the body must be a JSON object of the fields to set")
    try:
        saved = get_workspace().editing.update(
            entry_id, changes, expected_version=version, user=user.name, action="api"
        )
    except EntryInvalid as exc:
        return _error(422, str(exc), field=exc.field)
    except StaleVersion:
        current = get_services().store.get(entry_id)
        response = _error(
            412,
            f"the entry changed since version {version}: nothing was written",
            current=current.to_mapping(),
        )
        response.set_etag(current.version)
        return response
    response = jsonify(saved.to_mapping())
    response.set_etag(saved.version)
    response.headers["Cache-Control"] = "no-cache"
    return response

"""Errors become answers in the format that was asked for: JSON under /api/, pages elsewhere.

The observatory's own errors map to HTTP once, here: a QueryError (or any
UsageError) is a 400, NotFound a 404. Anything unexpected is logged and
answered 500 without details.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from observatory.errors import IndexMissing, NotFound, UsageError


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        500: _("Something went wrong"),
        503: _("Search is not available yet"),
    }


def error_response(status: int, message: str, *, detail: str = ""):
    """A JSON error for the API, a page in the interface language elsewhere."""
    if wants_json():
        response = jsonify(error=message)
        response.status_code = status
        return response
    title = _titles().get(status, message)
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def _http_error(exc: HTTPException):
    response = error_response(
        exc.code or 500, exc.description or exc.name, detail=_http_detail(exc)
    )
    if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response = _with_allow(response, exc.valid_methods)
    return response


def _http_detail(exc: HTTPException) -> str:
    if exc.code == 404:
        return _(
            "There is no page at this address. It may have moved, or the link may be mistyped."
        )
    if exc.code == 405:
        return _("This address does not accept that kind of request.")
    return ""


def _with_allow(response, methods):
    from flask import make_response

    response = make_response(response)
    response.headers["Allow"] = ", ".join(methods)
    return response


def _usage_error(exc: UsageError):
    return error_response(400, str(exc), detail=str(exc))


def _not_found(exc: NotFound):
    return error_response(
        404,
        str(exc),
        detail=_("There is no entry with this address. It may have been removed or unpublished."),
    )


def _index_missing(exc: IndexMissing):
    return error_response(
        503,
        str(exc),
        detail=_("The search index has not been built yet: run “observatory index”."),
    )


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    from flask import current_app

    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(
        500,
        InternalServerError.description,
        detail=_("The observatory could not answer this request. Please try again later."),
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(UsageError, _usage_error)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(IndexMissing, _index_missing)
    app.register_error_handler(Exception, _unexpected)

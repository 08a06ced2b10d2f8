"""CSRF protection for every form that changes something: a tiny synchronizer token.

Why not Flask-WTF: we need one hidden field and one check, not a forms
library and another pinned dependency. The token is random per session, kept
in the signed session cookie, and compared in constant time on every unsafe
request (POST, PUT, PATCH, DELETE) outside `/api/`. The API is exempt
because it never looks at cookies: it authenticates with a bearer token,
which a cross-site page cannot make a browser send.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, request, session
from flask_babel import gettext as _

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SESSION_KEY = "_csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    """This session's token (made on first use), for `<input name="csrf_token">`."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def _exempt() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def check_csrf():
    """Refuse (400) an unsafe request without this session's token; None lets it through."""
    if request.method not in UNSAFE or _exempt():
        return None
    expected = session.get(SESSION_KEY, "")
    sent = request.form.get(FIELD) or request.headers.get(HEADER, "")
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        from webui.errors import error_response

        return error_response(
            400,
            "missing or wrong CSRF token",
            detail=_(
                "This form was out of date or did not come from this site. "
                "Go back, reload the page and try again."
            ),
        )
    return None


def init_app(app: Flask) -> None:
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token

"""Logging in and out, and who is asking: the session for pages, a bearer token for the API.

The session (Flask's signed cookie: HttpOnly, SameSite=Lax, Secure when the
site is served over https) holds only the user's id; the account is read
again on every request, so disabling it or taking its rights away takes
effect at once. Logging in is rate limited per account and per address
(corpus.throttle, shared by every worker through SQLite).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _

from webui.workspace import get_workspace

bp = Blueprint("auth", __name__, url_prefix="/editor")

SESSION_USER = "uid"


def current_user():
    """The logged-in, active account, or None."""
    if "user" not in g:
        user = None
        user_id = session.get(SESSION_USER)
        if isinstance(user_id, int):
            user = get_workspace().accounts.by_id(user_id)
            if user is not None and not user.active:
                user = None
        g.user = user
    return g.user


def bearer_user():
    """The owner of the request's bearer token (known and not revoked), or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return get_workspace().accounts.user_for_token(token.strip())


def editor_required(view):
    """Anonymous visitors go to the login page; accounts that may not edit get 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        user = current_user()
        if user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not user.can_edit:
            from webui.errors import error_response

            return error_response(
                403,
                "forbidden",
                detail=_(
                    "Your account may not change entries. Ask an administrator for the editor role."
                ),
            )
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect after login."""
    default = url_for("editor.queue")
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("editor/login.html", next_url=next_url, error=None, name="")
    workspace = get_workspace()
    name = request.form.get("name", "").strip()[:64]
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    wait = workspace.throttle.retry_after(name, address)
    if wait:
        minutes = max(1, (wait + 59) // 60)
        error = _("Too many failed attempts. Try again in %(minutes)d minute(s).", minutes=minutes)
        response = render_template("editor/login.html", next_url=next_url, error=error, name=name)
        return response, 429, {"Retry-After": str(wait)}
    user = workspace.accounts.authenticate(name, password) if name and password else None
    if user is None:
        workspace.throttle.failed(name, address)
        error = _("Wrong name or password.")
        return render_template("editor/login.html", next_url=next_url, error=error, name=name), 401
    workspace.throttle.succeeded(name)
    session.clear()  # a fresh session (and CSRF token) for the new login
    session[SESSION_USER] = user.id
    session.permanent = True
    return redirect(next_url)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("search.index"))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the Secure flag also whenever the request came over https."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app) -> None:
    app.session_interface = SessionInterface()
    app.jinja_env.globals["current_user"] = current_user

"""Saved searches for signed-in users: save, list with what is new, visit, delete.

Who is signed in comes from the editors' login (`webui.auth.current_user`);
anyone with an account may save searches. A visit shows the entries new
since the viewer's last visit and records this one. Each search has a feed:
public ones by id, every one by its secret token (webui.feeds).
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from corpus.saved_searches import SavedSearch, SavedSearches
from indexer import watch
from observatory.errors import NotFound, QueryError
from webui.services import get_services
from webui.urls import SearchState, params

bp = Blueprint("saved", __name__, url_prefix="/saved")
EXTENSION = "observatory_saved_searches"


def store() -> SavedSearches:
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = current_app.extensions[EXTENSION] = SavedSearches(get_services().home.database_path)
    return found


def signed_in():
    from webui.auth import current_user

    return current_user()


def viewer_key(user) -> str:
    return f"user:{user.id}"


def _login_redirect():
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _visible(search_id: int, user) -> SavedSearch:
    saved = store().get(search_id)
    if saved.user_id != user.id and not saved.public:
        raise NotFound(f"no saved search {search_id}")
    return saved


def links(saved: SavedSearch) -> dict[str, str]:
    state = SearchState(saved.args)
    feed = f"/feeds/saved/{saved.id}.atom" if saved.public else f"/feeds/private/{saved.token}.atom"
    return {"search": state.url("/"), "feed": feed, "trends": state.url("/trends")}


@bp.get("/")
def listing():
    user = signed_in()
    if user is None:
        return _login_redirect()
    engine = get_services().engine
    items = [
        dict(watch.status(engine, store(), saved, viewer_key(user)), links=links(saved))
        for saved in store().of_user(user.id)
    ]
    return render_template("saved/list.html", items=items)


@bp.get("/new")
def new():
    user = signed_in()
    if user is None:
        return _login_redirect()
    state = SearchState.from_request(request)
    return render_template("saved/new.html", state=state, error=None, name=state.get("q"))


@bp.post("/")
def create():
    user = signed_in()
    if user is None:
        return _login_redirect()
    args = {name: request.form.getlist(name) for name in params() if request.form.getlist(name)}
    state = SearchState(args)
    name = request.form.get("name", "")
    try:
        if not name.strip():
            raise QueryError(_("Give the search a name."))
        watch.save_search(
            get_services().engine,
            store(),
            user.id,
            viewer_key(user),
            name,
            state.query_args(),
            public=request.form.get("public") == "1",
        )
    except QueryError as exc:
        return render_template("saved/new.html", state=state, error=str(exc), name=name), 400
    return redirect(url_for("saved.listing"))


@bp.get("/<int:search_id>")
def visit(search_id: int):
    user = signed_in()
    if user is None:
        return _login_redirect()
    saved = _visible(search_id, user)
    engine = get_services().engine
    fresh_ids = set(watch.visit(engine, store(), saved, viewer_key(user)))
    records = [
        r for r in watch.matching_records(engine, watch.query_of(saved)) if r["id"] in fresh_ids
    ]
    return render_template("saved/visit.html", saved=saved, fresh=records, links=links(saved))


@bp.post("/<int:search_id>/delete")
def delete(search_id: int):
    user = signed_in()
    if user is None:
        return _login_redirect()
    store().delete(search_id, user.id)
    return redirect(url_for("saved.listing"))


def _unsubscribing(token: str) -> SavedSearch:
    """The saved search a mailed unsubscribe link names (NotFound for a forged or stale one)."""
    from webui.digest_mail import read_unsubscribe_token

    found = read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    if found is None:
        raise NotFound("this unsubscribe link is not valid")
    search_id, prefix = found
    saved = store().get(search_id)
    if not saved.token.startswith(prefix):
        raise NotFound("this unsubscribe link is not valid")
    return saved


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """Asks to confirm: mail scanners open links, only the button below unsubscribes."""
    saved = _unsubscribing(token)
    return render_template("saved/unsubscribe.html", saved=saved, token=token, done=False)


@bp.post("/unsubscribe/<token>")
def unsubscribe_confirm(token: str):
    saved = store().set_mailed(_unsubscribing(token).id, False)
    return render_template("saved/unsubscribe.html", saved=saved, token=token, done=True)

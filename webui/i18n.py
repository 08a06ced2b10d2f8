"""The interface language: chosen, remembered, and handed to Babel and the taxonomy.

Order of choice: `?ui=xx` in the address (which also sets a cookie, so the
choice sticks), then that cookie, then the browser's Accept-Language, then
English. Interface strings come from the Babel catalogs in
`webui/translations/` (compiled .mo files are committed next to their .po,
docs/WEB.md gives the commands that refresh them); taxonomy labels come
from `observatory.facets` in the same language. The interface's languages
are those `observatory.languages` declares with `ui=True`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, g, request
from flask_babel import Babel

from observatory import facets
from observatory.languages import BY_CODE, UI_LANGUAGES

DEFAULT = "en"
PARAM = "ui"
COOKIE = "ui"
COOKIE_MAX_AGE = 365 * 24 * 3600

# Each language named in itself, for the switcher.
NATIVE_NAMES = {code: BY_CODE[code].native for code in UI_LANGUAGES}


def select_language() -> str:
    """The UI language of the current request (memoised on `g`)."""
    chosen = g.get("ui_lang")
    if chosen:
        return chosen
    asked = request.args.get(PARAM, "").lower()
    if asked in UI_LANGUAGES:
        chosen = asked
    elif request.cookies.get(COOKIE, "").lower() in UI_LANGUAGES:
        chosen = request.cookies[COOKIE].lower()
    else:
        chosen = request.accept_languages.best_match(UI_LANGUAGES, default=DEFAULT)
    g.ui_lang = chosen
    return chosen


def _remember_choice(response: Response) -> Response:
    """Keep an explicit `?ui=` choice in a cookie; say the page varies by language."""
    asked = request.args.get(PARAM, "").lower()
    if asked in UI_LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(
            COOKIE,
            asked,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def switch_url(code: str) -> str:
    """This very page (path and parameters) in the interface language `code`."""
    path = "/" + (request.script_root + request.path).lstrip("/")  # never "//host"
    pairs = [(k, v) for k, vs in request.args.lists() if k != PARAM for v in vs]
    return path + "?" + urlencode([*pairs, (PARAM, code)])


def ui_args() -> dict[str, str]:
    """`{"ui": xx}` when the address chose the language, for links that keep the choice."""
    asked = request.args.get(PARAM, "").lower()
    return {PARAM: asked} if asked in UI_LANGUAGES else {}


def label(facet: str, value: str) -> str:
    """A taxonomy value's label in the interface language."""
    return facets.label(facet, value, select_language())


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_language, default_locale=DEFAULT)
    app.after_request(_remember_choice)
    app.jinja_env.globals.update(
        ui_languages=UI_LANGUAGES,
        native_names=NATIVE_NAMES,
        ui_lang=select_language,
        switch_url=switch_url,
        ui_args=ui_args,
        label=label,
    )

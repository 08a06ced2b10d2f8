"""The web interface and the JSON API: every line that touches Flask lives in this package.

`create_app(home)` builds a fresh application (nothing is built at import
time, so tests make as many as they like); services, security, i18n and the
error handlers attach through their own `init_app`, and each area of the site
is one blueprint registered in `register_blueprints`, where later areas
(editors, feeds, trends) add theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from observatory.home import Home


def create_app(home: Home, test_config: Mapping[str, Any] | None = None) -> Flask:
    """A new Flask app serving `home`; `test_config` overrides any config key."""
    from webui import auth, csrf, errors, i18n, security, services
    from webui.secret import check_secret_key, load_secret_key

    app = Flask(__name__)
    settings = home.settings
    app.config.update(
        SECRET_KEY=settings["secret_key"] or None,
        SITE_NAME=settings["site_name"],
        JSON_SORT_KEYS=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["base_url"].startswith("https://"),
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        # The largest valid entry is about 1 MB as JSON (docs/limits.md): a bigger
        # request body is refused (413) before it is read into memory.
        MAX_CONTENT_LENGTH=2_000_000,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_secret_key(home)
    elif not (test_config and "SECRET_KEY" in test_config):
        check_secret_key(app.config["SECRET_KEY"], f"setting 'secret_key' ({home.settings_path})")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    services.init_app(app, home)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    register_blueprints(app)
    return app


def register_blueprints(app: Flask) -> None:
    """One blueprint per area; add new areas here."""
    from webui.api import bp as api_bp
    from webui.entries import bp as entries_bp
    from webui.search import bp as search_bp

    app.register_blueprint(search_bp)
    app.register_blueprint(entries_bp)
    app.register_blueprint(api_bp)
    register_editor_blueprints(app)
    register_trend_watch(app)


def register_editor_blueprints(app: Flask) -> None:
    """The editors' area: login, review queue and edit pages, history, bulk tagging, PATCH API."""
    from webui import auth, bulk, editor, editor_api, editor_history

    for module in (auth, editor, editor_history, bulk, editor_api):
        app.register_blueprint(module.bp)


def register_trend_watch(app: Flask) -> None:
    """Trends, feeds, exports and saved searches (docs/trends.md)."""
    from webui.exports import bp as exports_bp
    from webui.feeds import bp as feeds_bp
    from webui.maps import bp as maps_bp
    from webui.saved import bp as saved_bp
    from webui.trends import bp as trends_bp

    for blueprint in (trends_bp, feeds_bp, exports_bp, saved_bp, maps_bp):
        app.register_blueprint(blueprint)

"""Default security headers, added after every view without overriding the view's own.

The Content-Security-Policy allows scripts and styles from our own origin
only (no inline code anywhere); a per-request nonce is there for the rare
inline script a later page may need (`{{ csp_nonce() }}`). Hardening (CSRF,
HSTS, rate limits) comes with the editors' area.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g

CSP = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)

DEFAULT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def csp_nonce() -> str:
    """This request's CSP nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
    for name, value in DEFAULT_HEADERS.items():
        headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

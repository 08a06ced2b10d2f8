"""Digests by mail: each owner of saved searches gets one message with what is new.

`send_digests` (behind `observatory digest --send`) gathers, per owner with an
address, the entries new since the last digest of each of their saved searches
(those they did not unsubscribe from), renders one message in the owner's
language (plain text and HTML, from templates/mail/, with the interface's
catalogs), with absolute links from `mail.base_url` (else `base_url`), and
hands it to the SMTP server in the settings. The entries are marked as sent
only after the server accepted the message: a refusal or a lost connection
leaves them to the next run, and the run reports it (exit 1).

Each saved search in a message has its own unsubscribe link: a token signed
with the home's secret key (no login needed, nothing to guess), opening a page
that asks to confirm (mail scanners follow links; only the POST unsubscribes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import Flask, g, render_template, url_for
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from corpus.accounts import Accounts, User
from corpus.saved_searches import DIGEST, SavedSearch, SavedSearches
from indexer.search import SearchEngine
from indexer.watch import matching_records, new_records, query_of
from observatory import mail
from observatory.errors import ConfigError
from observatory.home import Home
from webui.urls import SearchState

SALT = "observatory-unsubscribe"
MAX_LISTED = 20  # entries listed per saved search in one message (the link shows them all)


def unsubscribe_token(secret: str, saved: SavedSearch) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"s": saved.id, "t": saved.token[:8]})


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str] | None:
    """(search id, token prefix) of a genuine token; None for anything else."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    return data["s"], str(data.get("t", ""))


@dataclass
class Section:
    saved: SavedSearch
    fresh: list[dict]
    matched: list[str]  # every id it matches now: what is marked as sent


@dataclass
class MailReport:
    sent: list[str] = field(default_factory=list)  # addresses
    failed: list[str] = field(default_factory=list)  # one message per failure
    skipped: list[str] = field(default_factory=list)  # owners without an address
    searches: int = 0
    entries: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.sent)} digest(s) sent ({self.entries} new entr"
            f"{'y' if self.entries == 1 else 'ies'} in {self.searches} saved "
            f"search{'' if self.searches == 1 else 'es'}), {len(self.failed)} failed, "
            f"{len(self.skipped)} owner(s) without an address"
        )


def mail_settings(home: Home) -> dict:
    """host, port, sender, base (without a trailing /), timeout; ConfigError naming what is missing."""
    settings = home.settings
    values = {
        "host": settings["mail.host"],
        "port": settings["mail.port"],
        "sender": settings["mail.sender"],
        "base": (settings["mail.base_url"] or settings["base_url"]).rstrip("/"),
        "timeout": settings["mail.timeout"],
    }
    missing = [
        name
        for name, key in (
            ("mail.host", "host"),
            ("mail.sender", "sender"),
            ("mail.base_url", "base"),
        )
        if not values[key]
    ]
    if missing:
        raise ConfigError(
            f"sending digests needs the settings {', '.join(missing)} "
            f"(in {home.settings_path} or OBSERVATORY_MAIL_* variables)"
        )
    if urlsplit(values["base"]).scheme not in ("http", "https"):
        raise ConfigError(
            f"mail.base_url must start with http:// or https://, not {values['base']!r}"
        )
    return values


def compose(app: Flask, user: User, sections: list[Section], config: dict) -> EmailMessage:
    """The owner's message, in their language, every link absolute."""
    base = config["base"]
    secret = app.config["SECRET_KEY"]
    with app.test_request_context("/", base_url=base + "/"):
        g.ui_lang = user.lang if user.lang in app.jinja_env.globals["ui_languages"] else "en"
        lang = g.ui_lang
        items = []
        for section in sections:
            state = SearchState(section.saved.args, {"ui": lang})
            items.append(
                {
                    "name": section.saved.name,
                    "count": len(section.fresh),
                    "entries": [
                        dict(
                            record,
                            url=url_for(
                                "entries.show", entry_id=record["id"], ui=lang, _external=True
                            ),
                        )
                        for record in section.fresh[:MAX_LISTED]
                    ],
                    "more": max(0, len(section.fresh) - MAX_LISTED),
                    "search_url": base + state.url("/"),
                    "unsubscribe_url": url_for(
                        "saved.unsubscribe",
                        token=unsubscribe_token(secret, section.saved),
                        ui=lang,
                        _external=True,
                    ),
                }
            )
        total = sum(item["count"] for item in items)
        site = app.config["SITE_NAME"]
        subject = ngettext(
            "%(site)s: %(num)d new entry for your saved searches",
            "%(site)s: %(num)d new entries for your saved searches",
            total,
            site=site,
        )
        context = {
            "user": user,
            "items": items,
            "subject": subject,
            "site": site,
            "lang": lang,
            "saved_url": url_for("saved.listing", ui=lang, _external=True),
        }
        text = render_template("mail/digest.txt", **context)
        html = render_template("mail/digest.html", **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["sender"]
    message["To"] = user.email
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(domain=config["sender"].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = lang  # after the parts: set_content drops Content-* headers
    return message


def _now():
    from datetime import UTC, datetime

    return datetime.fromtimestamp(time.time(), UTC)


def send_digests(
    app: Flask,
    home: Home,
    engine: SearchEngine,
    send: Callable[..., None] = mail.send,
) -> MailReport:
    """Mail every owner their digest; mark entries as sent once the server took the message."""
    config = mail_settings(home)
    store = SavedSearches(home.database_path)
    accounts = Accounts(home.database_path)
    by_owner: dict[int, list[SavedSearch]] = {}
    for saved in store.all():
        if saved.mailed:
            by_owner.setdefault(saved.user_id, []).append(saved)
    report = MailReport()
    for user_id, searches in by_owner.items():
        user = accounts.by_id(user_id)
        if user is None or not user.active:
            continue
        sections = []
        for saved in searches:
            records = matching_records(engine, query_of(saved))
            fresh = new_records(records, store.seen(saved.id, DIGEST))
            if fresh:
                sections.append(Section(saved, fresh, [r["id"] for r in records]))
        if not sections:
            continue
        if not user.email:
            report.skipped.append(user.name)
            continue
        message = compose(app, user, sections, config)
        try:
            send(config["host"], config["port"], message, timeout=config["timeout"])
        except mail.MailError as exc:
            report.failed.append(f"{user.name}: {exc}; nothing was marked as sent")
            continue
        for section in sections:  # accepted by the server: now, and only now, sent
            store.mark_seen(section.saved.id, DIGEST, section.matched)
        report.sent.append(user.email)
        report.searches += len(sections)
        report.entries += sum(len(section.fresh) for section in sections)
    store.record_digest(report.searches, report.entries, f"mail via {config['host']}")
    return report

"""Digests by mail against a real SMTP server on 127.0.0.1 (aiosmtpd, tests/smtpserver.py):
one message per owner in their language, text and HTML, absolute links that work, an
unsubscribe link per saved search; entries marked as sent only once the server accepted
(a refusal or a dropped connection: nothing marked, a clear message, exit 1)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from corpus.accounts import Accounts
from corpus.saved_searches import DIGEST, SavedSearches
from indexer import watch
from tests.smtpserver import SMTPServer

PASSWORD = "correct horse battery"
BASE = "https://observatory.example.org/obs"
OWNERS = {"alice": "en", "bruno": "fr", "carmen": "es"}
SUBJECTS = {"en": "new entr", "fr": "nouvelle", "es": "nueva"}


def add_entry(home, engine, entry_id: str, title: str, theme: str = "open-data") -> None:
    from corpus.store import CorpusStore
    from observatory.entry import entry_from_mapping

    entry = entry_from_mapping(
        {
            "id": entry_id,
            "type": "practice",
            "lang": "en",
            "title": title,
            "summary": f"What {title} does.",
            "city": "Bilbao",
            "country": "ES",
            "published": "2030-01",
            "themes": [theme],
        }
    )
    CorpusStore(home.corpus_dir).put(entry)
    engine.index_entries([entry])


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def client_for():
    """A web client of a home's app, as a browser opening the digest's links would."""
    from webui import create_app

    return lambda home: create_app(home, {"TESTING": True}).test_client()


@pytest.fixture
def engine(small_home):
    from indexer.search import SearchEngine

    with SearchEngine(small_home) as opened:
        yield opened


@pytest.fixture
def setup(small_home, engine, smtp):
    """Three owners (en, fr, es) with saved searches, one user without an address,
    then new entries for every search."""
    settings = {
        "site_name": "Observatory",
        "mail": {
            "host": "127.0.0.1",
            "port": smtp.port,
            "sender": "digest@example.org",
            "base_url": BASE,
        },
    }
    small_home.settings_path.write_text(yaml.safe_dump(settings), "utf-8")
    accounts = Accounts(small_home.database_path)
    store = SavedSearches(small_home.database_path)
    searches = {}
    for name, lang in OWNERS.items():
        user = accounts.add_user(name, "viewer", PASSWORD, email=f"{name}@example.net", lang=lang)
        searches[name] = watch.save_search(
            engine, store, user.id, f"user:{user.id}", f"{name} open data", {"theme": ["open-data"]}
        )
    mobility = watch.save_search(
        engine,
        store,
        accounts.get("alice").id,
        "v",
        "alice mobility",
        {"theme": ["smart-mobility"]},
    )
    nobody = accounts.add_user("dora", "viewer", PASSWORD)
    watch.save_search(engine, store, nobody.id, "v", "dora's", {"theme": ["open-data"]})
    add_entry(small_home, engine, "digest-new-portal", "Tidal open data portal")
    add_entry(small_home, engine, "digest-new-bikes", "Bike counters", theme="smart-mobility")
    return {"store": store, "searches": searches, "mobility": mobility}


ROOT = Path(__file__).resolve().parent.parent


def observatory(home, *args: str, stdin: str | None = None):
    """The command as a user runs it (its own process: exit status and messages as they are)."""
    result = subprocess.run(
        [sys.executable, "-m", "observatory", "--home", str(home), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    result.output = result.stdout + result.stderr
    result.exit_code = result.returncode
    return result


def send(home):
    return observatory(home.path, "digest", "--send")


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_each_owner_gets_one_digest_in_their_language(small_home, smtp, setup, client_for):
    result = send(small_home)
    assert result.exit_code == 0, result.output
    assert "3 digest(s) sent" in result.output
    assert "dora has new entries in saved searches but no address" in result.output
    by_address = {m["To"]: m for m in smtp.received}
    assert sorted(by_address) == sorted(f"{n}@example.net" for n in OWNERS)
    for name, lang in OWNERS.items():
        message = by_address[f"{name}@example.net"]
        assert message["From"] == "digest@example.org"
        assert message["Content-Language"] == lang
        assert SUBJECTS[lang] in message["Subject"]
        text, html = parts(message)
        assert "Tidal open data portal" in text and "Tidal open data portal" in html
        links = re.findall(r'href="([^"]+)"', html)
        assert links and all(link.startswith(BASE + "/") for link in links)
        assert f"{BASE}/entries/digest-new-portal?ui={lang}" in text
    alice_text, alice_html = parts(by_address["alice@example.net"])
    assert "Bike counters" in alice_text  # both of her searches, in one message
    assert alice_html.count("/saved/unsubscribe/") == 2  # one link per saved search
    # The links lead somewhere: the entry page and the search, served by the app.
    client = client_for(small_home)
    for link in re.findall(r"(https://\S+)", alice_text):
        path = urlsplit(link)._replace(scheme="", netloc="").geturl().removeprefix("/obs")
        response = client.get(path)
        if path.startswith("/saved/?"):  # the list of saved searches asks to log in first
            assert response.status_code == 302 and "login" in response.location, link
        else:
            assert response.status_code == 200, link
    # Sent entries are not sent twice.
    smtp.received.clear()
    again = send(small_home)
    assert again.exit_code == 0 and "0 digest(s) sent" in again.output
    assert smtp.received == []


def test_the_unsubscribe_link_stops_that_search_only(small_home, engine, smtp, setup, client_for):
    assert send(small_home).exit_code == 0
    message = next(m for m in smtp.received if m["To"] == "alice@example.net")
    text, _html = parts(message)
    link = re.search(r"(https://\S+/saved/unsubscribe/\S+)", text).group(1)
    path = urlsplit(link).path.removeprefix("/obs")
    client = client_for(small_home)
    page = client.get(path + "?ui=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    name = re.search(r"new entries of “([^”]+)”", html).group(1)
    done = client.post(path, data={"csrf_token": token})
    assert done.status_code == 200 and "no longer include" in done.get_data(as_text=True)
    store = setup["store"]
    stopped = [s for s in store.all() if not s.mailed]
    assert [s.name for s in stopped] == [name]
    # A forged or altered token is refused.
    assert client.get(path[:-3] + "xyz").status_code == 404
    # New entries for both of alice's searches: only the one still mailed arrives.
    add_entry(small_home, engine, "digest-later-a", "Later open data", theme="open-data")
    add_entry(small_home, engine, "digest-later-b", "Later mobility", theme="smart-mobility")
    smtp.received.clear()
    assert send(small_home).exit_code == 0
    text, _html = parts(next(m for m in smtp.received if m["To"] == "alice@example.net"))
    kept = "Later mobility" if name == "alice open data" else "Later open data"
    gone = "Later open data" if kept == "Later mobility" else "Later mobility"
    assert kept in text and gone not in text


@pytest.mark.parametrize("behaviour", ["refuse", "drop"])
def test_a_refusing_or_dropping_server_marks_nothing_as_sent(small_home, smtp, setup, behaviour):
    store = setup["store"]
    before = {s.id: store.seen(s.id, DIGEST) for s in store.all()}
    smtp.behave(behaviour)
    result = send(small_home)
    assert result.exit_code == 1
    expected = "refused the message" if behaviour == "refuse" else "closed the connection"
    assert expected in result.output and "nothing was marked as sent" in result.output
    assert f"127.0.0.1:{smtp.port}" in result.output
    assert {s.id: store.seen(s.id, DIGEST) for s in store.all()} == before
    # The next run, with a server that accepts, sends what was not sent.
    smtp.behave("accept")
    retry = send(small_home)
    assert retry.exit_code == 0, retry.output
    assert len(smtp.received) == 3


def test_no_server_listening_is_a_clear_error(small_home, setup):
    settings = yaml.safe_load(small_home.settings_path.read_text("utf-8"))
    settings["mail"]["port"] = 1  # nothing listens there
    small_home.settings_path.write_text(yaml.safe_dump(settings), "utf-8")
    result = send(small_home)
    assert result.exit_code == 1
    assert "could not connect to the mail server 127.0.0.1:1" in result.output


def test_missing_mail_settings_are_a_usage_error(small_home):
    result = send(small_home)
    assert result.exit_code == 2
    assert "mail.host" in result.output and "mail.sender" in result.output


def test_user_add_and_contact_set_address_and_language(tmp_path):
    from observatory.home import Home

    home = tmp_path / "home"
    add = ["user", "add", "eve", "--role", "viewer", "--password-stdin"]
    result = observatory(home, *add, "--email", "eve@example.org", "--lang", "fr", stdin=PASSWORD)
    assert result.exit_code == 0, result.output
    user = Accounts(Home(home).database_path).get("eve")
    assert (user.email, user.lang) == ("eve@example.org", "fr")
    changed = observatory(home, "user", "contact", "eve", "--lang", "es")
    assert changed.exit_code == 0 and "eve\teve@example.org\tes" in changed.output
    add[2] = "mallory"
    bad = observatory(home, *add, "--email", "not an address", stdin=PASSWORD)
    assert bad.exit_code == 2 and "not an e-mail address" in bad.output
    assert observatory(home, *add, "--lang", "de", stdin=PASSWORD).exit_code == 2

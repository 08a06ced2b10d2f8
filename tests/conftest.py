"""Shared fixtures: a home with the demo corpus (plus the web tests' own entries)
imported and indexed once per session, the Flask app and client over it, and a
live server started the way a user starts it (`observatory serve --port 0`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.home import Home

DATA = Path(__file__).parent / "data"
WEB_ENTRIES = DATA / "web_entries.yaml"


def make_home(path: Path, *, demo: bool) -> Home:
    """A home with the web fixture entries (and the demo corpus) imported and indexed."""
    from corpus.importers import demo_folder, import_paths
    from corpus.store import CorpusStore
    from indexer.build import update_index

    home = Home(path)
    sources = [demo_folder(), WEB_ENTRIES] if demo else [WEB_ENTRIES]
    report = import_paths(CorpusStore(home.corpus_dir), sources)
    refused_here = [r for r in report.refused if r.source == str(WEB_ENTRIES)]
    assert not refused_here, refused_here
    update_index(home)
    return home


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Home:
    """The demo corpus and tests/data/web_entries.yaml, indexed. Read-only: do not change it."""
    return make_home(tmp_path_factory.mktemp("home"), demo=True)


@pytest.fixture
def small_home(tmp_path) -> Home:
    """Only the web fixture entries, indexed: for tests that change the corpus."""
    return make_home(tmp_path / "home", demo=False)


@pytest.fixture(scope="session")
def app(home):
    from webui import create_app

    return create_app(home, {"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(home, tmp_path_factory):
    """The base address of `python -m observatory --home H serve --port 0`."""
    from webui.server import ServerProcess

    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            server = ServerProcess(home.path, log=log)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{log_path.read_text('utf-8')}") from None
        with server:
            yield server.url


# --- real Chromium (Debian's), driven by Playwright -------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")  # one Playwright per module: two at once in a worker fail
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()

"""The editors' workspace in real Chromium against a live server: log in, review a
draft, accept a suggested theme, publish, find it in public search; and the
conflict screen when two editors (two browser contexts) save the same entry."""

from __future__ import annotations

import json
import urllib.request

import pytest
from editor_support import PASSWORD, prepare_home

from corpus.store import CorpusStore

pytestmark = pytest.mark.browser


@pytest.fixture
def server(small_home, tmp_path):
    from webui.server import ServerProcess

    prepare_home(small_home, tmp_path)
    with (
        open(tmp_path / "server.log", "w", encoding="utf-8") as log,
        ServerProcess(small_home.path, log=log) as process,
    ):
        yield small_home, process.url


def new_page(browser, base):
    context = browser.new_context(locale="en-GB", base_url=base)
    page = context.new_page()
    page.problems = []
    page.on(
        "console", lambda message: message.type == "error" and page.problems.append(message.text)
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return context, page


def log_in(page, name):
    page.goto("/editor/")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/editor/")


def test_review_accept_suggestion_publish_and_find(browser, server):
    home, base = server
    context, page = new_page(browser, base)
    try:
        log_in(page, "alice")
        page.click("tr[data-id=pb-draft] a")
        page.wait_for_url("**/editor/entries/pb-draft")
        suggestion = page.locator("li.suggestion[data-value=citizen-participation]")
        assert "participatory budgeting" in suggestion.locator(".why").inner_text()
        suggestion.locator("button").click()
        page.wait_for_url("**/editor/entries/pb-draft")
        assert page.locator("input[name=themes][value=citizen-participation]").is_checked()
        page.click("#publish")
        page.wait_for_url("**/editor/entries/pb-draft")
        assert page.locator(".badge.published").is_visible()
        page.goto("/?q=participatory+budgeting&theme=citizen-participation")
        ids = page.locator("ol.results h3 a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        assert any("/entries/pb-draft" in href for href in ids)
        assert page.problems == []
    finally:
        context.close()
    entry = CorpusStore(home.corpus_dir).get("pb-draft")
    assert (entry.status, entry.themes) == ("published", ["citizen-participation"])


def test_two_editors_get_the_conflict_screen_and_merge(browser, server):
    home, base = server
    first, alice = new_page(browser, base)
    second, bob = new_page(browser, base)
    try:
        log_in(alice, "alice")
        log_in(bob, "bob")
        alice.goto("/editor/entries/compost-draft")
        bob.goto("/editor/entries/compost-draft")
        bob.fill("#city", "Bristol")
        bob.click("#save")
        bob.wait_for_url("**/editor/entries/compost-draft")
        alice.fill("#title", "Compost bins for all households")
        alice.click("#save")
        heading = alice.locator("#conflict-heading")
        heading.wait_for()
        rows = alice.locator("table.conflict tbody tr")
        fields = rows.evaluate_all("rows => rows.map(r => r.dataset.field)")
        assert sorted(fields) == ["city", "title"]
        assert (
            alice.locator("tr[data-field=title] .mine").inner_text()
            == "Compost bins for all households"
        )
        assert alice.locator("tr[data-field=city] .theirs").inner_text() == "Bristol"
        alice.click("#save-merge")
        alice.wait_for_url("**/editor/entries/compost-draft")
        # the conflict page is answered 409 on purpose; Chromium logs that status, nothing else
        assert [p for p in alice.problems if "409" not in p] == [] and bob.problems == []
    finally:
        first.close()
        second.close()
    entry = CorpusStore(home.corpus_dir).get("compost-draft")
    assert (entry.title, entry.city) == ("Compost bins for all households", "Bristol")
    with urllib.request.urlopen(f"{base}/api/search?q=compost", timeout=30) as response:
        assert json.load(response)["total"] >= 3

"""The interface in real Chromium (Debian's, driven by Playwright) against a live
server: search, tick two facet values, open an entry, switch the language, use
the keyboard, and work without JavaScript; no console errors on the way."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)  # a failure, not a slow machine, is what would exceed it
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that records console errors and uncaught exceptions in `page.problems`."""
    page = context.new_page()
    page.problems = []
    page.on(
        "console", lambda message: message.type == "error" and page.problems.append(message.text)
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def api(base: str, url: str) -> dict:
    """The /api/search answer for the search page address `url`."""
    query = urlsplit(url).query
    with urllib.request.urlopen(f"{base}/api/search?{query}", timeout=30) as response:
        return json.load(response)


def shown_total(page) -> int:
    return int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())


def shown_ids(page) -> list[str]:
    return [
        href.split("/entries/")[1].split("?")[0]
        for href in page.locator("ol.results h3 a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
    ]


def test_tick_two_values_of_a_facet(page, browser, live_server):
    page.goto(live_server + "/?q=data")
    boxes = page.locator("#facet-theme input[type=checkbox]")
    assert boxes.count() >= 2
    first, second = boxes.nth(0), boxes.nth(1)
    first_value, second_value = first.get_attribute("value"), second.get_attribute("value")
    first_count = int(page.locator(f'label[for="{first.get_attribute("id")}"] .count').inner_text())
    second_count = int(
        page.locator(f'label[for="{second.get_attribute("id")}"] .count').inner_text()
    )

    first.check()
    page.wait_for_url(re.compile(rf"theme={re.escape(first_value)}"))
    assert shown_total(page) == first_count  # the count promised is the count delivered
    page.locator(f'#facet-theme input[value="{second_value}"]').check()
    page.wait_for_url(re.compile(rf"theme={re.escape(second_value)}"))
    url = page.url
    assert parse_qs(urlsplit(url).query)["theme"] == [first_value, second_value]
    expected = api(live_server, url)
    assert max(first_count, second_count) <= expected["total"] <= first_count + second_count
    assert shown_total(page) == expected["total"]
    assert shown_ids(page) == [hit["id"] for hit in expected["results"]]

    shared = browser.new_page()  # the address alone gives the same page to someone else
    shared.goto(url)
    assert shared.locator("#facet-theme input:checked").evaluate_all(
        "els => els.map(e => e.value)"
    ) == [first_value, second_value]
    assert shown_ids(shared) == shown_ids(page)
    shared.close()
    assert page.problems == []


def test_open_an_entry(page, live_server):
    page.goto(live_server + "/?q=participation")
    link = page.locator("ol.results h3 a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/entries/[a-z0-9-]+$"))
    assert page.locator("h1").inner_text() == title
    assert page.locator("#details-heading").is_visible()
    assert page.problems == []


def test_switch_the_interface_language(page, live_server):
    page.goto(live_server + "/?q=open+data")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"ui=fr"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Rechercher des bonnes pratiques"
    assert page.locator("#q").input_value() == "open data"
    page.locator("ol.results h3 a").first.click()
    page.wait_for_url(re.compile(r"/entries/"))
    assert page.locator("#details-heading").inner_text() == "Détails"
    page.goto(live_server + "/")  # no parameter: the cookie remembers
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="Español").click()
    page.wait_for_url(re.compile(r"ui=es"))
    assert page.locator("h1").inner_text() == "Buscar buenas prácticas"
    assert page.problems == []


def test_keyboard_reaches_the_results(page, live_server):
    page.goto(live_server + "/?q=open+data")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('ol.results')"):
            break
    else:
        pytest.fail("Tab never reached a result")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entries/"))
    assert page.problems == []


def test_keyboard_toggle_keeps_focus_on_the_checkbox(page, live_server):
    page.goto(live_server + "/")
    box = page.locator("#facet-lang input[type=checkbox]").first
    box_id, value = box.get_attribute("id"), box.get_attribute("value")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(rf"lang={value}"))
    assert page.evaluate("document.activeElement.id") == box_id
    assert page.locator(f"#{box_id}").is_checked()


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    box = page.locator("#facet-type input[type=checkbox]").first
    value = box.get_attribute("value")
    box.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf"type={value}"))
    assert page.locator(f'#facet-type input[value="{value}"]').is_checked()
    assert shown_total(page) == api(live_server, page.url)["total"]
    context.close()


def test_no_console_errors_across_pages(page, live_server):
    for path in (
        "/",
        "/?q=budget&sort=newest&per_page=5&page=2",
        "/?theme=open-data&region=europe",
        "/entries/web-fixture-budget-participatif?ui=es",
    ):
        page.goto(live_server + path)  # (a 4xx page is itself logged by Chromium, so none here)
    assert page.problems == []

"""The trends page in real Chromium against a live server: the chart is drawn and named,
its table matches the API, the form works with JavaScript off, no console errors."""

from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def page(browser, request):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, java_script_enabled=request.param
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def api(base: str, query: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/trends?{query}", timeout=30) as response:
        return json.load(response)


def test_chart_table_and_form(page, live_server):
    page.goto(f"{live_server}/trends?ui=en")
    chart = page.locator('svg[role="img"]')
    assert chart.is_visible()
    assert chart.get_attribute("aria-labelledby") == "chart-title chart-desc"
    assert page.locator("#chart-title").text_content() == "Entries per year, by theme"
    box = chart.bounding_box()
    assert box["width"] > 500 and box["height"] > 200
    assert page.locator("svg g.series path[stroke]").count() == 5  # four largest + others
    assert page.locator("svg g.end-labels text").count() == 5

    page.select_option("#facet", "region")
    page.select_option("#f-type", "practice")
    page.click("button[type=submit] >> text=Show trends")
    page.wait_for_url("**/trends?*facet=region*")
    assert page.locator("#chart-title").text_content() == "Entries per year, by region"
    expected = api(live_server, "facet=region&type=practice")
    last = int(expected["periods"][-1])
    shown = [i for i, p in enumerate(expected["periods"]) if int(p) > last - 10]
    totals = {s["label"]: sum(s["points"][i]["count"] for i in shown) for s in expected["series"]}
    ranked = sorted(
        (s for s in expected["series"] if totals[s["label"]]),
        key=lambda s: (-totals[s["label"]], s["label"].lower()),
    )
    labels = [s["label"] for s in ranked]
    if len(labels) > 5:
        labels = labels[:4] + ["Others"]
    page.click("summary >> text=The numbers behind the chart")
    headers = page.locator(".trend-table thead th").all_text_contents()
    assert headers == ["Period"] + labels
    rows = page.locator(".trend-table tbody tr")
    assert rows.count() == len(shown)
    assert rows.first.locator("th").text_content() == expected["periods"][shown[0]]
    assert rows.nth(rows.count() - 1).locator("td").first.is_visible()
    assert page.locator("#emerging-heading").is_visible()
    assert page.problems == []


def test_search_page_leads_to_the_trends_of_its_search(page, live_server):
    page.goto(f"{live_server}/?q=open+data&ui=en")
    page.click("text=Trends of this search")
    page.wait_for_url("**/trends?q=open+data*")
    assert page.locator("#q").input_value() == "open data"
    assert page.locator('svg[role="img"]').is_visible()
    assert page.problems == []

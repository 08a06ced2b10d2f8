"""Trend counts: /api/trends against counts made independently from the corpus files,
bad input answered 4xx JSON, and the server-drawn chart's accessibility."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml


def corpus_entries(home) -> list[dict]:
    """Every published entry, read straight from the YAML files (not through the index)."""
    entries = []
    for path in sorted(Path(home.corpus_dir).glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if (data.get("status") or "published") == "published":
            entries.append(data)
    return entries


def period(entry: dict, interval: str) -> str | None:
    published = str(entry.get("published") or "")
    if not published:
        return None
    if interval == "year":
        return published[:4]
    return published[:7] if len(published) >= 7 else None


def expected_counts(entries, facet: str, interval: str, keep=lambda e: True) -> Counter:
    """(value, period) -> entries, by hand."""
    counts: Counter = Counter()
    for entry in entries:
        if not keep(entry):
            continue
        when = period(entry, interval)
        if when is None:
            continue
        values = entry.get("themes") or [] if facet == "theme" else [entry.get(facet)]
        for value in values:
            if value:
                counts[(value, when)] += 1
    return counts


def answered_counts(answer: dict) -> Counter:
    return Counter(
        {
            (s["value"], p["period"]): p["count"]
            for s in answer["series"]
            for p in s["points"]
            if p["count"]
        }
    )


@pytest.mark.parametrize(
    "url, facet, interval, keep",
    [
        ("/api/trends", "theme", "year", lambda e: True),
        (
            "/api/trends?facet=region&interval=year&type=practice",
            "region",
            "year",
            lambda e: e["type"] == "practice",
        ),
        ("/api/trends?facet=type&interval=month", "type", "month", lambda e: True),
        (
            "/api/trends?facet=lang&theme=open-data&theme=e-government",
            "lang",
            "year",
            lambda e: {"open-data", "e-government"} & set(e.get("themes") or []),
        ),
        (
            "/api/trends?facet=theme&region=europe&year_from=2015&year_to=2022",
            "theme",
            "year",
            lambda e: (
                e.get("region") == "europe"
                and 2015 <= int(str(e.get("published", "0"))[:4] or 0) <= 2022
            ),
        ),
    ],
)
def test_counts_equal_those_made_from_the_corpus_files(client, home, url, facet, interval, keep):
    answer = client.get(url).get_json()
    assert answer["facet"] == facet and answer["interval"] == interval
    expected = expected_counts(corpus_entries(home), facet, interval, keep)
    assert expected, "the case must count something"
    assert answered_counts(answer) == expected


def test_periods_run_without_gaps_and_every_series_has_each(client):
    answer = client.get("/api/trends?facet=region").get_json()
    years = [int(p) for p in answer["periods"]]
    assert years == list(range(years[0], years[-1] + 1))
    for series in answer["series"]:
        assert [p["period"] for p in series["points"]] == answer["periods"]
        assert series["label"] and series["value"]


def test_a_query_counts_what_the_search_finds(client):
    search = client.get("/api/search?q=open+data&per_page=1").get_json()
    answer = client.get("/api/trends?q=open+data&facet=type").get_json()
    counted = sum(p["count"] for s in answer["series"] for p in s["points"])
    assert 0 < search["total"] == counted + answer["undated"]


def test_labels_follow_the_interface_language(client):
    answer = client.get("/api/trends?facet=theme&ui=fr").get_json()
    labels = {s["value"]: s["label"] for s in answer["series"]}
    assert labels["open-data"] == "Données ouvertes et transparence"


@pytest.mark.parametrize(
    "query",
    [
        "facet=country",
        "interval=week",
        "theme=nope",
        "per_page=1000",
        "q=%22unclosed",
        "year_from=abc",
    ],
)
def test_bad_input_is_a_4xx_json_error(client, query):
    response = client.get(f"/api/trends?{query}")
    assert 400 <= response.status_code < 500
    assert response.is_json and response.get_json()["error"]


def chart_of(html: str) -> str:
    return re.search(
        r'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc".*?</svg>',
        html,
        re.S,
    ).group()


def test_page_draws_an_accessible_chart_with_the_numbers_in_a_table(client):
    html = client.get("/trends?facet=theme&interval=year&year_from=1900&ui=en").get_data(
        as_text=True
    )
    svg = chart_of(html)
    assert '<title id="chart-title">Entries per year, by theme</title>' in svg
    assert re.search(r'<desc id="chart-desc">\s*\d+ lines from \d{4} to \d{4}\.', svg)
    answer = client.get("/api/trends?facet=theme&interval=year&ui=en").get_json()
    assert len(answer["series"]) > 5
    # At most five lines: the four largest themes, and every other theme summed as "Others".
    assert svg.count('class="series"') == 5
    ends = re.findall(r'<g class="end-labels".*?</g>', svg, re.S)[0]
    labels = re.findall(r"<text [^>]*>(.*?)</text>", ends)
    expected = [s["label"] for s in answer["series"][:4]] + ["Others"]
    assert [label.rstrip("…") for label in labels] == [
        e[: len(label.rstrip("…"))] for e, label in zip(expected, labels, strict=True)
    ]
    details = re.search(r'<details class="trend-numbers">.*?</details>', html, re.S).group()
    table = re.search(r'<table class="trend-table">.*?</table>', details, re.S).group()
    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert headers == ["Period"] + expected
    first_row = re.search(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', table, re.S)
    assert first_row.group(1) == answer["periods"][0]
    cells = [int(n) for n in re.findall(r"<td>(\d+)</td>", first_row.group(2))]
    first = [s["points"][0]["count"] for s in answer["series"]]
    assert cells == first[:4] + [sum(first[4:])]
    assert "<script" not in svg and "style=" not in svg  # the CSP forbids inline code and styles


def test_page_defaults_to_the_last_ten_years_with_data(client):
    answer = client.get("/api/trends?facet=theme&interval=year").get_json()
    last = int(answer["periods"][-1])
    assert int(answer["periods"][0]) < last - 9  # the demo spans more than ten years
    html = client.get("/trends?ui=en").get_data(as_text=True)
    svg = chart_of(html)
    assert re.search(rf"lines from {last - 9} to {last}\.", svg)
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th>', html)
    assert rows == [str(year) for year in range(last - 9, last + 1)]
    assert f"year_from={answer['periods'][0]}" in html  # a link to every year
    assert svg.count('class="series"') <= 5
    # Asked for other years, the page shows them.
    html = client.get(f"/trends?year_from={last - 3}&ui=en").get_data(as_text=True)
    assert re.findall(r'<tr><th scope="row">(\d{4})</th>', html)[0] == str(last - 3)


def test_emerging_comes_first_with_its_evidence(client):
    html = client.get("/trends?ui=en").get_data(as_text=True)
    assert html.index('id="emerging-heading"') < html.index('id="chart-heading"')
    items = html.split('<li class="emerging-item">')[1:]
    assert items  # the demo corpus has rising concepts once the window holds enough entries
    first = items[0]
    years = [int(n) for n in re.findall(r'<span class="year-count">\d{4}: (\d+)</span>', first)]
    assert years and sum(years) > 0
    examples = re.findall(r'<a href="(/entries/[^"?]+)', first)
    assert examples
    assert client.get(examples[0]).status_code == 200


def test_five_series_at_most_and_others_adds_up():
    from webui.charts import fold_series

    series = [
        {
            "value": f"v{i}",
            "label": f"V{i}",
            "total": 10 - i,
            "points": [{"period": "2020", "count": 10 - i}],
        }
        for i in range(8)
    ]
    folded = fold_series(series, "Others")
    assert [s["label"] for s in folded] == ["V0", "V1", "V2", "V3", "Others"]
    assert folded[-1]["points"][0]["count"] == sum(10 - i for i in range(4, 8))
    assert fold_series(series[:5], "Others") == series[:5]


def test_page_keeps_its_form_state_and_shows_bad_input(client):
    html = client.get("/trends?q=data&region=europe&facet=region&interval=month").get_data(
        as_text=True
    )
    assert 'value="data"' in html
    assert re.search(r'<option value="europe" selected>', html)
    assert re.search(r'<option value="month" selected>', html)
    assert "Entries per month, by region" in html
    response = client.get("/trends?facet=country")
    assert response.status_code == 400
    assert "facet must be one of" in response.get_data(as_text=True)


def test_month_series_leave_out_entries_dated_by_year_only(client, home):
    answer = client.get("/api/trends?facet=type&interval=month").get_json()
    entries = corpus_entries(home)
    no_month = sum(1 for e in entries if len(str(e.get("published") or "")) < 7)
    assert answer["undated"] == no_month > 0

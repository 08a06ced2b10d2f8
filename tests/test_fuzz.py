"""Property-based fuzzing of what outsiders feed us: import files, query parameters, crawled HTML,
and the HTTP API's query strings. The property is always the same: no crash, only the errors
we mean (a refusal, a QueryError, a 4xx). `FUZZ_EXAMPLES=5000` runs a long campaign locally.
"""

from __future__ import annotations

import json
import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.importers import import_paths
from corpus.store import CorpusStore
from observatory.errors import QueryError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_EXAMPLES"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

KEYS = st.sampled_from(
    [
        "id",
        "type",
        "title",
        "summary",
        "body",
        "lang",
        "city",
        "country",
        "region",
        "themes",
        "tags",
        "organisation",
        "url",
        "published",
        "status",
        "extra",
        "entries",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["practice", "trend", "open-data", "FR", "2015-07-01", "draft", "x-y-z"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
RECORDS = st.dictionaries(KEYS, VALUES, max_size=10)


def _import_text(tmp_path, name: str, data: bytes):
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    target = folder / name
    target.write_bytes(data)
    store = CorpusStore(tmp_path / "corpus")
    report = import_paths(store, [target])
    for entry_id in store.ids():  # whatever went in reads back as a valid entry
        store.get(entry_id)
    return report


@FUZZ
@given(records=st.lists(RECORDS, max_size=5), suffix=st.sampled_from([".json", ".yaml"]))
def test_importing_any_records_never_crashes(tmp_path, records, suffix):
    import yaml

    if suffix == ".json":
        data = json.dumps(records, default=str).encode("utf-8", "surrogatepass")
    else:
        data = yaml.safe_dump(records, allow_unicode=True).encode("utf-8", "surrogatepass")
    report = _import_text(tmp_path, "records" + suffix, data)
    assert (
        len(report.added) + len(report.updated) + len(report.unchanged) + len(report.refused) >= 0
    )


@FUZZ
@given(
    data=st.binary(max_size=400)
    | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    suffix=st.sampled_from([".json", ".yaml", ".csv"]),
)
def test_importing_any_bytes_never_crashes(tmp_path, data, suffix):
    _import_text(tmp_path, "bytes" + suffix, data)


CSV_CELLS = st.text(alphabet=string.printable + "éü\u202e\x00", max_size=12)


@FUZZ
@given(rows=st.lists(st.lists(CSV_CELLS, max_size=6), max_size=5))
def test_importing_any_csv_never_crashes(tmp_path, rows):
    lines = ["id,type,title,themes"] + [",".join(row) for row in rows]
    _import_text(tmp_path, "rows.csv", "\n".join(lines).encode("utf-8", "surrogatepass"))


PARAM_NAMES = st.sampled_from(
    [
        "q",
        "theme",
        "region",
        "country",
        "lang",
        "type",
        "year_from",
        "year_to",
        "page",
        "per_page",
        "sort",
        "expand",
        "facet",
        "interval",
        "limit",
        "status",
        "ui",
    ]
)
QUERY_TEXT = st.lists(
    st.sampled_from(list('abc xyz"()-*:~^\\\u202e\x00é') + [" AND ", " OR ", " NOT "]), max_size=20
).map("".join) | st.text(max_size=40)
ARGS = st.dictionaries(
    PARAM_NAMES,
    st.lists(QUERY_TEXT | st.integers(-5, 3000).map(str), min_size=1, max_size=3),
    max_size=6,
)


@pytest.fixture(scope="module")
def engine(home):
    from indexer.search import SearchEngine

    with SearchEngine(home) as opened:
        yield opened


@FUZZ
@given(args=ARGS)
def test_any_query_parses_and_searches_or_is_a_query_error(engine, args):
    from indexer.search import SearchQuery

    try:
        query = SearchQuery.from_args(args)
    except QueryError:
        return
    result = engine.search(query)
    assert result["total"] >= len(result["results"])


HTMLISH = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<head>",
            "<title>",
            "</title>",
            "<body>",
            "<p>",
            "</p>",
            "<div>",
            "<script>",
            "</script>",
            "<meta charset=x>",
            "<!--",
            "-->",
            "<![CDATA[",
            "<article>",
            "<h1>",
            "&amp;",
            "&#0;",
            "&#xD800;",
            "\x00",
            "<time datetime='2099-99-99'>",
            '<meta property="article:published_time" content="x">',
            "<html lang='zz-??'>",
            "text ",
            "Open data portal ",
            "é",
        ]
    )
    | st.text(max_size=10),
    max_size=60,
).map("".join)


@FUZZ
@given(html=HTMLISH | st.text(max_size=300))
def test_extraction_never_crashes(html):
    from corpus.extract import extract

    page = extract(html, "https://example.org/page")
    assert isinstance(page.as_dict(), dict)


@FUZZ
@given(
    args=ARGS,
    path=st.sampled_from(
        [
            "/api/search",
            "/",
            "/api/trends",
            "/feeds/search.atom",
            "/export.csv",
            "/export.json",
            "/trends",
        ]
    ),
)
def test_no_query_string_makes_a_server_error(client, args, path):
    answer = client.get(path, query_string=[(k, v) for k, vs in args.items() for v in vs])
    assert answer.status_code < 500, (path, args, answer.get_data(as_text=True)[:300])
    answer.close()

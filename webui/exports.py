"""Exports: any result set as CSV or JSON (`/export.csv`, `/export.json`, the search's parameters).

The rows are the search's own results in its own order, fetched a page at a
time and streamed, so memory stays flat; at most `EXPORT_CAP` rows (or
`limit`). CSV cells that a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) are prefixed with a single quote (OWASP
"CSV injection").
"""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, jsonify, request, stream_with_context

from observatory.errors import QueryError
from webui.i18n import select_language
from webui.search import parse
from webui.services import get_services
from webui.urls import SearchState

bp = Blueprint("exports", __name__)

EXPORT_CAP = 5000
PAGE = 100
COLUMNS = (
    "id",
    "type",
    "title",
    "summary",
    "lang",
    "city",
    "country",
    "region",
    "themes",
    "year",
    "published",
    "url",
    "permalink",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text, defused when a spreadsheet would take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _query_and_limit():
    state = SearchState.from_request(request)
    query = parse(state)
    raw = request.args.get("limit", str(EXPORT_CAP))
    if not raw.isdigit() or not 1 <= int(raw) <= EXPORT_CAP:
        raise QueryError(f"limit must be a whole number from 1 to {EXPORT_CAP}")
    return query, int(raw)


def rows(query, limit: int, ui_lang: str):
    """The results, a page at a time, with their permalinks; stops at `limit`."""
    from webui.feeds import absolute

    engine = get_services().engine
    sent = 0
    page = 1
    while sent < limit:
        query.page, query.per_page = page, PAGE
        result = engine.search(query, ui_lang=ui_lang)
        for hit in result["results"][: limit - sent]:
            yield dict(
                {c: hit.get(c) for c in COLUMNS[:-1]}, permalink=absolute(f"/entries/{hit['id']}")
            )
            sent += 1
        if len(result["results"]) < PAGE or page * PAGE >= result["total"]:
            return
        page += 1


def _download(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@bp.get("/export.csv")
def export_csv():
    query, limit = _query_and_limit()
    ui_lang = select_language()

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for row in rows(query, limit, ui_lang):
            writer.writerow([safe_cell(row[c]) for c in COLUMNS])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers=_download("observatory-export.csv"),
    )


@bp.get("/export.json")
def export_json():
    try:
        query, limit = _query_and_limit()
    except QueryError as exc:
        response = jsonify(error=str(exc))
        response.status_code = 400
        return response
    ui_lang = select_language()
    head = {"query": query.q, "filters": query.filters, "sort": query.effective_sort}

    def generate():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
        for n, row in enumerate(rows(query, limit, ui_lang)):
            yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]}\n"

    return Response(
        stream_with_context(generate()),
        mimetype="application/json",
        headers=_download("observatory-export.json"),
    )

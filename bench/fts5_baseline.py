"""SQLite FTS5 on the same entries and queries: the baseline every figure stands next to.

One FTS5 table (unicode61 tokenizer, remove_diacritics 2) holds the text; a
plain table holds the facet columns, one more the themes. A search answers
the same shape as /api/search: total, one page ordered by bm25 (or newest
first when browsing) with snippets, and disjunctive facet counts, one GROUP
BY per facet with every other facet's filter applied, as the contract says.
No stemming and no cross-language matching: FTS5 does less work per query,
which is what makes it a fair yardstick for speed, not for relevance.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

FACETS = ("theme", "region", "country", "lang", "type", "year")
COLUMN = {"region": "region", "country": "country", "lang": "lang", "type": "type", "year": "year"}
SCHEMA = """
CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, type TEXT, status TEXT, lang TEXT,
                   region TEXT, country TEXT, year INTEGER, pubkey INTEGER, data TEXT);
CREATE TABLE themes (rowid INTEGER, theme TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, tags, place,
                                    tokenize = 'unicode61 remove_diacritics 2');
"""
INDEXES = """
CREATE INDEX docs_facets ON docs(status, type, lang, region, country, year);
CREATE INDEX docs_pubkey ON docs(pubkey DESC, rowid);
CREATE INDEX themes_theme ON themes(theme, rowid);
CREATE INDEX themes_rowid ON themes(rowid, theme);
"""
_QUOTED = re.compile(r'"([^"]*)"|(\S+)')


def build(db_path: Path, entries: Iterable[Mapping]) -> int:
    """Create the database from entry mappings (contract section 1); returns how many."""
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    db.executescript(SCHEMA)
    count = 0
    with db:
        for rowid, entry in enumerate(entries, start=1):
            published = str(entry.get("published", ""))
            year = int(published[:4]) if published[:4].isdigit() else None
            pubkey = int((published.replace("-", "") + "0000")[:8]) if year else 0
            data = {
                k: entry.get(k, "")
                for k in (
                    "id",
                    "type",
                    "title",
                    "summary",
                    "lang",
                    "city",
                    "country",
                    "region",
                    "url",
                    "published",
                )
            }
            data.update(themes=list(entry.get("themes", [])), year=year)
            db.execute(
                "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    rowid,
                    entry["id"],
                    entry["type"],
                    entry.get("status", "published"),
                    entry.get("lang", ""),
                    entry.get("region", ""),
                    entry.get("country", ""),
                    year,
                    pubkey,
                    json.dumps(data, ensure_ascii=False),
                ),
            )
            db.executemany(
                "INSERT INTO themes VALUES (?, ?)", [(rowid, t) for t in entry.get("themes", [])]
            )
            place = " ".join(str(entry.get(k, "")) for k in ("city", "organisation", "country"))
            db.execute(
                "INSERT INTO fts(rowid, title, summary, body, tags, place) VALUES (?,?,?,?,?,?)",
                (
                    rowid,
                    entry["title"],
                    entry.get("summary", ""),
                    entry.get("body", ""),
                    " ".join(entry.get("tags", [])),
                    place,
                ),
            )
            count += 1
    db.executescript(INDEXES)
    db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return count


def match_expression(text: str) -> str:
    """Words and "phrases" as an FTS5 expression: every word must match (AND)."""
    parts = []
    for phrase, word in _QUOTED.findall(text or ""):
        tokens = re.findall(r"\w+", phrase or word)
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " ".join(parts)


def _filters(args: Mapping[str, list[str]], skip: str | None) -> tuple[list[str], list]:
    """SQL conditions on `d` for every filter but `skip`'s, and their parameters."""
    where, params = ["d.status = 'published'"], []
    for facet in ("region", "country", "lang", "type"):
        values = args.get(facet) or []
        if values and facet != skip:
            where.append(f"d.{COLUMN[facet]} IN ({','.join('?' * len(values))})")
            params += values
    themes = args.get("theme") or []
    if themes and skip != "theme":
        where.append(
            f"d.rowid IN (SELECT rowid FROM themes WHERE theme IN ({','.join('?' * len(themes))}))"
        )
        params += themes
    low, high = _one(args, "year_from"), _one(args, "year_to")
    if (low or high) and skip != "year":
        where.append("d.year BETWEEN ? AND ?")
        params += [int(low or 0), int(high or 9999)]
    return where, params


def _one(args: Mapping[str, list[str]], name: str) -> str | None:
    values = args.get(name) or []
    return values[-1] if values else None


class Fts5Search:
    """One connection per thread (sqlite3 objects stay in the thread that made them)."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self._local = threading.local()

    @property
    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        return db

    def search(self, args: Mapping[str, list[str]]) -> dict:
        db = self.db
        expression = match_expression(" ".join(args.get("q") or []))
        page = int(_one(args, "page") or 1)
        per_page = int(_one(args, "per_page") or 10)
        matched = "d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)" if expression else None

        def conditions(skip: str | None) -> tuple[str, list]:
            where, params = _filters(args, skip)
            if matched:
                where.insert(0, matched)
                params.insert(0, expression)
            return " AND ".join(where), params

        where, params = conditions(None)
        total = db.execute(f"SELECT count(*) FROM docs d WHERE {where}", params).fetchone()[0]
        if expression:
            plain, plain_params = _filters(args, None)
            rows = db.execute(
                f"SELECT d.data, bm25(fts, 3.0, 2.0, 1.0, 1.5, 1.5), "
                f"snippet(fts, -1, '<mark>', '</mark>', '…', 16) FROM fts JOIN docs d "
                f"ON d.rowid = fts.rowid WHERE fts MATCH ? AND {' AND '.join(plain)} "
                f"ORDER BY 2 LIMIT ? OFFSET ?",
                [expression, *plain_params, per_page, (page - 1) * per_page],
            ).fetchall()
        else:
            rows = db.execute(
                f"SELECT d.data, 0.0, '' FROM docs d WHERE {where} "
                f"ORDER BY d.pubkey DESC, d.rowid LIMIT ? OFFSET ?",
                [*params, per_page, (page - 1) * per_page],
            ).fetchall()
        results = [
            {**json.loads(data), "score": round(-score, 4), "highlight": snippet}
            for data, score, snippet in rows
        ]
        facets = {}
        for facet in FACETS:
            where, params = conditions(facet)
            if facet == "theme":
                sql = (
                    f"SELECT t.theme, count(*) FROM themes t JOIN docs d ON d.rowid = t.rowid "
                    f"WHERE {where} GROUP BY t.theme ORDER BY 2 DESC"
                )
            else:
                sql = (
                    f"SELECT d.{COLUMN[facet]}, count(*) FROM docs d WHERE {where} "
                    f"GROUP BY 1 ORDER BY 2 DESC"
                )
            chosen = args.get(facet) or []
            facets[facet] = [
                {"value": str(v), "label": str(v), "count": n, "selected": str(v) in chosen}
                for v, n in db.execute(sql, params)
                if v not in (None, "")
            ]
        return {
            "query": " ".join(args.get("q") or []),
            "total": total,
            "page": page,
            "per_page": per_page,
            "results": results,
            "facets": facets,
            "suggestion": None,
        }


def wsgi_app(db_path: Path):
    """A tiny WSGI app answering /api/search from FTS5, for the HTTP comparison."""
    from urllib.parse import parse_qs

    engine = Fts5Search(db_path)

    def app(environ, start_response):
        if environ.get("PATH_INFO") != "/api/search":
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"error": "not found"}']
        args = parse_qs(environ.get("QUERY_STRING", ""))
        body = json.dumps(engine.search(args), ensure_ascii=False).encode("utf-8")
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return app


def read_files(folder: Path) -> Iterable[Mapping]:
    """The entries of the generator's files (JSON lists, YAML lists), in file order."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(Path(folder).iterdir()):
        if path.suffix == ".json":
            yield from json.loads(path.read_text("utf-8"))
        elif path.suffix == ".yaml":
            yield from yaml.load(path.read_text("utf-8"), Loader=loader)  # noqa: S506


def main() -> None:
    """`python -m bench.fts5_baseline DB FOLDER`: build DB from the generated files."""
    import sys

    db_path, folder = Path(sys.argv[1]), Path(sys.argv[2])
    print(f"{build(db_path, read_files(folder))} entries in {db_path}")


if __name__ == "__main__":
    main()

"""The baseline: plain BM25 in SQLite FTS5 over the same entries, same filters.

Diacritics folded (unicode61 remove_diacritics 2), no stemming, no expansion:
the query's words are OR-ed and ranked by bm25 with the same field weights as
ours (title 3, summary 2, body 1), which is kinder to FTS5 than an AND that
returns nothing for half the queries.
"""

from __future__ import annotations

import re
import sqlite3

from observatory.entry import Entry

FACETS = ("theme", "region", "country", "lang", "type")


class Fts5Index:
    def __init__(self, entries: list[Entry]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, summary, body, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.execute(
            "CREATE TABLE meta (id TEXT PRIMARY KEY, type TEXT, region TEXT, country TEXT, "
            "lang TEXT, year INTEGER, status TEXT)"
        )
        self.db.execute("CREATE TABLE themes (id TEXT, theme TEXT)")
        for e in entries:
            self.db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?)", (e.id, e.title, e.summary, e.body)
            )
            self.db.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)",
                (e.id, e.type, e.region, e.country, e.lang, e.year, e.status),
            )
            self.db.executemany("INSERT INTO themes VALUES (?, ?)", [(e.id, t) for t in e.themes])
        self.db.commit()

    def search(
        self, text: str, filters: dict[str, list[str]] | None = None, limit: int = 10
    ) -> list[str]:
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        sql = (
            "SELECT docs.id FROM docs JOIN meta ON meta.id = docs.id "
            "WHERE docs MATCH ? AND meta.status = 'published'"
        )
        params: list = [match]
        for facet, values in (filters or {}).items():
            marks = ",".join("?" * len(values))
            if facet == "theme":
                sql += f" AND docs.id IN (SELECT id FROM themes WHERE theme IN ({marks}))"
            else:
                sql += f" AND meta.{facet} IN ({marks})"
            params.extend(values)
        sql += " ORDER BY bm25(docs, 0, 3.0, 2.0, 1.0) LIMIT ?"
        params.append(limit)
        return [row[0] for row in self.db.execute(sql, params)]

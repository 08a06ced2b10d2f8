"""The digest: for each saved search, the entries new since the last digest, as files.

`observatory digest` writes one plain-text and one HTML file per saved search
that has new entries, ready to be sent by whatever mail system a deployment
uses (sending is not ours to do), then records the run. What the digest has
already sent is kept per search like a viewer's last look (viewer "digest").
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from corpus.atomic import write_atomic
from corpus.saved_searches import DIGEST, SavedSearch, SavedSearches
from indexer.search import SearchEngine
from indexer.watch import matching_records, new_records, query_of
from observatory.home import Home


@dataclass
class DigestReport:
    out: Path
    searches: int = 0
    entries: int = 0
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.entries} new entr{'y' if self.entries == 1 else 'ies'} in "
            f"{self.searches} saved search{'' if self.searches == 1 else 'es'}, "
            f"{len(self.files)} file(s) in {self.out}"
        )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "search"


def _search_url(base: str, saved: SavedSearch) -> str:
    pairs = [(k, v) for k, values in saved.args.items() for v in values]
    return f"{base}/" + ("?" + urlencode(pairs) if pairs else "")


def render_text(site: str, base: str, saved: SavedSearch, records: list[dict]) -> str:
    lines = [
        f"Subject: {site}: {len(records)} new for \u201c{saved.name}\u201d",
        "",
        f"New entries for your saved search \u201c{saved.name}\u201d:",
        "",
    ]
    for record in records:
        lines.append(f"* {record['title']} ({record.get('published') or 'undated'})")
        if record.get("summary"):
            lines.append(f"  {record['summary'][:300]}")
        lines.append(f"  {base}/entries/{record['id']}")
        lines.append("")
    lines.append(f"The whole search: {_search_url(base, saved)}")
    return "\n".join(lines) + "\n"


def render_html(site: str, base: str, saved: SavedSearch, records: list[dict]) -> str:
    e = html.escape
    items = "\n".join(
        f'<li><a href="{e(base)}/entries/{e(r["id"])}">{e(r["title"])}</a> '
        f"<small>({e(r.get('published') or 'undated')})</small>"
        + (f"<br>{e(r['summary'][:300])}" if r.get("summary") else "")
        + "</li>"
        for r in records
    )
    title = f"{site}: {len(records)} new for \u201c{saved.name}\u201d"
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{e(title)}</title></head>\n'
        f"<body><h1>{e(title)}</h1>\n<ul>\n{items}\n</ul>\n"
        f'<p><a href="{e(_search_url(base, saved))}">The whole search</a></p></body></html>\n'
    )


def run_digest(home: Home, engine: SearchEngine, out: Path | None = None) -> DigestReport:
    """Write the files of every saved search with new entries, and mark them sent."""
    store = SavedSearches(home.database_path)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    out = Path(out) if out else home.path / "digests" / stamp
    out.mkdir(parents=True, exist_ok=True)
    site = home.settings["site_name"]
    base = (home.settings["base_url"] or "").rstrip("/")
    report = DigestReport(out=out)
    for saved in store.all():
        records = matching_records(engine, query_of(saved))
        fresh = new_records(records, store.seen(saved.id, DIGEST))
        if fresh:
            stem = out / f"search-{saved.id}-{_slug(saved.name)}"
            for suffix, text in (
                (".txt", render_text(site, base, saved, fresh)),
                (".html", render_html(site, base, saved, fresh)),
            ):
                write_atomic(stem.with_suffix(suffix), text)
                report.files.append(stem.with_suffix(suffix))
            report.searches += 1
            report.entries += len(fresh)
        store.mark_seen(saved.id, DIGEST, [r["id"] for r in records])
    store.record_digest(report.searches, report.entries, str(out))
    return report

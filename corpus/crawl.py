"""The crawl loop: one source at a time, one task at a time, from the SQLite frontier.

Each task (a page, a sitemap, a feed, a feed item) is fetched through the one
HTTP seam, parsed by a pure function, stored, and then recorded as done in one
transaction with what it led to. Unchanged answers (304, or the same content
hash) reuse the links recorded last time, so a re-crawl still reaches every
page without downloading them again.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from corpus.crawlstate import CrawlState, Known, Task
from corpus.extract import extract
from corpus.feeds import NotAFeed, parse_feed
from corpus.fetch import FEED_TYPES, PAGE_TYPES, XML_TYPES, Fetcher, FetchRefused, Response
from corpus.identity import canonical_url
from corpus.ingest import Ingester
from corpus.robots import Robots
from corpus.sitemaps import NotASitemap, parse_sitemap
from corpus.sources import Source
from corpus.store import CorpusStore
from observatory.errors import EntryInvalid, Refusal
from observatory.languages import detect_language

NOT_PAGES = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|csv|zip|gz|png|jpe?g|gif|svg|webp|mp[34]|"
    r"avi|mov|exe|dmg|iso)$",
    re.IGNORECASE,
)  # not worth a request
SEED_KIND = {"site": "page", "sitemap": "sitemap", "feed": "feed"}
ACCEPT = {
    "page": PAGE_TYPES,
    "item": PAGE_TYPES,
    "sitemap": XML_TYPES + ("text/plain",),
    "feed": FEED_TYPES,
}


@dataclass
class SourceReport:
    source: str
    resumed: bool = False
    fetched: int = 0  # full answers downloaded
    not_modified: int = 0  # answered 304, or the same bytes as last time
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    grouped: list[str] = field(default_factory=list)
    hubs: int = 0  # pages read for their links only
    skipped: Counter = field(default_factory=Counter)  # reason -> count (off-site, robots.txt)
    refused: list[Refusal] = field(default_factory=list)
    capped: bool = False

    def summary(self) -> str:
        parts = [
            f"{self.fetched} fetched",
            f"{self.not_modified} not modified",
            f"{len(self.new)} new",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.grouped)} also reported",
            f"{len(self.refused)} refused",
        ]
        if self.skipped:
            parts.append(
                "skipped: " + ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
            )
        if self.capped:
            parts.append("stopped at the page cap")
        if self.resumed:
            parts.append("resumed an interrupted crawl")
        return ", ".join(parts)


class Crawler:
    def __init__(self, home, *, sleep: Callable[[float], None] | None = None):
        settings = home.settings
        self.fetcher = Fetcher(settings, **({"sleep": sleep} if sleep else {}))
        self.robots = Robots(self.fetcher, max_crawl_delay=settings["crawl.max_crawl_delay"])
        self.state = CrawlState(home.database_path)
        self.store = CorpusStore(home.corpus_dir)
        self.ingester = Ingester(self.store, self.state)
        self.max_pages = int(settings["crawl.max_pages"])

    def close(self) -> None:
        self.fetcher.close()
        self.state.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @staticmethod
    def in_scope(source: Source, url: str) -> bool:
        """Site crawls keep to the source's host and path prefix; sitemaps to the host."""
        base, target = urlsplit(source.url), urlsplit(url)
        if (target.scheme, target.netloc.lower()) != (base.scheme, base.netloc.lower()):
            return source.kind == "feed"
        if source.kind != "site":
            return True
        prefix = base.path[: base.path.rfind("/") + 1] or "/"
        return (target.path or "/").startswith(prefix)

    def crawl(
        self, source: Source, progress: Callable[[int, int], None] | None = None
    ) -> SourceReport:
        """Crawl one source to the end of its frontier (or the page cap); resumable."""
        report = SourceReport(source.name)
        seed = canonical_url(source.url)
        report.resumed = self.state.begin_run(source.name, [(seed, SEED_KIND[source.kind])])
        cap = source.max_pages or self.max_pages
        while (task := self.state.next_task(source.name)) is not None:
            if self.state.done_count(source.name) >= cap:
                report.capped = True
                break
            self._run(source, task, seed, report)
            if progress:
                progress(self.state.done_count(source.name), self.state.pending_count(source.name))
        self.state.finish_run(source.name)
        return report

    def _hop_check(self, source: Source):
        def check(url: str) -> str | None:
            if not self.in_scope(source, url):
                return "outside the source's site"
            return self.robots.refusal(url)

        return check

    def _refuse(
        self,
        source: Source,
        task: Task,
        report: SourceReport,
        reason: str,
        status: int | None = None,
        field_name: str = "",
    ) -> None:
        report.refused.append(Refusal(task.url, "", field_name, reason))
        self.state.complete(source.name, task, state="refused", status=status, outcome=reason)

    def _run(self, source: Source, task: Task, seed: str, report: SourceReport) -> None:
        if task.kind == "item" and not (source.fetch_full_text and (task.data or {}).get("link")):
            self._store(
                source, task, report, task.url, self._item_fields(source, task.data), fill_only=True
            )
            self.state.complete(source.name, task, outcome="stored item")
            return
        refusal = self.robots.refusal(task.url)
        if refusal:
            if task.url == seed:
                self._refuse(source, task, report, refusal)
            else:
                report.skipped[refusal] += 1
                self.state.complete(source.name, task, state="skipped", outcome=refusal)
            return
        known = self.state.known(task.url)
        try:
            response = self.fetcher.get(
                task.url,
                accept=ACCEPT[task.kind],
                check=self._hop_check(source),
                etag=known.etag if known else None,
                last_modified=known.last_modified if known else None,
            )
        except FetchRefused as exc:
            self._refuse(source, task, report, exc.reason, exc.status)
            return
        digest = hashlib.sha256(response.body).hexdigest()
        if known and (response.not_modified or known.content_hash == digest):
            report.not_modified += 1
            if known.entry_id:
                report.unchanged.append(known.entry_id)
            children = known.children if task.kind != "page" or source.kind == "site" else []
            self.state.complete(
                source.name,
                task,
                status=response.status,
                outcome="not modified",
                children=[c for c in children if self._wanted(source, c[0])],
            )
            return
        if response.not_modified:  # a 304 to a request we made without validators
            self._refuse(source, task, report, "answered 304 without a stored copy", 304)
            return
        report.fetched += 1
        try:
            children, entry_id = self._parse(source, task, response, report)
        except (NotAFeed, NotASitemap, EntryInvalid) as exc:
            field_name = exc.field if isinstance(exc, EntryInvalid) else ""
            self._refuse(source, task, report, str(exc), response.status, field_name)
            return
        known = Known(
            response.headers.get("etag"),
            response.headers.get("last-modified"),
            digest,
            entry_id,
            children,
        )
        self.state.complete(
            source.name,
            task,
            status=response.status,
            outcome="fetched",
            known=known,
            children=[c for c in children if self._wanted(source, c[0], report)],
        )

    def _wanted(self, source: Source, url: str, report: SourceReport | None = None) -> bool:
        if self.in_scope(source, url):
            return True
        if report is not None:
            report.skipped["off-site"] += 1
        return False

    def _parse(
        self, source: Source, task: Task, response: Response, report: SourceReport
    ) -> tuple[list[list], str | None]:
        """(children as [url, kind, data], id of the entry stored or None)."""
        if task.kind == "sitemap":
            pages, sitemaps = parse_sitemap(response.body, response.url)
            return (
                [[canonical_url(u), "page", None] for u in pages]
                + [[canonical_url(u), "sitemap", None] for u in sitemaps]
            ), None
        if task.kind == "feed":
            if response.content_type in PAGE_TYPES:
                page = extract(response.text, response.url)
                if not page.feeds:
                    raise NotAFeed("an HTML page that announces no feed")
                return [[canonical_url(page.feeds[0]), "feed", None]], None
            children = []
            for item in parse_feed(response.body, response.url):
                key = (
                    canonical_url(item.link)
                    if item.link
                    else f"{task.url}#item-{hashlib.sha1(item.title.encode()).hexdigest()[:10]}"
                )
                children.append([key, "item", asdict(item)])
            return children, None
        page = extract(response.text, response.url, lang_hint=source.lang or None)
        links = (
            []
            if source.kind == "sitemap"
            else [  # a sitemap lists its pages itself
                [canonical_url(link), "page", None]
                for link in page.links
                if not NOT_PAGES.search(urlsplit(link).path)
            ]
        )
        url = self._identity_url(response.url, page.canonical)
        if task.kind == "item":
            fields = self._item_fields(source, task.data)
            fields.update(
                {
                    "body": page.text,
                    "lang": page.lang,
                    "title": fields.get("title") or page.title,
                    "summary": fields.get("summary") or page.summary,
                    "published": fields.get("published") or page.published,
                }
            )
            return [], self._store(source, task, report, url, fields)
        if len(page.text.split()) < source.min_words:
            report.hubs += 1
            return links, None
        fields = {
            "title": page.title or page.text[:120],
            "summary": page.summary,
            "body": page.text,
            "published": page.published,
            "lang": page.lang,
        }
        return links, self._store(source, task, report, url, fields)

    @staticmethod
    def _identity_url(final_url: str, canonical: str) -> str:
        """The page's canonical address when it names the same host, else where we ended up."""
        if canonical and urlsplit(canonical).netloc.lower() == urlsplit(final_url).netloc.lower():
            return canonical_url(canonical)
        return canonical_url(final_url)

    @staticmethod
    def _item_fields(source: Source, data: dict | None) -> dict:
        data = data or {}
        text = "\n".join(p for p in (data.get("title"), data.get("summary")) if p)
        return {
            "title": data.get("title") or "",
            "summary": data.get("summary") or "",
            "published": data.get("published") or "",
            "lang": detect_language(text, hint=data.get("lang") or source.lang or None),
        }

    def _store(
        self,
        source: Source,
        task: Task,
        report: SourceReport,
        url: str,
        fields: dict,
        *,
        fill_only: bool = False,
    ) -> str:
        known = self.state.known(task.url)
        linked = task.kind != "item" or (task.data or {}).get("link")
        outcome = self.ingester.ingest(
            source,
            url if linked else "",
            fields,
            id_key=url,
            known_entry=known.entry_id if known else None,
            fill_only=fill_only,
        )
        getattr(report, outcome.kind).append(outcome.entry_id)
        return outcome.entry_id

"""robots.txt through Protego (the parser Scrapy uses), one fetch per site and crawl.

Answers follow RFC 9309: a missing robots.txt (4xx) allows everything; one
that cannot be read (5xx, connection failure) disallows everything for now,
since silence is not consent. Crawl-delay slows the Fetcher for that host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from protego import Protego

from corpus.fetch import Fetcher, FetchRefused

AGENT = "Observatory"
ROBOTS_TYPES = ("text/plain", "text/html", "application/octet-stream")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Robots:
    """robots.txt rules per origin, fetched on first use through the shared Fetcher."""

    def __init__(self, fetcher: Fetcher, *, max_crawl_delay: float = 60.0):
        self.fetcher = fetcher
        self.max_crawl_delay = max_crawl_delay
        self._rules: dict[str, Protego | None] = {}  # None: unreachable, disallow all
        self._why: dict[str, str] = {}
        self.sitemaps: dict[str, list[str]] = {}

    def _load(self, origin: str) -> Protego | None:
        if origin in self._rules:
            return self._rules[origin]
        rules: Protego | None
        try:
            response = self.fetcher.get(origin + "/robots.txt", accept=ROBOTS_TYPES)
            rules = Protego.parse(response.text[:500_000])
        except FetchRefused as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                rules = Protego.parse("")
            else:
                rules = None
                self._why[origin] = exc.reason
        self._rules[origin] = rules
        if rules is not None:
            self.sitemaps[origin] = list(rules.sitemaps)
            delay = rules.crawl_delay(AGENT)
            if delay:
                host = urlsplit(origin).hostname or ""
                self.fetcher.set_delay(host, min(float(delay), self.max_crawl_delay))
        return rules

    def refusal(self, url: str) -> str | None:
        """None when `url` may be fetched, else the reason."""
        origin = origin_of(url)
        rules = self._load(origin)
        if rules is None:
            return f"robots.txt could not be read ({self._why.get(origin, 'unknown error')})"
        if not rules.can_fetch(url, AGENT):
            return "disallowed by robots.txt"
        return None

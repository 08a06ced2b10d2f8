"""What a page says about itself: pure functions of (html_text, url), no I/O.

So a saved page is a test fixture, and `observatory extract FILE` shows exactly
what the crawler would store. BeautifulSoup (with lxml) reads the metadata;
the main text comes from `corpus.maintext` (trafilatura, with our fallback).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from corpus.maintext import main_text
from observatory.languages import detect_language

DATE_META = (
    "article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.issued",
    "dcterms.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_date",
    "article.published",
)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{2})/(\d{2})")
SUMMARY_CHARS = 500


@dataclass
class Page:
    url: str
    title: str = ""
    text: str = ""
    summary: str = ""
    published: str = ""
    lang: str = ""
    declared_lang: str = ""
    canonical: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)  # {"jsonld": [...], "opengraph": {...}}
    links: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    """name/property/itemprop/http-equiv (lower-case) -> content, first one wins."""
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                found.setdefault(key, _clean(content))
    return found


def _jsonld(soup: BeautifulSoup) -> list[dict]:
    objects: list[dict] = []
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    objects.extend(g for g in graph if isinstance(g, dict))
    return objects


def normalise_date(value: Any) -> str:
    """'YYYY-MM-DD' (or 'YYYY-MM') from an ISO-ish or slashed date string; '' otherwise."""
    text = str(value or "")
    match = _ISO_DATE.search(text) or _SLASH_DATE.search(text)
    if not match:
        return ""
    year, month, day = match.groups()
    if not (1000 <= int(year) <= 2999 and 1 <= int(month) <= 12):
        return ""
    if day and not 1 <= int(day) <= 31:
        day = None
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"


def _published(soup: BeautifulSoup, metas: dict[str, str], jsonld: list[dict]) -> str:
    for key in DATE_META:
        if key in metas and normalise_date(metas[key]):
            return normalise_date(metas[key])
    for item in jsonld:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            if normalise_date(item.get(key)):
                return normalise_date(item.get(key))
    times = soup.find_all("time")
    preferred = [
        t
        for t in times
        if (t.get("itemprop") or "").lower() == "datepublished" or "pubdate" in t.attrs
    ]
    for tag in preferred + times:
        date = normalise_date(tag.get("datetime") or tag.get_text())
        if date:
            return date
    return ""


def _declared_lang(soup: BeautifulSoup, metas: dict[str, str]) -> str:
    html = soup.find("html")
    candidates = [
        html.get("lang") or html.get("xml:lang") if html else None,
        metas.get("content-language"),
        metas.get("language"),
        metas.get("dc.language"),
        metas.get("og:locale"),
    ]
    for value in candidates:
        code = re.split(r"[-_,\s]", (value or "").strip().lower())[0]
        if re.fullmatch(r"[a-z]{2}", code):
            return code
    return ""


def _title(soup: BeautifulSoup, metas: dict[str, str], jsonld: list[dict]) -> str:
    for key in ("og:title", "twitter:title"):
        if metas.get(key):
            return metas[key]
    for item in jsonld:
        if isinstance(item.get("headline"), str) and item["headline"].strip():
            return _clean(item["headline"])
    h1 = soup.find("h1")
    h1_text = _clean(h1.get_text(" ")) if h1 else ""
    title_text = _clean(soup.title.get_text(" ")) if soup.title else ""
    if h1_text and (
        not title_text
        or h1_text.lower() in title_text.lower()
        or title_text.lower() in h1_text.lower()
    ):
        return h1_text
    if title_text:
        site = metas.get("og:site_name", "")
        parts = re.split(r"\s+[|\-–—·:]\s+", title_text)
        if len(parts) > 1 and (
            site and parts[-1].strip().lower() == site.lower() or len(parts[0]) >= 15
        ):
            return parts[0].strip()
        return title_text
    return h1_text


def _summary(metas: dict[str, str], text: str) -> str:
    for key in ("description", "og:description", "twitter:description", "dc.description"):
        if metas.get(key):
            return metas[key][: SUMMARY_CHARS * 4]
    for line in text.splitlines():
        line = line.strip()
        if len(line) >= 60:
            return (
                line if len(line) <= SUMMARY_CHARS else line[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
            )
    return text[:SUMMARY_CHARS].strip()


def _http_url(base: str, href: str | None) -> str:
    if not href:
        return ""
    url = urldefrag(urljoin(base, href.strip()))[0]
    return url if urlsplit(url).scheme in ("http", "https") else ""


def page_links(soup: BeautifulSoup, url: str) -> list[str]:
    links: list[str] = []
    seen: set[str] = set()
    for anchor in soup.find_all("a", href=True):
        if "nofollow" in (anchor.get("rel") or []):
            continue
        link = _http_url(url, anchor["href"])
        if link and link not in seen:
            seen.add(link)
            links.append(link)
    return links


def feed_links(soup: BeautifulSoup, url: str) -> list[str]:
    """Feeds the page announces with <link rel="alternate" type="...rss/atom/json...">."""
    feeds: list[str] = []
    for link in soup.find_all("link", href=True):
        rel = [r.lower() for r in (link.get("rel") or [])]
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            target = _http_url(url, link["href"])
            if target and target not in feeds:
                feeds.append(target)
    return feeds


def extract(html: str, url: str, *, lang_hint: str | None = None) -> Page:
    """Everything ingestion keeps from one HTML page."""
    soup = BeautifulSoup(html, "lxml")
    metas = _metas(soup)
    jsonld = _jsonld(soup)
    opengraph = {k: v for k, v in metas.items() if k.startswith(("og:", "article:"))}
    canonical_tag = soup.find("link", rel="canonical", href=True)
    text = main_text(html, url)
    title = _title(soup, metas, jsonld)
    declared = _declared_lang(soup, metas)
    summary = _summary(metas, text)
    sample = "\n".join(p for p in (title, summary, text[:3000]) if p)
    return Page(
        url=url,
        title=title,
        text=text,
        summary=summary,
        published=_published(soup, metas, jsonld),
        lang=detect_language(sample, hint=declared or lang_hint),
        declared_lang=declared,
        canonical=_http_url(url, canonical_tag["href"]) if canonical_tag else "",
        metadata={"jsonld": jsonld, "opengraph": opengraph},
        links=page_links(soup, url),
        feeds=feed_links(soup, url),
    )

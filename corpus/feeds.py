"""Feeds to items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

Pure functions of (data, url). feedparser is given a stream, never a string,
so it can never take the data for an address and fetch it itself.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from corpus.extract import normalise_date


@dataclass
class FeedItem:
    title: str
    link: str
    summary: str = ""
    published: str = ""
    lang: str = ""


class NotAFeed(ValueError):
    """The data is neither an RSS/Atom document nor a JSON Feed."""


def _plain(html: str | None) -> str:
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return re.sub(r"\s+", " ", html).strip()
    text = BeautifulSoup(html, "lxml").get_text(" ")
    return re.sub(r"\s+", " ", text).strip()


def _lang(value: str | None) -> str:
    code = re.split(r"[-_]", (value or "").strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else ""


def _http(base: str, link: str | None) -> str:
    if not link:
        return ""
    url = urljoin(base, link.strip())
    return url if urlsplit(url).scheme in ("http", "https") else ""


def is_json_feed(data: bytes) -> bool:
    head = data.lstrip()[:2000]
    return head.startswith(b"{") and b"jsonfeed.org/version" in head


def parse_json_feed(data: bytes, url: str) -> list[FeedItem]:
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotAFeed(f"JSON Feed is not valid JSON: {exc}") from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise NotAFeed("JSON Feed without an items list")
    feed_lang = _lang(feed.get("language"))
    items: list[FeedItem] = []
    for raw in feed["items"]:
        if not isinstance(raw, dict):
            continue
        link = _http(
            url,
            raw.get("url")
            or raw.get("external_url")
            or (raw.get("id") if str(raw.get("id", "")).startswith("http") else None),
        )
        summary = raw.get("summary") or _plain(raw.get("content_html")) or raw.get("content_text")
        title = str(raw.get("title") or "").strip() or _plain(str(summary or ""))[:120]
        items.append(
            FeedItem(
                title=title,
                link=link,
                summary=_plain(str(summary or ""))[:2000],
                published=normalise_date(raw.get("date_published") or raw.get("date_modified")),
                lang=_lang(raw.get("language")) or feed_lang,
            )
        )
    return items


def _struct_date(entry) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return ""


def parse_feed(data: bytes, url: str) -> list[FeedItem]:
    """The items of a feed, in feed order. Raises NotAFeed when it is no feed at all."""
    if is_json_feed(data):
        return parse_json_feed(data, url)
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        raise NotAFeed("not an RSS, Atom or JSON feed")
    feed_lang = _lang(parsed.feed.get("language")) or _lang(
        (parsed.feed.get("title_detail") or {}).get("language")
    )
    items: list[FeedItem] = []
    for entry in parsed.entries:
        detail = entry.get("title_detail") or {}
        summary_detail = entry.get("summary_detail") or {}
        link = _http(
            url,
            entry.get("link")
            or (entry.get("id") if str(entry.get("id", "")).startswith("http") else ""),
        )
        summary = _plain(entry.get("summary"))
        title = _plain(entry.get("title")) or summary[:120]
        items.append(
            FeedItem(
                title=title,
                link=link,
                summary=summary[:2000],
                published=_struct_date(entry),
                lang=_lang(detail.get("language"))
                or _lang(summary_detail.get("language"))
                or _lang(entry.get("language"))
                or feed_lang,
            )
        )
    return items

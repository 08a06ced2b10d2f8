"""Sitemaps to URLs: <urlset> gives pages, <sitemapindex> gives more sitemaps; gzip accepted.

A pure function of (data, url), with bounds: gzip is unpacked only up to a cap
and the XML parser neither resolves entities nor touches the network.
"""

from __future__ import annotations

import zlib
from urllib.parse import urljoin, urlsplit

from lxml import etree

MAX_UNPACKED = 50_000_000  # the sitemap protocol's own limit is 50 MB uncompressed


class NotASitemap(ValueError):
    """The data is not a sitemap or sitemap index."""


def _gunzip(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise NotASitemap(f"unpacks to more than {limit} bytes")
    return out


def parse_sitemap(
    data: bytes, url: str, *, limit: int = MAX_UNPACKED
) -> tuple[list[str], list[str]]:
    """(page URLs, sitemap URLs) listed by a sitemap or a sitemap index."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data, limit)
        except zlib.error as exc:
            raise NotASitemap(f"broken gzip: {exc}") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotASitemap(str(exc)) from None
    if root is None:
        raise NotASitemap("empty document")
    kind = etree.QName(root).localname.lower()
    if kind not in ("urlset", "sitemapindex"):
        raise NotASitemap(f"root element <{kind}> is neither urlset nor sitemapindex")
    found: list[str] = []
    for loc in root.iter("{*}loc", "loc"):
        target = urljoin(url, (loc.text or "").strip())
        if urlsplit(target).scheme in ("http", "https") and target not in found:
            found.append(target)
    return (found, []) if kind == "urlset" else ([], found)

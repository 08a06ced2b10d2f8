"""Atom (RFC 4287) documents from search results, built with ElementTree so every text is escaped.

Ids are stable: an entry's id is its absolute permalink, a feed's the absolute
address of the feed itself with its arguments in a fixed order. `updated`
comes from `published` (a year or month is taken at its first day); an entry
without a date gets a fixed one (`UNDATED`) so a feed reader does not see it
change on every fetch.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
UNDATED = "1970-01-01T00:00:00Z"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", ATOM)


def atom_date(published: str | None) -> str:
    """'2015' -> '2015-01-01T00:00:00Z', '2015-07' -> '2015-07-01T00:00:00Z'."""
    if not published:
        return UNDATED
    parts = (published.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def entry_html(result: dict, labels: dict[str, str]) -> str:
    """The entry's content as a small HTML fragment (escaped again by the XML writer)."""
    import html

    parts = []
    if result.get("summary"):
        parts.append(f"<p>{html.escape(result['summary'])}</p>")
    where = ", ".join(p for p in (result.get("city"), result.get("country")) if p)
    if where:
        parts.append(f"<p>{html.escape(where)}</p>")
    if result.get("themes"):
        themes = ", ".join(html.escape(labels.get(t, t)) for t in result["themes"])
        parts.append(f"<p>{themes}</p>")
    return "".join(parts) or f"<p>{html.escape(result['title'])}</p>"


def build_feed(
    *,
    title: str,
    feed_id: str,
    self_url: str,
    html_url: str,
    site: str,
    results: list[dict],
    permalink,
    theme_labels: dict[str, str],
) -> bytes:
    """The feed as UTF-8 bytes; `permalink(entry_id)` gives an entry's absolute address."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "title", title)
    _add(feed, "id", feed_id)
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=html_url)
    updated = max((atom_date(r.get("published")) for r in results), default=UNDATED)
    _add(feed, "updated", updated)
    author = _add(feed, "author")
    _add(author, "name", site)
    _add(feed, "generator", "Observatory")
    for result in results:
        entry = _add(feed, "entry")
        if result.get("lang"):
            entry.set(XML_LANG, result["lang"])
        link = permalink(result["id"])
        _add(entry, "title", result["title"], type="text")
        _add(entry, "id", link)
        _add(entry, "link", rel="alternate", type="text/html", href=link)
        if result.get("url"):
            _add(entry, "link", rel="related", href=result["url"])
        date = atom_date(result.get("published"))
        _add(entry, "updated", date)
        if result.get("published"):
            _add(entry, "published", date)
        if result.get("summary"):
            _add(entry, "summary", result["summary"], type="text")
        _add(entry, "content", entry_html(result, theme_labels), type="html")
        for theme in result.get("themes") or []:
            _add(entry, "category", term=theme, label=theme_labels.get(theme, theme))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

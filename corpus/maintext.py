"""The main text of a page: trafilatura first, a BeautifulSoup heuristic as fallback.

Why trafilatura: on our evaluation set (bench/extraction.py, docs/crawler.md)
it beats the heuristic we wrote and readability/jusText; it is kept behind
`main_text` so the choice is one line. The heuristic stays as the fallback for
pages trafilatura gives up on (very short pages, odd markup) and as the
benchmark's bs4 baseline.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "nav",
    "header",
    "footer",
    "aside",
    "button",
    "select",
    "dialog",
)
BOILERPLATE = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|footer|header|sidebar|side-bar|cookie|consent|share|sharing|"
    r"social|comments?|breadcrumbs?|related|banner|advert|ads?|promo|newsletter|subscribe|"
    r"skip|pagination|pager|widget|masthead|toolbar|popup|modal)([\s_-]|$)",
    re.IGNORECASE,
)
BLOCKS = (
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "td",
    "dd",
    "dt",
    "figcaption",
)
MIN_TRAFILATURA_CHARS = 80


def _is_boilerplate(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    marker = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""])
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    return (
        bool(marker.strip())
        and bool(BOILERPLATE.search(marker))
        and tag.name not in ("body", "html", "main", "article")
    )


def _clean(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    doomed = [tag for tag in soup.find_all(True) if _is_boilerplate(tag)]
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def _text_of(tag: Tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()


def _link_density(tag: Tag) -> float:
    text = len(_text_of(tag)) or 1
    links = sum(len(_text_of(a)) for a in tag.find_all("a"))
    return links / text


def _best_container(soup: BeautifulSoup) -> Tag | None:
    for selector in ("article", "main", "[role=main]", "[itemprop=articleBody]"):
        found = soup.select(selector)
        if found:
            return max(found, key=lambda t: len(_text_of(t)))
    scores: dict[int, tuple[float, Tag]] = {}
    for paragraph in soup.find_all("p"):
        text = _text_of(paragraph)
        if len(text) < 25:
            continue
        parent = paragraph.parent
        if not isinstance(parent, Tag):
            continue
        score = 1 + min(len(text) / 100, 3) + text.count(",")
        for holder, share in ((parent, 1.0), (parent.parent, 0.5)):
            if isinstance(holder, Tag):
                old = scores.get(id(holder), (0.0, holder))[0]
                scores[id(holder)] = (old + score * share, holder)
    if not scores:
        return soup.body or soup
    return max(scores.values(), key=lambda st: st[0] * (1 - _link_density(st[1])))[1]


def blocks_text(container: Tag) -> str:
    """Block-level text of a container, one block a line, nested blocks not repeated."""
    lines: list[str] = []
    for block in container.find_all(BLOCKS):
        if block.find_parent(BLOCKS) is not None:
            continue
        text = _text_of(block)
        if text and not (block.name in ("li", "td") and _link_density(block) > 0.6):
            lines.append(text)
    if not lines:
        text = _text_of(container)
        return text
    return "\n".join(lines)


def bs4_main_text(html: str) -> str:
    """Our own heuristic: drop chrome and boilerplate-named parts, keep the densest container."""
    soup = BeautifulSoup(html, "lxml")
    _clean(soup)
    container = _best_container(soup)
    return blocks_text(container) if container is not None else ""


def trafilatura_main_text(html: str, url: str | None = None) -> str:
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        with_metadata=False,
    )
    return text or ""


def main_text(html: str, url: str | None = None) -> str:
    """The page's main text, plain, paragraphs one a line."""
    text = trafilatura_main_text(html, url)
    if len(text) >= MIN_TRAFILATURA_CHARS:
        return text
    fallback = bs4_main_text(html)
    return fallback if len(fallback) > len(text) else text

"""The world map of `/map`: country shapes shaded by counts, drawn as inline SVG on the server.

The shapes are Natural Earth's 1:110m countries from the npm package
`world-atlas` (ISC; Natural Earth is public domain), projected and simplified
once by scripts/vendor_world_map.py into webui/data/world.json. They are read
once per process; a drawn map is cached by what it shows (counts, dots,
links), so the same search drawn again costs a dictionary look-up.

Shading is by classes on a log scale (a sequential ColorBrewer blue), and
every number is also in the table beside the map: colour is never the only
way to read it.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from html import escape
from pathlib import Path

WORLD = Path(__file__).parent / "data" / "world.json"
SHADES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")  # ColorBrewer Blues
EMPTY = "#e4e4e4"
BORDER = "#ffffff"
DOT = "#d55e00"
CACHED_MAPS = 256


@functools.cache
def world() -> dict:
    """The vendored shapes: {"width", "height", "top", "bottom", "countries": {CC: {name, d}}}."""
    return json.loads(WORLD.read_text("utf-8"))


def classes(peak: int) -> list[tuple[int, int]]:
    """Up to five count ranges (low, high) splitting 1..peak evenly on a log scale."""
    if peak < 1:
        return []
    bounds = sorted({1, *(round(peak ** (k / len(SHADES))) for k in range(1, len(SHADES) + 1))})
    ranges, low = [], 1
    for high in bounds[1:] if len(bounds) > 1 else bounds:
        if high >= low:
            ranges.append((low, high))
            low = high + 1
    return ranges or [(1, peak)]


def shade(count: int, ranges: list[tuple[int, int]]) -> str:
    if count < 1:
        return EMPTY
    for index, (_low, high) in enumerate(ranges):
        if count <= high:
            return SHADES[index + len(SHADES) - len(ranges)]
    return SHADES[-1]


def project(lat: float, lon: float) -> tuple[float, float]:
    """The same equirectangular projection the vendored shapes were drawn with."""
    geo = world()
    top, bottom = geo["top"], geo["bottom"]
    x = (lon + 180.0) * geo["width"] / 360.0
    y = (top - max(min(lat, top), bottom)) * geo["height"] / (top - bottom)
    return x, y


_drawn: dict[tuple, str] = {}


def draw(
    counts: dict[str, int],
    dots: list[tuple[str, float, float, int]],
    label: Callable[[str], str],
    link: Callable[[str], str],
    key: tuple,
    title: str,
    describe: str,
) -> str:
    """The map as SVG markup (insert it unescaped: every text in it is escaped).

    `key` names what `label` and `link` depend on (language, the search's address);
    with the counts and dots it keys the cache of drawn maps."""
    shown = tuple(sorted((c, n) for c, n in counts.items() if n))
    cache_key = (shown, tuple(sorted(dots)), key, title, describe)
    svg = _drawn.get(cache_key)
    if svg is None:
        if len(_drawn) >= CACHED_MAPS:
            _drawn.pop(next(iter(_drawn)))  # the oldest
        svg = _drawn[cache_key] = _svg(dict(shown), cache_key[1], label, link, title, describe)
    return svg


def _svg(count_of, dots, label, link, title: str, describe: str) -> str:
    geo = world()
    ranges = classes(max(count_of.values(), default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" role="img" '
        f'aria-labelledby="map-title map-desc" viewBox="0 0 {geo["width"]} {geo["height"]}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(describe)}</desc>'
        f'<rect width="{geo["width"]}" height="{geo["height"]}" fill="#f7fbff"/>'
        f'<g stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">'
    ]
    for code, shape in geo["countries"].items():
        count = count_of.get(code, 0)
        name = escape(label(code))
        fill = shade(count, ranges)
        path = f'<path d="{shape["d"]}" fill="{fill}"><title>{name}: {count}</title></path>'
        if count:
            href = escape(link(code))
            parts.append(f'<a href="{href}" aria-label="{name}: {count}">{path}</a>')
        else:
            parts.append(path)
    for code, point in geo["points"].items():  # too small to draw at 1:110m
        count = count_of.get(code, 0)
        if count:
            name, href = escape(label(code)), escape(link(code))
            parts.append(
                f'<a href="{href}" aria-label="{name}: {count}"><circle cx="{point["x"]}" '
                f'cy="{point["y"]}" r="3.5" fill="{shade(count, ranges)}" stroke="#08306b">'
                f"<title>{name}: {count}</title></circle></a>"
            )
    parts.append("</g>")
    if dots:
        peak = max(n for *_rest, n in dots)
        parts.append(f'<g fill="{DOT}" fill-opacity="0.8" stroke="#fff" stroke-width="0.6">')
        for name, lat, lon, n in dots:
            x, y = project(lat, lon)
            r = 1.8 + 4.2 * math.sqrt(n / peak)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
                f"<title>{escape(name)}: {n}</title></circle>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def legend(counts: dict[str, int]) -> list[dict]:
    """The classes of the shading, for the key under the map."""
    ranges = classes(max(counts.values(), default=0))
    return [{"low": low, "high": high, "color": shade(high, ranges)} for low, high in ranges]

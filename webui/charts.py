"""Line charts as plain geometry for an inline SVG template: no JavaScript, no chart library.

`line_chart` turns trend series into coordinates, ticks, colours and end labels
that `templates/trends/_chart.html` draws; the template adds the title,
description and the table of the same numbers. At most five lines are drawn
(`fold_series`: the four largest and the rest summed as "others"), each named
at its end, so no legend has to be matched by eye. Colours are the Okabe-Ito
palette (told apart with colour blindness), and each line also has its own
dash pattern and point marker, so colour is never the only cue.
"""

from __future__ import annotations

import math

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#555555")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 0")
MARKERS = ("circle", "square", "diamond", "triangle", "circle")
MAX_LINES = len(PALETTE)
OTHERS = "_others"  # the value of the summed series
WIDTH, HEIGHT = 760, 360
MARGIN = {"left": 48, "right": 220, "top": 16, "bottom": 40}
MAX_X_LABELS = 10
LABEL_GAP = 24  # least vertical distance between two end labels, in px
LABEL_CHARS = 20  # longer end labels are cut (the legend and table give them whole)
DEFAULT_YEARS = 10


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^k not below `value` (an axis top that reads well)."""
    if value <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def last_years(result: dict, years: int = DEFAULT_YEARS) -> dict:
    """The trends object cut to its last `years` years with data (totals and order redone)."""
    periods = result["periods"]
    if not periods:
        return result
    first_year = int(periods[-1][:4]) - years + 1
    start = next(i for i, p in enumerate(periods) if int(p[:4]) >= first_year)
    if start == 0:
        return result
    series = []
    for item in result["series"]:
        points = item["points"][start:]
        total = sum(p["count"] for p in points)
        if total:
            series.append(dict(item, points=points, total=total))
    series.sort(key=lambda s: (-s["total"], s["label"].lower()))
    return dict(result, periods=periods[start:], series=series, cut=periods[start])


def fold_series(series: list[dict], others_label: str, most: int = MAX_LINES) -> list[dict]:
    """At most `most` series: the largest `most - 1` and the rest summed as one "others"."""
    if len(series) <= most:
        return list(series)
    kept, rest = series[: most - 1], series[most - 1 :]
    points = [
        {"period": p["period"], "count": sum(s["points"][i]["count"] for s in rest)}
        for i, p in enumerate(rest[0]["points"])
    ]
    others = {
        "value": OTHERS,
        "label": others_label,
        "total": sum(s["total"] for s in rest),
        "points": points,
        "members": [s["label"] for s in rest],
    }
    return [*kept, others]


def _marker(kind: str, x: float, y: float) -> str:
    """An SVG path for a point marker of about 7 px."""
    if kind == "square":
        return f"M{x - 3:.1f},{y - 3:.1f}h6v6h-6z"
    if kind == "diamond":
        return f"M{x:.1f},{y - 4:.1f}l4,4l-4,4l-4,-4z"
    if kind == "triangle":
        return f"M{x:.1f},{y - 4:.1f}l4,7h-8z"
    return f"M{x - 3.5:.1f},{y:.1f}a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0"


def spread(wanted: list[float], low: float, high: float, gap: float = LABEL_GAP) -> list[float]:
    """Label heights as close to `wanted` as possible, at least `gap` apart, within [low, high]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    last = low - gap
    for i in order:
        placed[i] = last = max(wanted[i], last + gap)
    overflow = last - high
    if overflow > 0:  # pushed past the bottom: shift the stack up
        for i in order:
            placed[i] -= overflow
    return placed


def line_chart(
    periods: list[str], series: list[dict], width: int = WIDTH, height: int = HEIGHT
) -> dict:
    """Geometry of a chart of (at most `MAX_LINES` of) `series` over `periods`."""
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
                "members": item.get("members", []),
                "color": PALETTE[index],
                "dash": DASHES[index],
                "path": "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords) if coords else "",
                "markers": [
                    {"d": _marker(MARKERS[index], x, y), "period": p["period"], "count": p["count"]}
                    for (x, y), p in zip(coords, item["points"], strict=True)
                ],
                "swatch": _marker(MARKERS[index], 8, 8),
                "end": coords[-1] if coords else (right, bottom),
            }
        )
    heights = spread([line["end"][1] + 4 for line in lines], top + 4, bottom + 4)
    for line, y in zip(lines, heights, strict=True):
        text = line["label"]
        short = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
        line["end_label"] = {"x": round(right + 8, 1), "y": round(y, 1), "text": short}
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

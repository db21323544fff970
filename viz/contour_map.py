"""The contour map of a function of two variables and the Vega-Lite pieces its charts share: the grid's
rows, level lines (contourpy), the quiver, scales and axes, the point's sliders, the readout and the
top-level spec. Used by ``viz.gradient_charts`` (the gradient, descent) and ``viz.slice_charts``."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import numpy as np

from calc_core.multivariate import Grid
from calc_core.sampling import robust_limits
from viz import palette
from viz.function_plot import PlotStyle
from viz.vega_lite import SCHEMA_URL, VegaLite

SCHEMA = SCHEMA_URL
POINT_X, POINT_Y, ANGLE_PARAM, STEP_PARAM = "point_x1", "point_x2", "direction_deg", "descent_k"
GRID_DATA, LEVEL_DATA, QUIVER_DATA, PATH_DATA = "grid", "levels", "quiver", "path"
LEVEL_COUNT = 12
QUIVER_CELLS = 13  # arrows per axis
MAX_LEVEL_ROWS = 4000
ANGLE_STEP = 5  # degrees between slider positions
HEATMAP_SCHEME = "lightgreyteal"  # light to dark, sequential; the arrows and lines stay visible on it

GRADIENT_COLOR = palette.VERMILLION
DIRECTION_COLOR = palette.BLUE
LEVEL_TANGENT_COLOR = palette.BLACK
PATH_COLOR = palette.VERMILLION
QUIVER_COLOR = "#3a3a3a"


# --- shared pieces ---------------------------------------------------------------------------------------


def map_size(projector: bool) -> int:
    """The side of the square map in pixels.

    >>> map_size(False) < map_size(True)
    True
    """
    return 400 if projector else 300


def side_width(projector: bool) -> int:
    """The width of a chart beside the map (slices, ∇f·u, the loss), so that both fit a laptop's page."""
    return 400 if projector else 290


def literal(text: str) -> str:
    """A Vega expression string literal for ``text`` (our own translated labels, never user input)."""
    return json.dumps(text, ensure_ascii=False)


def finite(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def grid_records(grid: Grid, slopes: bool = True) -> list[dict]:
    """One row per grid point: x, y, f, fx, fy (None where undefined); without ``slopes``, x, y, f only (a
    chart drawn before its answer is revealed sends the browser no partial derivatives).

    >>> from calc_core.multivariate import evaluate_grid
    >>> gap = lambda x, y: np.where(y > 0, x, np.nan)
    >>> g = evaluate_grid(gap, gap, gap, (0, 1, 0, 1), 2)
    >>> grid_records(g)[1]
    {'x': 1.0, 'y': 0.0, 'f': None, 'fx': None, 'fy': None}
    >>> grid_records(g)[3]
    {'x': 1.0, 'y': 1.0, 'f': 1.0, 'fx': 1.0, 'fy': 1.0}
    """
    gx, gy = np.meshgrid(grid.x, grid.y)
    columns = [gx.ravel(), gy.ravel(), grid.f.ravel(), grid.fx.ravel(), grid.fy.ravel()]
    columns = [[finite(v) for v in column.tolist()] for column in columns]
    if not slopes:
        return [{"x": x, "y": y, "f": f} for x, y, f in zip(*columns[:3], strict=True)]
    return [{"x": x, "y": y, "f": f, "fx": fx, "fy": fy} for x, y, f, fx, fy in zip(*columns, strict=True)]


def value_limits(grid: Grid) -> tuple[float, float] | None:
    """The colour (and slice) window of f: robust percentiles, so a pole does not wash the map out."""
    return robust_limits(grid.f.ravel())


def level_values(limits: tuple[float, float] | None, count: int = LEVEL_COUNT) -> list[float]:
    """``count`` evenly spaced levels strictly inside ``limits``.

    >>> level_values((0.0, 4.0), 3)
    [1.0, 2.0, 3.0]
    """
    if limits is None:
        return []
    return [float(v) for v in np.linspace(limits[0], limits[1], count + 2)[1:-1]]


def contour_lines(grid: Grid, levels: Sequence[float]) -> list[dict]:
    """The level lines f = c for each c in ``levels``, as rows {level, line, order, x, y} for line marks.

    >>> from calc_core.multivariate import evaluate_grid
    >>> g = evaluate_grid(
    ...     lambda x, y: x * x + y * y, lambda x, y: 2 * x, lambda x, y: 2 * y, (-2, 2, -2, 2), 41
    ... )
    >>> radii = [math.hypot(row["x"], row["y"]) for row in contour_lines(g, [1.0])]
    >>> round(min(radii), 2) >= 0.99 and round(max(radii), 2) <= 1.0
    True
    """
    import contourpy

    if not levels:
        return []
    generator = contourpy.contour_generator(grid.x, grid.y, np.ma.masked_invalid(grid.f))
    rows: list[dict] = []
    line_id = 0
    for level in levels:
        for line in generator.lines(level):
            rows.extend(
                {"level": float(level), "line": line_id, "order": order, "x": float(x), "y": float(y)}
                for order, (x, y) in enumerate(line.tolist())
            )
            line_id += 1
    if len(rows) > MAX_LEVEL_ROWS:  # very wiggly functions: keep every k-th point of each line
        keep = math.ceil(len(rows) / MAX_LEVEL_ROWS)
        rows = [row for row in rows if row["order"] % keep == 0]
    return rows


def quiver_rows(grid: Grid, cells: int = QUIVER_CELLS) -> list[dict]:
    """Arrows of ∇f on a coarse sub-grid, all scaled by one factor (the 90th percentile fills most of a
    cell), longer ones capped at a cell; ``angle`` is the arrow head's rotation (degrees clockwise from up).

    >>> from calc_core.multivariate import evaluate_grid
    >>> g = evaluate_grid(lambda x, y: x, lambda x, y: 1 + 0 * x, lambda x, y: 0 * y, (0, 1, 0, 1), 11)
    >>> rows = quiver_rows(g, 3)
    >>> len(rows), rows[0]["angle"], rows[0]["x2"] > rows[0]["x"]
    (9, 90.0, True)
    """
    n = grid.x.size
    index = np.unique(np.linspace(0, n - 1, min(cells, n)).round().astype(int))
    cell = float(grid.x[-1] - grid.x[0]) / max(1, index.size)
    fx, fy = grid.fx[np.ix_(index, index)], grid.fy[np.ix_(index, index)]
    magnitude = np.hypot(fx, fy)
    finite = magnitude[np.isfinite(magnitude) & (magnitude > 0)]
    if finite.size == 0:
        return []
    reference = float(np.percentile(finite, 90)) or float(finite.max())
    rows = []
    for row, j in enumerate(index):
        for column, i in enumerate(index):
            gx, gy, size = float(fx[row, column]), float(fy[row, column]), float(magnitude[row, column])
            if not math.isfinite(size) or size == 0:
                continue
            length = 0.85 * cell * min(1.0, size / reference)
            x, y = float(grid.x[i]), float(grid.y[j])
            rows.append(
                {
                    "x": x,
                    "y": y,
                    "x2": x + length * gx / size,
                    "y2": y + length * gy / size,
                    "angle": round(90.0 - math.degrees(math.atan2(gy, gx)), 6),
                    "magnitude": size,
                }
            )
    return rows


def gradient_scale(grid: Grid, fraction: float = 0.3) -> float:
    """Data units per unit of |∇f| for the arrow at the point: the 90th percentile gets ``fraction`` of the
    window's width (the readout gives the true numbers).

    >>> from calc_core.multivariate import evaluate_grid
    >>> g = evaluate_grid(lambda x, y: x, lambda x, y: 2 + 0 * x, lambda x, y: 0 * y, (0, 10, 0, 10), 5)
    >>> gradient_scale(g)
    1.5
    """
    magnitude = np.hypot(grid.fx, grid.fy)
    finite = magnitude[np.isfinite(magnitude) & (magnitude > 0)]
    width = float(grid.x[-1] - grid.x[0])
    if finite.size == 0:
        return width * fraction
    return fraction * width / float(np.percentile(finite, 90))


def snapped(values: np.ndarray, value: float) -> float:
    """The grid value nearest to ``value`` (slider positions are grid values).

    >>> snapped(np.array([0.0, 0.5, 1.0]), 0.7)
    0.5
    """
    return float(values[int(np.argmin(np.abs(values - float(value))))])


def axis(style: PlotStyle, **extra) -> dict:
    return {"labelFontSize": style.axis_label_size, "titleFontSize": style.axis_title_size, **extra}


def scale(low: float, high: float) -> dict:
    return {"domain": [float(low), float(high)], "nice": False, "zero": False}


def quantitative(field: str, title: str | None = None, scale_: dict | None = None, axis_: dict | None = None):
    """A quantitative encoding channel."""
    channel: dict = {"field": field, "type": "quantitative"}
    if title is not None:
        channel["title"] = title
    if scale_ is not None:
        channel["scale"] = scale_
    if axis_ is not None:
        channel["axis"] = axis_
    return channel


def number_expression(field: str, digits: int = 4) -> str:
    """A Vega expression that formats ``datum[field]`` with ``digits`` significant digits, or '—'."""
    return f"(isValid(datum.{field}) && isFinite(datum.{field}) ? format(datum.{field}, '.{digits}~g') : '—')"


def point_filter(x_param: str, y_param: str, half: float) -> dict:
    """Keep the grid row at the sliders' point."""
    return {"filter": f"abs(datum.x - {x_param}) < {half!r} && abs(datum.y - {y_param}) < {half!r}"}


def slider(name: str, value: float, low: float, high: float, step: float, label: str) -> dict:
    return {
        "name": name,
        "value": value,
        "bind": {"input": "range", "min": low, "max": high, "step": step, "name": label},
    }


def map_layers(
    grid: Grid, style: PlotStyle, labels: Mapping[str, str], size: int, *, quiver: bool = False
) -> tuple[list[dict], dict[str, list[dict]], dict, dict]:
    """The heatmap of f (from the inherited grid data), its level lines and, with ``quiver``, the gradient
    field; the datasets they need; and the x and y scales every other layer on the map uses."""
    half = grid.step / 2
    cell = half * 1.2  # neighbouring cells overlap a little: no hairline seams from anti-aliasing
    x_scale = scale(grid.x[0], grid.x[-1])
    y_scale = scale(grid.y[0], grid.y[-1])
    limits = value_limits(grid)
    color_scale: dict = {"scheme": HEATMAP_SCHEME, "clamp": True}
    if limits is not None:
        color_scale["domain"] = [float(limits[0]), float(limits[1])]
    heatmap = {
        "transform": [
            {"filter": "isValid(datum.f) && isFinite(datum.f)"},
            {"calculate": f"datum.x - {cell!r}", "as": "x_lo"},
            {"calculate": f"datum.x + {cell!r}", "as": "x_hi"},
            {"calculate": f"datum.y - {cell!r}", "as": "y_lo"},
            {"calculate": f"datum.y + {cell!r}", "as": "y_hi"},
        ],
        "mark": {"type": "rect", "clip": True},
        "encoding": {
            "x": quantitative("x_lo", labels["x"], x_scale, axis(style)),
            "x2": {"field": "x_hi"},
            "y": quantitative("y_lo", labels["y"], y_scale, axis(style)),
            "y2": {"field": "y_hi"},
            "color": {
                "field": "f",
                "type": "quantitative",
                "scale": color_scale,
                "title": labels["f"],
                "legend": {
                    "orient": "bottom",
                    "direction": "horizontal",
                    "gradientLength": size - 60,
                    "labelFontSize": style.axis_label_size,
                    "titleFontSize": style.axis_title_size,
                },
            },
            "tooltip": [
                {"field": "x", "type": "quantitative", "title": labels["x"], "format": ".3~g"},
                {"field": "y", "type": "quantitative", "title": labels["y"], "format": ".3~g"},
                {"field": "f", "type": "quantitative", "title": labels["f"], "format": ".4~g"},
            ],
        },
    }
    layers = [heatmap]
    datasets: dict[str, list[dict]] = {}
    level_rows = contour_lines(grid, level_values(limits))
    if level_rows:
        datasets[LEVEL_DATA] = level_rows
        layers.append(
            {
                "data": {"name": LEVEL_DATA},
                "mark": {
                    "type": "line",
                    "clip": True,
                    "color": palette.BLACK,
                    "strokeWidth": max(1.0, style.stroke_width / 2.5),
                    "opacity": 0.45,
                },
                "encoding": {
                    "x": quantitative("x", scale_=x_scale),
                    "y": quantitative("y", scale_=y_scale),
                    "detail": {"field": "line", "type": "nominal"},
                    "order": {"field": "order", "type": "quantitative"},
                },
            }
        )
    if quiver:
        arrows = quiver_rows(grid)
        if arrows:
            datasets[QUIVER_DATA] = arrows
            layers += [
                {
                    "data": {"name": QUIVER_DATA},
                    "mark": {
                        "type": "rule",
                        "clip": True,
                        "color": QUIVER_COLOR,
                        "strokeWidth": max(1.0, style.stroke_width / 2),
                    },
                    "encoding": {
                        "x": quantitative("x", scale_=x_scale),
                        "y": quantitative("y", scale_=y_scale),
                        "x2": {"field": "x2"},
                        "y2": {"field": "y2"},
                    },
                },
                {
                    "data": {"name": QUIVER_DATA},
                    "mark": {
                        "type": "point",
                        "shape": "triangle",
                        "filled": True,
                        "opacity": 1,
                        "clip": True,
                    },
                    "encoding": {
                        "x": quantitative("x2", scale_=x_scale),
                        "y": quantitative("y2", scale_=y_scale),
                        "angle": {"field": "angle", "type": "quantitative", "scale": None},
                        "size": {"value": style.point_size / 2.5},
                        "color": {"value": QUIVER_COLOR},
                        "tooltip": [
                            {"field": "magnitude", "type": "quantitative", "title": "|∇f|", "format": ".4~g"}
                        ],
                    },
                },
            ]
    return layers, datasets, x_scale, y_scale


def readout_view(
    transform: list[dict], expression: str, style: PlotStyle, width: int, lines: int = 1
) -> dict:
    """A text line (or several, separated by \\n in the expression's value) computed in the browser."""
    font_size = style.legend_size + 1
    return {
        "transform": [*transform, {"calculate": expression, "as": "readout"}],
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": font_size,
            "lineHeight": round(font_size * 1.35, 1),
            "lineBreak": "\n",
        },
        "encoding": {"x": {"value": 0}, "y": {"value": 2}, "text": {"field": "readout", "type": "nominal"}},
        "width": width,
        "height": round(lines * font_size * 1.35) + 6,
    }


def top_level(body: dict, datasets: dict[str, list[dict]], params: list[dict]) -> VegaLite:
    return VegaLite(
        {
            "$schema": SCHEMA,
            **body,
            "params": params,
            "datasets": datasets,
            "config": {"view": {"stroke": None}},
        }
    )

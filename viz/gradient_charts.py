"""Charts of a function of two variables: its contour map, the gradient field, the gradient at a point, the
directional derivative, and a gradient-descent path. Pure figure builders: data in, Vega-Lite spec out.

Every visible word comes from ``labels`` (the page passes translated strings; the English defaults make the
functions usable from a notebook).

What a student moves happens in the browser: the point and the direction are Vega-Lite params bound to range
sliders, and the numbers they need (f, ∂f/∂x₁ and ∂f/∂x₂ at every grid point) are in the chart's data, so the
gradient arrow, the level curve's tangent, the direction u, the readout and the curve of ∇f·u against the
angle all follow the sliders without a rerun of the page. The level lines are computed here, in Python, with
contourpy (the contour generator matplotlib itself uses), and drawn as line marks.

**Why plain Vega-Lite and not Altair's objects.** These charts have a dozen layers in nested concatenations
with shared params and thousands of data rows; Altair copies the whole chart tree on every method call and
when it combines params, which took about a second per chart here, more than a new function may cost in all
(400 ms). The specs are therefore written as Vega-Lite JSON directly (milliseconds), in a :class:`VegaLite`
dict (``viz.vega_lite``) whose ``to_dict()`` is what ``ui.charts.show_chart`` and ``st.vega_lite_chart``
expect. The unit tests validate them against the Vega-Lite schema that Altair ships.

The map is square with the same range on both axes, so a right angle on the screen is a right angle in the
plane: the gradient arrow is seen to be perpendicular to the level curve.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import numpy as np

from calc_core.multivariate import DescentPath, Grid
from calc_core.sampling import robust_limits
from viz import palette
from viz.function_plot import PlotStyle, merge_labels, plot_style
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

GRADIENT_LABELS = {
    "x": "x₁",
    "y": "x₂",
    "f": "f(x₁, x₂)",
    "point_x": "point x₁ ",
    "point_y": "point x₂ ",
    "angle": "direction θ (degrees) ",
    "gradient": "∇f",
    "directional": "∇f·u",
    "theta": "direction θ (degrees)",
    "steepest": "steepest ascent",
    "angle_title": "directional derivative ∇f·u against θ",
}

DESCENT_LABELS = {
    "x": "x₁",
    "y": "x₂",
    "f": "f(x₁, x₂)",
    "step": "step k ",
    "k": "step k",
    "loss": "loss f(x⁽ᵏ⁾)",
}


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


def _literal(text: str) -> str:
    """A Vega expression string literal for ``text`` (our own translated labels, never user input)."""
    return json.dumps(text, ensure_ascii=False)


def _finite(value) -> float | None:
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
    columns = [[_finite(v) for v in column.tolist()] for column in columns]
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
                            {"field": "magnitude", "type": "quantitative", "title": "‖∇f‖", "format": ".4~g"}
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


# --- the gradient at a point, the direction, and the directional derivative -------------------------------


def gradient_chart(
    grid: Grid,
    point: Sequence[float],
    angle_deg: float = 0.0,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    answer: bool = True,
) -> VegaLite:
    """The contour map with the gradient field; at the chosen point the gradient arrow, the tangent of the
    level curve through it (perpendicular to the arrow) and a direction u; beside it ∇f·u against θ.

    The point (x₁, x₂ sliders over the grid) and θ (0 … 360°) are browser params starting at ``point``
    (snapped to the grid) and ``angle_deg``. Label keys: see ``GRADIENT_LABELS``. With ``answer=False`` (a
    class predicting the gradient first) only the contour map, the point and f there: no field, no arrow,
    no direction and no ∇f·u.

    >>> from calc_core.multivariate import evaluate_grid
    >>> g = evaluate_grid(
    ...     lambda x, y: x * x + y, lambda x, y: 2 * x, lambda x, y: 1 + 0 * y, (-3, 3, -3, 3), 13
    ... )
    >>> spec = gradient_chart(g, (1.0, 2.0), 30).to_dict()
    >>> [(p["name"], p["value"]) for p in spec["params"]]
    [('point_x1', 1.0), ('point_x2', 2.0), ('direction_deg', 30)]
    """
    labels = merge_labels(GRADIENT_LABELS, labels)
    style = plot_style(projector)
    size = map_size(projector)
    step = grid.step
    width = float(grid.x[-1] - grid.x[0])
    theta0 = int(round(float(angle_deg) / ANGLE_STEP) * ANGLE_STEP) % 360
    params = [
        slider(
            POINT_X, snapped(grid.x, point[0]), float(grid.x[0]), float(grid.x[-1]), step, labels["point_x"]
        ),
        slider(
            POINT_Y, snapped(grid.y, point[1]), float(grid.y[0]), float(grid.y[-1]), step, labels["point_y"]
        ),
        slider(ANGLE_PARAM, theta0, 0, 360, ANGLE_STEP, labels["angle"]),
    ]
    layers, datasets, x_scale, y_scale = map_layers(grid, style, labels, size, quiver=answer)
    if not answer:
        return _map_without_gradient(
            grid, style, labels, size, params[:2], layers, datasets, x_scale, y_scale
        )
    arrow_scale = gradient_scale(grid)
    # The arrow's length follows |∇f| (one scale for the whole map), kept between a visible minimum and
    # a maximum that stays in the picture; the readout gives the true numbers.
    arrow_min, arrow_cap = 0.12 * width, 0.45 * width
    reach = 0.22 * width  # half-length of the level tangent, and the length of u
    at_point = [
        point_filter(POINT_X, POINT_Y, step / 2),
        {"calculate": "sqrt(datum.fx * datum.fx + datum.fy * datum.fy)", "as": "g"},
        {"calculate": f"{ANGLE_PARAM} * PI / 180", "as": "theta"},
        {"calculate": "datum.fx * cos(datum.theta) + datum.fy * sin(datum.theta)", "as": "du"},
    ]
    moving = [
        *at_point,
        {"filter": "isValid(datum.g) && isFinite(datum.g) && datum.g > 0"},
        {
            "calculate": f"clamp(datum.g * {arrow_scale!r}, {arrow_min!r}, {arrow_cap!r}) / datum.g",
            "as": "s",
        },
        {"calculate": "datum.x + datum.fx * datum.s", "as": "gx2"},
        {"calculate": "datum.y + datum.fy * datum.s", "as": "gy2"},
        {"calculate": "90 - atan2(datum.fy, datum.fx) * 180 / PI", "as": "g_angle"},
        {"calculate": f"datum.x - {reach!r} * datum.fy / datum.g", "as": "tx1"},
        {"calculate": f"datum.y + {reach!r} * datum.fx / datum.g", "as": "ty1"},
        {"calculate": f"datum.x + {reach!r} * datum.fy / datum.g", "as": "tx2"},
        {"calculate": f"datum.y - {reach!r} * datum.fx / datum.g", "as": "ty2"},
    ]
    direction = [
        *at_point,
        {"calculate": f"datum.x + {reach!r} * cos(datum.theta)", "as": "ux"},
        {"calculate": f"datum.y + {reach!r} * sin(datum.theta)", "as": "uy"},
        {"calculate": f"90 - {ANGLE_PARAM}", "as": "u_angle"},
    ]
    x_of = lambda field: quantitative(field, scale_=x_scale)  # noqa: E731
    y_of = lambda field: quantitative(field, scale_=y_scale)  # noqa: E731
    thick = style.stroke_width + 1
    head = style.point_size * 1.6
    dash = [6 * style.dash_scale, 4 * style.dash_scale]
    layers += [
        {
            "transform": moving,
            "mark": {
                "type": "rule",
                "clip": True,
                "color": LEVEL_TANGENT_COLOR,
                "strokeWidth": style.stroke_width,
                "strokeDash": dash,
            },
            "encoding": {"x": x_of("tx1"), "y": y_of("ty1"), "x2": {"field": "tx2"}, "y2": {"field": "ty2"}},
        },
        {
            "transform": direction,
            "mark": {"type": "rule", "clip": True, "color": DIRECTION_COLOR, "strokeWidth": thick},
            "encoding": {"x": x_of("x"), "y": y_of("y"), "x2": {"field": "ux"}, "y2": {"field": "uy"}},
        },
        _arrow_head(direction, "ux", "uy", "u_angle", DIRECTION_COLOR, head, x_scale, y_scale),
        {
            "transform": moving,
            "mark": {"type": "rule", "clip": True, "color": GRADIENT_COLOR, "strokeWidth": thick},
            "encoding": {"x": x_of("x"), "y": y_of("y"), "x2": {"field": "gx2"}, "y2": {"field": "gy2"}},
        },
        _arrow_head(moving, "gx2", "gy2", "g_angle", GRADIENT_COLOR, head, x_scale, y_scale),
        {
            "transform": at_point,
            "mark": {
                "type": "circle",
                "clip": True,
                "color": palette.BLACK,
                "opacity": 1,
                "size": style.point_size,
            },
            "encoding": {"x": x_of("x"), "y": y_of("y")},
        },
    ]
    plot = {"layer": layers, "width": size, "height": size}
    angle_width = side_width(projector)
    readout_expression = (
        f"'(' + format(datum.x, '.3~g') + ', ' + format(datum.y, '.3~g') + '):  '"
        f" + {_literal(labels['gradient'])} + ' = (' + {number_expression('fx')} + ', '"
        f" + {number_expression('fy')} + '),  ‖' + {_literal(labels['gradient'])} + '‖ = '"
        f" + {number_expression('g')} + '\\n' + 'θ = ' + {ANGLE_PARAM} + '°:  '"
        f" + {_literal(labels['directional'])} + ' = ' + {number_expression('du')}"
    )
    readout = readout_view(at_point, readout_expression, style, size + 40 + angle_width, lines=2)
    body = {
        "data": {"name": GRID_DATA},
        "vconcat": [
            readout,
            {"hconcat": [plot, _angle_view(at_point, labels, style, angle_width, size - 60)], "spacing": 30},
        ],
        "spacing": 6,
    }
    return top_level(body, {GRID_DATA: grid_records(grid), **datasets}, params)


def _map_without_gradient(grid: Grid, style, labels, size, params, layers, datasets, x_scale, y_scale):
    """The gradient chart before the answer: the contour map, the point on its sliders, and f there."""
    at_point = [point_filter(POINT_X, POINT_Y, grid.step / 2)]
    point = {
        "transform": at_point,
        "mark": {
            "type": "circle",
            "clip": True,
            "color": palette.BLACK,
            "opacity": 1,
            "size": style.point_size,
        },
        "encoding": {"x": quantitative("x", scale_=x_scale), "y": quantitative("y", scale_=y_scale)},
    }
    readout_expression = (
        f"'(' + format(datum.x, '.3~g') + ', ' + format(datum.y, '.3~g') + '):  '"
        f" + {_literal(labels['f'])} + ' = ' + {number_expression('f')}"
    )
    body = {
        "data": {"name": GRID_DATA},
        "vconcat": [
            readout_view(at_point, readout_expression, style, size + 40),
            {"layer": [*layers, point], "width": size, "height": size},
        ],
        "spacing": 6,
    }
    return top_level(body, {GRID_DATA: grid_records(grid, slopes=False), **datasets}, params)


def _arrow_head(transform, x: str, y: str, angle: str, color: str, size: float, x_scale, y_scale) -> dict:
    return {
        "transform": transform,
        "mark": {"type": "point", "shape": "triangle", "filled": True, "opacity": 1, "clip": True},
        "encoding": {
            "x": quantitative(x, scale_=x_scale),
            "y": quantitative(y, scale_=y_scale),
            "angle": {"field": angle, "type": "quantitative", "scale": None},
            "size": {"value": size},
            "color": {"value": color},
        },
    }


def _angle_view(at_point: list[dict], labels: Mapping[str, str], style: PlotStyle, width: int, height: int):
    """∇f·u = f₁ cos θ + f₂ sin θ for θ = 0 … 360° at the chosen point (computed in the browser from the
    point's row: a sequence of angles, flattened into rows), the current θ, and the maximum |∇f| at the
    gradient's own direction."""
    t_enc = quantitative(
        "t", labels["theta"], {"domain": [0, 360], "nice": False}, axis(style, values=list(range(0, 361, 90)))
    )
    d_enc = quantitative("d", labels["directional"], axis_=axis(style))
    curve = {
        "transform": [
            *at_point,
            {"calculate": "sequence(0, 361, 5)", "as": "t"},
            {"flatten": ["t"]},
            {
                "calculate": "datum.fx * cos(datum.t * PI / 180) + datum.fy * sin(datum.t * PI / 180)",
                "as": "d",
            },
        ],
        "mark": {"type": "line", "clip": True, "color": DIRECTION_COLOR, "strokeWidth": style.stroke_width},
        "encoding": {"x": t_enc, "y": d_enc},
    }
    zero = {
        "transform": [*at_point, {"calculate": "0", "as": "d"}],
        "mark": {"type": "rule", "color": palette.BLACK, "strokeWidth": 1, "opacity": 0.4},
        "encoding": {"y": {"field": "d", "type": "quantitative"}},
    }
    current = [*at_point, {"calculate": ANGLE_PARAM, "as": "t"}, {"calculate": "datum.du", "as": "d"}]
    best = [
        *at_point,
        {"filter": "isValid(datum.g) && isFinite(datum.g) && datum.g > 0"},
        {"calculate": "(atan2(datum.fy, datum.fx) * 180 / PI + 360) % 360", "as": "t"},
        {"calculate": "datum.g", "as": "d"},
    ]
    tooltip = [
        {"field": "t", "type": "quantitative", "title": labels["theta"], "format": ".1f"},
        {"field": "d", "type": "quantitative", "title": labels["directional"], "format": ".4~g"},
    ]
    layers = [
        zero,
        curve,
        {
            "transform": current,
            "mark": {"type": "rule", "color": DIRECTION_COLOR, "strokeDash": [4, 3], "strokeWidth": 1.5},
            "encoding": {"x": {"field": "t", "type": "quantitative"}},
        },
        {
            "transform": current,
            "mark": {"type": "circle", "color": DIRECTION_COLOR, "size": style.point_size, "opacity": 1},
            "encoding": {"x": t_enc, "y": d_enc, "tooltip": tooltip},
        },
        {
            "transform": best,
            "mark": {
                "type": "point",
                "shape": "diamond",
                "filled": True,
                "color": GRADIENT_COLOR,
                "size": style.point_size * 1.4,
                "opacity": 1,
            },
            "encoding": {"x": t_enc, "y": d_enc, "tooltip": tooltip},
        },
        {
            "transform": best,
            "mark": {
                "type": "text",
                "align": "left",
                "dx": 8,
                "dy": -10,
                "fontSize": style.axis_label_size,
                "color": GRADIENT_COLOR,
            },
            "encoding": {"x": t_enc, "y": d_enc, "text": {"value": labels["steepest"]}},
        },
    ]
    return {
        "layer": layers,
        "width": width,
        "height": height,
        "title": {"text": labels["angle_title"], "fontSize": style.axis_title_size, "anchor": "start"},
    }


# --- gradient descent --------------------------------------------------------------------------------


def descent_chart(
    grid: Grid,
    path: DescentPath,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    k_initial: int | None = None,
) -> VegaLite:
    """The path of gradient descent over the contour map, and the loss f(xₖ) falling step by step; a browser
    slider picks a step k, marked on both. Label keys: see ``DESCENT_LABELS``.

    >>> from calc_core.multivariate import evaluate_grid, gradient_descent
    >>> g = evaluate_grid(
    ...     lambda x, y: x * x + y * y, lambda x, y: 2 * x, lambda x, y: 2 * y, (-3, 3, -3, 3), 13
    ... )
    >>> path = gradient_descent(
    ...     lambda x, y: x * x + y * y, [lambda x, y: 2 * x, lambda x, y: 2 * y], (2.0, 1.0), 0.1, 10
    ... )
    >>> spec = descent_chart(g, path).to_dict()
    >>> spec["params"][0]["name"], spec["params"][0]["bind"]["max"], len(spec["datasets"]["path"])
    ('descent_k', 10, 11)
    """
    labels = merge_labels(DESCENT_LABELS, labels)
    style = plot_style(projector)
    size = map_size(projector)
    count = len(path.loss)
    last = max(0, count - 1)
    k0 = last if k_initial is None else max(0, min(int(k_initial), last))
    params = [slider(STEP_PARAM, k0, 0, max(1, last), 1, labels["step"])]
    layers, datasets, x_scale, y_scale = map_layers(grid, style, labels, size)
    two = path.points.shape[1] > 1
    rows = [
        {
            "k": i,
            "x": _finite(path.points[i, 0]),
            "y": _finite(path.points[i, 1]) if two else 0.0,
            "loss": _finite(path.loss[i]),
        }
        for i in range(count)
    ]
    datasets[PATH_DATA] = rows
    path_data = {"name": PATH_DATA}
    x_enc = quantitative("x", labels["x"], x_scale, axis(style))
    y_enc = quantitative("y", labels["y"], y_scale, axis(style))
    tooltip = [
        {"field": "k", "type": "quantitative", "title": labels["k"]},
        {"field": "x", "type": "quantitative", "title": labels["x"], "format": ".4~g"},
        {"field": "y", "type": "quantitative", "title": labels["y"], "format": ".4~g"},
        {"field": "loss", "type": "quantitative", "title": labels["loss"], "format": ".6~g"},
    ]
    current = [{"filter": f"datum.k == {STEP_PARAM}"}]
    layers += [
        {
            "data": path_data,
            "mark": {
                "type": "line",
                "clip": True,
                "color": PATH_COLOR,
                "strokeWidth": max(1.5, style.stroke_width * 0.75),
            },
            "encoding": {"x": x_enc, "y": y_enc, "order": {"field": "k", "type": "quantitative"}},
        },
        {
            "data": path_data,
            "mark": {
                "type": "circle",
                "clip": True,
                "color": PATH_COLOR,
                "size": style.point_size / 2,
                "opacity": 0.9,
            },
            "encoding": {"x": x_enc, "y": y_enc, "tooltip": tooltip},
        },
        {
            "data": path_data,
            "transform": [{"filter": "datum.k == 0"}],
            "mark": {
                "type": "point",
                "shape": "square",
                "filled": True,
                "clip": True,
                "color": palette.BLACK,
                "size": style.point_size,
                "opacity": 1,
            },
            "encoding": {"x": x_enc, "y": y_enc},
        },
        {
            "data": path_data,
            "transform": current,
            "mark": {
                "type": "circle",
                "clip": True,
                "color": palette.BLACK,
                "size": style.point_size * 1.5,
                "opacity": 1,
            },
            "encoding": {"x": x_enc, "y": y_enc},
        },
    ]
    plot = {"data": {"name": GRID_DATA}, "layer": layers, "width": size, "height": size}

    loss_width = side_width(projector)
    k_enc = quantitative(
        "k", labels["k"], {"domain": [0, max(1, last)], "nice": False}, axis(style, tickMinStep=1)
    )
    loss_enc = quantitative(
        "loss", labels["loss"], _loss_scale([r["loss"] for r in rows if r["loss"] is not None]), axis(style)
    )
    loss_chart = {
        "data": path_data,
        "layer": [
            {
                "mark": {
                    "type": "line",
                    "color": PATH_COLOR,
                    "strokeWidth": style.stroke_width,
                    "clip": True,
                    "point": {"color": PATH_COLOR, "size": style.point_size / 2},
                },
                "encoding": {"x": k_enc, "y": loss_enc, "tooltip": tooltip},
            },
            {
                "transform": current,
                "mark": {"type": "rule", "color": palette.BLACK, "strokeDash": [4, 3]},
                "encoding": {"x": {"field": "k", "type": "quantitative"}},
            },
            {
                "transform": current,
                "mark": {
                    "type": "circle",
                    "color": palette.BLACK,
                    "size": style.point_size * 1.5,
                    "opacity": 1,
                },
                "encoding": {"x": k_enc, "y": loss_enc},
            },
        ],
        "width": loss_width,
        "height": size - 60,
    }
    readout_expression = (
        f"{_literal(labels['k'])} + ' = ' + datum.k + ':  (' + format(datum.x, '.4~g') + ', '"
        f" + format(datum.y, '.4~g') + '),  ' + {_literal(labels['loss'])} + ' = '"
        f" + {number_expression('loss', 6)}"
    )
    readout = readout_view(current, readout_expression, style, size + loss_width + 30)
    readout["data"] = path_data
    body = {"vconcat": [readout, {"hconcat": [plot, loss_chart], "spacing": 30}], "spacing": 6}
    return top_level(body, {GRID_DATA: grid_records(grid), **datasets}, params)


def _loss_scale(values: list[float]) -> dict:
    """The loss axis: from the smallest to the largest loss on the path, with a margin."""
    if not values:
        return {"zero": False}
    low, high = min(values), max(values)
    margin = 0.05 * (high - low) if high > low else max(1.0, abs(high)) * 0.5
    return scale(low - margin, high + margin)

"""Charts of a function of two variables: its contour map, the gradient field, the gradient at a point, the
directional derivative, and a gradient-descent path (the map, its data and the spec pieces that the
gradient charts and the slices (``viz.slice_charts``) share are in ``viz.contour_map``). Pure figure builders:
data in, Vega-Lite spec out.

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

from collections.abc import Mapping, Sequence

from calc_core.multivariate import DescentPath, Grid
from viz import palette
from viz.contour_map import (
    ANGLE_PARAM,
    ANGLE_STEP,
    DIRECTION_COLOR,
    GRADIENT_COLOR,
    GRID_DATA,
    LEVEL_TANGENT_COLOR,
    PATH_COLOR,
    PATH_DATA,
    POINT_X,
    POINT_Y,
    STEP_PARAM,
    axis,
    finite,
    gradient_scale,
    grid_records,
    literal,
    map_layers,
    map_size,
    number_expression,
    point_filter,
    quantitative,
    readout_view,
    scale,
    side_width,
    slider,
    snapped,
    top_level,
)
from viz.function_plot import PlotStyle, merge_labels, plot_style
from viz.vega_lite import VegaLite

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
    "loss": "loss f(xₖ)",
}


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
        point_dot(at_point, style, x_of("x"), y_of("y")),
    ]
    plot = {"layer": layers, "width": size, "height": size}
    angle_width = side_width(projector)
    readout_expression = (
        f"'(' + format(datum.x, '.3~g') + ', ' + format(datum.y, '.3~g') + '):  '"
        f" + {literal(labels['gradient'])} + ' = (' + {number_expression('fx')} + ', '"
        f" + {number_expression('fy')} + '),  |' + {literal(labels['gradient'])} + '| = '"
        f" + {number_expression('g')} + '\\n' + 'θ = ' + {ANGLE_PARAM} + '°:  '"
        f" + {literal(labels['directional'])} + ' = ' + {number_expression('du')}"
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
    point = point_dot(at_point, style, quantitative("x", scale_=x_scale), quantitative("y", scale_=y_scale))
    readout_expression = (
        f"'(' + format(datum.x, '.3~g') + ', ' + format(datum.y, '.3~g') + '):  '"
        f" + {literal(labels['f'])} + ' = ' + {number_expression('f')}"
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
            "x": finite(path.points[i, 0]),
            "y": finite(path.points[i, 1]) if two else 0.0,
            "loss": finite(path.loss[i]),
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
        f"{literal(labels['k'])} + ' = ' + datum.k + ':  (' + format(datum.x, '.4~g') + ', '"
        f" + format(datum.y, '.4~g') + '),  ' + {literal(labels['loss'])} + ' = '"
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


def point_dot(transform: list, style: PlotStyle, x: dict, y: dict) -> dict:
    """The point (a, c) as a black dot, on the rows that ``transform`` keeps."""
    mark = {"type": "circle", "clip": True, "color": palette.BLACK, "opacity": 1, "size": style.point_size}
    return {"transform": transform, "mark": mark, "encoding": {"x": x, "y": y}}

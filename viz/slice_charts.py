"""Partial derivatives as slopes of slices: pure figure builder, data in, Vega-Lite spec out.

Fix x₂ = c and f becomes a function of x₁ alone: its graph is the slice of the surface at x₂ = c, and its
slope at x₁ = a is ∂f/∂x₁(a, c). Fixing x₁ = a instead gives the other slice, whose slope is ∂f/∂x₂(a, c).

:func:`partials_chart` shows the contour map with the two slice lines through the point (a, c), and the two
slices with their tangent lines. The point is two Vega-Lite params bound to sliders, and f, ∂f/∂x₁ and
∂f/∂x₂ on the whole grid are in the chart's data, so moving a or c moves the point, the slices and the
tangents in the browser, with no rerun of the page. Written as plain Vega-Lite for speed: see
``viz.gradient_charts``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from calc_core.multivariate import Grid
from viz import palette
from viz.contour_map import (
    GRID_DATA,
    VegaLite,
    axis,
    grid_records,
    literal,
    map_layers,
    map_size,
    number_expression,
    point_filter,
    quantitative,
    scale,
    side_width,
    slider,
    snapped,
    top_level,
    value_limits,
)
from viz.function_plot import PlotStyle, merge_labels, plot_style

SLICE_X, SLICE_Y = "slice_x1", "slice_x2"
SLICE_ALONG_X_COLOR = palette.VERMILLION  # x₂ = c fixed, x₁ moves: slope ∂f/∂x₁
SLICE_ALONG_Y_COLOR = palette.BLUISH_GREEN  # x₁ = a fixed, x₂ moves: slope ∂f/∂x₂
TANGENT_COLOR = palette.BLACK
TANGENT_DASH = (8, 4)
SLICE_DASH = (10, 4)

SLICE_LABELS = {
    "x": "x₁",
    "y": "x₂",
    "f": "f(x₁, x₂)",
    "slider_x": "a (x₁ of the point) ",
    "slider_y": "c (x₂ of the point) ",
    "slice_x_title": "slice x₂ = c: f against x₁",
    "slice_y_title": "slice x₁ = a: f against x₂",
    "value": "f",
    "partial_x": "∂f/∂x₁",
    "partial_y": "∂f/∂x₂",
    "point": "point",
}


def partials_chart(
    grid: Grid,
    point: Sequence[float],
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    answer: bool = True,
) -> VegaLite:
    """The contour map with the point (a, c) and both slice lines, and the two slices with their tangents.

    ``point`` is where the sliders start (snapped to the grid). Label keys: see ``SLICE_LABELS``. With
    ``answer=False`` (a class predicting the partial derivatives first) the slices have no tangents and
    the readout and tooltips give no slopes.

    >>> from calc_core.multivariate import evaluate_grid
    >>> g = evaluate_grid(
    ...     lambda x, y: x * x * y, lambda x, y: 2 * x * y, lambda x, y: x * x, (-3, 3, -3, 3), 13
    ... )
    >>> spec = partials_chart(g, (1.0, 1.0)).to_dict()
    >>> [(p["name"], p["value"], p["bind"]["input"]) for p in spec["params"]]
    [('slice_x1', 1.0, 'range'), ('slice_x2', 1.0, 'range')]
    """
    labels = merge_labels(SLICE_LABELS, labels)
    style = plot_style(projector)
    size = map_size(projector)
    step = grid.step
    x_lo, x_hi, y_lo, y_hi = float(grid.x[0]), float(grid.x[-1]), float(grid.y[0]), float(grid.y[-1])
    params = [
        slider(SLICE_X, snapped(grid.x, point[0]), x_lo, x_hi, step, labels["slider_x"]),
        slider(SLICE_Y, snapped(grid.y, point[1]), y_lo, y_hi, step, labels["slider_y"]),
    ]
    half = step / 2
    at_point = [point_filter(SLICE_X, SLICE_Y, half)]

    # The map: both slice lines through the point.
    layers, datasets, x_scale, y_scale = map_layers(grid, style, labels, size)
    width = style.stroke_width + 1
    layers += [
        {
            "transform": [
                *at_point,
                {"calculate": repr(x_lo), "as": "x_from"},
                {"calculate": repr(x_hi), "as": "x_to"},
            ],
            "mark": {"type": "rule", "clip": True, "color": SLICE_ALONG_X_COLOR, "strokeWidth": width},
            "encoding": {
                "x": quantitative("x_from", scale_=x_scale),
                "x2": {"field": "x_to"},
                "y": quantitative("y", scale_=y_scale),
            },
        },
        {
            "transform": [
                *at_point,
                {"calculate": repr(y_lo), "as": "y_from"},
                {"calculate": repr(y_hi), "as": "y_to"},
            ],
            "mark": {
                "type": "rule",
                "clip": True,
                "color": SLICE_ALONG_Y_COLOR,
                "strokeWidth": width,
                "strokeDash": [v * style.dash_scale for v in SLICE_DASH],
            },
            "encoding": {
                "y": quantitative("y_from", scale_=y_scale),
                "y2": {"field": "y_to"},
                "x": quantitative("x", scale_=x_scale),
            },
        },
        {
            "transform": at_point,
            "mark": {
                "type": "circle",
                "clip": True,
                "color": palette.BLACK,
                "size": style.point_size * 1.3,
                "opacity": 1,
            },
            "encoding": {"x": quantitative("x", scale_=x_scale), "y": quantitative("y", scale_=y_scale)},
        },
    ]
    contour_map = {"layer": layers, "width": size, "height": size}

    limits = value_limits(grid)
    f_scale = scale(*limits) if limits else {"zero": False}
    slice_width = side_width(projector)
    slice_height = round((size - 70) / 2)
    shared = {"half": half, "f_scale": f_scale, "style": style, "width": slice_width, "height": slice_height}
    shared["answer"] = answer
    # The slice along x (y held at the point: its slider is y's) and the slice along y, dashed.
    along_axes = (
        ("x", "y", SLICE_Y, (x_lo, x_hi), SLICE_ALONG_X_COLOR, None),
        ("y", "x", SLICE_X, (y_lo, y_hi), SLICE_ALONG_Y_COLOR, SLICE_DASH),
    )
    slices = [
        _slice(
            at_point,
            along=along,
            fixed=fixed,
            slope=f"f{along}",
            param=param,
            domain=domain,
            color=color,
            dash=dash,
            title=labels[f"slice_{along}_title"],
            x_title=labels[along],
            y_title=labels["value"],
            slope_title=labels[f"partial_{along}"],
            **shared,
        )
        for along, fixed, param, domain, color, dash in along_axes
    ]
    readout_expression = (
        f"{literal(labels['point'])} + ' (' + format(datum.x, '.3~g') + ', ' + format(datum.y, '.3~g')"
        f" + '):  ' + {literal(labels['value'])} + ' = ' + {number_expression('f')}"
    )
    if answer:
        readout_expression += (
            f" + ',   ' + {literal(labels['partial_x'])} + ' = ' + {number_expression('fx')}"
            f" + ',   ' + {literal(labels['partial_y'])} + ' = ' + {number_expression('fy')}"
        )
    font_size = style.legend_size + 1
    readout = {
        "transform": [*at_point, {"calculate": readout_expression, "as": "readout"}],
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": font_size},
        "encoding": {"x": {"value": 0}, "y": {"value": 2}, "text": {"field": "readout", "type": "nominal"}},
        "width": size + slice_width + 30,
        "height": font_size + 10,
    }
    body = {
        "data": {"name": GRID_DATA},
        "vconcat": [readout, {"hconcat": [contour_map, {"vconcat": slices, "spacing": 12}], "spacing": 30}],
        "spacing": 6,
    }
    return top_level(body, {GRID_DATA: grid_records(grid, slopes=answer), **datasets}, params)


def _slice(
    at_point: list[dict],
    *,
    along: str,
    fixed: str,
    slope: str,
    param: str,
    half: float,
    domain: tuple[float, float],
    f_scale: dict,
    color: str,
    dash: tuple[float, ...] | None,
    title: str,
    x_title: str,
    y_title: str,
    slope_title: str,
    style: PlotStyle,
    width: int,
    height: int,
    answer: bool = True,
) -> dict:
    """One slice: f against the moving variable with the other fixed at the param, and the tangent there
    (unless the ``answer`` waits: then no tangent and no slope in the tooltip)."""
    x_scale = scale(*domain)
    x_enc = quantitative(along, x_title, x_scale, axis(style))
    y_enc = quantitative("f", y_title, f_scale, axis(style))
    curve_mark = {
        "type": "line",
        "clip": True,
        "color": color,
        "strokeWidth": style.stroke_width,
        "invalid": "break-paths-filter-domains",
    }
    if dash:
        curve_mark["strokeDash"] = [v * style.dash_scale for v in dash]
    reach = 0.2 * (domain[1] - domain[0])
    tangent = [
        *at_point,
        {"filter": f"isFinite(datum.f) && isFinite(datum.{slope})"},
        {"calculate": f"datum.{along} - {reach!r}", "as": "t_from"},
        {"calculate": f"datum.{along} + {reach!r}", "as": "t_to"},
        {"calculate": f"datum.f - datum.{slope} * {reach!r}", "as": "v_from"},
        {"calculate": f"datum.f + datum.{slope} * {reach!r}", "as": "v_to"},
    ]
    layers = [
        {
            "transform": [{"filter": f"abs(datum.{fixed} - {param}) < {half!r}"}],
            "mark": curve_mark,
            "encoding": {"x": x_enc, "y": y_enc, "order": {"field": along, "type": "quantitative"}},
        },
        {
            "transform": tangent,
            "mark": {
                "type": "rule",
                "clip": True,
                "color": TANGENT_COLOR,
                "strokeWidth": style.stroke_width,
                "strokeDash": [v * style.dash_scale for v in TANGENT_DASH],
            },
            "encoding": {
                "x": quantitative("t_from", scale_=x_scale),
                "x2": {"field": "t_to"},
                "y": quantitative("v_from", scale_=f_scale),
                "y2": {"field": "v_to"},
            },
        },
        {
            "transform": at_point,
            "mark": {
                "type": "circle",
                "clip": True,
                "color": palette.BLACK,
                "size": style.point_size,
                "opacity": 1,
            },
            "encoding": {
                "x": x_enc,
                "y": y_enc,
                "tooltip": [
                    {"field": along, "type": "quantitative", "title": x_title, "format": ".3~g"},
                    {"field": "f", "type": "quantitative", "title": y_title, "format": ".4~g"},
                    {"field": slope, "type": "quantitative", "title": slope_title, "format": ".4~g"},
                ][: 3 if answer else 2],
            },
        },
    ]
    if not answer:
        del layers[1]  # the tangent
    return {
        "layer": layers,
        "width": width,
        "height": height,
        "title": {"text": title, "fontSize": style.axis_title_size, "anchor": "start", "color": color},
    }

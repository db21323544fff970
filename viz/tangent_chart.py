"""The tangent explorer: f with its tangent line at a point the reader moves, and f′ (and f″) below it.

Pure figure builder: data in, Vega-Lite spec out (plain data: see :func:`tangent_spec` for why not an Altair
chart), no Streamlit. Every visible word comes from ``labels`` (the page passes translated strings; English
defaults make the function usable from a notebook).

Interaction happens in the browser. f and f′ are precomputed on a grid (one row per grid point, with the
readout text of that point). One point selection, :data:`TANGENT_PARAM`, projected on ``x``, picks the row
of the tangent point; it is bound to a range slider under the chart and also follows the pointer over the
f panel (nearest grid point). Every moving mark filters the rows by that selection: the tangent line, whose
ends are computed in Vega-Lite from the selected row (y = f(x₀) + f′(x₀)·(x − x₀) at the window's edges),
the point on f, the point on f′, the vertical marker through both panels and the readout. Moving x₀ never
reruns the page.

The slider steps in decimal arithmetic (min + k·step), and the selection matches rows by equality, so the
grid must hold exactly those numbers: :func:`slider_grid` builds one, and ``calc_core.tasks.tangent_data``
rounds its grid the same way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import numpy as np

from viz import palette
from viz.format import readout
from viz.function_plot import merge_labels, plot_style
from viz.palette import DASHED
from viz.vega_lite import SCHEMA_URL

TANGENT_PARAM = "tangent_x0"
GRID_DATASET = "tangent_grid"
TARGETS_VIEW = "tangent_targets"
VEGA_LITE_SCHEMA = SCHEMA_URL
GRID_DECIMALS = 9

TANGENT_LABELS = {
    "x": "x",
    "curve": "f(x)",
    "tangent": "tangent line",
    "derivative": "f′(x)",
    "second": "f″(x)",
    "x0": "x₀",
    "f_x0": "f(x₀)",
    "slope": "slope f′(x₀)",
    "line": "tangent",
    "undefined": "undefined",
    "no_tangent": "no tangent line here: f′(x₀) does not exist",
    "not_defined": "f is not defined here",
    "slider": "x₀",
}

CURVE_COLOR, TANGENT_COLOR = palette.BLUE, palette.VERMILLION
DERIVATIVE_COLOR, SECOND_COLOR = palette.BLUISH_GREEN, palette.REDDISH_PURPLE
MARKER_COLOR = "#888888"


def slider_grid(center: float, half_width: float = 4.0, step: float = 0.02) -> tuple[float, float, int]:
    """(x_min, x_max, n) of a grid of ``step`` from center − half_width to center + half_width.

    The center (rounded to GRID_DECIMALS decimals) is a grid point, so the chart starts exactly at x₀.

    >>> slider_grid(1.0)
    (-3.0, 5.0, 401)
    >>> slider_grid(0.333)
    (-3.667, 4.333, 401)
    """
    count = round(2 * half_width / step)
    low = round(round(float(center), GRID_DECIMALS) - half_width, GRID_DECIMALS) + 0.0
    high = round(low + count * step, GRID_DECIMALS) + 0.0
    return low, high, count + 1


def tangent_spec(
    x: Sequence[float],
    f: Sequence[float | None],
    df: Sequence[float | None],
    x0: float,
    *,
    d2f: Sequence[float | None] | None = None,
    f_segment: Sequence[int] | None = None,
    df_segment: Sequence[int] | None = None,
    d2f_segment: Sequence[int] | None = None,
    f_limits: tuple[float, float] | None = None,
    df_limits: tuple[float, float] | None = None,
    d2f_limits: tuple[float, float] | None = None,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    width: int = 520,
    answer: bool = True,
) -> dict:
    """The readout, f with the tangent at the selected point, and the panel of f′ (and of f″) under it.

    ``x`` is an evenly spaced grid (as from :func:`slider_grid`: the slider steps over exactly these
    values); ``f``, ``df`` (and ``d2f``) are the values there, None or NaN where undefined. A tangent is
    drawn only where both f and f′ are defined: pass None in ``df`` where f has no derivative (the corner
    of |x|), whatever a formula gives there. ``*_segment`` number the continuous pieces of each curve (as
    ``calc_core.sampling`` does), so that lines break at poles; ``*_limits`` are the y-windows.
    ``x0`` is the starting point (the nearest grid value is selected). Label keys: see ``TANGENT_LABELS``.
    With ``answer=False`` (a class predicting the slope first) only f and the point are drawn: no tangent,
    no panels of f′ or f″, and the readout gives the point and f(x₀) without the slope.

    The result is a Vega-Lite spec as plain data (``alt.VConcatChart.from_dict`` makes it an Altair chart),
    not an Altair chart: built through Altair's API this chart of 14 layers cost about half a second of
    CPU (Altair deep-copies and validates on every method call, and hoists the selection by validating every
    view), twice the budget of a whole rerun for a new function. The unit tests validate it against the
    Vega-Lite schema instead.

    >>> xs = [i / 10 for i in range(31)]
    >>> spec = tangent_spec(xs, [3 * v * v - 4 * v for v in xs], [6 * v - 4 for v in xs], 1.0)
    >>> [param["name"] for param in spec["params"]], spec["params"][0]["value"]
    (['tangent_x0'], [{'x': 1.0}])
    """
    labels = merge_labels(TANGENT_LABELS, labels)
    style = plot_style(projector)
    xs = np.asarray(x, dtype=np.float64)
    if xs.ndim != 1 or xs.size < 2 or not np.all(np.isfinite(xs)) or not np.all(np.diff(xs) > 0):
        raise ValueError("x must be an increasing grid of at least two finite values")
    step = round(float(xs[1] - xs[0]), GRID_DECIMALS)
    columns = {"f": _values(f, xs.size), "k": _values(df, xs.size)}
    if d2f is not None:
        columns["d2"] = _values(d2f, xs.size)
    segments = {"fs": _segment_ids(columns["f"], f_segment), "ks": _segment_ids(columns["k"], df_segment)}
    if d2f is not None:
        segments["d2s"] = _segment_ids(columns["d2"], d2f_segment)
    rows = _rows(xs, columns, segments, labels, answer)
    x_domain = [float(xs[0]), float(xs[-1])]
    start = float(np.round(xs[int(np.argmin(np.abs(xs - float(x0))))], GRID_DECIMALS)) + 0.0
    x_min, x_max = (repr(value) for value in x_domain)
    chosen = {"filter": {"param": TANGENT_PARAM, "empty": False}}
    axis = {"labelFontSize": style.axis_label_size, "titleFontSize": style.axis_title_size}
    x_encoding = {
        "field": "x",
        "type": "quantitative",
        "title": labels["x"],
        "scale": {"domain": x_domain, "nice": False, "zero": False},
        "axis": axis,
    }

    def y_encoding(field: str, title: str, domain: list[float]) -> dict:
        scale = {"domain": domain, "nice": False, "zero": False}
        return {"field": field, "type": "quantitative", "title": title, "scale": scale, "axis": axis}

    line = {"clip": True, "strokeCap": "round", "strokeJoin": "round", "strokeWidth": style.stroke_width}
    legend = {
        "title": None,
        "orient": "top",
        "direction": "horizontal",
        "symbolType": "stroke",
        "labelLimit": 0,
        "labelFontSize": style.legend_size,
        "symbolStrokeWidth": style.stroke_width,
        "symbolSize": style.legend_size * 40,
    }
    series = [labels["curve"], labels["tangent"]][: 2 if answer else 1]
    color = {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": series, "range": [CURVE_COLOR, TANGENT_COLOR][: len(series)]},
        "legend": legend,
    }
    dashes = [[1, 0], [length * style.dash_scale for length in DASHED]]
    dash = {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": series, "range": dashes[: len(series)]},
        "legend": legend,
    }

    def named(key: str) -> dict:
        return {"calculate": json.dumps(labels[key], ensure_ascii=False), "as": "series"}

    f_domain = _domain(f_limits, columns["f"])
    y_f = y_encoding("f", labels["curve"], f_domain)
    marker = {
        "mark": {"type": "rule", "color": MARKER_COLOR, "strokeDash": [3, 3]}
        | {"strokeWidth": max(1.0, style.stroke_width / 2)},
        "transform": [chosen],
        "encoding": {"x": x_encoding},
    }
    point_size = style.point_size * 1.5
    curve = {
        "mark": {"type": "line", **line},
        "transform": [{"filter": "isValid(datum.f)"}, named("curve")],
        "encoding": {"x": x_encoding, "y": y_f, "detail": {"field": "fs", "type": "nominal"}}
        | {"color": color, "strokeDash": dash},
    }
    tangent = {
        "mark": {"type": "rule", **line},
        "transform": [
            chosen,
            {"filter": "isValid(datum.f) && isValid(datum.k)"},
            named("tangent"),
            {"calculate": x_min, "as": "xa"},
            {"calculate": f"datum.f + datum.k * ({x_min} - datum.x)", "as": "ya"},
            {"calculate": x_max, "as": "xb"},
            {"calculate": f"datum.f + datum.k * ({x_max} - datum.x)", "as": "yb"},
        ],
        "encoding": {
            "x": x_encoding | {"field": "xa"},
            "y": y_encoding("ya", labels["curve"], f_domain),
            "x2": {"field": "xb"},
            "y2": {"field": "yb"},
            "color": color,
            "strokeDash": dash,
        },
    }
    point = {
        "mark": {"type": "circle", "clip": True, "color": palette.BLACK, "opacity": 1, "size": point_size},
        "transform": [chosen, {"filter": "isValid(datum.f)"}],
        "encoding": {"x": x_encoding, "y": y_f},
    }
    # The pointer's targets: invisible, one per grid point, placed by x only (so the nearest-point regions
    # are vertical strips and the pointer picks the grid point under it at any height).
    targets = {
        "name": TARGETS_VIEW,
        "mark": {"type": "circle", "opacity": 0, "size": 1},
        "encoding": {"x": x_encoding},
    }
    top = [curve, tangent, marker, point, targets] if answer else [curve, marker, point, targets]
    panels = [{"layer": top, "width": width, "height": style.height}]
    for field, segment, key, limits, colour in (
        ("k", "ks", "derivative", df_limits, DERIVATIVE_COLOR),
        ("d2", "d2s", "second", d2f_limits, SECOND_COLOR),
    ):
        if field not in columns or not answer:
            continue
        y_panel = y_encoding(field, labels[key], _domain(limits, columns[field]))
        panel_curve = {
            "mark": {"type": "line", **line, "color": colour},
            "transform": [{"filter": f"isValid(datum.{field})"}],
            "encoding": {"x": x_encoding, "y": y_panel, "detail": {"field": segment, "type": "nominal"}},
        }
        panel_point = {
            "mark": {"type": "circle", "clip": True, "color": colour, "opacity": 1, "size": point_size},
            "transform": [chosen, {"filter": f"isValid(datum.{field})"}],
            "encoding": {"x": x_encoding, "y": y_panel},
        }
        panels.append(
            {
                "layer": [panel_curve, marker, panel_point],
                "width": width,
                "height": round(style.height * 0.55),
            }
        )

    font_size = style.legend_size + 2
    readout = {
        "mark": {"type": "text", "align": "left", "baseline": "top"}
        | {"fontSize": font_size, "lineHeight": font_size * 1.4},
        "transform": [chosen, {"calculate": "[datum.r1, datum.r2]", "as": "readout"}],
        "encoding": {"text": {"field": "readout", "type": "nominal"}, "x": {"value": 0}, "y": {"value": 4}},
        "width": width,
        "height": round(2 * font_size * 1.4) + 8,
    }
    selection = {
        "name": TANGENT_PARAM,
        "select": {"type": "point", "fields": ["x"], "on": "pointermove", "nearest": True, "clear": False},
        "value": [{"x": start}],
        "bind": {"input": "range", "min": x_domain[0], "max": x_domain[1], "step": step}
        | {"name": labels["slider"] + " "},
        "views": [TARGETS_VIEW],
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "config": {"view": {"stroke": None}},
        "data": {"name": GRID_DATASET},
        "datasets": {GRID_DATASET: rows},
        "params": [selection],
        "vconcat": [readout, *panels],
        "spacing": 6,
        "resolve": {"scale": {"x": "shared"}},
    }


# --- data ---------------------------------------------------------------------------------------------


def _values(values: Sequence[float | None], size: int) -> list[float | None]:
    """Floats, with None for missing, NaN and infinite values (JSON has no NaN)."""
    if len(values) != size:
        raise ValueError(f"expected {size} values (one per grid point), got {len(values)}")
    out = []
    for value in values:
        number = math.nan if value is None else float(value)
        out.append(number if math.isfinite(number) else None)
    return out


def _segment_ids(values: list[float | None], given: Sequence[int] | None) -> list[int]:
    """The given piece ids, or a new piece after every gap."""
    if given is not None:
        if len(given) != len(values):
            raise ValueError("a segment list needs one id per grid point")
        return [int(s) for s in given]
    ids, current, previous_defined = [], 0, False
    for value in values:
        defined = value is not None
        if defined and not previous_defined:
            current += 1
        ids.append(current if defined else -1)
        previous_defined = defined
    return ids


def _rows(
    xs: np.ndarray, columns: dict, segments: dict, labels: Mapping[str, str], answer: bool = True
) -> list[dict]:
    """One row per grid point; without the ``answer``, no slope columns (the browser gets no f′ at all)."""
    shown = columns if answer else {"f": columns["f"]}
    rows = []
    for i, x in enumerate(np.round(xs, GRID_DECIMALS).tolist()):
        row = {"x": x + 0.0}
        row.update({name: values[i] for name, values in shown.items()})
        row.update({name: values[i] for name, values in segments.items() if name == "fs" or answer})
        if answer:
            row["r1"], row["r2"] = _readout(x, columns["f"][i], columns["k"][i], labels)
        else:
            row["r1"], row["r2"] = _readout_without_slope(x, columns["f"][i], labels)
        rows.append(row)
    return rows


def _readout_without_slope(x: float, y: float | None, labels: Mapping[str, str]) -> tuple[str, str]:
    """The readout while the slope is still to be predicted: the point and f(x₀) only."""
    point = f"{labels['x0']} = {number(x)}"
    if y is None:
        return point, labels["not_defined"]
    return f"{point}  ·  {labels['f_x0']} = {number(y)}", ""


def _readout(x: float, y: float | None, k: float | None, labels: Mapping[str, str]) -> tuple[str, str]:
    """Two lines: the point and the slope, then the tangent's equation (or why there is none).

    Two text fields rather than a list: Streamlit sends the data as Arrow, where a list would arrive as one
    string. (Browsers collapse runs of spaces in chart text, hence the dots between the numbers.)
    """
    point = f"{labels['x0']} = {number(x)}"
    if y is None:
        return point, labels["not_defined"]
    values = f"{point}  ·  {labels['f_x0']} = {number(y)}"
    if k is None:
        return f"{values}  ·  {labels['slope']}: {labels['undefined']}", labels["no_tangent"]
    return f"{values}  ·  {labels['slope']} = {number(k)}", f"{labels['line']}: y = {line_text(k, y - k * x)}"


def number(value: float, digits: int = 4) -> str:
    """A number for the readout (``viz.format.number``): ``digits`` significant digits, no trailing zeros, a
    real minus sign; round-off around zero (below 1e-12) as 0.

    >>> number(2.0), number(-0.95880001), number(-1e-17), number(12342.4)
    ('2', '−0.9588', '0', '1.234e+04')
    """
    return readout(value, digits, zero_below=1e-12)


def line_text(k: float, b: float, digits: int = 4) -> str:
    """The right-hand side of y = kx + b as plain text: ``2x − 3``, ``−x``, ``5``.

    >>> line_text(2.0, -3.0), line_text(-1.0, 0.0), line_text(0.0, 5.0), line_text(1.0, 0.25)
    ('2x − 3', '−x', '5', 'x + 0.25')
    """
    k_text, b_text = number(k, digits), number(b, digits)
    slope = "" if k_text == "0" else "x" if k_text == "1" else "−x" if k_text == "−1" else f"{k_text}x"
    if not slope:
        return b_text
    if b_text == "0":
        return slope
    return f"{slope} − {b_text[1:]}" if b_text.startswith("−") else f"{slope} + {b_text}"


# --- style ----------------------------------------------------------------------------------------------


def _domain(limits: tuple[float, float] | None, values: list[float | None]) -> list[float]:
    """The given y-window, or one around the values (a flat window around 0 if none is defined)."""
    if limits is not None and all(map(math.isfinite, limits)) and limits[0] < limits[1]:
        return [float(limits[0]), float(limits[1])]
    finite = [v for v in values if v is not None]
    if not finite:
        return [-1.0, 1.0]
    low, high = min(finite), max(finite)
    pad = 0.08 * (high - low) if high > low else max(1.0, abs(low) / 2)
    return [low - pad, high + pad]

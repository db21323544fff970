"""Charts for the derivative as a limit: the secant turning into the tangent, and the error of h.

Pure figure builders: data in, Vega-Lite spec out (plain data: see ``viz.vega_lite`` for why), no
Streamlit. Every visible word comes from ``labels`` (the page passes translated strings; English defaults
make the functions usable from a notebook).

Interaction happens in the browser. :func:`secant_chart` precomputes the secant for every slider value
(one row per h) and a Vega-Lite param bound to a range slider selects the row with a filter, so dragging h
redraws the secant, the moving point and the slope readout without a rerun of the page.
The slider runs over k = −log10(h), so moving it to the right makes h smaller: h → 0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np

from calc_core.limits import SCHEMES, ErrorTable, best_h, secant_steps, secant_table
from viz import palette
from viz.format import readout
from viz.function_plot import PlotStyle, merge_labels, plot_style
from viz.palette import BLACK, DASHED, DOTTED
from viz.vega_lite import (
    Datasets,
    VegaLite,
    axis,
    calculate,
    channel,
    layer,
    mark,
    string_literal,
    stroke_legend,
    top_level,
    view,
)

SECANT_PARAM = "secant_k"

SECANT_LABELS = {
    "x": "x",
    "y": "y",
    "curve": "f(x)",
    "secant": "secant",
    "left_secant": "left secant",
    "tangent": "tangent",
    "slider": "h = 10^(−k), k",
    "h": "h",
    "secant_slope": "secant slope (f(x0 + h) − f(x0)) / h",
    "left_secant_slope": "left secant slope (f(x0 − h) − f(x0)) / (−h)",
    "tangent_slope": "tangent slope f'(x0)",
    "undefined": "undefined",
}

ERROR_LABELS = {
    "h": "h",
    "error": "|estimate − f'(x0)|",
    "forward": "forward (f(x+h) − f(x)) / h",
    "backward": "backward (f(x) − f(x−h)) / h",
    "central": "central (f(x+h) − f(x−h)) / 2h",
    "truncation_one_sided": "model: truncation |f''|/2 · h",
    "truncation_central": "model: truncation |f'''|/6 · h²",
    "roundoff": "model: round-off eps·|f(x)| / h",
    "best_h": "best h",
    "exact_hit": "error exactly 0 (drawn at the bottom)",
}

SCHEME_COLORS = {"forward": palette.VERMILLION, "backward": palette.SKY_BLUE, "central": palette.BLUISH_GREEN}
MODEL_COLORS = {
    "truncation_one_sided": palette.ORANGE,
    "truncation_central": palette.BLUE,
    "roundoff": palette.REDDISH_PURPLE,
}
MODEL_DASHES = {"truncation_one_sided": DASHED, "truncation_central": DASHED, "roundoff": DOTTED}
CURVE_COLOR, SECANT_COLOR, TANGENT_COLOR = palette.BLUE, palette.VERMILLION, palette.BLACK
LEFT_SECANT_COLOR = palette.BLUISH_GREEN


# --- The secant -------------------------------------------------------------------------------------


def secant_chart(
    curve_x,
    curve_y,
    x0: float,
    hs=None,
    f_at=None,
    *,
    tangent_slope: float | None = None,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    curve_segment=None,
    y_domain: tuple[float, float] | None = None,
    h_initial: float | None = None,
    both_sides: bool = False,
    width: int = 520,
) -> VegaLite:
    """The curve, the secant through (x0, f(x0)) and (x0 + h, f(x0 + h)), and a slider for h.

    ``curve_x``, ``curve_y``: the sampled curve (NaN at gaps; ``curve_segment`` as from
    ``calc_core.sampling`` breaks the line at poles). ``f_at``: the function on float arrays (e.g. from
    ``compile_numeric``), evaluated once at x0 and at x0 + h for every h in ``hs`` (default
    ``secant_steps()``: h = 1 … 0.001, ten steps a decade, evenly spaced in log10 h, as the slider needs).
    ``tangent_slope``: f'(x0) when it exists (from SymPy); the dashed tangent is drawn only then.
    ``both_sides`` adds the left secant through (x0 − h, f(x0 − h)) and its slope (f(x0 − h) − f(x0))/(−h),
    for one-sided limits: for |x| at 0 the two slopes stay −1 and 1 however small h gets.
    Label keys: see ``SECANT_LABELS``.

    The result is the readout (h and both slopes, updated with the slider) above the plot, as a Vega-Lite
    spec (see ``viz.vega_lite`` for why not an Altair chart).

    >>> import numpy as np
    >>> from calc_core.limits import d2l_function
    >>> xs = np.linspace(0, 3, 61)
    >>> spec = secant_chart(xs, d2l_function(xs), 1.0, f_at=d2l_function, tangent_slope=2.0).to_dict()
    >>> spec["params"][0]["bind"]["input"], spec["params"][0]["value"]
    ('range', 0.0)
    """
    if f_at is None:
        raise ValueError("secant_chart needs f_at, the function to evaluate at x0 + h")
    labels = merge_labels(SECANT_LABELS, labels)
    style = plot_style(projector)
    hs = secant_steps() if hs is None else np.asarray(hs, dtype=np.float64)
    ks, step = _log_steps(hs)
    table = secant_table(f_at, x0, hs)
    if not math.isfinite(table.f_x0):
        raise ValueError(f"f(x0) is not defined at x0 = {x0}: there is no secant through it")

    curve_rows = _curve_rows(curve_x, curve_y, curve_segment)
    x_domain = _x_domain(curve_rows, x0)
    y_domain = y_domain or _y_domain([row["y"] for row in curve_rows] + [table.f_x0])
    k_initial = ks[0] if h_initial is None else ks[int(np.argmin(np.abs(ks + math.log10(h_initial))))]
    slider = {"input": "range", "min": float(ks[0]), "max": float(ks[-1]), "step": step}
    k = {"name": SECANT_PARAM, "value": float(k_initial), "bind": slider | {"name": labels["slider"] + " "}}

    show_tangent = tangent_slope is not None and math.isfinite(tangent_slope)
    sides = [("", table, "secant_slope")]
    if both_sides:
        sides.append(("left_", secant_table(f_at, x0, -hs), "left_secant_slope"))
    datasets = Datasets()
    secant_data = datasets.add(
        _secant_rows(sides, ks, x_domain, tangent_slope if show_tangent else None, labels)
    )
    selected = {"filter": f"abs(datum.k - {SECANT_PARAM}) < {step / 2!r}"}
    readout = _secant_readout(secant_data, selected, 1 + len(sides) + show_tangent, style, width)
    plot = _SecantPlot(labels, style, x_domain, [float(v) for v in y_domain], both_sides, show_tangent)
    layers = [plot.curve(datasets.add(curve_rows))]
    if show_tangent:
        ends = [{"x": x, "y": table.f_x0 + tangent_slope * (x - table.x0)} for x in x_domain]
        layers.append(plot.tangent(datasets.add(ends)))
    for prefix, _, _ in sides:
        layers += plot.secant(secant_data, selected, prefix)
    layers.append(plot.point(datasets.add([{"x": table.x0, "y": table.f_x0}])))
    body = {"vconcat": [readout, layer(layers, width=width, height=style.height)], "spacing": 4}
    return top_level(body | {"params": [k]}, datasets, view_stroke=False)


def _secant_readout(data: dict, selected: dict, lines: int, style: PlotStyle, width: int) -> dict:
    """The text above the plot: h and the slopes of the selected row, ``lines`` lines of them."""
    font_size = style.legend_size + 2
    text = mark("text", align="left", baseline="top", fontSize=font_size, lineHeight=font_size * 1.4)
    encoding = {"text": channel("readout:N"), "x": {"value": 0}, "y": {"value": 4}}
    size = {"width": width, "height": round(lines * font_size * 1.4) + 8}
    return view(data, text, encoding, [selected, READOUT_LINES]) | size


class _SecantPlot:
    """The views of the secant's plot: axes, colours and line style shared by every layer."""

    def __init__(self, labels, style: PlotStyle, x_domain, y_domain, both_sides: bool, show_tangent: bool):
        self.labels, self.style = labels, style
        self.colors = {"curve": CURVE_COLOR, "secant": SECANT_COLOR}
        if both_sides:
            self.colors["left_secant"] = LEFT_SECANT_COLOR
        if show_tangent:
            self.colors["tangent"] = TANGENT_COLOR
        legend = stroke_legend(style, orient="top", direction="horizontal")
        scale = {"domain": [labels[key] for key in self.colors], "range": list(self.colors.values())}
        self.color = channel("series:N", scale=scale, legend=legend)
        self.x_scale = {"domain": x_domain, "nice": False}
        self.y_scale = {"domain": y_domain, "nice": False}
        self.line = {"strokeWidth": style.stroke_width, "clip": True, "strokeCap": "round"}

    def x(self, field: str) -> dict:
        return channel(f"{field}:Q", title=self.labels["x"], scale=self.x_scale, axis=axis(self.style))

    def y(self, field: str) -> dict:
        return channel(f"{field}:Q", title=self.labels["y"], scale=self.y_scale, axis=axis(self.style))

    def series(self, label_key: str) -> dict:
        """A constant field ``series`` naming the view in the shared colour legend."""
        return calculate(string_literal(self.labels[label_key]), "series")

    def curve(self, data: dict) -> dict:
        encoding = {"x": self.x("x"), "y": self.y("y"), "detail": channel("segment:N"), "color": self.color}
        return view(data, mark("line", **self.line), encoding, [self.series("curve")])

    def tangent(self, data: dict) -> dict:
        dash = [length * self.style.dash_scale for length in DASHED]
        encoding = {"x": self.x("x"), "y": self.y("y"), "color": self.color}
        return view(data, mark("line", **self.line, strokeDash=dash), encoding, [self.series("tangent")])

    def secant(self, data: dict, selected: dict, prefix: str) -> list[dict]:
        """The secant line of the selected h and its moving point (``prefix`` "left_": the left secant)."""
        label_key = "left_secant" if prefix else "secant"
        chosen = [selected, {"filter": f"datum.{prefix}defined"}]
        line_encoding = {
            "x": self.x(prefix + "xa"),
            "y": self.y(prefix + "ya"),
            "x2": {"field": prefix + "xb"},
            "y2": {"field": prefix + "yb"},
            "color": self.color,
        }
        tooltip = [channel("h:Q", format=".3g"), channel(f"{prefix}slope:Q", format=".6g")]
        point_encoding = {"x": self.x(prefix + "x1"), "y": self.y(prefix + "y1"), "tooltip": tooltip}
        point_mark = mark(
            "circle", size=self.style.point_size, color=self.colors[label_key], opacity=1, clip=True
        )
        return [
            view(data, mark("rule", **self.line), line_encoding, [*chosen, self.series(label_key)]),
            view(data, point_mark, point_encoding, chosen),
        ]

    def point(self, data: dict) -> dict:
        point_mark = mark("circle", size=self.style.point_size, color=BLACK, opacity=1, clip=True)
        return view(data, point_mark, {"x": self.x("x"), "y": self.y("y")})


def _log_steps(hs: np.ndarray) -> tuple[np.ndarray, float]:
    """k = −log10(h) for each h, and the common step between them (the slider's step)."""
    if hs.ndim != 1 or hs.size < 2 or not np.all(np.isfinite(hs) & (hs > 0)):
        raise ValueError("hs must hold at least two positive steps")
    ks = -np.log10(hs)
    steps = np.diff(ks)
    step = float(np.mean(steps))
    if step <= 0 or not np.allclose(steps, step, rtol=1e-6, atol=1e-9):
        raise ValueError("hs must decrease in equal steps of log10(h), as secant_steps() makes them")
    return np.round(ks, 9) + 0.0, round(step, 9)  # + 0.0 turns −0.0 (for h = 1) into 0.0


def _curve_rows(curve_x, curve_y, curve_segment) -> list[dict]:
    xs = np.asarray(curve_x, dtype=np.float64)
    ys = np.asarray(curve_y, dtype=np.float64)
    if xs.shape != ys.shape or xs.ndim != 1:
        raise ValueError("curve_x and curve_y must be 1-D arrays of the same length")
    defined = np.isfinite(xs) & np.isfinite(ys)
    # Without given segments, a new piece starts after every gap, so that the line does not bridge it.
    segments = np.cumsum(~defined) if curve_segment is None else np.asarray(curve_segment)
    columns = (xs[defined].tolist(), ys[defined].tolist(), segments[defined].tolist())
    return [{"x": x, "y": y, "segment": int(s)} for x, y, s in zip(*columns, strict=True)]


def _x_domain(curve_rows: list[dict], x0: float) -> list[float]:
    xs = [row["x"] for row in curve_rows] + [x0]
    return [float(min(xs)), float(max(xs))]


def _y_domain(values) -> list[float]:
    finite = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=np.float64)
    if finite.size == 0:
        return [-1.0, 1.0]
    low, high = np.percentile(finite, [1, 99]) if finite.size > 50 else (finite.min(), finite.max())
    pad = 0.08 * (high - low) if high > low else max(1.0, abs(low))
    return [float(low - pad), float(high + pad)]


# The readout's lines travel as one text (a list would keep the whole dataset out of Arrow, inline in the
# spec: 30 KB of JSON to write on every rerun); the browser splits them into the lines of the text mark.
READOUT_SEPARATOR = " | "
READOUT_LINES = {"calculate": f"split(datum.readout, '{READOUT_SEPARATOR}')", "as": "readout"}


def _secant_rows(sides, ks, x_domain, tangent_slope, labels) -> list[dict]:
    """One row per slider value; ``sides`` are (field prefix, SecantTable, readout label key) pairs. The
    readout's lines are joined by READOUT_SEPARATOR."""
    rows = []
    for i, k in enumerate(ks):
        h = sides[0][1].h[i]
        row = {"k": float(k), "h": float(abs(h)), "readout": [f"{labels['h']} = {readout(abs(h), 4)}"]}
        for prefix, table, label_key in sides:
            x1, y1, slope = table.x1[i], table.y1[i], table.slope[i]
            defined = bool(math.isfinite(slope) and math.isfinite(y1))
            value = readout(slope, 7) if defined else labels["undefined"]
            row["readout"].append(f"{labels[label_key]} = {value}")
            row[prefix + "defined"] = defined
            if defined:
                ends = {
                    "x1": x1,
                    "y1": y1,
                    "slope": slope,
                    "xa": x_domain[0],
                    "ya": table.f_x0 + slope * (x_domain[0] - table.x0),
                    "xb": x_domain[1],
                    "yb": table.f_x0 + slope * (x_domain[1] - table.x0),
                }
                row.update({prefix + name: float(number) for name, number in ends.items()})
        if tangent_slope is not None:
            row["readout"].append(f"{labels['tangent_slope']} = {readout(tangent_slope, 7)}")
        row["readout"] = READOUT_SEPARATOR.join(row["readout"])
        rows.append(row)
    return rows


# --- The error against h ----------------------------------------------------------------------------


def error_chart(
    table: ErrorTable,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    h_decreasing: bool = True,
    width: int = 520,
) -> VegaLite:
    """Log–log plot of the measured error of each quotient against h, with the models dashed beside them.

    Measured errors are solid lines with points (exact hits, error 0, cannot sit on a log axis: they are
    left off the lines and marked with a downward triangle at the bottom of the plot, at ``table.floor``).
    The models (truncation ∝ h and ∝ h², round-off ∝ 1/h) are dashed or dotted, only where positive.
    A diamond marks the best h of each scheme, labelled with its value. With ``h_decreasing`` the h axis
    runs from large to small, the direction of h → 0. Label keys: see ``ERROR_LABELS``.

    >>> from calc_core.limits import error_table
    >>> spec = error_chart(error_table(np.sin, 1.0, math.cos(1.0))).to_dict()
    >>> spec["layer"][0]["encoding"]["x"]["scale"]["type"], spec["layer"][0]["encoding"]["y"]["scale"]["type"]
    ('log', 'log')
    """
    labels = merge_labels(ERROR_LABELS, labels)
    style = plot_style(projector)
    measured, hits, model_rows = _error_rows(table, labels)
    best_rows = _best_rows(table, labels, style, h_decreasing)
    measured_errors = [row["error"] for row in measured]
    y_low = table.floor / 2 if hits else min(measured_errors, default=1e-16) / 3
    y_high = max(measured_errors, default=1.0) * 3
    h_scale = {"type": "log", "reverse": h_decreasing, "nice": False}
    h_scale["domain"] = [float(table.h.min()), float(table.h.max())]
    x = channel("h:Q", title=labels["h"], scale=h_scale, axis=axis(style, format="~e", tickCount=8))
    y_scale = {"type": "log", "domain": [y_low, y_high], "nice": False}
    y = channel("error:Q", title=labels["error"], scale=y_scale, axis=axis(style, format="~e"))
    color, dash = _error_legend(labels, style)
    tooltip = [channel("label:N", title=" "), channel("h:Q", format=".3e"), channel("error:Q", format=".3e")]
    shared = {"x": x, "y": y, "color": color}
    lined = shared | {"strokeDash": dash}

    datasets = Datasets()
    layers = [
        view(
            datasets.add(measured),
            mark("line", strokeWidth=style.stroke_width, clip=True, point={"size": style.point_size / 3}),
            lined | {"detail": channel("scheme:N"), "tooltip": tooltip},
        ),
        view(
            datasets.add(model_rows),
            mark("line", strokeWidth=style.stroke_width * 0.75, clip=True),
            lined | {"detail": channel("model:N"), "tooltip": tooltip},
        ),
    ]
    if hits:
        hit_tooltip = [channel("label:N", title=labels["exact_hit"]), tooltip[1]]
        hit_mark = mark("point", shape="triangle-down", filled=True, size=style.point_size, clip=True)
        layers.append(view(datasets.add(hits), hit_mark, shared | {"tooltip": hit_tooltip}))
    if best_rows:
        diamond = mark("point", shape="diamond", filled=True, size=style.point_size * 2.5)
        diamond |= {"stroke": BLACK, "opacity": 1}
        best_tooltip = [channel("text:N", title=" "), *tooltip]
        layers.append(view(datasets.add(best_rows), diamond, shared | {"tooltip": best_tooltip}))
        for row in best_rows:  # one layer each: the labels sit above or below their diamonds
            label = mark("text", fontSize=style.legend_size, fontWeight="bold")
            label |= {"dy": row["dy"], "align": row["align"]}
            layers.append(view(datasets.add([row]), label, shared | {"text": channel("text:N")}))
    return top_level(layer(layers, width=width, height=style.height), datasets)


def _error_rows(table: ErrorTable, labels: Mapping[str, str]) -> tuple[list[dict], list[dict], list[dict]]:
    """The measured errors (exact hits left out), the exact hits (at the floor), the models where positive."""
    records = table.records()
    measured = [{**row, "label": labels[row["scheme"]]} for row in records if row["error"] is not None]
    hits = [
        {**row, "label": labels[row["scheme"]], "error": table.floor} for row in records if row["exact_hit"]
    ]
    models = [
        {"model": name, "label": labels[name], "h": float(h), "error": float(value)}
        for name, values in table.models.items()
        for h, value in zip(table.h, values, strict=True)
        if math.isfinite(value) and value > 0
    ]
    return measured, hits, models


def _best_rows(table: ErrorTable, labels: Mapping[str, str], style: PlotStyle, h_decreasing: bool) -> list:
    """One row per scheme with a best h: where its diamond and its label go."""
    best = best_h(table)
    rows = []
    for offset, scheme in zip((-14, 18, -14), SCHEMES, strict=True):
        error = table.error[scheme][table.h == best[scheme]]
        if math.isfinite(best[scheme]) and error.size:
            rows.append(
                {
                    "scheme": scheme,
                    "label": labels[scheme],
                    "h": best[scheme],
                    "error": max(float(error[0]), table.floor),
                    "text": f"{labels['best_h']} ≈ {best[scheme]:.0e}".replace("e-0", "e-"),
                    "dy": offset * (style.legend_size / 13),
                    "align": _edge_align(best[scheme], table.h, h_decreasing),
                }
            )
    return rows


def _error_legend(labels: Mapping[str, str], style: PlotStyle) -> tuple[dict, dict]:
    """The colour and dash channels of the error chart, one legend entry per scheme and model."""
    series = [labels[s] for s in SCHEMES] + [labels[m] for m in MODEL_COLORS]
    colors = [SCHEME_COLORS[s] for s in SCHEMES] + list(MODEL_COLORS.values())
    dashes = [[1, 0]] * len(SCHEMES) + [
        [length * style.dash_scale for length in MODEL_DASHES[m]] for m in MODEL_COLORS
    ]
    legend = stroke_legend(style, orient="bottom", columns=2)
    color = channel("label:N", scale={"domain": series, "range": colors}, legend=legend)
    dash = channel("label:N", scale={"domain": series, "range": dashes}, legend=legend)
    return color, dash


def _edge_align(h: float, hs: np.ndarray, h_decreasing: bool) -> str:
    """Text alignment that keeps a label near the left or right edge of a log h axis inside the plot."""
    low, high = math.log10(hs.min()), math.log10(hs.max())
    position = (math.log10(h) - low) / (high - low) if high > low else 0.5
    if h_decreasing:
        position = 1 - position
    return "left" if position < 0.15 else "right" if position > 0.85 else "center"


def spec_size(chart) -> int:
    """Bytes of the chart's JSON (``chart`` a spec or anything with ``to_dict()``), as sent to the browser.

    >>> spec_size({"mark": "point", "data": {"values": [{"a": 1}]}})
    44
    """
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    return len(json.dumps(spec, separators=(",", ":")).encode())

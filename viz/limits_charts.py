"""Charts for the derivative as a limit: the secant turning into the tangent, and the error of h.

Pure figure builders: data in, Altair chart out, no Streamlit. Every visible word comes from ``labels``
(the page passes translated strings; English defaults make the functions usable from a notebook).

Interaction happens in the browser. :func:`secant_chart` precomputes the secant for every slider value
(one row per h) and a Vega-Lite param bound to a range slider selects the row with a filter, so dragging h
redraws the secant, the moving point and the slope readout without a rerun of the page.
The slider runs over k = −log10(h), so moving it to the right makes h smaller: h → 0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import altair as alt
import numpy as np

from calc_core.limits import SCHEMES, ErrorTable, best_h, secant_steps, secant_table
from viz import palette
from viz.function_plot import PlotStyle, merge_labels, plot_style
from viz.palette import BLACK, DASHED, DOTTED

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


def _axis(style: PlotStyle, **extra) -> alt.Axis:
    return alt.Axis(labelFontSize=style.axis_label_size, titleFontSize=style.axis_title_size, **extra)


def _legend(style: PlotStyle, **extra) -> alt.Legend:
    return alt.Legend(
        title=None,
        symbolType="stroke",
        labelLimit=0,
        labelFontSize=style.legend_size,
        symbolStrokeWidth=style.stroke_width,
        symbolSize=style.legend_size * 40,
        **extra,
    )


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
) -> alt.VConcatChart:
    """The curve, the secant through (x0, f(x0)) and (x0 + h, f(x0 + h)), and a slider for h.

    ``curve_x``, ``curve_y``: the sampled curve (NaN at gaps; ``curve_segment`` as from
    ``calc_core.sampling`` breaks the line at poles). ``f_at``: the function on float arrays (e.g. from
    ``compile_numeric``), evaluated once at x0 and at x0 + h for every h in ``hs`` (default
    ``secant_steps()``: h = 1 … 0.001, ten steps a decade, evenly spaced in log10 h, as the slider needs).
    ``tangent_slope``: f'(x0) when it exists (from SymPy); the dashed tangent is drawn only then.
    ``both_sides`` adds the left secant through (x0 − h, f(x0 − h)) and its slope (f(x0 − h) − f(x0))/(−h),
    for one-sided limits: for |x| at 0 the two slopes stay −1 and 1 however small h gets.
    Label keys: see ``SECANT_LABELS``.

    The result is the readout (h and both slopes, updated with the slider) above the plot.

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

    k = alt.param(
        name=SECANT_PARAM,
        value=float(k_initial),
        bind=alt.binding_range(min=float(ks[0]), max=float(ks[-1]), step=step, name=labels["slider"] + " "),
    )
    selected = f"abs(datum.k - {SECANT_PARAM}) < {step / 2!r}"
    show_tangent = tangent_slope is not None and math.isfinite(tangent_slope)
    sides = [("", table, "secant_slope")]
    if both_sides:
        sides.append(("left_", secant_table(f_at, x0, -hs), "left_secant_slope"))
    rows = _secant_rows(sides, ks, x_domain, tangent_slope if show_tangent else None, labels)
    secant_data = alt.InlineData(values=rows)

    series_colors = {"curve": CURVE_COLOR, "secant": SECANT_COLOR}
    if both_sides:
        series_colors["left_secant"] = LEFT_SECANT_COLOR
    if show_tangent:
        series_colors["tangent"] = TANGENT_COLOR
    colors = alt.Scale(domain=[labels[key] for key in series_colors], range=list(series_colors.values()))
    x_scale = alt.Scale(domain=x_domain, nice=False)
    y_scale = alt.Scale(domain=y_domain, nice=False)

    def x_at(field: str) -> alt.X:
        return alt.X(f"{field}:Q", title=labels["x"], scale=x_scale, axis=_axis(style))

    def y_at(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", title=labels["y"], scale=y_scale, axis=_axis(style))

    legend = _legend(style, orient="top", direction="horizontal")

    def series(chart: alt.Chart, label_key: str) -> alt.Chart:
        """The chart with a constant field ``series`` naming it in the shared colour legend."""
        return chart.transform_calculate(series=json.dumps(labels[label_key], ensure_ascii=False))

    color = alt.Color("series:N", scale=colors, legend=legend)

    line = {"strokeWidth": style.stroke_width, "clip": True, "strokeCap": "round"}

    curve = series(alt.Chart(alt.InlineData(values=curve_rows)), "curve").mark_line(**line)
    curve = curve.encode(x_at("x"), y_at("y"), detail="segment:N", color=color)
    layers = [curve]
    if show_tangent:
        tangent_rows = [
            {"x": x, "y": table.f_x0 + tangent_slope * (x - table.x0)} for x in (x_domain[0], x_domain[1])
        ]
        tangent = series(alt.Chart(alt.InlineData(values=tangent_rows)), "tangent")
        tangent = tangent.mark_line(**line, strokeDash=[length * style.dash_scale for length in DASHED])
        layers.append(tangent.encode(x_at("x"), y_at("y"), color=color))
    for prefix, _, _ in sides:
        chosen = alt.Chart(secant_data).transform_filter(selected).transform_filter(f"datum.{prefix}defined")
        label_key = "left_secant" if prefix else "secant"
        layers.append(
            series(chosen, label_key)
            .mark_rule(**line)
            .encode(
                x=x_at(prefix + "xa"),
                y=y_at(prefix + "ya"),
                x2=f"{prefix}xb:Q",
                y2=f"{prefix}yb:Q",
                color=color,
            )
        )
        layers.append(
            chosen.mark_circle(
                size=style.point_size, color=series_colors[label_key], opacity=1, clip=True
            ).encode(
                x=x_at(prefix + "x1"),
                y=y_at(prefix + "y1"),
                tooltip=[alt.Tooltip("h:Q", format=".3g"), alt.Tooltip(f"{prefix}slope:Q", format=".6g")],
            )
        )
    point_rows = [{"x": table.x0, "y": table.f_x0}]
    layers.append(
        alt.Chart(alt.InlineData(values=point_rows))
        .mark_circle(size=style.point_size, color=BLACK, opacity=1, clip=True)
        .encode(x_at("x"), y_at("y"))
    )
    plot = alt.layer(*layers).properties(width=width, height=style.height)

    readout_lines = 1 + len(sides) + show_tangent
    font_size = style.legend_size + 2
    readout = (
        alt.Chart(secant_data)
        .transform_filter(selected)
        .mark_text(align="left", baseline="top", fontSize=font_size, lineHeight=font_size * 1.4)
        .encode(x=alt.value(0), y=alt.value(4), text="readout:N")
        .properties(width=width, height=round(readout_lines * font_size * 1.4) + 8)
    )
    return alt.vconcat(readout, plot, spacing=4).add_params(k).configure_view(stroke=None)


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


def _secant_rows(sides, ks, x_domain, tangent_slope, labels) -> list[dict]:
    """One row per slider value; ``sides`` are (field prefix, SecantTable, readout label key) pairs."""
    rows = []
    for i, k in enumerate(ks):
        h = sides[0][1].h[i]
        row = {"k": float(k), "h": float(abs(h)), "readout": [f"{labels['h']} = {_number(abs(h), 4)}"]}
        for prefix, table, label_key in sides:
            x1, y1, slope = table.x1[i], table.y1[i], table.slope[i]
            defined = bool(math.isfinite(slope) and math.isfinite(y1))
            value = _number(slope, 7) if defined else labels["undefined"]
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
            row["readout"].append(f"{labels['tangent_slope']} = {_number(tangent_slope, 7)}")
        rows.append(row)
    return rows


def _number(value: float, digits: int) -> str:
    """A number for a readout: up to ``digits`` significant digits, no trailing zeros, −0 shown as 0."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


# --- The error against h ----------------------------------------------------------------------------


def error_chart(
    table: ErrorTable,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    h_decreasing: bool = True,
    width: int = 520,
) -> alt.LayerChart:
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
    measured = [
        {**row, "label": labels[row["scheme"]]} for row in table.records() if row["error"] is not None
    ]
    hits = [
        {**row, "label": labels[row["scheme"]], "error": table.floor}
        for row in table.records()
        if row["exact_hit"]
    ]
    model_rows = [
        {"model": name, "label": labels[name], "h": float(h), "error": float(value)}
        for name, values in table.models.items()
        for h, value in zip(table.h, values, strict=True)
        if math.isfinite(value) and value > 0
    ]
    best = best_h(table)
    best_rows = []
    for offset, scheme in zip((-14, 18, -14), SCHEMES, strict=True):
        error = table.error[scheme][table.h == best[scheme]]
        if math.isfinite(best[scheme]) and error.size:
            best_rows.append(
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

    measured_errors = [row["error"] for row in measured]
    y_low = table.floor / 2 if hits else min(measured_errors, default=1e-16) / 3
    y_high = max(measured_errors, default=1.0) * 3
    h_domain = [float(table.h.min()), float(table.h.max())]
    series = [labels[s] for s in SCHEMES] + [labels[m] for m in MODEL_COLORS]
    color_scale = alt.Scale(
        domain=series, range=[SCHEME_COLORS[s] for s in SCHEMES] + list(MODEL_COLORS.values())
    )
    dash_scale = alt.Scale(
        domain=series,
        range=[[1, 0]] * len(SCHEMES)
        + [[length * style.dash_scale for length in MODEL_DASHES[m]] for m in MODEL_COLORS],
    )
    x = alt.X(
        "h:Q",
        title=labels["h"],
        scale=alt.Scale(type="log", reverse=h_decreasing, nice=False, domain=h_domain),
        axis=_axis(style, format="~e", tickCount=8),
    )
    y = alt.Y(
        "error:Q",
        title=labels["error"],
        scale=alt.Scale(type="log", domain=[y_low, y_high], nice=False),
        axis=_axis(style, format="~e"),
    )
    legend = _legend(style, orient="bottom", columns=2)
    color = alt.Color("label:N", scale=color_scale, legend=legend)
    dash = alt.StrokeDash("label:N", scale=dash_scale, legend=legend)
    tooltip = [
        alt.Tooltip("label:N", title=" "),
        alt.Tooltip("h:Q", format=".3e"),
        alt.Tooltip("error:Q", format=".3e"),
    ]

    lines = (
        alt.Chart(alt.InlineData(values=measured))
        .mark_line(
            strokeWidth=style.stroke_width, clip=True, point=alt.OverlayMarkDef(size=style.point_size / 3)
        )
        .encode(x, y, color=color, strokeDash=dash, detail="scheme:N", tooltip=tooltip)
    )
    models = (
        alt.Chart(alt.InlineData(values=model_rows))
        .mark_line(strokeWidth=style.stroke_width * 0.75, clip=True)
        .encode(x, y, color=color, strokeDash=dash, detail="model:N", tooltip=tooltip)
    )
    layers = [lines, models]
    if hits:
        layers.append(
            alt.Chart(alt.InlineData(values=hits))
            .mark_point(shape="triangle-down", filled=True, size=style.point_size, clip=True)
            .encode(
                x, y, color=color, tooltip=[alt.Tooltip("label:N", title=labels["exact_hit"]), tooltip[1]]
            )
        )
    if best_rows:
        best_data = alt.InlineData(values=best_rows)
        layers.append(
            alt.Chart(best_data)
            .mark_point(shape="diamond", filled=True, size=style.point_size * 2.5, stroke=BLACK, opacity=1)
            .encode(x, y, color=color, tooltip=[alt.Tooltip("text:N", title=" "), *tooltip])
        )
        for row in best_rows:  # one layer each: the labels sit above or below their diamonds
            layers.append(
                alt.Chart(alt.InlineData(values=[row]))
                .mark_text(fontSize=style.legend_size, fontWeight="bold", dy=row["dy"], align=row["align"])
                .encode(x, y, text="text:N", color=color)
            )
    return alt.layer(*layers).properties(width=width, height=style.height)


def _edge_align(h: float, hs: np.ndarray, h_decreasing: bool) -> str:
    """Text alignment that keeps a label near the left or right edge of a log h axis inside the plot."""
    low, high = math.log10(hs.min()), math.log10(hs.max())
    position = (math.log10(h) - low) / (high - low) if high > low else 0.5
    if h_decreasing:
        position = 1 - position
    return "left" if position < 0.15 else "right" if position > 0.85 else "center"


def spec_size(chart: alt.TopLevelMixin) -> int:
    """Bytes of the chart's JSON, as sent to the browser (to keep it small).

    >>> spec_size(alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point()) < 1000
    True
    """
    return len(json.dumps(chart.to_dict(), separators=(",", ":")).encode())

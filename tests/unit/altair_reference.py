"""The chart builders of ``viz`` as they were written with Altair's API, kept as the reference the plain
Vega-Lite builders are compared with (``test_chart_templates.py``): the browser must get the same spec.

Copied unchanged from viz/limits_charts.py, viz/chain_charts.py, viz/function_plot.py and
viz/exhaustion_charts.py before they were rewritten as dicts (docstrings left out); only two names of
exhaustion_charts are spelled out here, where both modules meet (its ERROR_LABELS, its legend). The data
helpers they call are imported from ``viz``: what is compared is how the spec is put together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from calc_core.exhaustion import ARCHIMEDES_SIDES, ExhaustionErrors, circumscribed_area, inscribed_area
from calc_core.limits import SCHEMES, ErrorTable, best_h, secant_steps, secant_table
from calc_core.sampling import SampledCurve
from viz import palette
from viz.chain_charts import ACTUAL_COLOR, DEFAULT_DX, ESTIMATE_COLOR, NUDGE_LABELS, NUDGE_PARAM, nudge_rows
from viz.exhaustion_charts import (
    CIRCLE_COLOR,
    CIRCUMSCRIBED_COLOR,
    CIRCUMSCRIBED_FILL,
    INSCRIBED_COLOR,
    INSCRIBED_FILL,
    N_PARAM,
    POLYGON_LABELS,
    TRIANGLE_FILL,
)
from viz.exhaustion_charts import ERROR_LABELS as EXHAUSTION_ERROR_LABELS
from viz.function_plot import Curves, PlotStyle, _points_to_draw, merge_labels, plot_style
from viz.limits_charts import (
    CURVE_COLOR,
    ERROR_LABELS,
    LEFT_SECANT_COLOR,
    MODEL_COLORS,
    MODEL_DASHES,
    READOUT_SEPARATOR,
    SCHEME_COLORS,
    SECANT_COLOR,
    SECANT_LABELS,
    SECANT_PARAM,
    TANGENT_COLOR,
    _curve_rows,
    _edge_align,
    _log_steps,
    _secant_rows,
    _x_domain,
    _y_domain,
)
from viz.palette import BLACK, DASHED, curve_color, curve_dash


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


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
        .transform_calculate(readout=f"split(datum.readout, '{READOUT_SEPARATOR}')")
        .mark_text(align="left", baseline="top", fontSize=font_size, lineHeight=font_size * 1.4)
        .encode(x=alt.value(0), y=alt.value(4), text="readout:N")
        .properties(width=width, height=round(readout_lines * font_size * 1.4) + 8)
    )
    return alt.vconcat(readout, plot, spacing=4).add_params(k).configure_view(stroke=None)


def error_chart(
    table: ErrorTable,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    h_decreasing: bool = True,
    width: int = 520,
) -> alt.LayerChart:
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


def nudge_chart(
    nudges: Sequence[Mapping],
    stages: Sequence[str],
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    width: int = 520,
    initial_dx: float = DEFAULT_DX,
) -> alt.LayerChart:
    labels = merge_labels(NUDGE_LABELS, labels)
    style = plot_style(projector)
    values = [float(n["dx"]) for n in nudges]
    initial = min(values, key=lambda dx: abs(dx - initial_dx))
    dx = alt.param(
        name=NUDGE_PARAM, value=initial, bind=alt.binding_radio(options=values, name=labels["choose"])
    )
    data = alt.InlineData(values=nudge_rows(nudges, stages))
    axis = {"labelFontSize": style.axis_label_size, "titleFontSize": style.axis_title_size}
    y = alt.Y(
        "stage:N",
        sort=list(reversed(stages)),  # Δx on top, then each stage the nudge passes through
        title=None,
        axis=alt.Axis(labelFontSize=style.axis_title_size, labelLimit=0),
    )
    colors = alt.Scale(domain=[labels["actual"], labels["estimate"]], range=[ACTUAL_COLOR, ESTIMATE_COLOR])
    legend = alt.Legend(title=None, orient="top", labelFontSize=style.legend_size, labelLimit=0)

    def chosen(kind: str) -> alt.Chart:
        return (
            alt.Chart(data)
            .transform_filter(f"datum.dx == {NUDGE_PARAM}")
            .transform_calculate(series=json.dumps(labels[kind], ensure_ascii=False))
        )

    x = alt.X("actual:Q", title=labels["change"], axis=alt.Axis(**axis), scale=alt.Scale(zero=True))
    color = alt.Color("series:N", scale=colors, legend=legend)
    bars = chosen("actual").mark_bar(height={"band": 0.55}).encode(x=x, y=y, color=color)
    ticks = (
        chosen("estimate")
        .mark_tick(thickness=max(3, style.stroke_width), size=style.axis_title_size * 2.2)
        .encode(x=alt.X("estimate:Q"), y=y, color=color)
    )
    text = (
        chosen("actual")
        .mark_text(align="left", dx=6, fontSize=style.legend_size)
        .encode(x=alt.X("actual:Q"), y=y, text="text:N")
    )
    zero = alt.Chart(alt.InlineData(values=[{"x": 0}])).mark_rule(color=palette.BLACK).encode(x="x:Q")
    height = 70 * len(stages) * (1.4 if projector else 1)
    return (
        alt.layer(bars, ticks, text, zero)
        .add_params(dx)
        .properties(width=width, height=round(height))
        .configure_view(stroke=None)
    )


def function_chart(
    curves: Curves,
    *,
    x_title: str = "x",
    y_title: str = "y",
    y_limits: tuple[float, float] | None = None,
    height: int | None = None,
    projector: bool = False,
    points: Sequence[tuple[str, float, float]] = (),
) -> alt.LayerChart:
    if not curves:
        raise ValueError("function_chart needs at least one curve")
    style = plot_style(projector)
    labels = [label for label, _ in curves]
    if len(set(labels)) != len(labels):
        raise ValueError(f"curve labels must be distinct, got {labels}")
    encodings = _shared_encodings(curves, labels, style, x_title, y_title, y_limits or _union_limits(curves))
    layers = [_line_layer(label, curve, encodings, style) for label, curve in curves]
    if points:
        layers.append(_point_layer(points, encodings, style))
    return alt.layer(*layers).properties(height=height or style.height)


def _shared_encodings(curves: Curves, labels, style: PlotStyle, x_title, y_title, y_limits) -> dict:
    axis = {"labelFontSize": style.axis_label_size, "titleFontSize": style.axis_title_size}
    legend = alt.Legend(
        title=None,
        labelFontSize=style.legend_size,
        symbolStrokeWidth=style.stroke_width,
        symbolSize=style.legend_size * 40,
        orient="top",
        labelLimit=0,
    )
    return {
        "x": alt.X("x:Q", title=x_title, scale=_domain_scale(_x_range(curves)), axis=alt.Axis(**axis)),
        "y": alt.Y("y:Q", title=y_title, scale=_domain_scale(y_limits), axis=alt.Axis(**axis)),
        "color": alt.Color(
            "label:N",
            scale=alt.Scale(domain=labels, range=[curve_color(i) for i in range(len(labels))]),
            legend=legend,
        ),
        "strokeDash": alt.StrokeDash(
            "label:N",
            scale=alt.Scale(
                domain=labels, range=[curve_dash(i, style.dash_scale) for i in range(len(labels))]
            ),
            legend=legend,
        ),
    }


def _domain_scale(limits: tuple[float, float] | None) -> alt.Scale:
    if limits is None:
        return alt.Scale(zero=False)
    return alt.Scale(domain=[float(limits[0]), float(limits[1])], nice=False, zero=False)


def _x_range(curves: Curves) -> tuple[float, float] | None:
    xs = np.concatenate([curve.x for _, curve in curves])
    return (float(xs.min()), float(xs.max())) if xs.size else None


def _union_limits(curves: Curves) -> tuple[float, float] | None:
    limits = [curve.y_limits for _, curve in curves if curve.y_limits is not None]
    if not limits:
        return None
    return (min(low for low, _ in limits), max(high for _, high in limits))


def _line_layer(label: str, curve: SampledCurve, encodings: dict, style: PlotStyle) -> alt.Chart:
    # A DataFrame, not inline values: Altair copies inline rows on every layer() and properties() call, and
    # Streamlit sends a DataFrame as Arrow. Gaps are left out, since a line mark cannot draw them anyway.
    kept = _points_to_draw(curve)
    frame = pd.DataFrame(
        {"label": label, "x": curve.x[kept], "y": curve.y[kept], "segment": curve.segment[kept]}
    )
    return (
        alt.Chart(frame)
        .mark_line(clip=True, strokeWidth=style.stroke_width, strokeCap="round", strokeJoin="round")
        .encode(
            **encodings,
            detail=alt.Detail("segment:N"),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("x:Q", format=".4~g"),
                alt.Tooltip("y:Q", format=".4~g"),
            ],
        )
    )


def _point_layer(points, encodings: dict, style: PlotStyle) -> alt.Chart:
    frame = pd.DataFrame([{"point": label, "x": float(x), "y": float(y)} for label, x, y in points])
    return (
        alt.Chart(frame)
        .mark_circle(clip=True, size=style.point_size, color=BLACK, opacity=1)
        .encode(
            x=encodings["x"],
            y=encodings["y"],
            tooltip=[
                alt.Tooltip("point:N", title=" "),
                alt.Tooltip("x:Q", format=".4~g"),
                alt.Tooltip("y:Q", format=".4~g"),
            ],
        )
    )


def polygon_chart(
    n_values: Sequence[int] = range(3, 1001),
    n_initial: int = 6,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    errors: ExhaustionErrors | None = None,
    error_labels: Mapping[str, str] | None = None,
    triangle_limit: int = 120,
    extent: float = 1.45,
    size: int | None = None,
) -> alt.VConcatChart:
    ns = np.asarray(list(n_values), dtype=np.int64)
    if ns.size < 2 or ns[0] < 3 or np.any(np.diff(ns) != 1):
        raise ValueError("n_values must be consecutive whole numbers from at least 3, e.g. range(3, 1001)")
    n_min, n_max = int(ns[0]), int(ns[-1])
    if not n_min <= n_initial <= n_max:
        raise ValueError(f"n_initial must lie in {n_min} … {n_max}, got {n_initial}")
    labels = merge_labels(POLYGON_LABELS, labels)
    style = plot_style(projector)
    size = size or style.height

    n = alt.param(
        name=N_PARAM,
        value=int(n_initial),
        bind=alt.binding_range(min=n_min, max=n_max, step=1, name=labels["slider"] + " "),
    )
    scale = alt.Scale(domain=[-extent, extent], nice=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    stroke = style.stroke_width
    thin = max(1.0, stroke / 2)

    def vertices(count: str, angle: str, radius: str = "1") -> alt.Chart:
        return (
            alt.Chart(alt.sequence(0, n_max + 2, as_="i"))
            .transform_filter(f"datum.i <= {count}")
            .transform_calculate(angle=angle, r=radius)
            .transform_calculate(x="datum.r * cos(datum.angle)", y="datum.r * sin(datum.angle)")
        )

    circumscribed = vertices(
        N_PARAM, f"(2 * datum.i + 1) * PI / {N_PARAM}", f"1 / cos(PI / {N_PARAM})"
    ).mark_line(
        fill=CIRCUMSCRIBED_FILL, fillOpacity=0.25, stroke=CIRCUMSCRIBED_COLOR, strokeWidth=stroke, clip=True
    )
    inscribed = vertices(N_PARAM, f"2 * datum.i * PI / {N_PARAM}").mark_line(
        fill=INSCRIBED_FILL, fillOpacity=0.45, stroke=INSCRIBED_COLOR, strokeWidth=stroke
    )
    # One path through the centre: O, V0, V1, O, V2, V3, O, … fills every other triangle and, with its
    # stroke, draws every spoke.
    triangles = (
        alt.Chart(alt.sequence(0, 3 * ((triangle_limit + 1) // 2) + 1, as_="j"))
        .transform_filter(f"{N_PARAM} <= {int(triangle_limit)} && datum.j <= 3 * ceil({N_PARAM} / 2)")
        .transform_calculate(
            corner="datum.j % 3",
            vertex=f"(2 * floor(datum.j / 3) + (datum.j % 3) - 1) % {N_PARAM}",
        )
        .transform_calculate(
            x=f"datum.corner == 0 ? 0 : cos(2 * PI * datum.vertex / {N_PARAM})",
            y=f"datum.corner == 0 ? 0 : sin(2 * PI * datum.vertex / {N_PARAM})",
        )
        .mark_line(fill=TRIANGLE_FILL, fillOpacity=0.2, stroke=INSCRIBED_COLOR, strokeWidth=thin / 1.5)
    )
    circle = vertices("360", "2 * PI * datum.i / 360").mark_line(color=CIRCLE_COLOR, strokeWidth=stroke)
    order = alt.Order("i:Q")
    picture = alt.layer(
        circumscribed.encode(x, y, order=order),
        inscribed.encode(x, y, order=order),
        triangles.encode(x, y, order=alt.Order("j:Q")),
        circle.encode(x, y, order=order),
    ).properties(width=size, height=size)

    rows = [
        {"n": int(k), "a": round(float(a), 12), "A": round(float(b), 12)}
        for k, a, b in zip(ns, inscribed_area(ns), circumscribed_area(ns), strict=True)
    ]
    areas = alt.InlineData(values=rows)
    font_size = style.legend_size + 2
    lines = [
        f"{_text(labels['n'] + ' = ')} + datum.n",
        f"{_text(labels['circumscribed'] + ' = ')} + format(datum.A, '.6f')",
        f"{_text(labels['circle'] + ' = ')} + format(PI, '.6f')",
        f"{_text(labels['inscribed'] + ' = ')} + format(datum.a, '.6f')",
        f"{_text(labels['gap'] + ' = ')} + format(PI - datum.a, '.6f')",
    ]
    colors = [CIRCUMSCRIBED_COLOR, CIRCLE_COLOR, INSCRIBED_COLOR]
    readout_layers = [
        alt.Chart(areas)
        .transform_filter(f"datum.n == {N_PARAM}")
        .transform_calculate(text=line)
        .mark_text(
            align="left",
            baseline="top",
            fontSize=font_size,
            fontWeight="bold" if row == 0 else "normal",
            color=colors[row - 1] if 1 <= row <= 3 else CIRCLE_COLOR,
        )
        .encode(x=alt.value(0), y=alt.value(4 + row * font_size * 1.4), text="text:N")
        for row, line in enumerate(lines)
    ]
    readout = alt.layer(*readout_layers).properties(
        width=size, height=round(len(lines) * font_size * 1.4) + 8
    )
    charts = [readout, picture]
    if errors is not None:
        charts.append(
            exhaustion_error_chart(
                errors, labels=error_labels, projector=projector, current=areas, width=size
            )
        )
    return alt.vconcat(*charts, spacing=6).add_params(n).configure_view(stroke=None)


def exhaustion_error_chart(
    table: ExhaustionErrors,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    current: alt.InlineData | None = None,
    width: int = 480,
) -> alt.LayerChart:
    labels = merge_labels(EXHAUSTION_ERROR_LABELS, labels)
    style = plot_style(projector)
    rows = []
    for n, inner, outer, reference in zip(
        table.n, table.inscribed_error, table.circumscribed_error, table.reference, strict=True
    ):
        for key, value in (("inscribed", inner), ("circumscribed", outer), ("reference", reference)):
            if math.isfinite(value) and value > 0:
                rows.append({"n": int(n), "error": float(value), "series": labels[key]})
    series = [labels["circumscribed"], labels["inscribed"], labels["reference"]]
    color = alt.Color(
        "series:N",
        scale=alt.Scale(domain=series, range=[CIRCUMSCRIBED_COLOR, INSCRIBED_COLOR, palette.BLACK]),
        legend=_legend(style, orient="bottom", direction="vertical"),
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(
            domain=series, range=[[1, 0], [1, 0], [length * style.dash_scale for length in (8, 4)]]
        ),
        legend=_legend(style, orient="bottom", direction="vertical"),
    )
    x = alt.X("n:Q", title=labels["n"], scale=alt.Scale(type="log", nice=False), axis=_axis(style))
    y = alt.Y("error:Q", title=labels["error"], scale=alt.Scale(type="log"), axis=_axis(style, format="~e"))
    data = alt.InlineData(values=rows)
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=style.stroke_width)
        .encode(x, y, color=color, strokeDash=dash, tooltip=_tooltip(labels))
    )
    archimedes = (
        alt.Chart(data)
        .transform_filter(alt.FieldOneOfPredicate(field="n", oneOf=list(ARCHIMEDES_SIDES)))
        .transform_filter(alt.FieldOneOfPredicate(field="series", oneOf=series[:2]))
        .mark_point(filled=True, size=style.point_size, shape="square")
        .encode(x, y, color=color, tooltip=_tooltip(labels))
    )
    layers = [lines, archimedes]
    if current is not None:
        here = alt.Chart(current).transform_filter(f"datum.n == {N_PARAM}")
        layers.append(here.mark_rule(strokeWidth=max(1.0, style.stroke_width / 2), color="#777777").encode(x))
        for field, color_value in (("A", CIRCUMSCRIBED_COLOR), ("a", INSCRIBED_COLOR)):
            layers.append(
                here.transform_calculate(error=f"abs(datum.{field} - PI)")
                .mark_circle(size=style.point_size * 1.5, color=color_value, opacity=1)
                .encode(x, y)
            )
    return alt.layer(*layers).properties(width=width, height=round(style.height * 0.75))


def _tooltip(labels: Mapping[str, str]) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("n:Q", title=labels["n"]),
        alt.Tooltip("error:Q", format=".3e"),
    ]

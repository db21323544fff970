"""Charts for the method of exhaustion: the circle squeezed between two regular n-gons, n on a slider.

Pure figure builders: data in, Altair chart out, no Streamlit; visible words come from ``labels``.

Moving n happens in the browser, and the spec stays small for every n from 3 to 1000 and beyond: the
polygons are not shipped as vertex lists (all n-gons up to 1000 would be half a million points) but drawn
from a short index sequence that Vega expands with cos and sin for the n the slider holds. The numbers
shown (areas, gaps to π) are not computed in the browser: they come from ``calc_core.exhaustion``, one
small row per n, selected by the same slider param.

Picture: the circumscribed n-gon (light orange), the inscribed n-gon (light blue) split into n triangles
from the centre as the Greeks did (every other triangle shaded, every spoke drawn; above ``triangle_limit``
sides the spokes would only blacken the disc, so they are left out), and the unit circle in black.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np

from calc_core.exhaustion import (
    ARCHIMEDES_SIDES,
    ExhaustionErrors,
    circumscribed_area,
    inscribed_area,
)
from viz import palette
from viz.function_plot import PlotStyle, merge_labels, plot_style

N_PARAM = "polygon_n"

POLYGON_LABELS = {
    "slider": "n (sides)",
    "n": "n",
    "inscribed": "inscribed n-gon, area (n/2)·sin(2π/n)",
    "circumscribed": "circumscribed n-gon, area n·tan(π/n)",
    "circle": "unit circle, area π",
    "pi": "π",
    "gap": "π − inscribed area",
}

ERROR_LABELS = {
    "n": "n (sides)",
    "error": "error",
    "inscribed": "π − inscribed area",
    "circumscribed": "circumscribed area − π",
    "reference": "40 / n²  (∝ 1/n², slope −2)",
    "archimedes": "Archimedes: 6, 12, 24, 48, 96",
}

INSCRIBED_COLOR, CIRCUMSCRIBED_COLOR, CIRCLE_COLOR = palette.BLUE, palette.VERMILLION, palette.BLACK
INSCRIBED_FILL, CIRCUMSCRIBED_FILL, TRIANGLE_FILL = palette.SKY_BLUE, palette.ORANGE, palette.BLUE


def _text(value: str) -> str:
    """A Vega expression string literal for ``value`` (JSON string syntax is valid there)."""
    return json.dumps(value, ensure_ascii=False)


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
    """The unit circle between the inscribed and circumscribed regular n-gons, n on a browser slider.

    ``n_values`` must be consecutive whole numbers from at least 3 (the slider's range, step 1);
    ``n_initial`` the value it starts at (e.g. from the URL's ``n``). Above the picture a readout shows n,
    both areas, π and the gap, updated with the slider. With ``errors`` (from
    :func:`calc_core.exhaustion.exhaustion_error_table`) the error chart is added below, with the current n
    marked on it. The axes run over ±``extent``, so the circumscribed triangle and square (corners at
    radius 2 and 1.41) are clipped at the corners for the default 1.45.
    Label keys: see ``POLYGON_LABELS`` (and ``ERROR_LABELS`` for ``error_labels``).

    >>> spec = polygon_chart(range(3, 11), 4).to_dict()
    >>> param = spec["params"][0]
    >>> param["name"], param["value"], param["bind"]["min"], param["bind"]["max"]
    ('polygon_n', 4, 3, 10)
    """
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
        """Points i = 0 … count (count + 1 of them: the path closes) at the given angle and radius."""
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
    """Log–log error of both polygon areas against n, with the reference 40/n² dashed.

    Both errors fall like 1/n²: on log axes they are straight lines of slope −2, parallel to the
    reference. Archimedes' polygons (6 … 96 sides) are marked. ``current`` (used by :func:`polygon_chart`)
    is the per-n data whose row for the slider's n gives a rule and points that follow the slider.

    >>> from calc_core.exhaustion import exhaustion_error_table
    >>> spec = exhaustion_error_chart(exhaustion_error_table()).to_dict()
    >>> spec["layer"][0]["encoding"]["x"]["scale"]["type"]
    'log'
    """
    labels = merge_labels(ERROR_LABELS, labels)
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
        legend=_legend(style),
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(
            domain=series, range=[[1, 0], [1, 0], [length * style.dash_scale for length in (8, 4)]]
        ),
        legend=_legend(style),
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


def _axis(style: PlotStyle, **extra) -> alt.Axis:
    return alt.Axis(labelFontSize=style.axis_label_size, titleFontSize=style.axis_title_size, **extra)


def _legend(style: PlotStyle) -> alt.Legend:
    return alt.Legend(
        title=None,
        orient="bottom",
        direction="vertical",
        symbolType="stroke",
        labelLimit=0,
        labelFontSize=style.legend_size,
        symbolStrokeWidth=style.stroke_width,
        symbolSize=style.legend_size * 40,
    )

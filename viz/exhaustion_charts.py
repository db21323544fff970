"""Charts for the method of exhaustion: the circle squeezed between two regular n-gons, n on a slider.

Pure figure builders: data in, Vega-Lite spec out (plain data: see ``viz.vega_lite`` for why), no
Streamlit; visible words come from ``labels``.

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

import math
from collections.abc import Mapping, Sequence

import numpy as np

from calc_core.exhaustion import (
    ARCHIMEDES_SIDES,
    ExhaustionErrors,
    circumscribed_area,
    inscribed_area,
)
from viz import palette
from viz.function_plot import PlotStyle, merge_labels, plot_style
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
) -> VegaLite:
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

    slider = {"input": "range", "min": n_min, "max": n_max, "step": 1, "name": labels["slider"] + " "}
    n = {"name": N_PARAM, "value": int(n_initial), "bind": slider}
    datasets = Datasets()
    areas = datasets.add(
        [
            {"n": int(k), "a": round(float(a), 12), "A": round(float(b), 12)}
            for k, a, b in zip(ns, inscribed_area(ns), circumscribed_area(ns), strict=True)
        ]
    )
    charts = [
        _readout(areas, labels, style, size),
        _picture(n_max, style, triangle_limit, extent, size),
    ]
    if errors is not None:
        error_labels = merge_labels(ERROR_LABELS, error_labels)
        charts.append(_error_layer(errors, datasets, error_labels, style, size, current=areas))
    return top_level({"vconcat": charts, "spacing": 6, "params": [n]}, datasets, view_stroke=False)


def _picture(n_max: int, style: PlotStyle, triangle_limit: int, extent: float, size: int) -> dict:
    """The circumscribed and inscribed n-gons, the triangles and the circle, for the n of the slider."""
    scale = {"domain": [-extent, extent], "nice": False}
    x = channel("x:Q", scale=scale, axis=None)
    y = channel("y:Q", scale=scale, axis=None)
    order = channel("i:Q")
    stroke = style.stroke_width
    thin = max(1.0, stroke / 2)

    def vertices(count: str, angle: str, radius: str, line: dict) -> dict:
        """Points i = 0 … count (count + 1 of them: the path closes) at the given angle and radius."""
        transform = [
            {"filter": f"datum.i <= {count}"},
            calculate(angle, "angle"),
            calculate(radius, "r"),
            calculate("datum.r * cos(datum.angle)", "x"),
            calculate("datum.r * sin(datum.angle)", "y"),
        ]
        sequence = {"sequence": {"start": 0, "stop": n_max + 2, "as": "i"}}
        return view(sequence, line, {"x": x, "y": y, "order": order}, transform)

    circumscribed = vertices(
        N_PARAM,
        f"(2 * datum.i + 1) * PI / {N_PARAM}",
        f"1 / cos(PI / {N_PARAM})",
        mark("line", fill=CIRCUMSCRIBED_FILL, fillOpacity=0.25, stroke=CIRCUMSCRIBED_COLOR)
        | {"strokeWidth": stroke, "clip": True},
    )
    inscribed = vertices(
        N_PARAM,
        f"2 * datum.i * PI / {N_PARAM}",
        "1",
        mark("line", fill=INSCRIBED_FILL, fillOpacity=0.45, stroke=INSCRIBED_COLOR, strokeWidth=stroke),
    )
    circle = vertices(
        "360", "2 * PI * datum.i / 360", "1", mark("line", color=CIRCLE_COLOR, strokeWidth=stroke)
    )
    triangles = _triangles(triangle_limit, thin, {"x": x, "y": y, "order": channel("j:Q")})
    return layer([circumscribed, inscribed, triangles, circle], width=size, height=size)


def _triangles(triangle_limit: int, stroke_width: float, encoding: dict) -> dict:
    """One path through the centre: O, V0, V1, O, V2, V3, O, … fills every other triangle and, with its
    stroke, draws every spoke."""
    sequence = {"sequence": {"start": 0, "stop": 3 * ((triangle_limit + 1) // 2) + 1, "as": "j"}}
    transform = [
        {"filter": f"{N_PARAM} <= {int(triangle_limit)} && datum.j <= 3 * ceil({N_PARAM} / 2)"},
        calculate("datum.j % 3", "corner"),
        calculate(f"(2 * floor(datum.j / 3) + (datum.j % 3) - 1) % {N_PARAM}", "vertex"),
        calculate(f"datum.corner == 0 ? 0 : cos(2 * PI * datum.vertex / {N_PARAM})", "x"),
        calculate(f"datum.corner == 0 ? 0 : sin(2 * PI * datum.vertex / {N_PARAM})", "y"),
    ]
    line = mark("line", fill=TRIANGLE_FILL, fillOpacity=0.2, stroke=INSCRIBED_COLOR)
    return view(sequence, line | {"strokeWidth": stroke_width / 1.5}, encoding, transform)


def _readout(areas: dict, labels: Mapping[str, str], style: PlotStyle, size: int) -> dict:
    """n, both areas, π and the gap, one line each, for the n of the slider."""
    font_size = style.legend_size + 2
    lines = [
        f"{string_literal(labels['n'] + ' = ')} + datum.n",
        f"{string_literal(labels['circumscribed'] + ' = ')} + format(datum.A, '.6f')",
        f"{string_literal(labels['circle'] + ' = ')} + format(PI, '.6f')",
        f"{string_literal(labels['inscribed'] + ' = ')} + format(datum.a, '.6f')",
        f"{string_literal(labels['gap'] + ' = ')} + format(PI - datum.a, '.6f')",
    ]
    colors = [CIRCLE_COLOR, CIRCUMSCRIBED_COLOR, CIRCLE_COLOR, INSCRIBED_COLOR, CIRCLE_COLOR]
    views = []
    for row, (line, color) in enumerate(zip(lines, colors, strict=True)):
        text = mark("text", align="left", baseline="top", fontSize=font_size)
        text |= {"fontWeight": "bold" if row == 0 else "normal", "color": color}
        position = {"x": {"value": 0}, "y": {"value": 4 + row * font_size * 1.4}}
        transform = [{"filter": f"datum.n == {N_PARAM}"}, calculate(line, "text")]
        views.append(view(areas, text, position | {"text": channel("text:N")}, transform))
    return layer(views, width=size, height=round(len(lines) * font_size * 1.4) + 8)


def exhaustion_error_chart(
    table: ExhaustionErrors,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    width: int = 480,
) -> VegaLite:
    """Log–log error of both polygon areas against n, with the reference 40/n² dashed.

    Both errors fall like 1/n²: on log axes they are straight lines of slope −2, parallel to the
    reference. Archimedes' polygons (6 … 96 sides) are marked.

    >>> from calc_core.exhaustion import exhaustion_error_table
    >>> spec = exhaustion_error_chart(exhaustion_error_table()).to_dict()
    >>> spec["layer"][0]["encoding"]["x"]["scale"]["type"]
    'log'
    """
    datasets = Datasets()
    labels = merge_labels(ERROR_LABELS, labels)
    return top_level(_error_layer(table, datasets, labels, plot_style(projector), width), datasets)


def _error_layer(
    table: ExhaustionErrors,
    datasets: Datasets,
    labels: Mapping[str, str],
    style: PlotStyle,
    width: int,
    current: dict | None = None,
) -> dict:
    """The error chart's layer; ``current`` (from :func:`polygon_chart`) is the per-n data whose row for
    the slider's n gives a rule and points that follow the slider."""
    series = [labels["circumscribed"], labels["inscribed"], labels["reference"]]
    colors = [CIRCUMSCRIBED_COLOR, INSCRIBED_COLOR, palette.BLACK]
    dashes = [[1, 0], [1, 0], [length * style.dash_scale for length in (8, 4)]]
    legend = stroke_legend(style, orient="bottom", direction="vertical")
    color = channel("series:N", scale={"domain": series, "range": colors}, legend=legend)
    dash = channel("series:N", scale={"domain": series, "range": dashes}, legend=legend)
    x = channel("n:Q", title=labels["n"], scale={"type": "log", "nice": False}, axis=axis(style))
    y = channel("error:Q", title=labels["error"], scale={"type": "log"}, axis=axis(style, format="~e"))
    tooltip = [channel("series:N", title=" "), channel("n:Q", title=labels["n"])]
    shared = {"x": x, "y": y, "color": color, "tooltip": [*tooltip, channel("error:Q", format=".3e")]}
    archimedes = [
        {"filter": {"field": "n", "oneOf": list(ARCHIMEDES_SIDES)}},
        {"filter": {"field": "series", "oneOf": series[:2]}},
    ]
    data = datasets.add(_error_rows(table, labels))
    layers = [
        view(data, mark("line", strokeWidth=style.stroke_width), shared | {"strokeDash": dash}),
        view(data, mark("point", filled=True, size=style.point_size, shape="square"), shared, archimedes),
    ]
    if current is not None:
        layers += _current_n(current, x, y, style)
    return layer(layers, width=width, height=round(style.height * 0.75))


def _error_rows(table: ExhaustionErrors, labels: Mapping[str, str]) -> list[dict]:
    """One row per n and series (the two errors, the reference) where it is positive: a log axis needs it."""
    rows = []
    for n, inner, outer, reference in zip(
        table.n, table.inscribed_error, table.circumscribed_error, table.reference, strict=True
    ):
        for key, value in (("inscribed", inner), ("circumscribed", outer), ("reference", reference)):
            if math.isfinite(value) and value > 0:
                rows.append({"n": int(n), "error": float(value), "series": labels[key]})
    return rows


def _current_n(current: dict, x: dict, y: dict, style: PlotStyle) -> list[dict]:
    """A rule at the slider's n and a point on each error curve there."""
    here = {"filter": f"datum.n == {N_PARAM}"}
    rule = mark("rule", strokeWidth=max(1.0, style.stroke_width / 2), color="#777777")
    views = [view(current, rule, {"x": x}, [here])]
    for field, color in (("A", CIRCUMSCRIBED_COLOR), ("a", INSCRIBED_COLOR)):
        point = mark("circle", size=style.point_size * 1.5, color=color, opacity=1)
        error = calculate(f"abs(datum.{field} - PI)", "error")
        views.append(view(current, point, {"x": x, "y": y}, [here, error]))
    return views

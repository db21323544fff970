"""Graphs of sampled functions as Vega-Lite specs (plain data, see ``viz.vega_lite``): data in, spec out,
no Streamlit.

Each curve is its own line layer, drawn as one path per continuous piece (``detail`` on the segment id): a
line mark joins every point of a group, even across points it leaves out, so without the segment a pole or a
gap would be bridged. The y-axis shows the curves' robust window and the marks are clipped to it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from calc_core.sampling import SampledCurve
from viz.palette import BLACK, curve_color, curve_dash
from viz.vega_lite import Datasets, VegaLite, axis, channel, layer, mark, top_level, view

Curves = Sequence[tuple[str, SampledCurve]]
MAX_POINTS_PER_CURVE = 5000


@dataclass(frozen=True)
class PlotStyle:
    """Sizes for a laptop screen or for a projector at the back of a classroom."""

    stroke_width: float
    axis_label_size: int
    axis_title_size: int
    legend_size: int
    point_size: int  # area in square pixels, as Vega-Lite measures it
    height: int

    @property
    def dash_scale(self) -> float:
        """Dash patterns are designed for 2 px lines; thicker lines need longer dashes to stay readable."""
        return self.stroke_width / 2


NORMAL_STYLE = PlotStyle(
    stroke_width=2, axis_label_size=12, axis_title_size=14, legend_size=13, point_size=60, height=360
)
PROJECTOR_STYLE = PlotStyle(
    stroke_width=5, axis_label_size=22, axis_title_size=26, legend_size=24, point_size=260, height=480
)


def plot_style(projector: bool = False) -> PlotStyle:
    """The style for normal or projector mode, for pages that add layers of their own.

    >>> plot_style().stroke_width < plot_style(projector=True).stroke_width
    True
    """
    return PROJECTOR_STYLE if projector else NORMAL_STYLE


def function_chart(
    curves: Curves,
    *,
    x_title: str = "x",
    y_title: str = "y",
    y_limits: tuple[float, float] | None = None,
    height: int | None = None,
    projector: bool = False,
    points: Sequence[tuple[str, float, float]] = (),
) -> VegaLite:
    """A line chart of ``curves``, a list of (label, SampledCurve), with one line layer per curve.

    Colours and dash patterns follow the order of the curves; the legend shows the labels. The y-axis spans
    ``y_limits`` if given, else the union of the curves' robust windows. ``points`` are (label, x, y) marks,
    e.g. the point of tangency. Titles are the caller's, so a page can pass translated text. The result is a
    Vega-Lite spec as plain data (see ``viz.vega_lite`` for why not an Altair chart).

    >>> import sympy
    >>> from calc_core.sampling import sample_function
    >>> x = sympy.Symbol("x")
    >>> chart = function_chart([("sin x", sample_function(sympy.sin(x), x, -3, 3, n=61))], y_title="y")
    >>> spec = chart.to_dict()
    >>> len(spec["layer"]), spec["layer"][0]["encoding"]["detail"]["field"]
    (1, 'segment')
    """
    if not curves:
        raise ValueError("function_chart needs at least one curve")
    style = plot_style(projector)
    labels = [label for label, _ in curves]
    if len(set(labels)) != len(labels):
        raise ValueError(f"curve labels must be distinct, got {labels}")
    encodings = _shared_encodings(curves, labels, style, x_title, y_title, y_limits or _union_limits(curves))
    datasets = Datasets()
    layers = [
        _line_layer(datasets.add(_line_rows(label, curve)), encodings, style) for label, curve in curves
    ]
    if points:
        layers.append(_point_layer(datasets.add(_point_rows(points)), encodings, style))
    return top_level(layer(layers, height=height or style.height), datasets)


def _shared_encodings(curves: Curves, labels, style: PlotStyle, x_title, y_title, y_limits) -> dict:
    legend = {
        "title": None,
        "labelFontSize": style.legend_size,
        "symbolStrokeWidth": style.stroke_width,
        "symbolSize": style.legend_size * 40,
        "orient": "top",
        "labelLimit": 0,
    }
    colors = [curve_color(i) for i in range(len(labels))]
    dashes = [curve_dash(i, style.dash_scale) for i in range(len(labels))]
    return {
        "x": channel("x:Q", title=x_title, scale=_domain_scale(_x_range(curves)), axis=axis(style)),
        "y": channel("y:Q", title=y_title, scale=_domain_scale(y_limits), axis=axis(style)),
        "color": channel("label:N", scale={"domain": labels, "range": colors}, legend=legend),
        "strokeDash": channel("label:N", scale={"domain": labels, "range": dashes}, legend=legend),
    }


def _domain_scale(limits: tuple[float, float] | None) -> dict:
    if limits is None:
        return {"zero": False}
    return {"domain": [float(limits[0]), float(limits[1])], "nice": False, "zero": False}


def _x_range(curves: Curves) -> tuple[float, float] | None:
    xs = np.concatenate([curve.x for _, curve in curves])
    return (float(xs.min()), float(xs.max())) if xs.size else None


def _union_limits(curves: Curves) -> tuple[float, float] | None:
    limits = [curve.y_limits for _, curve in curves if curve.y_limits is not None]
    if not limits:
        return None
    return (min(low for low, _ in limits), max(high for _, high in limits))


def _line_rows(label: str, curve: SampledCurve) -> list[dict]:
    """The rows of one curve's line: its defined points only, since a line mark cannot draw a gap anyway."""
    kept = _points_to_draw(curve)
    columns = (curve.x[kept].tolist(), curve.y[kept].tolist(), curve.segment[kept].tolist())
    return [{"label": label, "x": x, "y": y, "segment": s} for x, y, s in zip(*columns, strict=True)]


def _line_layer(data: dict, encodings: dict, style: PlotStyle) -> dict:
    line = mark("line", clip=True, strokeWidth=style.stroke_width, strokeCap="round", strokeJoin="round")
    tooltip = [channel("label:N", title=" "), channel("x:Q", format=".4~g"), channel("y:Q", format=".4~g")]
    return view(data, line, encodings | {"detail": channel("segment:N"), "tooltip": tooltip})


def _points_to_draw(curve: SampledCurve) -> np.ndarray:
    """Indices of the defined points, thinned to at most MAX_POINTS_PER_CURVE.

    No screen shows more (Altair refused larger data frames: its default row limit is 5000). Thinning
    keeps the first and last point of every piece, so that lines still run up to the poles and gaps.
    """
    defined = np.flatnonzero(np.isfinite(curve.y))
    if defined.size <= MAX_POINTS_PER_CURVE:
        return defined
    segment = curve.segment[defined]
    ends = np.flatnonzero(np.diff(segment) != 0)
    ends = np.concatenate([[0], ends, ends + 1, [defined.size - 1]])
    step = math.ceil(defined.size / max(MAX_POINTS_PER_CURVE - ends.size, MAX_POINTS_PER_CURVE // 2))
    kept = np.union1d(np.arange(0, defined.size, step), ends)
    if kept.size > MAX_POINTS_PER_CURVE:  # more pieces than a chart can show: every n-th point only
        kept = np.arange(0, defined.size, math.ceil(defined.size / MAX_POINTS_PER_CURVE))
    return defined[kept]


def _point_rows(points: Sequence[tuple[str, float, float]]) -> list[dict]:
    return [{"point": label, "x": float(x), "y": float(y)} for label, x, y in points]


def _point_layer(data: dict, encodings: dict, style: PlotStyle) -> dict:
    circle = mark("circle", clip=True, size=style.point_size, color=BLACK, opacity=1)
    tooltip = [channel("point:N", title=" "), channel("x:Q", format=".4~g"), channel("y:Q", format=".4~g")]
    return view(data, circle, {"x": encodings["x"], "y": encodings["y"], "tooltip": tooltip})


def merge_labels(defaults: Mapping[str, str], given: Mapping[str, str] | None) -> dict[str, str]:
    """The chart's default (English) labels, overridden by the caller's translated ones.

    >>> merge_labels({"x": "x", "y": "y"}, {"y": "函数值"})
    {'x': 'x', 'y': '函数值'}
    """
    labels = dict(defaults)
    if given:
        unknown = set(given) - set(defaults)
        if unknown:
            raise KeyError(f"unknown label keys {sorted(unknown)}; known: {sorted(defaults)}")
        labels.update(given)
    return labels

"""The chain rule's picture: how a nudge Δx passes through u (and v) to y, each stage multiplying it.

Pure: numbers in, Vega-Lite spec out (plain data: see ``viz.vega_lite`` for why), no Streamlit. One row
per stage (Δx on top, then Δv, Δu, Δy): a bar for the actual change of that stage when x moves by Δx, and a
tick for the chain rule's estimate, the product of the local slopes below it times Δx. A radio button in the
chart picks Δx; every Δx is precomputed, so the choice redraws in the browser without a rerun. As Δx
shrinks, ticks and bars meet.

Every visible word comes from ``labels`` (the page passes translated strings; English defaults).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from calc_core.graph import format_number
from viz import palette
from viz.function_plot import merge_labels, plot_style
from viz.vega_lite import (
    Datasets,
    VegaLite,
    axis,
    calculate,
    channel,
    layer,
    mark,
    string_literal,
    top_level,
    view,
)

NUDGE_PARAM = "nudge_dx"
NUDGE_LABELS = {
    "change": "change when x moves by Δx",
    "stage": "stage",
    "actual": "actual change",
    "estimate": "chain rule: slopes multiplied × Δx",
    "choose": "Δx ",
}
ACTUAL_COLOR, ESTIMATE_COLOR = palette.BLUE, palette.VERMILLION
DEFAULT_DX = 0.1


def nudge_rows(nudges: Sequence[Mapping], stages: Sequence[str]) -> list[dict]:
    """Long-form rows: one per Δx and stage (innermost first), with the actual change and the estimate.

    ``nudges``: ``calc_core.chain.one_variable_chain(...)["nudges"]`` (``actual`` and ``estimate`` lists,
    outermost first); ``stages``: the row titles, outermost first (Δy, Δu, …), then Δx's own.

    >>> rows = nudge_rows([{"dx": 0.1, "actual": [0.21, 0.2], "estimate": [0.2, 0.2]}], ["Δy", "Δu", "Δx"])
    >>> [(r["stage"], r["order"], r["actual"], r["estimate"]) for r in rows]
    [('Δx', 0, 0.1, 0.1), ('Δu', 1, 0.2, 0.2), ('Δy', 2, 0.21, 0.2)]
    """
    rows = []
    for nudge in nudges:
        dx = float(nudge["dx"])
        actual = [*nudge["actual"], dx]
        estimate = [*nudge["estimate"], dx]
        for order, index in enumerate(reversed(range(len(stages)))):
            value, guess = _number(actual[index]), _number(estimate[index])
            rows.append(
                {
                    "dx": dx,
                    "stage": stages[index],
                    "order": order,
                    "actual": value,
                    "estimate": guess,
                    "text": "" if value is None else format_number(value),
                }
            )
    return rows


def _number(value) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def nudge_chart(
    nudges: Sequence[Mapping],
    stages: Sequence[str],
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    width: int = 520,
    initial_dx: float = DEFAULT_DX,
) -> VegaLite:
    """Bars of each stage's actual change and ticks of the chain rule's estimate, Δx chosen in the chart.

    >>> nudges = [{"dx": dx, "actual": [2 * dx + dx * dx], "estimate": [2 * dx]} for dx in (1.0, 0.1)]
    >>> spec = nudge_chart(nudges, ["Δu", "Δx"]).to_dict()
    >>> spec["params"][0]["bind"]["input"], spec["params"][0]["value"]
    ('radio', 0.1)
    """
    labels = merge_labels(NUDGE_LABELS, labels)
    style = plot_style(projector)
    values = [float(n["dx"]) for n in nudges]
    initial = min(values, key=lambda dx: abs(dx - initial_dx))
    choice = {"input": "radio", "options": values, "name": labels["choose"]}
    dx = {"name": NUDGE_PARAM, "value": initial, "bind": choice}
    datasets = Datasets()
    data = datasets.add(nudge_rows(nudges, stages))
    stage_axis = {"labelFontSize": style.axis_title_size, "labelLimit": 0}
    # Δx on top, then each stage the nudge passes through
    y = channel("stage:N", sort=list(reversed(stages)), title=None, axis=stage_axis)
    colors = {"domain": [labels["actual"], labels["estimate"]], "range": [ACTUAL_COLOR, ESTIMATE_COLOR]}
    legend = {"title": None, "orient": "top", "labelFontSize": style.legend_size, "labelLimit": 0}
    color = channel("series:N", scale=colors, legend=legend)

    def chosen(kind: str) -> list[dict]:
        return [{"filter": f"datum.dx == {NUDGE_PARAM}"}, calculate(string_literal(labels[kind]), "series")]

    x = channel("actual:Q", title=labels["change"], axis=axis(style), scale={"zero": True})
    tick = mark("tick", thickness=max(3, style.stroke_width), size=style.axis_title_size * 2.2)
    label = mark("text", align="left", dx=6, fontSize=style.legend_size)
    layers = [
        view(data, mark("bar", height={"band": 0.55}), {"x": x, "y": y, "color": color}, chosen("actual")),
        view(data, tick, {"x": channel("estimate:Q"), "y": y, "color": color}, chosen("estimate")),
        view(data, label, {"x": channel("actual:Q"), "y": y, "text": channel("text:N")}, chosen("actual")),
        view(datasets.add([{"x": 0}]), mark("rule", color=palette.BLACK), {"x": channel("x:Q")}),
    ]
    height = 70 * len(stages) * (1.4 if projector else 1)
    body = layer(layers, width=width, height=round(height)) | {"params": [dx]}
    return top_level(body, datasets, view_stroke=False)


def inline_datasets(spec: dict) -> dict:
    """The Vega-Lite ``spec`` with its top-level ``datasets`` put back where they are used, as inline values.

    Altair gathers every chart's data into ``datasets``; Streamlit turns each of those into an Arrow table
    through pandas on every rerun (about ten milliseconds a chart), while inline values cost nothing.

    >>> inline_datasets({"data": {"name": "d1"}, "datasets": {"d1": [{"x": 1}]}})
    {'data': {'values': [{'x': 1}]}}
    """
    datasets = spec.get("datasets", {})

    def put_back(node):
        if isinstance(node, dict):
            if set(node) == {"name"} and node["name"] in datasets:
                return {"values": datasets[node["name"]]}
            return {key: put_back(value) for key, value in node.items() if key != "datasets"}
        if isinstance(node, list):
            return [put_back(item) for item in node]
        return node

    return put_back(spec)


class InlineChart:
    """A chart (anything with ``to_dict()``) whose ``to_dict()`` keeps its data inline (see
    :func:`inline_datasets`)."""

    def __init__(self, chart):
        self.chart = chart

    def to_dict(self) -> dict:
        return inline_datasets(self.chart.to_dict())

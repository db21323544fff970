"""Vega-Lite specs as plain data: the small pieces the chart builders of ``viz`` write their specs with.

**Why not Altair's objects.** A chart's structure does not depend on the function drawn, only its data and a
few numbers do; Altair, though, deep-copies the chart tree on every method call (``transform_*``,
``encode``, ``layer``, ``properties``) and again when it gathers params and data, so a chart of a dozen
layers cost 15 to 600 ms of CPU for every new input, on the request path. Written as dicts, a spec costs a
millisecond or two, most of it hashing the data for the dataset names. The builders write exactly the spec
Altair wrote for them (the same keys, dataset names, and data hoisted where Altair hoisted it):
``tests/unit/test_chart_templates.py`` compares them with the former Altair construction for many inputs and
validates them against the Vega-Lite schema.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viz.function_plot import PlotStyle

# The spec's $schema: that of the installed Altair (``alt.SCHEMA_URL``; a test keeps them in step).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
# Altair's default theme puts this in every chart's config.
ALTAIR_VIEW_CONFIG = {"continuousWidth": 300, "continuousHeight": 300}
TYPES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal"}


class VegaLite(dict):
    """A Vega-Lite spec as plain data; ``to_dict()`` gives it as Altair charts do.

    >>> VegaLite({"mark": "point"}).to_dict()
    {'mark': 'point'}
    """

    def to_dict(self, validate: bool = True) -> dict:
        return dict(self)


class Datasets:
    """The named datasets of one spec, gathered at its top level as Altair gathers them.

    :meth:`add` files rows under Altair's name for them (a hash of their JSON), so equal rows are sent once
    and a spec's names change exactly when its data does; it returns the ``data`` of a view that draws them.
    Add them in the order the views come in the spec, as Altair does.

    >>> datasets = Datasets()
    >>> datasets.add([{"x": 1}]) == datasets.add([{"x": 1}]), len(datasets.named)
    (True, 1)
    """

    def __init__(self) -> None:
        self.named: dict[str, list] = {}

    def add(self, rows: list) -> dict:
        name = dataset_name(rows)
        self.named.setdefault(name, rows)
        return {"name": name}


def dataset_name(rows: list) -> str:
    """Altair's name for inline rows (as ``altair.vegalite.v6.api._dataset_name`` makes it).

    >>> dataset_name([{"x": 1}])
    'data-...'
    """
    if rows == [{}]:
        return "empty"
    text = json.dumps(rows, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def top_level(body: dict, datasets: Datasets, *, view_stroke: bool = True) -> VegaLite:
    """``body`` (a view, a layer or a concatenation) as a whole spec: config, $schema and the datasets.

    ``view_stroke=False`` leaves out the frame around each view (Altair's ``configure_view(stroke=None)``).
    """
    view_config = dict(ALTAIR_VIEW_CONFIG) if view_stroke else {**ALTAIR_VIEW_CONFIG, "stroke": None}
    spec = {"config": {"view": view_config}, **body, "$schema": SCHEMA_URL}
    if datasets.named:
        spec["datasets"] = datasets.named
    return VegaLite(spec)


def view(data: dict, mark: dict, encoding: dict, transform: Sequence[dict] = ()) -> dict:
    """One view: a mark drawing ``data`` (``Datasets.add``'s reference, or a generator such as a sequence)."""
    spec = {"data": data, "mark": mark, "encoding": encoding}
    if transform:
        spec["transform"] = list(transform)
    return spec


def layer(views: Sequence[dict], **properties) -> dict:
    """A layer of ``views``. When all of them draw the same ``data`` object (``is``, not ``==``: the views
    were given one source), it moves up to the layer, as Altair moves it."""
    views = list(views)
    shared = views[0].get("data") if views else None
    if shared is not None and all(one.get("data") is shared for one in views):
        views = [{key: value for key, value in one.items() if key != "data"} for one in views]
        return {"layer": views, "data": shared, **properties}
    return {"layer": views, **properties}


def channel(shorthand: str, **properties) -> dict:
    """An encoding channel from Altair's shorthand ``field:T`` (T one of Q, N, O, T), with more properties.

    >>> channel("x:Q", title="x")
    {'field': 'x', 'type': 'quantitative', 'title': 'x'}
    """
    field, _, code = shorthand.rpartition(":")
    return {"field": field, "type": TYPES[code], **properties}


def mark(kind: str, **properties) -> dict:
    return {"type": kind, **properties}


def calculate(expression: str, name: str) -> dict:
    return {"calculate": expression, "as": name}


def string_literal(text: str) -> str:
    """A Vega expression string literal for ``text`` (JSON string syntax is valid there).

    >>> string_literal("割线")
    '"割线"'
    """
    return json.dumps(text, ensure_ascii=False)


def axis(style: PlotStyle, **extra) -> dict:
    return {"labelFontSize": style.axis_label_size, "titleFontSize": style.axis_title_size, **extra}


def stroke_legend(style: PlotStyle, **extra) -> dict:
    """A legend without a title whose symbols are short strokes, as wide as the lines they stand for."""
    return {
        "title": None,
        "symbolType": "stroke",
        "labelLimit": 0,
        "labelFontSize": style.legend_size,
        "symbolStrokeWidth": style.stroke_width,
        "symbolSize": style.legend_size * 40,
        **extra,
    }

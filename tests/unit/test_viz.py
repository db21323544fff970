"""Function charts: one line layer per curve, broken at gaps and poles, Okabe–Ito colours, projector sizes."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy

from calc_core.sampling import sample_function
from viz.function_plot import MAX_POINTS_PER_CURVE, function_chart, plot_style
from viz.palette import CURVE_COLORS, OKABE_ITO, curve_color, curve_dash

x = sympy.Symbol("x")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def curves():
    return [
        ("tan x", sample_function(sympy.tan(x), x, -5, 5)),
        ("1/x", sample_function(1 / x, x, -5, 5)),
        ("导数 f′(x)", sample_function(sympy.sqrt(x), x, -5, 5)),
    ]


def line_layers(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]


def layer_rows(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data", spec.get("data"))  # Altair lifts the data of a single layer to the top
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def test_one_line_layer_per_curve_broken_by_segment(curves):
    spec = function_chart(curves).to_dict()
    layers = line_layers(spec)
    assert len(layers) == len(curves)
    for layer in layers:
        assert layer["encoding"]["detail"]["field"] == "segment"
        assert layer["mark"]["clip"] is True


def test_layers_hold_only_defined_points_and_no_piece_crosses_a_pole(curves):
    spec = function_chart(curves).to_dict()
    for (label, curve), layer in zip(curves, line_layers(spec), strict=True):
        rows = layer_rows(spec, layer)
        assert {row["label"] for row in rows} == {label}
        assert len(rows) == np.isfinite(curve.y).sum()
        assert all(row["y"] is not None and math.isfinite(row["y"]) for row in rows)
    tan_rows = layer_rows(spec, line_layers(spec)[0])
    poles = [math.pi / 2 + k * math.pi for k in range(-2, 2)]
    for segment in {row["segment"] for row in tan_rows}:
        xs = [row["x"] for row in tan_rows if row["segment"] == segment]
        assert not any(min(xs) < pole < max(xs) for pole in poles)


def test_y_domain_is_the_robust_window(curves):
    spec = function_chart(curves[:1]).to_dict()
    y_scale = line_layers(spec)[0]["encoding"]["y"]["scale"]
    assert y_scale["domain"] == list(curves[0][1].y_limits)
    assert y_scale["nice"] is False
    given = function_chart(curves, y_limits=(-3, 4)).to_dict()
    assert all(layer["encoding"]["y"]["scale"]["domain"] == [-3, 4] for layer in line_layers(given))
    union = function_chart(curves).to_dict()
    lows, highs = zip(*(curve.y_limits for _, curve in curves), strict=True)
    assert line_layers(union)[0]["encoding"]["y"]["scale"]["domain"] == [min(lows), max(highs)]


def test_colours_are_okabe_ito_and_each_curve_has_its_own_colour_and_dash(curves):
    spec = function_chart(curves).to_dict()
    encoding = line_layers(spec)[0]["encoding"]
    labels = [label for label, _ in curves]
    assert encoding["color"]["scale"]["domain"] == labels
    colours = encoding["color"]["scale"]["range"]
    assert set(colours) <= set(OKABE_ITO)
    assert len(set(colours)) == len(curves)
    dashes = encoding["strokeDash"]["scale"]["range"]
    assert encoding["strokeDash"]["scale"]["domain"] == labels
    assert len({tuple(dash) for dash in dashes}) == len(curves)
    assert set(CURVE_COLORS) == set(OKABE_ITO)
    assert curve_color(0) != curve_color(1) and curve_dash(0) != curve_dash(1)


def test_titles_come_from_the_caller(curves):
    spec = function_chart(curves, x_title="自变量 x", y_title="函数值 y").to_dict()
    encoding = line_layers(spec)[0]["encoding"]
    assert encoding["x"]["title"] == "自变量 x"
    assert encoding["y"]["title"] == "函数值 y"
    assert "导数 f′(x)" in json.dumps(spec, ensure_ascii=False)


def test_projector_mode_is_bigger(curves):
    normal = function_chart(curves, points=[("P", 0, 0)]).to_dict()
    projector = function_chart(curves, points=[("P", 0, 0)], projector=True).to_dict()

    def sizes(spec):
        line = line_layers(spec)[0]
        point = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
        axis = line["encoding"]["x"]["axis"]
        return (
            line["mark"]["strokeWidth"],
            axis["labelFontSize"],
            axis["titleFontSize"],
            point["mark"]["size"],
        )

    for small, big in zip(sizes(normal), sizes(projector), strict=True):
        assert big > small
    assert sizes(projector)[0] >= 4 and sizes(projector)[2] >= 22
    assert projector["height"] > normal["height"]
    assert function_chart(curves, height=250).to_dict()["height"] == 250
    assert plot_style(projector=True).dash_scale > plot_style().dash_scale


def test_long_curves_are_thinned_but_keep_the_ends_of_every_piece():
    long_curves = [(f"f{i}", sample_function(sympy.tan(x + i), x, -10, 10, n=20001)) for i in range(3)]
    spec = function_chart(long_curves).to_dict()
    for (_, curve), layer in zip(long_curves, line_layers(spec), strict=True):
        rows = layer_rows(spec, layer)
        assert 2500 <= len(rows) <= MAX_POINTS_PER_CURVE
        drawn = {(row["segment"], row["x"]) for row in rows}
        for piece in range(curve.segment_count):
            xs = curve.x[curve.segment == piece]
            assert {(piece, xs[0]), (piece, xs[-1])} <= drawn


def test_all_undefined_curve_still_draws():
    spec = function_chart([("log x", sample_function(sympy.log(x), x, -3, -1))]).to_dict()
    layer = line_layers(spec)[0]
    assert layer_rows(spec, layer) == []
    assert "domain" not in layer["encoding"]["y"]["scale"]


def test_bad_curve_lists():
    curve = sample_function(x, x, 0, 1, n=3)
    with pytest.raises(ValueError):
        function_chart([])
    with pytest.raises(ValueError):
        function_chart([("f", curve), ("f", curve)])


def test_viz_does_not_import_streamlit():
    code = "import sys, viz.function_plot; print(any(m.startswith('streamlit') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"

"""Charts drawn before the answer is revealed (predict mode): still valid Vega-Lite, and without the answer
in their layers, readouts or data (viz.tangent_chart, viz.slice_charts, viz.gradient_charts)."""

from __future__ import annotations

import json

import altair as alt
import jsonschema

from tests.unit.test_gradient_charts import bowl, vega_lite_schema
from tests.unit.test_tangent_chart import d2l_chart, rows, walk
from viz.contour_map import QUIVER_DATA
from viz.gradient_charts import ANGLE_PARAM, GRID_DATA, gradient_chart
from viz.slice_charts import partials_chart


def text_of(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False)


def test_the_tangent_chart_without_the_answer_draws_f_and_the_point_only():
    full, hidden = d2l_chart(), d2l_chart(answer=False)
    alt.VConcatChart.from_dict(hidden, validate=True)
    assert len(hidden["vconcat"]) == 2  # the readout and f; no panel of f′
    assert len(full["vconcat"]) == 3
    tangent_ends = [node for node in walk(hidden) if node.get("as") in ("ya", "yb")]
    assert tangent_ends == [] and [node for node in walk(full) if node.get("as") == "ya"]
    assert "datum.k" not in text_of(hidden)
    assert all("k" not in row and "ks" not in row for row in rows(hidden))
    at_one = next(row for row in rows(hidden) if row["x"] == 1.0)
    assert at_one["r1"] == "x₀ = 1  ·  f(x₀) = −1"  # the point and f(x₀), no slope
    assert at_one["r2"] == ""
    assert "slope" not in text_of(hidden)


def test_the_tangent_chart_without_the_answer_leaves_out_the_second_derivative_too():
    xs = rows(d2l_chart())
    hidden = d2l_chart(answer=False, d2f=[6.0] * len(xs))
    assert len(hidden["vconcat"]) == 2
    assert all("d2" not in row for row in rows(hidden))


def test_the_slices_without_the_answer_have_no_tangent_and_no_slope_in_the_readout():
    full = partials_chart(bowl(), (1.0, 0.5)).to_dict()
    hidden = partials_chart(bowl(), (1.0, 0.5), answer=False).to_dict()
    jsonschema.validate(hidden, vega_lite_schema())
    assert "datum.fx" in text_of(full) and "datum.fx" not in text_of(hidden)
    assert "t_from" in text_of(full) and "t_from" not in text_of(hidden)
    assert set(hidden["datasets"][GRID_DATA][0]) == {"x", "y", "f"}  # no slopes in the data either


def test_the_gradient_chart_without_the_answer_is_the_map_and_the_point():
    full = gradient_chart(bowl(), (1.0, 0.5), 30).to_dict()
    hidden = gradient_chart(bowl(), (1.0, 0.5), 30, answer=False).to_dict()
    jsonschema.validate(hidden, vega_lite_schema())
    assert QUIVER_DATA in full["datasets"] and QUIVER_DATA not in hidden["datasets"]
    assert ANGLE_PARAM in text_of(full)
    assert ANGLE_PARAM not in text_of(hidden)  # no direction, no ∇f·u against θ
    assert "datum.fx" not in text_of(hidden)  # no arrow, no readout of ∇f
    assert set(hidden["datasets"][GRID_DATA][0]) == {"x", "y", "f"}  # and no ∇f in the data
    assert [param["name"] for param in hidden["params"]] == [param["name"] for param in full["params"]][:2]

"""The tangent explorer's chart: a slider and the pointer move x₀ in the browser, over precomputed f, f′."""

from __future__ import annotations

import json
from decimal import Decimal

import altair as alt
import numpy as np
import pytest

from calc_core.tasks import tangent_data
from tests.vega_expressions import walk
from viz.tangent_chart import TANGENT_LABELS, TANGENT_PARAM, line_text, number, slider_grid, tangent_spec

LOW, HIGH, COUNT = slider_grid(1.0)
XS = np.round(np.linspace(LOW, HIGH, COUNT), 9)


def d2l_chart(**options):
    return tangent_spec(XS.tolist(), (3 * XS**2 - 4 * XS).tolist(), (6 * XS - 4).tolist(), 1.0, **options)


def serialised(spec: dict) -> dict:
    """The spec, checked: valid JSON (no NaN) and valid Vega-Lite (Altair validates it against the schema)."""
    json.dumps(spec, allow_nan=False)
    alt.VConcatChart.from_dict(spec, validate=True)
    return spec


def rows(spec: dict) -> list[dict]:
    [data] = spec["datasets"].values()
    return data


def row_at(spec: dict, x: float) -> dict:
    return next(row for row in rows(spec) if row["x"] == x)


def layers_filtered_by_the_param(spec: dict) -> list[dict]:
    found = []
    for node in walk(spec):
        transforms = node.get("transform", [])
        if {"filter": {"param": TANGENT_PARAM, "empty": False}} in transforms:
            found.append(node)
    return found


def stroke_widths(spec: dict) -> list[float]:
    return [node["strokeWidth"] for node in walk(spec) if isinstance(node.get("strokeWidth"), (int, float))]


# --- the slider and the pointer --------------------------------------------------------------------------


def test_the_point_is_a_selection_bound_to_a_slider_and_to_the_pointer():
    spec = serialised(d2l_chart())
    [param] = [node for node in walk(spec) if node.get("name") == TANGENT_PARAM and "select" in node]
    assert param["bind"]["input"] == "range"
    assert (param["bind"]["min"], param["bind"]["max"]) == (LOW, HIGH) == (-3.0, 5.0)
    assert param["bind"]["step"] == pytest.approx(0.02)
    assert param["value"] == [{"x": 1.0}]
    select = param["select"]
    assert select["fields"] == ["x"]
    assert select["on"] == "pointermove" and select["nearest"] is True
    assert select["clear"] is False  # the tangent never vanishes when the pointer leaves


def test_the_slider_starts_at_the_grid_point_nearest_x0():
    spec = serialised(tangent_spec(XS.tolist(), XS.tolist(), [1.0] * XS.size, 1.013))
    [param] = [node for node in walk(spec) if node.get("name") == TANGENT_PARAM and "select" in node]
    assert param["value"] == [{"x": 1.02}]


def test_slider_values_are_exactly_the_grid_values():
    """The browser's range input steps in decimal (min + k·step); the selection matches x by equality."""
    for center in (1.0, 0.0, -1.0, 0.333, 2.5, 123.45):
        low, high, count = slider_grid(center)
        grid = tangent_data("x", ("x",), "x", low, high, count, center)["x"]
        decimal = [float(Decimal(repr(low)) + k * Decimal("0.02")) for k in range(count)]
        assert grid == decimal
        assert grid[-1] == high


def test_vconcat_of_readout_f_and_f_prime_sharing_x():
    spec = serialised(d2l_chart())
    readout, f_panel, df_panel = spec["vconcat"]
    assert "layer" in f_panel and "layer" in df_panel
    assert spec["resolve"]["scale"]["x"] == "shared"
    domains = {
        json.dumps(node["scale"]["domain"])
        for node in walk([f_panel, df_panel])
        if node.get("field") == "x" and "scale" in node
    }
    assert domains == {json.dumps([-3.0, 5.0])}
    y_titles = [node.get("title") for node in walk([f_panel, df_panel]) if node.get("field") in ("f", "k")]
    assert "f(x)" in y_titles and "f′(x)" in y_titles


def test_second_derivative_adds_a_third_panel():
    spec = serialised(d2l_chart(d2f=[6.0] * XS.size))
    assert len(spec["vconcat"]) == 4
    assert row_at(spec, 1.0)["d2"] == 6.0


def test_the_tangent_layer_is_computed_in_the_browser_from_the_param():
    spec = serialised(d2l_chart())
    filtered = layers_filtered_by_the_param(spec)
    assert len(filtered) >= 5  # tangent, marker on f and on f′, point on f and on f′, readout
    [tangent] = [
        layer
        for layer in filtered
        if layer.get("mark", {}).get("type") == "rule" and "x2" in layer.get("encoding", {})
    ]
    calculated = {step["as"]: step["calculate"] for step in tangent["transform"] if "calculate" in step}
    assert calculated["ya"] == "datum.f + datum.k * (-3.0 - datum.x)"
    assert calculated["yb"] == "datum.f + datum.k * (5.0 - datum.x)"
    assert {"filter": "isValid(datum.f) && isValid(datum.k)"} in tangent["transform"]
    # the numbers it uses: at x0 = 1, f = −1 and k = 2, so the ends are on y = 2x − 3
    row = row_at(spec, 1.0)
    assert (row["f"], row["k"]) == (-1.0, 2.0)
    assert row["f"] + row["k"] * (-3.0 - row["x"]) == 2 * -3.0 - 3


def test_no_tangent_where_f_prime_is_a_gap():
    df = (np.sign(XS)).tolist()
    df[int(np.flatnonzero(XS == 0.0)[0])] = None  # |x| at 0: no derivative
    spec = serialised(tangent_spec(XS.tolist(), np.abs(XS).tolist(), df, 0.0))
    row = row_at(spec, 0.0)
    assert "k" not in row or row["k"] is None
    assert row["r2"] == TANGENT_LABELS["no_tangent"]
    assert TANGENT_LABELS["undefined"] in row["r1"]
    assert row_at(spec, 0.02)["k"] == 1.0


def test_rows_where_f_is_undefined_say_so_and_are_valid_json():
    with np.errstate(all="ignore"):
        ys, df = np.log(np.where(XS > 0, XS, np.nan)), np.where(XS > 0, 1 / XS, np.nan)
    spec = serialised(tangent_spec(XS.tolist(), ys.tolist(), df.tolist(), -1.0))
    row = row_at(spec, -1.0)
    assert row.get("f") is None
    assert row["r2"] == TANGENT_LABELS["not_defined"]


def test_readout_text_for_d2l():
    spec = serialised(d2l_chart())
    row = row_at(spec, 1.0)
    assert row["r1"] == "x₀ = 1  ·  f(x₀) = −1  ·  slope f′(x₀) = 2"
    assert row["r2"] == "tangent: y = 2x − 3"
    readout = spec["vconcat"][0]
    assert {"calculate": "[datum.r1, datum.r2]", "as": "readout"} in readout["transform"]


def test_translated_labels_reach_the_chart_and_unknown_ones_are_refused():
    spec = serialised(d2l_chart(labels={"slope": "斜率 f′(x₀)", "line": "切线", "tangent": "切线"}))
    assert row_at(spec, 1.0)["r1"].endswith("斜率 f′(x₀) = 2")
    assert "切线" in json.dumps(spec, ensure_ascii=False)
    with pytest.raises(KeyError):
        d2l_chart(labels={"nonsense": "x"})


def test_projector_draws_thicker_and_bigger():
    normal, projector = serialised(d2l_chart()), serialised(d2l_chart(projector=True))
    assert max(stroke_widths(projector)) > max(stroke_widths(normal))
    sizes = [node["fontSize"] for node in walk(projector) if "fontSize" in node]
    assert max(sizes) > max(node["fontSize"] for node in walk(normal) if "fontSize" in node)


def test_bad_grids_are_refused():
    with pytest.raises(ValueError):
        tangent_spec([0.0], [0.0], [0.0], 0.0)
    with pytest.raises(ValueError):
        tangent_spec([0.0, 1.0], [0.0], [0.0, 1.0], 0.0)


@pytest.mark.parametrize(
    ("k", "b", "text"),
    [(2.0, -3.0, "2x − 3"), (1.0, 0.0, "x"), (-1.0, 2.5, "−x + 2.5"), (0.0, -1.0, "−1"), (0.0, 0.0, "0")],
)
def test_line_text(k, b, text):
    assert line_text(k, b) == text


def test_number_uses_a_real_minus_and_no_negative_zero():
    assert number(-2.0) == "−2"
    assert number(-0.0) == "0"
    assert number(1e-14) == "0"

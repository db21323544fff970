"""Chart specs for the limits page: the secant slider, the error plot and the exhaustion polygons."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from calc_core.exhaustion import circumscribed_area, exhaustion_error_table, inscribed_area
from calc_core.limits import d2l_function, error_table, secant_steps, secant_table
from calc_core.numeric import compile_numeric
from calc_core.parser import parse_expression
from tests.vega_expressions import run_transforms, sequence_rows, walk
from viz.exhaustion_charts import N_PARAM, exhaustion_error_chart, polygon_chart
from viz.limits_charts import SECANT_PARAM, error_chart, secant_chart, spec_size

XS = np.linspace(0, 3, 121)


def datasets_with(spec: dict, key: str) -> list[list[dict]]:
    return [rows for rows in spec.get("datasets", {}).values() if rows and key in rows[0]]


def stroke_widths(spec: dict) -> list[float]:
    return [node["strokeWidth"] for node in walk(spec) if isinstance(node.get("strokeWidth"), (int, float))]


def serialised(chart) -> dict:
    spec = chart.to_dict()
    json.dumps(spec, allow_nan=False)  # what the browser gets must be valid JSON: no NaN
    return spec


def d2l_secant(**options):
    return secant_chart(XS, d2l_function(XS), 1.0, f_at=d2l_function, tangent_slope=2.0, **options)


# --- The secant --------------------------------------------------------------------------------------


def test_secant_chart_has_a_slider_bound_to_its_param():
    spec = serialised(d2l_secant())
    [param] = spec["params"]
    assert param["name"] == SECANT_PARAM
    assert param["bind"]["input"] == "range"
    assert (param["bind"]["min"], param["bind"]["max"]) == (0.0, 3.0)
    assert param["bind"]["step"] == pytest.approx(0.1)
    assert param["value"] == 0.0  # h = 1 to start, the slider moves h towards 0


def test_secant_data_has_one_row_per_slider_value():
    hs = secant_steps()
    spec = serialised(d2l_secant())
    [rows] = datasets_with(spec, "k")
    assert len(rows) == len(hs) == 31
    ks = [row["k"] for row in rows]
    assert ks == sorted(set(ks))
    np.testing.assert_allclose(ks, -np.log10(hs), atol=1e-9)
    table = secant_table(d2l_function, 1.0, hs)
    assert [row["slope"] for row in rows] == table.slope.tolist()
    assert rows[0]["readout"].split(" | ")[1].endswith("= 5")
    assert rows[10]["readout"].split(" | ")[1].endswith("= 2.3")  # h = 0.1, as in D2L's first line
    assert rows[20]["readout"].split(" | ")[1].endswith("= 2.03")


def test_every_slider_position_selects_exactly_one_row():
    spec = serialised(d2l_secant())
    [rows] = datasets_with(spec, "k")
    step = spec["params"][0]["bind"]["step"]
    for position in np.arange(0, 3 + step / 2, step):
        assert sum(abs(row["k"] - position) < step / 2 for row in rows) == 1
    filters = {node["filter"] for node in walk(spec) if isinstance(node.get("filter"), str)}
    assert any(SECANT_PARAM in expression for expression in filters)


def test_secant_lines_pass_through_both_points():
    spec = serialised(d2l_secant())
    [rows] = datasets_with(spec, "k")
    for row in rows:
        slope = (row["yb"] - row["ya"]) / (row["xb"] - row["xa"])
        assert slope == pytest.approx(row["slope"], rel=1e-9)
        assert row["ya"] + slope * (row["x1"] - row["xa"]) == pytest.approx(row["y1"], abs=1e-9)


def test_projector_mode_draws_thicker_and_larger():
    normal, projector = serialised(d2l_secant()), serialised(d2l_secant(projector=True))
    assert max(stroke_widths(projector)) > max(stroke_widths(normal))
    sizes = [[node["fontSize"] for node in walk(spec) if "fontSize" in node] for spec in (normal, projector)]
    assert max(sizes[1]) > max(sizes[0])


def test_labels_come_from_the_caller():
    labels = {"secant": "割线", "tangent": "切线", "curve": "f(x)", "secant_slope": "割线斜率", "h": "步长 h"}
    spec = serialised(d2l_secant(labels=labels))
    text = json.dumps(spec, ensure_ascii=False)
    assert "割线" in text and "切线" in text and "步长 h = 1" in text
    with pytest.raises(KeyError):
        d2l_secant(labels={"no_such_label": "x"})


def test_tangent_is_drawn_only_when_its_slope_is_known():
    with_tangent = serialised(d2l_secant())
    without = serialised(secant_chart(XS, d2l_function(XS), 1.0, f_at=d2l_function))
    assert "tangent" in json.dumps(with_tangent) and "tangent" not in json.dumps(without)


def test_secant_to_an_undefined_point_is_left_out_not_nan():
    f = compile_numeric(parse_expression("1/(x-2)"), ["x"])
    xs = np.linspace(-1, 1.9, 50)
    spec = serialised(secant_chart(xs, f(xs), 1.0, hs=[1.0, 0.1], f_at=f))
    [rows] = datasets_with(spec, "k")
    assert rows[0]["defined"] is False and "slope" not in rows[0]
    assert rows[0]["readout"].split(" | ")[1].endswith("undefined")
    assert rows[1]["defined"] is True


def test_secant_chart_checks_its_input():
    with pytest.raises(ValueError, match="equal steps"):
        secant_chart(XS, d2l_function(XS), 1.0, hs=[1.0, 0.5, 0.1], f_at=d2l_function)
    with pytest.raises(ValueError, match="not defined"), np.errstate(divide="ignore"):
        secant_chart(XS, 1 / XS, 0.0, f_at=lambda x: 1 / x)
    with pytest.raises(ValueError):
        secant_chart(XS, d2l_function(XS), 1.0)


def test_secant_chart_starts_at_the_h_asked_for():
    spec = serialised(d2l_secant(h_initial=0.01))
    assert spec["params"][0]["value"] == pytest.approx(2.0)


def test_curve_gaps_break_the_line():
    with np.errstate(divide="ignore"):
        ys = 1 / (XS - 1.5)
    ys[np.abs(XS - 1.5) < 0.05] = np.nan
    spec = serialised(secant_chart(XS, ys, 1.0, f_at=lambda x: 1 / (x - 1.5)))
    [rows] = datasets_with(spec, "segment")
    assert len({row["segment"] for row in rows}) == 2


# --- The error plot ----------------------------------------------------------------------------------


def test_error_chart_is_log_log_with_models_dashed():
    spec = serialised(error_chart(error_table(np.sin, 1.0, math.cos(1.0))))
    scales = [node["scale"]["type"] for node in walk(spec) if "scale" in node and "type" in node["scale"]]
    assert set(scales) == {"log"}
    dashes = [node for node in walk(spec) if node.get("field") == "label" and "scale" in node]
    dash_scale = next(node["scale"] for node in dashes if "range" in node["scale"] and node["scale"]["range"])
    assert dash_scale["domain"][3].startswith("model")
    [models] = datasets_with(spec, "model")
    assert {row["model"] for row in models} == {"truncation_one_sided", "truncation_central", "roundoff"}
    best = sorted(datasets_with(spec, "text"), key=len)
    assert [len(rows) for rows in best] == [1, 1, 1, 3]  # a label layer each, one layer of diamonds


def test_error_chart_marks_the_best_h():
    table = error_table(np.sin, 1.0, math.cos(1.0))
    spec = serialised(error_chart(table))
    best_rows = [rows for rows in datasets_with(spec, "scheme") if "text" in rows[0]]
    best = {row["scheme"]: row["h"] for rows in best_rows for row in rows}
    assert 1e-9 <= best["forward"] <= 1e-7 and 1e-6 <= best["central"] <= 1e-4


def test_error_chart_puts_exact_hits_at_the_floor():
    table = error_table(d2l_function, 1.0, 2.0, [0.5, 0.25, 0.125, 0.1])
    spec = serialised(error_chart(table))
    hits = [row for rows in datasets_with(spec, "exact_hit") for row in rows if row["exact_hit"]]
    assert hits and all(row["error"] == table.floor for row in hits)
    measured = [row for rows in datasets_with(spec, "exact_hit") for row in rows if not row["exact_hit"]]
    assert all(row["error"] > 0 for row in measured)


def test_error_chart_projector_mode():
    table = error_table(np.sin, 1.0, math.cos(1.0))
    normal, projector = serialised(error_chart(table)), serialised(error_chart(table, projector=True))
    assert max(stroke_widths(projector)) > max(stroke_widths(normal))


# --- The exhaustion polygons -------------------------------------------------------------------------


def test_polygon_chart_slider_runs_from_3_to_1000():
    spec = serialised(polygon_chart())
    [param] = spec["params"]
    assert param["name"] == N_PARAM and param["value"] == 6
    assert param["bind"] == {**param["bind"], "input": "range", "min": 3, "max": 1000, "step": 1}


def test_polygon_chart_numbers_come_from_calc_core_one_row_per_n():
    spec = serialised(polygon_chart())
    [rows] = datasets_with(spec, "A")
    assert [row["n"] for row in rows] == list(range(3, 1001))
    ns = np.arange(3, 1001)
    np.testing.assert_allclose([row["a"] for row in rows], inscribed_area(ns), rtol=1e-11)
    np.testing.assert_allclose([row["A"] for row in rows], circumscribed_area(ns), rtol=1e-11)


def test_polygon_chart_stays_small():
    assert spec_size(polygon_chart()) < 200_000
    assert spec_size(polygon_chart(errors=exhaustion_error_table())) < 300_000


def test_polygon_chart_with_errors_follows_the_slider():
    spec = serialised(polygon_chart(errors=exhaustion_error_table()))
    assert len(spec["vconcat"]) == 3
    filters = [node["filter"] for node in walk(spec["vconcat"][2]) if isinstance(node.get("filter"), str)]
    assert any(N_PARAM in expression for expression in filters)


def test_polygon_chart_projector_and_labels():
    normal, projector = serialised(polygon_chart()), serialised(polygon_chart(projector=True))
    assert max(stroke_widths(projector)) > max(stroke_widths(normal))
    spec = serialised(polygon_chart(labels={"inscribed": "内接多边形", "slider": "边数 n"}))
    assert "内接多边形" in json.dumps(spec, ensure_ascii=False)
    assert spec["params"][0]["bind"]["name"].startswith("边数 n")


@pytest.mark.parametrize(
    ("n_values", "n_initial"), [(range(2, 10), 5), ([3, 4, 6], 3), (range(3, 10), 12), ([3], 3)]
)
def test_polygon_chart_checks_its_input(n_values, n_initial):
    with pytest.raises(ValueError):
        polygon_chart(n_values, n_initial)


def triangle_layer(spec: dict) -> dict:
    """The view of the polygon chart that draws the triangles (the one that computes a ``vertex``)."""
    [found] = [
        node
        for node in walk(spec)
        if any(step.get("as") == "vertex" for step in node.get("transform", []) if isinstance(step, dict))
    ]
    return found


@pytest.mark.parametrize("limit", [120, 9])
def test_triangle_path_visits_every_vertex(limit):
    """The chart's own Vega expressions, read from its spec and evaluated for n = 3 … 40 and at the limit:
    the path O, V0, V1, O, V2, … reaches every vertex of the n-gon, at the vertex's place on the circle."""
    layer = triangle_layer(polygon_chart(range(3, 201), triangle_limit=limit).to_dict())
    rows = sequence_rows(layer["data"])
    for n in sorted({*range(3, min(limit, 40) + 1), limit - 1, limit}):
        path = run_transforms(rows, layer["transform"], {N_PARAM: n})
        corners = [row for row in path if row["corner"] != 0]
        assert {int(row["vertex"]) for row in corners} == set(range(n)), n
        for row in corners:
            angle = 2 * math.pi * row["vertex"] / n
            assert (row["x"], row["y"]) == pytest.approx((math.cos(angle), math.sin(angle)))
        assert all((row["x"], row["y"]) == (0, 0) for row in path if row["corner"] == 0)
    assert not run_transforms(rows, layer["transform"], {N_PARAM: limit + 1})  # beyond it: spokes only


def test_exhaustion_error_chart():
    spec = serialised(exhaustion_error_chart(exhaustion_error_table()))
    [rows] = datasets_with(spec, "series")
    assert {row["series"] for row in rows} == {
        "π − inscribed area",
        "circumscribed area − π",
        "40 / n²  (∝ 1/n², slope −2)",
    }
    assert all(row["error"] > 0 for row in rows)


def test_both_sides_adds_the_left_secant_for_one_sided_limits():
    f = compile_numeric(parse_expression("abs(x)"), ["x"])
    xs = np.linspace(-2, 2, 81)
    spec = serialised(secant_chart(xs, f(xs), 0.0, f_at=f, both_sides=True))
    [rows] = datasets_with(spec, "k")
    assert len(rows) == 31
    assert {row["slope"] for row in rows} == {1.0} and {row["left_slope"] for row in rows} == {-1.0}
    assert all(row["left_x1"] == -row["h"] for row in rows)
    assert rows[-1]["readout"].split(" | ")[1:] == [
        "secant slope (f(x0 + h) − f(x0)) / h = 1",
        "left secant slope (f(x0 − h) − f(x0)) / (−h) = −1",
    ]
    assert "left secant" in json.dumps(spec, ensure_ascii=False)


@pytest.mark.parametrize("n", [3, 6, 96])
def test_the_polygon_readout_says_what_the_areas_are(n):
    """The readout's lines, computed by the chart's own Vega expressions (read from its spec) for the n of
    the slider: both areas as calc_core computes them, π, and the gap π − inscribed area (positive)."""
    labels = {
        "n": "n",
        "inscribed": "inscribed",
        "circumscribed": "circumscribed",
        "circle": "pi",
        "gap": "gap",
    }
    spec = polygon_chart(range(3, 101), labels=labels).to_dict()
    views = [node for node in walk(spec) if any(s.get("as") == "text" for s in node.get("transform", []))]
    [rows] = [rows for rows in spec["datasets"].values() if rows and {"n", "a", "A"} <= set(rows[0])]
    lines = []
    for view in views:
        [row] = run_transforms(rows, view["transform"], {N_PARAM: n})
        lines.append(row["text"])
    shown = dict(line.split(" = ") for line in lines)
    assert shown["n"] == str(n)
    assert float(shown["inscribed"]) == pytest.approx(inscribed_area(n), abs=5e-7)
    assert float(shown["circumscribed"]) == pytest.approx(circumscribed_area(n), abs=5e-7)
    assert float(shown["pi"]) == pytest.approx(math.pi, abs=5e-7)
    assert float(shown["gap"]) == pytest.approx(math.pi - inscribed_area(n), abs=5e-7)
    assert float(shown["inscribed"]) < float(shown["pi"]) < float(shown["circumscribed"])

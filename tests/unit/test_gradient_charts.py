"""The multivariate charts: valid Vega-Lite, params bound to sliders, the data the browser needs, projector
sizes; and the 3D surface with Chinese labels (viz.gradient_charts, viz.slice_charts, viz.surface_plot)."""

from __future__ import annotations

import functools
import json
import math
import warnings
from pathlib import Path

import altair
import jsonschema
import numpy as np
import pytest

from calc_core.multivariate import Grid, evaluate_grid, gradient_descent, gradient_field_task
from tests.vega_expressions import run_transforms, walk
from viz.contour_map import LEVEL_DATA, QUIVER_DATA, contour_lines, grid_records, quiver_rows
from viz.gradient_charts import (
    ANGLE_PARAM,
    PATH_DATA,
    POINT_X,
    POINT_Y,
    STEP_PARAM,
    descent_chart,
    gradient_chart,
)
from viz.mpl_fonts import cjk_font_family
from viz.slice_charts import SLICE_X, SLICE_Y, partials_chart
from viz.surface_plot import surface_figure, surface_png

N = 13  # a small grid keeps schema validation quick


@functools.cache
def vega_lite_schema() -> dict:
    return json.loads((Path(altair.__file__).parent / "vegalite/v6/schema/vega-lite-schema.json").read_text())


def bowl(n: int = N) -> Grid:
    return evaluate_grid(
        lambda x, y: x * x + 4 * y * y, lambda x, y: 2 * x, lambda x, y: 8 * y, (-3, 3, -3, 3), n
    )


def path_on_bowl(steps: int = 10):
    return gradient_descent(
        lambda x, y: x * x + 4 * y * y, [lambda x, y: 2 * x, lambda x, y: 8 * y], (-2.5, 1.5), 0.1, steps
    )


def all_marks(spec) -> list[dict]:
    """Every mark definition in a (nested) spec."""
    found = []
    if isinstance(spec, dict):
        mark = spec.get("mark")
        if isinstance(mark, dict):
            found.append(mark)
        for value in spec.values():
            found += all_marks(value)
    elif isinstance(spec, list):
        for value in spec:
            found += all_marks(value)
    return found


def font_sizes(spec) -> list[float]:
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in {"fontSize", "labelFontSize", "titleFontSize"}:
                found.append(value)
            else:
                found += font_sizes(value)
    elif isinstance(spec, list):
        for value in spec:
            found += font_sizes(value)
    return found


CHARTS = {
    "partials": lambda projector=False: partials_chart(bowl(), (1.0, 0.5), projector=projector),
    "gradient": lambda projector=False: gradient_chart(bowl(), (1.0, 0.5), 30, projector=projector),
    "descent": lambda projector=False: descent_chart(bowl(), path_on_bowl(), projector=projector),
}


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_valid_vega_lite(name):
    spec = CHARTS[name]().to_dict()
    jsonschema.validate(spec, vega_lite_schema())
    json.dumps(spec, allow_nan=False)  # no NaN may reach the browser: gaps are null


@pytest.mark.parametrize("name", CHARTS)
def test_projector_mode_draws_thicker_lines_and_larger_text(name):
    normal, projector = CHARTS[name]().to_dict(), CHARTS[name](projector=True).to_dict()
    widths = [max(m.get("strokeWidth", 0) for m in all_marks(s)) for s in (normal, projector)]
    assert widths[1] > widths[0]
    assert min(font_sizes(projector)) > min(font_sizes(normal))
    assert max(font_sizes(projector)) > max(font_sizes(normal))


def test_the_slices_move_in_the_browser_with_two_bound_sliders():
    spec = partials_chart(bowl(), (1.04, 0.52)).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {SLICE_X, SLICE_Y}
    assert params[SLICE_X]["value"] == 1.0 and params[SLICE_Y]["value"] == 0.5  # snapped to the grid
    for param in params.values():
        assert param["bind"]["input"] == "range"
        assert (param["bind"]["min"], param["bind"]["max"], param["bind"]["step"]) == (-3.0, 3.0, 0.5)
    assert len(spec["datasets"]["grid"]) == N * N
    assert set(spec["datasets"]["grid"][0]) == {"x", "y", "f", "fx", "fy"}
    text = json.dumps(spec)
    assert f"abs(datum.y - {SLICE_Y})" in text and f"abs(datum.x - {SLICE_X})" in text


def test_the_gradient_chart_binds_the_point_and_the_direction():
    spec = gradient_chart(bowl(), (1.0, 0.5), 47).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {POINT_X, POINT_Y, ANGLE_PARAM}
    assert params[ANGLE_PARAM]["value"] == 45  # snapped to 5° steps
    assert (params[ANGLE_PARAM]["bind"]["min"], params[ANGLE_PARAM]["bind"]["max"]) == (0, 360)
    assert {"grid", LEVEL_DATA, QUIVER_DATA} <= set(spec["datasets"])
    text = json.dumps(spec)
    assert "sequence(0, 361, 5)" in text  # ∇f·u against θ is computed in the browser
    assert "datum.fx * cos(datum.theta) + datum.fy * sin(datum.theta)" in text


def test_the_descent_chart_has_the_path_and_a_step_slider():
    path = path_on_bowl(12)
    spec = descent_chart(bowl(), path).to_dict()
    (param,) = spec["params"]
    assert param["name"] == STEP_PARAM and param["value"] == 12 and param["bind"]["max"] == 12
    rows = spec["datasets"][PATH_DATA]
    assert [row["k"] for row in rows] == list(range(13))
    assert rows[0]["loss"] == pytest.approx(15.25)
    assert all(a["loss"] > b["loss"] for a, b in zip(rows, rows[1:], strict=False))


def test_translated_labels_reach_the_chart():
    labels = {"slider_x": "a（该点的 x₁） ", "slice_x_title": "切片 x₂ = c：f 随 x₁ 变化", "point": "点"}
    text = json.dumps(partials_chart(bowl(), (1, 1), labels=labels).to_dict(), ensure_ascii=False)
    assert all(label in text for label in labels.values())
    with pytest.raises(KeyError):
        partials_chart(bowl(), (1, 1), labels={"nonsense": "x"})


def test_gaps_become_null_and_are_left_out_of_the_heatmap():
    gaps = Grid.from_dict(gradient_field_task("log(x1) + x2", ("x1", "x2"), (-1.0, 1.0, -1.0, 1.0), 5))
    records = grid_records(gaps)
    assert records[0]["f"] is None and records[-1]["f"] is not None
    spec = gradient_chart(gaps, (0.5, 0.5)).to_dict()
    jsonschema.validate(spec, vega_lite_schema())


def test_level_lines_lie_on_their_level():
    grid = bowl(61)
    rows = contour_lines(grid, [4.0])
    assert rows
    for row in rows:
        assert row["x"] ** 2 + 4 * row["y"] ** 2 == pytest.approx(4.0, abs=0.05)


def test_quiver_arrows_point_along_the_gradient():
    grid = bowl(25)
    for row in quiver_rows(grid, 9):
        gx, gy = 2 * row["x"], 8 * row["y"]
        dx, dy = row["x2"] - row["x"], row["y2"] - row["y"]
        assert gx * dy - gy * dx == pytest.approx(0, abs=1e-9)  # parallel
        assert gx * dx + gy * dy > 0  # same direction
        assert row["angle"] == pytest.approx(90 - math.degrees(math.atan2(gy, gx)))


def test_the_surface_figure_draws_chinese_without_missing_glyphs():
    grid = bowl(31)
    labels = {"slice_x": "切片 x₂ = c", "slice_y": "切片 x₁ = a", "point": "点 (a, c)"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" fails the test
        png = surface_png(surface_figure(grid, (1.0, 0.5), labels=labels), dpi=50)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    if cjk_font_family() is None:
        pytest.skip("no CJK font installed: the Chinese legend cannot be checked")


def test_the_surface_clips_a_pole_and_survives_gaps():
    grid = Grid.from_dict(gradient_field_task("1/(x1^2 + x2^2) + log(x1)", ("x1", "x2"), (-3, 3, -3, 3), 41))
    figure = surface_figure(grid, (1.0, 1.0), projector=True)
    low, high = figure.axes[0].get_zlim()
    assert high < 100 and np.isfinite([low, high]).all()
    assert surface_png(figure, dpi=40)[:4] == b"\x89PNG"


@pytest.mark.parametrize("cells", [5, 9, 13])
def test_the_quiver_sub_grid_spans_the_window_evenly_with_one_arrow_per_cell(cells):
    """Arrows stand on a cells × cells lattice from edge to edge of the window, evenly spaced, each at most
    0.85 of a cell long (a constant gradient: every arrow the same, all of full length)."""
    grid = evaluate_grid(
        lambda x, y: x + 2 * y, lambda x, y: 1 + 0 * x, lambda x, y: 2 + 0 * y, (-3, 3, -3, 3), 25
    )
    rows = quiver_rows(grid, cells)
    assert len(rows) == cells * cells
    for axis in ("x", "y"):
        tails = sorted({row[axis] for row in rows})
        assert len(tails) == cells
        assert (tails[0], tails[-1]) == (pytest.approx(-3), pytest.approx(3))
        assert np.diff(tails) == pytest.approx(np.full(cells - 1, 6 / (cells - 1)))
    cell = 6 / cells
    lengths = [math.hypot(row["x2"] - row["x"], row["y2"] - row["y"]) for row in rows]
    assert lengths == pytest.approx([0.85 * cell] * len(rows))


@pytest.mark.parametrize(("a", "c"), [(1.0, 0.5), (-2.0, 1.5)])
def test_each_slice_draws_the_tangent_of_its_own_partial_derivative(a, c):
    """The slices' tangent lines, computed by the chart's own Vega expressions (read from the spec) at the
    sliders' point: along x₁ its slope is ∂f/∂x₁, along x₂ it is ∂f/∂x₂ (here 2x₁ and 8x₂ differ)."""
    spec = partials_chart(bowl(), (a, c)).to_dict()
    rows = spec["datasets"][next(name for name in spec["datasets"] if "fx" in spec["datasets"][name][0])]
    tangents = [node for node in walk(spec) if any(s.get("as") == "v_to" for s in node.get("transform", []))]
    assert len(tangents) == 2
    slopes = {}
    for layer in tangents:
        [row] = run_transforms(rows, layer["transform"], {SLICE_X: a, SLICE_Y: c})
        along = "x" if row["t_from"] == pytest.approx(row["x"] - (row["t_to"] - row["x"])) else "y"
        assert row["t_from"] == pytest.approx(row[along] - (row["t_to"] - row[along]))
        slopes[along] = (row["v_to"] - row["v_from"]) / (row["t_to"] - row["t_from"])
    assert slopes == {"x": pytest.approx(2 * a), "y": pytest.approx(8 * c)}

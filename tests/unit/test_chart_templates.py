"""The Altair-free chart builders of ``viz`` give the browser the spec the Altair construction gave it.

Each builder (the secant and error charts of the limits page, the chain rule's nudge chart, the function
graph, the exhaustion polygons and their error chart) is compared, for many inputs, with the former Altair
construction kept in ``altair_reference.py``: the same JSON once Altair's hashed dataset names are numbered
in the order of the spec's datasets (so the order of the datasets counts too), ints and floats told apart.
Every spec is also validated against the Vega-Lite schema that Altair ships, and no builder may create an
Altair object.
"""

from __future__ import annotations

import functools
import json
import math
import re
import tomllib

import altair as alt
import jsonschema
import numpy as np
import pytest
from altair.utils.schemapi import SchemaBase
from altair.vegalite.v6.api import _dataset_name
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc_core.exhaustion import exhaustion_error_table
from calc_core.limits import error_table, secant_steps
from calc_core.sampling import SampledCurve
from tests.unit import altair_reference as reference
from tests.unit.test_gradient_charts import vega_lite_schema
from viz import chain_charts, exhaustion_charts, function_plot, limits_charts
from viz.vega_lite import ALTAIR_VIEW_CONFIG, SCHEMA_URL, dataset_name

ALTAIR_NAME = re.compile(r"data-[0-9a-f]{32}|empty")


def slow(max_examples: int) -> settings:
    """Settings for a test whose examples build Altair charts (the reference takes up to a second)."""
    return settings(deadline=None, max_examples=max_examples, suppress_health_check=[HealthCheck.too_slow])


# --- comparing specs -------------------------------------------------------------------------------------


def normalised(spec: dict) -> str:
    """The spec as canonical JSON (NaN kept as NaN), its dataset names numbered in their order."""
    names = {name: f"dataset-{i}" for i, name in enumerate(spec.get("datasets", {}))}
    assert all(ALTAIR_NAME.fullmatch(name) for name in names)

    def renamed(node):
        if isinstance(node, dict):
            return {names.get(key, key): renamed(value) for key, value in node.items()}
        if isinstance(node, list | tuple):
            return [renamed(item) for item in node]
        if isinstance(node, str):
            return names.get(node, node)
        return node

    return json.dumps(renamed(spec), sort_keys=True, ensure_ascii=False)


def assert_same_spec(new, old) -> dict:
    """``new`` (a builder's result) gives the spec ``old`` (an Altair chart) gives; returns the spec."""
    spec = new.to_dict()
    expected = old.to_dict(validate=False)
    new_json, old_json = normalised(spec), normalised(expected)
    # First as data, for a readable difference; then as text, where 1 and 1.0 differ.
    assert json.loads(new_json, parse_constant=str) == json.loads(old_json, parse_constant=str)
    assert new_json == old_json
    return spec


@functools.cache
def schema_validator() -> jsonschema.protocols.Validator:
    schema = vega_lite_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def assert_valid(spec: dict) -> None:
    schema_validator().validate(spec)


def same_failure(build_new, build_old) -> bool:
    """True if the Altair construction refuses the input; then the new builder must refuse it alike."""
    try:
        build_old()
    except (ValueError, KeyError) as error:
        with pytest.raises(type(error)):
            build_new()
        return True
    return False


# --- labels: the app's own (both languages) and odd ones ---------------------------------------------------


@functools.cache
def zh_labels(section: str, prefix: str) -> dict[str, str]:
    """The Chinese words the page passes a chart: keys ``<prefix><key>`` of a locale section."""
    with open("locales/zh.toml", "rb") as file:
        words = tomllib.load(file)[section]
    return {key.removeprefix(prefix): text for key, text in words.items() if key.startswith(prefix)}


def labels_for(defaults: dict[str, str], section: str, prefix: str) -> st.SearchStrategy:
    """None (English defaults), the Chinese labels, or some of them replaced by odd text."""
    chinese = {key: text for key, text in zh_labels(section, prefix).items() if key in defaults}
    odd = st.dictionaries(st.sampled_from(sorted(defaults)), st.text(max_size=12), max_size=3)
    return st.one_of(st.none(), st.just(chinese), odd.map(lambda given: {**chinese, **given}))


def test_zh_labels_are_found():
    assert set(zh_labels("limits", "secantchart_")) <= set(limits_charts.SECANT_LABELS)
    assert "secant" in zh_labels("limits", "secantchart_")
    assert "actual" in zh_labels("chain_rule", "nudge_")


# --- what the builders share ---------------------------------------------------------------------------


def test_schema_url_and_view_config_are_altairs():
    spec = alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point().to_dict()
    assert SCHEMA_URL == alt.SCHEMA_URL == spec["$schema"]
    assert spec["config"]["view"] == ALTAIR_VIEW_CONFIG


rows_strategy = st.lists(
    st.dictionaries(
        st.sampled_from(["x", "y", "label", "segment"]),
        st.one_of(st.floats(allow_nan=True), st.integers(), st.text(max_size=5), st.none()),
    ),
    max_size=5,
)


@given(rows_strategy)
def test_dataset_names_are_altairs(rows):
    assert dataset_name(rows) == _dataset_name(rows)


@pytest.fixture
def no_altair_objects(monkeypatch):
    """Any Altair schema object created while the fixture is active fails the test."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"an Altair object was built: {type(self).__name__}")

    monkeypatch.setattr(SchemaBase, "__init__", refuse)


def test_no_builder_creates_altair_objects(no_altair_objects):
    xs = np.linspace(0, 3, 61)
    limits_charts.secant_chart(xs, xs**2, 1.0, f_at=lambda x: x**2, tangent_slope=2.0, both_sides=True)
    limits_charts.error_chart(error_table(np.sin, 1.0, math.cos(1.0)))
    chain_charts.nudge_chart([{"dx": 0.1, "actual": [0.2], "estimate": [0.2]}], ["Δu", "Δx"])
    curve = SampledCurve(x=xs, y=xs**2, segment=np.zeros(xs.size), y_limits=(0.0, 9.0))
    function_plot.function_chart([("f", curve)], points=[("P", 1.0, 1.0)])
    exhaustion_charts.polygon_chart(range(3, 20), 5, errors=exhaustion_error_table(range(3, 20)))


# --- the secant ------------------------------------------------------------------------------------------

FUNCTIONS = {
    "cubic": lambda x: x**3 - 2 * x,
    "pole": lambda x: 1 / (x - 0.5),
    "corner": lambda x: np.abs(x - 1),
    "root": np.sqrt,
    "sine": np.sin,
    "line": lambda x: 3 * x + 1,
    "nowhere": lambda x: np.full_like(x, np.nan),
    "step": lambda x: np.where(x < 1, 0.0, 1.0),
}


def sampled(f, x0: float, n: int, gaps: str):
    """f sampled on [x0 − 2, x0 + 2]: its values, and segments given (from the gaps) or left to the chart."""
    xs = np.linspace(x0 - 2, x0 + 2, n)
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=np.float64)
    ys = np.where(np.isfinite(ys), ys, np.nan)
    if gaps == "holes":
        ys[:: max(2, n // 7)] = np.nan
    segment = None if gaps == "none" else np.where(np.isnan(ys), -1, np.cumsum(np.isnan(ys)))
    return xs, ys, segment


@st.composite
def secant_inputs(draw):
    name = draw(st.sampled_from(sorted(FUNCTIONS)))
    x0 = draw(st.sampled_from([0.0, 1.0, -0.5]) | st.floats(-3, 3, allow_nan=False))
    n = draw(st.sampled_from([2, 3, 41, 401]))
    gaps = draw(st.sampled_from(["none", "given", "holes"]))
    if draw(st.booleans()):
        hs = None
    else:
        start, step, count = (
            draw(st.integers(0, 2)),
            draw(st.sampled_from([0.1, 0.25, 0.5])),
            draw(st.integers(2, 12)),
        )
        hs = 10.0 ** -(start + step * np.arange(count))
    options = {
        "tangent_slope": draw(st.one_of(st.none(), st.just(math.nan), st.floats(-1e6, 1e6))),
        "labels": draw(labels_for(limits_charts.SECANT_LABELS, "limits", "secantchart_")),
        "projector": draw(st.booleans()),
        "y_domain": draw(st.one_of(st.none(), st.tuples(st.floats(-10, 0), st.floats(0.5, 10)))),
        "h_initial": draw(st.one_of(st.none(), st.floats(1e-3, 1.0))),
        "both_sides": draw(st.booleans()),
        "width": draw(st.sampled_from([520, 560, 820])),
    }
    return FUNCTIONS[name], x0, n, gaps, hs, options


@slow(40)
@given(secant_inputs())
def test_secant_chart_is_the_altair_spec(inputs):
    f, x0, n, gaps, hs, options = inputs
    xs, ys, segment = sampled(f, x0, n, gaps)

    def build(module):
        with np.errstate(all="ignore"):
            return module.secant_chart(xs, ys, x0, hs, f, curve_segment=segment, **options)

    if same_failure(lambda: build(limits_charts), lambda: build(reference)):
        return
    assert_valid(assert_same_spec(build(limits_charts), build(reference)))


@pytest.mark.parametrize("projector", [False, True])
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("both_sides", [False, True])
def test_secant_chart_as_the_limits_page_draws_it(projector, language, both_sides):
    """The page's own inputs (ui/views/limits/derivative.py): f on [x0 − 2, x0 + 2], the worker's h steps."""
    labels = zh_labels("limits", "secantchart_") if language == "zh" else None
    labels = labels and {key: text for key, text in labels.items() if key in limits_charts.SECANT_LABELS}
    f = FUNCTIONS["corner"] if both_sides else FUNCTIONS["cubic"]
    xs, ys, segment = sampled(f, 1.0, 401, "given")
    options = {"labels": labels, "projector": projector, "both_sides": both_sides, "curve_segment": segment}
    options |= {"tangent_slope": None if both_sides else 1.0, "width": 820 if projector else 560}
    new = limits_charts.secant_chart(xs, ys, 1.0, secant_steps(), f, **options)
    old = reference.secant_chart(xs, ys, 1.0, secant_steps(), f, **options)
    assert_valid(assert_same_spec(new, old))


# --- the error against h -------------------------------------------------------------------------------

EXACT = {
    "cubic": lambda x: 3 * x**2 - 2,
    "sine": np.cos,
    "line": lambda x: 3.0,
    "root": lambda x: 0.5 / np.sqrt(x),
}


@st.composite
def error_inputs(draw):
    name = draw(st.sampled_from(sorted(EXACT)))
    x0 = draw(st.sampled_from([0.0, 1.0, 2.0]) | st.floats(0.01, 3))
    with np.errstate(all="ignore"):
        exact = float(EXACT[name](x0))
    if not math.isfinite(exact):
        exact = 1.0
    exact += draw(st.sampled_from([0.0, 0.0, 1e-3]))  # a wrong "exact" value: no exact hits
    hs = draw(st.sampled_from([None, [0.1], [0.1, 1e-8], list(10.0 ** -np.arange(1, 17))]))
    second = draw(st.sampled_from([None, 0.0, 2.0, math.nan]))
    third = draw(st.sampled_from([None, 0.0, 6.0]))
    with np.errstate(all="ignore"):
        table = error_table(FUNCTIONS[name], x0, exact, hs, second=second, third=third)
    options = {
        "labels": draw(labels_for(limits_charts.ERROR_LABELS, "limits", "errorchart_")),
        "projector": draw(st.booleans()),
        "h_decreasing": draw(st.booleans()),
        "width": draw(st.sampled_from([520, 820])),
    }
    return table, options


@slow(40)
@given(error_inputs())
def test_error_chart_is_the_altair_spec(inputs):
    table, options = inputs
    if same_failure(
        lambda: limits_charts.error_chart(table, **options), lambda: reference.error_chart(table, **options)
    ):
        return
    new, old = limits_charts.error_chart(table, **options), reference.error_chart(table, **options)
    assert_valid(assert_same_spec(new, old))


def test_error_chart_with_exact_hits_and_one_best_h():
    """f = 3x + 1 hits its derivative exactly at some h; with one h there is one best h (its row and the
    diamonds' rows are equal: Altair sent them once)."""
    for hs in (None, [0.1]):
        table = error_table(FUNCTIONS["line"], 1.0, 3.0, hs)
        spec = assert_same_spec(limits_charts.error_chart(table), reference.error_chart(table))
        assert_valid(spec)


# --- the chain rule's nudges ---------------------------------------------------------------------------

number = st.one_of(st.floats(-1e3, 1e3), st.just(math.nan), st.just(math.inf), st.none())


@st.composite
def nudge_inputs(draw):
    stage_count = draw(st.integers(2, 4))
    stages = draw(st.lists(st.text(min_size=1, max_size=4), min_size=stage_count, max_size=stage_count))
    dxs = draw(
        st.lists(st.sampled_from([1.0, 0.5, 0.1, 0.01, 0.001]) | st.floats(1e-6, 2), min_size=1, max_size=5)
    )
    nudges = [
        {
            "dx": dx,
            "actual": draw(st.lists(number, min_size=stage_count - 1, max_size=stage_count - 1)),
            "estimate": draw(st.lists(number, min_size=stage_count - 1, max_size=stage_count - 1)),
        }
        for dx in dxs
    ]
    options = {
        "labels": draw(labels_for(chain_charts.NUDGE_LABELS, "chain_rule", "nudge_")),
        "projector": draw(st.booleans()),
        "width": draw(st.sampled_from([520, 560, 820])),
        "initial_dx": draw(st.floats(0, 2)),
    }
    return nudges, stages, options


@slow(60)
@given(nudge_inputs())
def test_nudge_chart_is_the_altair_spec(inputs):
    nudges, stages, options = inputs
    new = chain_charts.nudge_chart(nudges, stages, **options)
    old = reference.nudge_chart(nudges, stages, **options)
    assert_valid(assert_same_spec(new, old))
    # As the chain rule page sends it: the data inline.
    inline_new = chain_charts.InlineChart(new).to_dict()
    assert normalised(inline_new) == normalised(chain_charts.InlineChart(old).to_dict())


# --- graphs of functions ---------------------------------------------------------------------------------


@st.composite
def curves(draw):
    count = draw(st.integers(1, 3))
    labels = draw(st.lists(st.text(min_size=1, max_size=6), min_size=count, max_size=count, unique=True))
    result = []
    for label in labels:
        name = draw(st.sampled_from(sorted(FUNCTIONS)))
        low = draw(st.floats(-5, 4))
        n = draw(st.sampled_from([0, 1, 2, 61, 801, 6001]))
        xs, ys, segment = sampled(FUNCTIONS[name], low + 1, n, draw(st.sampled_from(["given", "holes"])))
        finite = ys[np.isfinite(ys)]
        limits = (float(finite.min()), float(finite.max()) + 1) if finite.size else None
        segment = np.zeros(n, dtype=np.int64) if segment is None else segment
        result.append((label, SampledCurve(x=xs, y=ys, segment=segment, y_limits=limits)))
    return result


points = st.lists(st.tuples(st.text(max_size=4), st.floats(-5, 5), st.floats(-5, 5)), max_size=2)


@slow(40)
@given(
    curves(),
    points,
    st.one_of(st.none(), st.tuples(st.floats(-10, 0), st.floats(1, 10))),
    st.one_of(st.none(), st.integers(100, 500)),
    st.booleans(),
    st.sampled_from([("x", "y"), ("x₁", "‖x‖₂"), ("自变量 x", "函数值 y")]),
)
def test_function_chart_is_the_altair_spec(curves, points, y_limits, height, projector, titles):
    x_title, y_title = titles
    options = {"x_title": x_title, "y_title": y_title, "y_limits": y_limits, "height": height}
    options |= {"projector": projector, "points": points}
    new = function_plot.function_chart(curves, **options)
    old = reference.function_chart(curves, **options)
    assert_valid(assert_same_spec(new, old))


# --- the method of exhaustion ----------------------------------------------------------------------------


@slow(12)
@given(
    st.integers(3, 30),
    st.integers(1, 40),
    st.data(),
    st.booleans(),
    st.sampled_from([None, 2, 120]),
    st.sampled_from([None, 440, 560]),
)
def test_polygon_chart_is_the_altair_spec(n_min, span, data, projector, triangle_limit, size):
    n_values = range(n_min, n_min + span + 1)
    n_initial = data.draw(st.integers(n_min, n_min + span))
    errors = data.draw(st.sampled_from([None, exhaustion_error_table(n_values)]))
    options = {
        "labels": data.draw(labels_for(exhaustion_charts.POLYGON_LABELS, "limits", "polygonchart_")),
        "error_labels": data.draw(labels_for(exhaustion_charts.ERROR_LABELS, "limits", "exhaustionchart_")),
        "projector": projector,
        "errors": errors,
        "size": size,
    }
    if triangle_limit is not None:
        options["triangle_limit"] = triangle_limit
    new = exhaustion_charts.polygon_chart(n_values, n_initial, **options)
    old = reference.polygon_chart(n_values, n_initial, **options)
    assert_valid(assert_same_spec(new, old))


@pytest.mark.parametrize("projector", [False, True])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_polygon_chart_as_the_limits_page_draws_it(projector, language):
    """n = 3 … 1000 with the error chart below it, as ui/views/limits/exhaustion.py draws it."""
    zh = language == "zh"
    options = {
        "labels": zh_labels("limits", "polygonchart_") if zh else None,
        "error_labels": zh_labels("limits", "exhaustionchart_") if zh else None,
        "projector": projector,
        "errors": exhaustion_error_table(),
        "size": 560 if projector else 440,
    }
    new = exhaustion_charts.polygon_chart(range(3, 1001), 6, **options)
    old = reference.polygon_chart(range(3, 1001), 6, **options)
    assert_valid(assert_same_spec(new, old))


@pytest.mark.parametrize("projector", [False, True])
def test_exhaustion_error_chart_is_the_altair_spec(projector):
    table = exhaustion_error_table()
    labels = zh_labels("limits", "exhaustionchart_")
    for options in ({}, {"labels": labels, "projector": projector, "width": 300}):
        new = exhaustion_charts.exhaustion_error_chart(table, **options)
        assert_valid(assert_same_spec(new, reference.exhaustion_error_chart(table, **options)))

"""The Altair-free chart builders of ``viz`` give the browser the spec they gave when checked against Altair.

Each builder (the secant and error charts of the limits page, the chain rule's nudge chart, the function
graph, the exhaustion polygons and their error chart) was compared, over many random inputs, with the former
Altair construction when it was rewritten as plain dicts. What those specs were is pinned here, for a
spread of inputs (the pages' own, and odd ones: poles, gaps, NaN, one point, other labels), in
``golden/charts.json``: the same JSON once the hashed dataset names are numbered in the order of the spec's
datasets (so the order of the datasets counts too), ints and floats told apart. A dataset of more than
``FULL_ROWS`` rows is pinned by its row count, first and last rows and a digest of all of them.

Every spec, pinned or drawn from random inputs, is also validated against the Vega-Lite schema that Altair
ships, and no builder may create an Altair object.

After an intended change of a chart, rewrite the file and review its diff:
``.venv/bin/python -m tests.unit.test_chart_templates``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import sys
import tomllib
from pathlib import Path

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
from tests.unit.test_gradient_charts import vega_lite_schema
from viz import chain_charts, exhaustion_charts, function_plot, limits_charts
from viz.vega_lite import ALTAIR_VIEW_CONFIG, SCHEMA_URL, dataset_name

GOLDEN = Path(__file__).parent / "golden" / "charts.json"
DATASET_NAME = re.compile(r"data-[0-9a-f]{32}|empty")
FULL_ROWS = 10  # a dataset up to this many rows is pinned row by row


def slow(max_examples: int) -> settings:
    """Settings for a test whose examples build large specs and validate them against the schema."""
    return settings(deadline=None, max_examples=max_examples, suppress_health_check=[HealthCheck.too_slow])


# --- comparing specs -------------------------------------------------------------------------------------


def normalised(spec: dict) -> str:
    """The spec as canonical JSON (NaN kept as NaN), its dataset names numbered in their order and each
    large dataset summarised (rows, first and last row, digest)."""
    names = {name: f"dataset-{i}" for i, name in enumerate(spec.get("datasets", {}))}
    assert all(DATASET_NAME.fullmatch(name) for name in names)

    def renamed(node):
        if isinstance(node, dict):
            return {names.get(key, key): renamed(value) for key, value in node.items()}
        if isinstance(node, list | tuple):
            return [renamed(item) for item in node]
        if isinstance(node, str):
            return names.get(node, node)
        return node

    spec = renamed(spec)
    if "datasets" in spec:
        spec["datasets"] = {name: _pinned(rows) for name, rows in spec["datasets"].items()}
    return json.dumps(spec, sort_keys=True, ensure_ascii=False)


def _pinned(rows: list) -> list | dict:
    if len(rows) <= FULL_ROWS:
        return rows
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {"rows": len(rows), "first": rows[0], "last": rows[-1], "sha256": digest}


@functools.cache
def golden() -> dict[str, object]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def assert_pinned(name: str, spec: dict) -> None:
    """``spec`` is the one pinned as ``name``: first as data, for a readable difference; then as text, where
    1 and 1.0 differ."""
    expected = json.dumps(golden()[name], sort_keys=True, ensure_ascii=False)
    actual = normalised(spec)
    assert json.loads(actual, parse_constant=str) == json.loads(expected, parse_constant=str)
    assert actual == expected


@functools.cache
def schema_validator() -> jsonschema.protocols.Validator:
    schema = vega_lite_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def assert_valid(spec: dict) -> None:
    schema_validator().validate(spec)


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


# --- the inputs: functions sampled as the pages sample them ----------------------------------------------

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
EXACT = {
    "cubic": lambda x: 3 * x**2 - 2,
    "sine": np.cos,
    "line": lambda x: 3.0,
    "root": lambda x: 0.5 / np.sqrt(x),
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


def secant(name: str, x0: float, n: int, gaps: str, hs=None, **options):
    f = FUNCTIONS[name]
    xs, ys, segment = sampled(f, x0, n, gaps)
    with np.errstate(all="ignore"):
        return limits_charts.secant_chart(xs, ys, x0, hs, f, curve_segment=segment, **options)


def secant_as_the_page_draws_it(projector: bool, language: str, both_sides: bool):
    """The page's own inputs (ui/views/limits/derivative.py): f on [x0 − 2, x0 + 2], the worker's h steps."""
    labels = zh_labels("limits", "secantchart_") if language == "zh" else None
    labels = labels and {key: text for key, text in labels.items() if key in limits_charts.SECANT_LABELS}
    f = FUNCTIONS["corner"] if both_sides else FUNCTIONS["cubic"]
    xs, ys, segment = sampled(f, 1.0, 401, "given")
    options = {"labels": labels, "projector": projector, "both_sides": both_sides, "curve_segment": segment}
    options |= {"tangent_slope": None if both_sides else 1.0, "width": 820 if projector else 560}
    return limits_charts.secant_chart(xs, ys, 1.0, secant_steps(), f, **options)


def error(name: str, x0: float, wrong: float = 0.0, hs=None, second=None, third=None, **options):
    with np.errstate(all="ignore"):
        exact = float(EXACT[name](x0)) + wrong
        table = error_table(FUNCTIONS[name], x0, exact, hs, second=second, third=third)
    return limits_charts.error_chart(table, **options)


def curve(name: str, low: float, n: int, gaps: str) -> SampledCurve:
    xs, ys, segment = sampled(FUNCTIONS[name], low + 1, n, gaps)
    finite = ys[np.isfinite(ys)]
    limits = (float(finite.min()), float(finite.max()) + 1) if finite.size else None
    segment = np.zeros(n, dtype=np.int64) if segment is None else segment
    return SampledCurve(x=xs, y=ys, segment=segment, y_limits=limits)


def polygons(n_values, n_initial: int, language: str = "en", errors: bool = True, **options):
    zh = language == "zh"
    options = {
        "labels": zh_labels("limits", "polygonchart_") if zh else None,
        "error_labels": zh_labels("limits", "exhaustionchart_") if zh else None,
        "errors": exhaustion_error_table(n_values) if errors else None,
    } | options
    return exhaustion_charts.polygon_chart(n_values, n_initial, **options)


NUDGES = [
    {"dx": 1.0, "actual": [2.0, 0.9], "estimate": [2.0, 1.1]},
    {"dx": 0.1, "actual": [0.21, 0.1], "estimate": [0.2, 0.11]},
    {"dx": 0.01, "actual": [0.0201, 0.01], "estimate": [0.02, 0.0101]},
]
ODD_NUDGES = [
    {"dx": 0.5, "actual": [math.nan, math.inf, None], "estimate": [1.0, -math.inf, 2.5]},
    {"dx": 1e-6, "actual": [0.0, -3.0, 1e3], "estimate": [None, -3.0, math.nan]},
]


def zh_nudge_labels() -> dict[str, str]:
    return {
        key: text
        for key, text in zh_labels("chain_rule", "nudge_").items()
        if key in chain_charts.NUDGE_LABELS
    }


ODD_LABELS = {"secant": "<b>割线</b> & \\n", "h": "", "tangent": "{x}"}

# Every pinned case: its name and how to build it. The page's inputs first, then odd ones.
CASES = {
    **{
        f"secant_page_{language}_{'projector' if projector else 'screen'}_{'both' if both else 'right'}": (
            functools.partial(secant_as_the_page_draws_it, projector, language, both)
        )
        for language in ("en", "zh")
        for projector in (False, True)
        for both in (False, True)
    },
    "secant_pole_with_holes": lambda: secant(
        "pole",
        0.0,
        41,
        "holes",
        10.0 ** -(0.25 * np.arange(6)),
        tangent_slope=math.nan,
        labels=ODD_LABELS,
        y_domain=(-5.0, 5.0),
        h_initial=0.3,
        width=520,
    ),
    "secant_nowhere_defined": lambda: secant(
        "nowhere", -0.5, 3, "none", projector=True, both_sides=True, width=820
    ),
    "secant_step": lambda: secant("step", 1.0, 401, "given", tangent_slope=1e6, h_initial=1e-3),
    "secant_two_points": lambda: secant("line", 1.0, 2, "none", [0.5, 0.1], tangent_slope=3.0),
    "error_line_exact_hits": lambda: error("line", 1.0),
    "error_line_one_h": lambda: error("line", 1.0, hs=[0.1]),
    "error_sine_all_orders": lambda: error(
        "sine",
        1.0,
        hs=list(10.0 ** -np.arange(1, 17)),
        second=2.0,
        third=6.0,
        labels=zh_labels("limits", "errorchart_"),
        projector=True,
        h_decreasing=True,
        width=820,
    ),
    "error_root_wrong_exact": lambda: error(
        "root", 2.0, wrong=1e-3, hs=[0.1, 1e-8], second=math.nan, third=0.0, width=520
    ),
    "error_cubic_at_zero": lambda: error("cubic", 0.0, h_decreasing=True),
    "nudge_page": lambda: chain_charts.nudge_chart(NUDGES, ["x", "u", "y"]),
    "nudge_zh_projector": lambda: chain_charts.nudge_chart(
        NUDGES, ["x", "u", "y"], labels=zh_nudge_labels(), projector=True, width=820
    ),
    "nudge_odd_values": lambda: chain_charts.nudge_chart(
        ODD_NUDGES, ["a", "b", "c", "d"], width=520, initial_dx=0.0
    ),
    "nudge_page_inline": lambda: chain_charts.InlineChart(chain_charts.nudge_chart(NUDGES, ["x", "u", "y"])),
    "function_one_curve": lambda: function_plot.function_chart(
        [("f", curve("cubic", -1.0, 61, "given"))], points=[("P", 1.0, -1.0)]
    ),
    "function_three_curves": lambda: function_plot.function_chart(
        [
            ("f", curve("sine", -3.0, 801, "given")),
            ("f′", curve("pole", 0.0, 61, "holes")),
            ("一点", curve("line", 2.0, 1, "given")),
        ],
        points=[("P", 0.5, 0.25), ("", -5.0, 5.0)],
        y_limits=(-10.0, 10.0),
        height=300,
        projector=True,
        x_title="自变量 x",
        y_title="函数值 y",
    ),
    "function_empty_curve": lambda: function_plot.function_chart(
        [("g", curve("root", 1.0, 0, "given"))], x_title="x₁", y_title="‖x‖₂"
    ),
    **{
        f"polygons_page_{language}_{'projector' if projector else 'screen'}": (
            functools.partial(
                polygons, range(3, 1001), 6, language, projector=projector, size=560 if projector else 440
            )
        )
        for language in ("en", "zh")
        for projector in (False, True)
    },
    "polygons_few_no_errors": lambda: polygons(
        range(3, 10), 5, errors=False, triangle_limit=2, labels={"inscribed": "<i>in</i>", "n": ""}
    ),
    "polygons_errors_projector": lambda: polygons(
        range(10, 51), 20, triangle_limit=120, size=560, projector=True
    ),
    "exhaustion_error_default": lambda: exhaustion_charts.exhaustion_error_chart(exhaustion_error_table()),
    **{
        f"exhaustion_error_zh_{'projector' if projector else 'screen'}": functools.partial(
            exhaustion_charts.exhaustion_error_chart,
            exhaustion_error_table(),
            labels=zh_labels("limits", "exhaustionchart_"),
            projector=projector,
            width=300,
        )
        for projector in (False, True)
    },
}


def pinned_form(build) -> object:
    """A case as it is pinned: its normalised spec, or ``{"refused": "ValueError"}`` for an input the builder
    refuses (no secant through an undefined f(x0))."""
    try:
        chart = build()
    except (ValueError, KeyError) as error:
        return {"refused": type(error).__name__}
    return json.loads(normalised(chart.to_dict()))


def current() -> dict[str, object]:
    """Every case as it would be pinned."""
    return {name: pinned_form(build) for name, build in CASES.items()}


def test_every_pinned_case_is_built_and_every_case_pinned():
    assert set(golden()) == set(CASES)
    assert {"refused": "ValueError"} in golden().values()  # the refusals are pinned too


@pytest.mark.parametrize("name", list(CASES))
def test_the_spec_is_the_pinned_one(name):
    if "refused" in golden()[name]:
        with pytest.raises((ValueError, KeyError)) as refusal:
            CASES[name]()
        assert type(refusal.value).__name__ == golden()[name]["refused"]
        return
    spec = CASES[name]().to_dict()
    assert_valid(spec)
    assert_pinned(name, spec)


# --- random inputs: every spec the Vega-Lite schema accepts -------------------------------------------------


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
    return name, x0, n, gaps, hs, options


@slow(20)
@given(secant_inputs())
def test_secant_chart_specs_are_valid(inputs):
    name, x0, n, gaps, hs, options = inputs
    try:
        chart = secant(name, x0, n, gaps, hs, **options)
    except ValueError as refusal:  # no secant through an undefined f(x0): said, not drawn
        assert "not defined" in str(refusal)
        return
    assert_valid(chart.to_dict())


@st.composite
def error_inputs(draw):
    name = draw(st.sampled_from(sorted(EXACT)))
    x0 = draw(st.sampled_from([0.0, 1.0, 2.0]) | st.floats(0.01, 3))
    wrong = draw(st.sampled_from([0.0, 0.0, 1e-3]))  # a wrong "exact" value: no exact hits
    hs = draw(st.sampled_from([None, [0.1], [0.1, 1e-8], list(10.0 ** -np.arange(1, 17))]))
    second = draw(st.sampled_from([None, 0.0, 2.0, math.nan]))
    third = draw(st.sampled_from([None, 0.0, 6.0]))
    options = {
        "labels": draw(labels_for(limits_charts.ERROR_LABELS, "limits", "errorchart_")),
        "projector": draw(st.booleans()),
        "h_decreasing": draw(st.booleans()),
        "width": draw(st.sampled_from([520, 820])),
    }
    return name, x0, wrong, hs, second, third, options


@slow(20)
@given(error_inputs())
def test_error_chart_specs_are_valid(inputs):
    name, x0, wrong, hs, second, third, options = inputs
    with np.errstate(all="ignore"):
        if not math.isfinite(float(EXACT[name](x0))):
            return
    assert_valid(error(name, x0, wrong, hs, second, third, **options).to_dict())


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


@slow(30)
@given(nudge_inputs())
def test_nudge_chart_specs_are_valid(inputs):
    nudges, stages, options = inputs
    assert_valid(chain_charts.nudge_chart(nudges, stages, **options).to_dict())


@st.composite
def curves(draw):
    count = draw(st.integers(1, 3))
    labels = draw(st.lists(st.text(min_size=1, max_size=6), min_size=count, max_size=count, unique=True))
    return [
        (
            label,
            curve(
                draw(st.sampled_from(sorted(FUNCTIONS))),
                draw(st.floats(-5, 4)),
                draw(st.sampled_from([0, 1, 2, 61, 801])),
                draw(st.sampled_from(["given", "holes"])),
            ),
        )
        for label in labels
    ]


points = st.lists(st.tuples(st.text(max_size=4), st.floats(-5, 5), st.floats(-5, 5)), max_size=2)


@slow(20)
@given(
    curves(),
    points,
    st.one_of(st.none(), st.tuples(st.floats(-10, 0), st.floats(1, 10))),
    st.one_of(st.none(), st.integers(100, 500)),
    st.booleans(),
)
def test_function_chart_specs_are_valid(curves, points, y_limits, height, projector):
    options = {"y_limits": y_limits, "height": height, "projector": projector, "points": points}
    assert_valid(function_plot.function_chart(curves, **options).to_dict())


@slow(8)
@given(
    st.integers(3, 30),
    st.integers(1, 40),
    st.data(),
    st.booleans(),
    st.sampled_from([None, 2, 120]),
    st.sampled_from([None, 440, 560]),
)
def test_polygon_chart_specs_are_valid(n_min, span, data, projector, triangle_limit, size):
    n_values = range(n_min, n_min + span + 1)
    n_initial = data.draw(st.integers(n_min, n_min + span))
    options = {
        "labels": data.draw(labels_for(exhaustion_charts.POLYGON_LABELS, "limits", "polygonchart_")),
        "error_labels": data.draw(labels_for(exhaustion_charts.ERROR_LABELS, "limits", "exhaustionchart_")),
        "projector": projector,
        "size": size,
    }
    if triangle_limit is not None:
        options["triangle_limit"] = triangle_limit
    errors = data.draw(st.booleans())
    assert_valid(polygons(n_values, n_initial, errors=errors, **options).to_dict())


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(
        json.dumps(current(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    sys.stdout.write(f"wrote {GOLDEN}\n")

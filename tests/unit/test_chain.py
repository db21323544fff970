"""The chain rule in calc_core: splitting a composite, one-variable compositions to three levels, the
many-variable rule with its Jacobians (D2L's exercise 4), and the worker tasks that serve the page."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc_core import chain, graph
from calc_core.chain import (
    compose,
    many_variable_chain,
    one_variable_chain,
    rebuild,
    rename,
    split_composition,
    stage_names,
)
from calc_core.errors import ExpressionError
from calc_core.numeric import compile_numeric
from calc_core.parser import evaluated, format_expression, parse_expression


def parse(text: str, *variables: str):
    return parse_expression(text, variables or ("x",))


def split_texts(text: str, levels: int = 2) -> list[str] | None:
    parts = split_composition(parse(text), "x", levels)
    return None if parts is None else [format_expression(part) for part in parts]


# --- splitting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "levels", "parts"),
    [
        ("sin(x^2)", 2, ["sin(u)", "x^2"]),
        ("sin(x^2) + 1", 2, ["sin(u) + 1", "x^2"]),
        ("(3x + 1)^5", 2, ["u^5", "3*x + 1"]),
        ("2sin(x) + 1", 2, ["2*u + 1", "sin(x)"]),
        ("exp(-x^2/2)", 2, ["exp(u)", "(-x^2)/2"]),
        ("1/(1 + exp(-x))", 2, ["1/u", "1 + exp(-x)"]),
        ("exp(sin(x^2))", 3, ["exp(u)", "sin(v)", "x^2"]),
        ("ln(cos(x^2))", 3, ["log(u)", "cos(v)", "x^2"]),
        ("sqrt(1 + sin(x)^2)", 3, ["sqrt(u)", "1 + v^2", "sin(x)"]),
        ("(x^2)^3 - 2x^2", 2, ["u^3 - 2*u", "x^2"]),  # the inner function appears twice
        ("(x^2 + 1)*sin(x^2 + 1)", 2, ["u*sin(u)", "x^2 + 1"]),
        ("sin(x^2)", 3, ["sin(u)", "x^2"]),  # the inner x² is no composition: two parts only
    ],
)
def test_split_finds_the_outer_and_inner_functions(text, levels, parts):
    assert split_texts(text, levels) == parts


@pytest.mark.parametrize("text", ["x*sin(x)", "sin(x)", "x^2", "3x + 1", "x", "x^x", "7"])
def test_what_is_no_composition_is_not_split(text):
    assert split_texts(text) is None


def test_split_parts_compose_back_to_the_composite():
    for text in ["exp(sin(x^2))", "2sin(3x + 1)^2 + 5", "1/(1 + exp(-x))", "log(x^2 + 1, 2)"]:
        for levels in (2, 3):
            parts = split_composition(parse(text), "x", levels)
            _, arguments = stage_names(len(parts))
            assert evaluated(compose(parts, arguments)) == evaluated(parse(text)), (text, levels)


COMPOSITES = st.tuples(
    st.sampled_from(
        ["sin(u)", "exp(u)", "u^3 - 2u", "ln(u^2 + 1)", "sqrt(u^2 + 4)", "1/(u^2 + 1)", "atan(u)"]
    ),
    st.sampled_from(["x^2", "3x - 1", "cos(x)", "x^3 + x", "exp(-x)", "x*sin(x)"]),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(pair=COMPOSITES, x0=st.floats(-1.5, 1.5))
def test_split_of_a_random_composition_is_the_same_function(pair, x0):
    outer, inner = parse(pair[0], "u"), parse(pair[1])
    composite = compose([outer, inner], ["u", "x"])
    parts = split_composition(composite, "x", 2)
    assert parts is not None
    _, arguments = stage_names(len(parts))
    again = compose(parts, arguments)
    f = compile_numeric(composite, ["x"])(np.array([x0]))[0]
    g = compile_numeric(again, ["x"])(np.array([x0]))[0]
    assert f == pytest.approx(g, rel=1e-12, nan_ok=True)


def test_rebuild_and_rename_keep_the_expression_as_typed():
    typed = parse("5*x*3*x")
    assert str(rename(typed, "x", "u")) == "5*u*3*u"
    assert rename(typed, "x", "x") is typed
    assert rebuild(typed, {}) == typed


# --- one variable ---------------------------------------------------------------------------------------


def test_sin_of_x_squared():
    result = one_variable_chain([parse("sin(u)", "u"), parse("x^2")], 1.0)
    assert result["outputs"] == ["y", "u"] and result["arguments"] == ["u", "x"]
    f, g = result["functions"]
    assert f["slope"] == pytest.approx(math.cos(1)) and g["slope"] == 2.0
    assert result["product"] == pytest.approx(2 * math.cos(1))
    assert result["direct_value"] == pytest.approx(2 * math.cos(1))
    assert result["agree"]
    assert result["y0"] == pytest.approx(math.sin(1))
    assert "x^{2}" in result["composite_latex"]
    assert result["chain_result_latex"] == result["direct_latex"]


def test_three_levels():
    functions = [parse("exp(u)", "u"), parse("sin(v)", "v"), parse("x^2")]
    result = one_variable_chain(functions, 0.5)
    assert result["outputs"] == ["y", "u", "v"] and result["arguments"] == ["u", "v", "x"]
    v0, u0 = 0.25, math.sin(0.25)
    expected = math.exp(u0) * math.cos(v0) * 2 * 0.5
    assert [f["argument_value"] for f in result["functions"]] == pytest.approx([u0, v0, 0.5])
    assert result["product"] == pytest.approx(expected)
    assert result["agree"]
    assert result["chain_latex"].count(r"\cdot") == 2


def test_the_nudges_approach_the_chain_rule_as_dx_shrinks():
    result = one_variable_chain([parse("u^3", "u"), parse("2x + 1")], 1.0)
    errors = [abs(n["actual"][0] - n["estimate"][0]) / n["dx"] for n in result["nudges"]]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 1e-1
    first = result["nudges"][0]
    assert first["dx"] == 1.0 and first["actual"][1] == 2.0  # Δu = g(2) - g(1) exactly
    assert first["estimate"] == [54.0, 2.0]  # 27 · 2 · Δx, 2 · Δx


def test_an_undefined_point_gives_nan_not_an_error():
    result = one_variable_chain([parse("sqrt(u)", "u"), parse("x - 5")], 0.0)
    assert math.isnan(result["y0"])
    assert not result["agree"]


def test_a_factor_that_does_not_exist_is_not_checked():
    """sqrt(x²) = |x| has derivative 0 at 0 by SymPy's sign(0), but √u has no derivative at u = 0."""
    result = one_variable_chain([parse("sqrt(u)", "u"), parse("x^2")], 0.0)
    assert math.isnan(result["functions"][0]["slope"])
    assert math.isnan(result["product"])
    assert not result["agree"]


# --- many variables -------------------------------------------------------------------------------------


def test_exercise_4():
    """D2L's exercise 4: ∂u/∂a = ∂u/∂x ∂x/∂a + ∂u/∂y ∂y/∂a + ∂u/∂z ∂z/∂a, and the same with b."""
    outer = parse("x^2 + y*z", "x", "y", "z")
    inners = [parse(text, "a", "b") for text in ("a + b", "a*b", "a - b")]
    result = many_variable_chain(outer, ("x", "y", "z"), inners, ("a", "b"), (1.0, 2.0))
    assert result["u_values"] == [3.0, 2.0, -1.0]
    assert result["dy_du"] == [6.0, -1.0, 2.0]  # ∂u/∂x = 2x, ∂u/∂y = z, ∂u/∂z = y
    assert result["du_dx"] == [[1.0, 1.0], [2.0, 1.0], [1.0, -1.0]]
    assert result["terms"] == [[6.0, -2.0, 2.0], [6.0, -1.0, -2.0]]
    assert result["sums"] == [6.0, 3.0] == result["direct"]
    assert result["agree"] == [True, True]
    assert result["dy_du_latex"] == ["2 x", "z", "y"]
    assert result["jacobian_inner_latex"].count(r"\\") == 2  # three rows


def test_the_sum_equals_the_composites_partials_symbolically():
    us, xs = ("u1", "u2"), ("x1", "x2")
    outer = parse("u1*exp(u2)", *us)
    inners = [parse("x1^2 + x2", *xs), parse("x1*x2", *xs)]
    result = many_variable_chain(outer, us, inners, xs, (0.5, -1.0))
    assert result["agree"] == [True, True]
    composite = evaluated(parse("(x1^2 + x2)*exp(x1*x2)", *xs))
    for i, x in enumerate(xs):
        expected = float(sympy.diff(composite, sympy.Symbol(x)).subs({"x1": 0.5, "x2": -1.0}))
        assert result["sums"][i] == pytest.approx(expected)


def test_more_intermediates_than_inputs_and_back():
    outer = parse("u1 + u2*u3", "u1", "u2", "u3")
    inners = [parse(text, "x1") for text in ("sin(x1)", "x1^2", "exp(x1)")]
    result = many_variable_chain(outer, ("u1", "u2", "u3"), inners, ("x1",), (0.3,))
    expected = math.cos(0.3) + 2 * 0.3 * math.exp(0.3) + 0.3**2 * math.exp(0.3)
    assert result["sums"] == [pytest.approx(expected)]
    assert len(result["terms"]) == 1 and len(result["terms"][0]) == 3


def test_an_undefined_partial_is_nan_and_not_agreed():
    outer = parse("sqrt(u1)", "u1")
    result = many_variable_chain(outer, ("u1",), [parse("x1 - 1", "x1")], ("x1",), (0.0,))
    assert math.isnan(result["sums"][0])
    assert result["agree"] == [False]


# --- the worker tasks -----------------------------------------------------------------------------------


def test_chain_one_reads_an_outer_function_typed_in_x_as_a_function_of_u():
    result = chain.chain_of_composition((("sin(x)", "x"), ("x^2", "x")), 1.0)
    assert result["functions"][0]["latex"] == r"\sin{\left(u \right)}"
    assert result["agree"]


def test_chain_one_refuses_a_variable_that_is_not_the_functions():
    with pytest.raises(ValueError):
        chain.chain_of_composition((("sin(y)", "y"), ("x^2", "x")), 1.0)
    with pytest.raises(ValueError):
        chain.chain_of_composition((("sin(u)", "u"),), 1.0)


@pytest.mark.parametrize(
    "bad", ["__import__('os').system('echo')", "9^9^9", "x" * 10_000, "x\x00", "x.__class__"]
)
def test_every_task_refuses_hostile_text(bad):
    calls = [
        lambda: chain.split_composite(bad, 2),
        lambda: chain.chain_of_composition(((bad, "u"), ("x", "x")), 1.0),
        lambda: chain.chain_of_composition((("u", "u"), (bad, "x")), 1.0),
        lambda: chain.chain_of_many(bad, ("u1",), ("x1",), ("x1",), (1.0,)),
        lambda: chain.chain_of_many("u1", ("u1",), (bad,), ("x1",), (1.0,)),
        lambda: graph.computational_graph_of(bad, ("x",), (("x", 1.0),)),
    ]
    for call in calls:
        with pytest.raises(ExpressionError):
            call()


@pytest.mark.parametrize("x0", [math.inf, math.nan])
def test_a_point_that_is_no_finite_number_is_refused(x0):
    with pytest.raises(ExpressionError):
        chain.chain_of_composition((("sin(u)", "u"), ("x", "x")), x0)
    with pytest.raises(ExpressionError):
        graph.computational_graph_of("x", ("x",), (("x", x0),))


def test_chain_split_levels():
    assert chain.split_composite("exp(sin(x^2))", 3) == {"parts": ["exp(u)", "sin(v)", "x^2"]}
    with pytest.raises(ValueError):
        chain.split_composite("sin(x^2)", 4)


def test_the_results_are_plain_data():
    from calc_core.worker import is_plain_data

    results = [
        chain.split_composite("sin(x^2)", 2),
        chain.chain_of_composition((("sin(u)", "u"), ("x^2", "x")), 1.0),
        chain.chain_of_many("u1*u2", ("u1", "u2"), ("x1", "x1^2"), ("x1",), (2.0,)),
        graph.computational_graph_of("x*y + sin(x)", ("x", "y", "z"), (("x", 1.0), ("y", 2.0))),
    ]
    assert all(is_plain_data(result) for result in results)


@pytest.mark.timeout(60)
def test_the_service_runs_them_in_the_sandbox():
    from calc_core.service import chain_of_composition, chain_of_many, computational_graph_of, split_composite

    assert split_composite(parse("sin(x^2)"))["parts"] == ["sin(u)", "x^2"]
    assert chain_of_composition([(parse("sin(u)", "u"), "u"), (parse("x^2"), "x")], 1.0)["agree"]
    outer = parse("x^2 + y*z", "x", "y", "z")
    inners = [parse(text, "a", "b") for text in ("a + b", "a*b", "a - b")]
    assert chain_of_many(outer, ("x", "y", "z"), inners, ("a", "b"), (1.0, 2.0))["sums"] == [6.0, 3.0]
    report = computational_graph_of(parse("x*x"), ("x",), {"x": 3.0})
    assert report["adjoints"][0] == 6.0

"""The derivative as a limit: D2L's experiment, difference quotients in float64, one-sided limits."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from calc_core import derivative_limits as limits_module
from calc_core.derivative_limits import exact_derivative_limit
from calc_core.limits import (
    EPS,
    SCHEMES,
    VERDICTS,
    LimitRow,
    best_h,
    d2l_function,
    d2l_limit_table,
    difference_quotients,
    differentiability_verdict,
    error_table,
    format_d2l_row,
    numerical_lim,
    one_sided_table,
    secant_steps,
    secant_table,
)
from calc_core.numeric import compile_numeric
from calc_core.parser import evaluated, parse_expression

D2L_LINES = [
    "h=0.10000, numerical limit=2.30000",
    "h=0.01000, numerical limit=2.03000",
    "h=0.00100, numerical limit=2.00300",
    "h=0.00010, numerical limit=2.00030",
    "h=0.00001, numerical limit=2.00003",
]


def compiled(text: str):
    return compile_numeric(parse_expression(text), ["x"])


def f_python(x: float) -> float:
    """3x² − 4x on plain Python floats: an independent evaluation of the same formula."""
    return 3 * x**2 - 4 * x


# --- D2L's experiment -------------------------------------------------------------------------------


def test_d2l_table_prints_exactly_as_the_book():
    assert [format_d2l_row(row) for row in d2l_limit_table()] == D2L_LINES


def test_d2l_table_uses_the_h_that_repeated_multiplication_gives():
    rows = d2l_limit_table()
    h, expected = 0.1, []
    for _ in range(5):
        expected.append(h)
        h *= 0.1
    assert [row.h for row in rows] == expected
    assert rows[2].h != 0.001  # 0.1 * 0.1 * 0.1 is not the float nearest to 0.001
    assert [row.value for row in rows] == [numerical_lim(f_python, 1, h) for h in expected]


def test_d2l_table_with_a_compiled_student_function_gives_the_same_lines():
    rows = d2l_limit_table(compiled("3x^2 - 4x"))
    assert [format_d2l_row(row) for row in rows] == D2L_LINES
    assert all(isinstance(row.value, float) for row in rows)


def test_d2l_table_steps_and_start_are_parameters():
    rows = d2l_limit_table(np.sin, x=0.0, h0=1.0, steps=3)
    assert [row.h for row in rows] == [1.0, 0.1, 0.1 * 0.1]
    assert rows[0].value == math.sin(1.0)


def test_format_rounds_like_python_format():
    assert format_d2l_row(LimitRow(h=0.5, value=-1.2345651)) == "h=0.50000, numerical limit=-1.23457"
    assert format_d2l_row(LimitRow(h=1e-6, value=2.0)) == "h=0.00000, numerical limit=2.00000"


# --- Difference quotients in float64 -----------------------------------------------------------------


def test_quotients_at_h_1e_minus_16_are_the_machine_numbers_and_round_off_wins():
    q = difference_quotients(d2l_function, 1.0, [1e-16])
    # The same formula, evaluated independently here with NumPy float64 arrays.
    x, h = np.array([1.0]), 1e-16
    f = lambda t: 3 * t**2 - 4 * t  # noqa: E731
    forward = ((f(x + h) - f(x)) / h)[0]
    backward = ((f(x) - f(x - h)) / h)[0]
    central = ((f(x + h) - f(x - h)) / (2 * h))[0]
    assert q["forward"][0] == forward
    assert q["backward"][0] == backward
    assert q["central"][0] == central
    # 1 + 1e-16 rounds to 1, so the forward quotient is exactly 0: nowhere near f'(1) = 2. Below 1 the
    # floats are twice as dense, 1 − 1e-16 rounds to 1 − 2^-53, and the rounding of f's values there leaves
    # a difference of 2^-51 = 4.44e-16: the backward quotient comes out more than twice too large.
    assert forward == 0.0
    assert backward == pytest.approx(4.44089, rel=1e-5)
    assert central == pytest.approx(2.22045, rel=1e-5)  # 11% off: the best of three bad answers
    for scheme in SCHEMES:
        assert abs(q[scheme][0] - 2.0) > 0.2, scheme


def f_products(x):
    """3x² − 4x with x² written as x·x: one correctly rounded product, the same for floats and arrays.

    (x**2 is not: NumPy squares arrays as x·x, Python and NumPy scalars call pow(), which may differ from
    x·x in the last bit with this machine's libm, e.g. at x = 15.505541305676603.)
    """
    return 3 * x * x - 4 * x


@given(
    x0=st.floats(-100, 100, allow_nan=False),
    h=st.floats(1e-15, 10, allow_nan=False),
)
def test_quotients_are_the_formula_as_written_bit_for_bit(x0, h):
    q = difference_quotients(f_products, x0, [h])
    f = f_products
    assert q["forward"][0] == (f(x0 + h) - f(x0)) / h
    assert q["backward"][0] == (f(x0) - f(x0 - h)) / h
    assert q["central"][0] == (f(x0 + h) - f(x0 - h)) / (2 * h)


@given(x0=st.floats(-100, 100, allow_nan=False), h=st.floats(1e-15, 10, allow_nan=False))
def test_quotients_of_the_d2l_function_are_what_numpy_gives(x0, h):
    q = difference_quotients(d2l_function, x0, [h])
    x = np.array([x0])
    assert q["central"][0] == ((d2l_function(x + h) - d2l_function(x - h)) / (2 * h))[0]


def test_quotients_of_a_compiled_function_match_numpy():
    hs = 10.0 ** -np.arange(1, 17)
    q = difference_quotients(compiled("sin(x)"), 1.0, hs)
    np.testing.assert_array_equal(q["forward"], (np.sin(1.0 + hs) - np.sin(1.0)) / hs)
    np.testing.assert_array_equal(q["h"], hs)


def test_quotients_accept_scalar_only_and_constant_callables():
    q = difference_quotients(math.exp, 0.0, [0.5])
    assert q["central"][0] == (math.exp(0.5) - math.exp(-0.5)) / 1.0
    q = difference_quotients(lambda x: 5.0, 2.0, [0.1, 0.01])
    assert q["forward"].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("hs", [[], [0.0], [-0.1], [float("nan")], [[0.1]]])
def test_quotients_refuse_bad_steps(hs):
    with pytest.raises(ValueError):
        difference_quotients(np.sin, 1.0, hs)


def test_undefined_values_become_nan_without_warnings():
    with np.errstate(all="raise"):
        q = difference_quotients(np.log, 0.0, [0.1])
    assert np.isnan(q["central"][0]) and np.isnan(q["backward"][0])


# --- Errors and the best h ---------------------------------------------------------------------------


def test_best_h_for_sin_at_1():
    table = error_table(np.sin, 1.0, math.cos(1.0))
    best = best_h(table)
    assert 1e-9 <= best["forward"] <= 1e-7
    assert 1e-9 <= best["backward"] <= 1e-7
    assert 1e-6 <= best["central"] <= 1e-4


def test_error_table_covers_1e_minus_1_to_1e_minus_16_four_steps_a_decade():
    table = error_table(np.sin, 1.0, math.cos(1.0))
    assert table.h[0] == pytest.approx(0.1) and table.h[-1] == pytest.approx(1e-16)
    assert table.h.size == 61
    np.testing.assert_allclose(np.diff(np.log10(table.h)), -0.25)


def test_measured_errors_are_the_true_differences():
    table = error_table(np.sin, 1.0, math.cos(1.0))
    q = difference_quotients(np.sin, 1.0, table.h)
    for scheme in SCHEMES:
        np.testing.assert_array_equal(table.error[scheme], np.abs(q[scheme] - math.cos(1.0)))


def test_round_off_dominates_at_tiny_h_and_truncation_at_large_h():
    table = error_table(np.sin, 1.0, math.cos(1.0))
    forward = table.error["forward"]
    assert forward[0] > 1e-3  # h = 0.1: truncation, about sin(1)/2 · 0.1
    assert forward[-1] > 1e-2  # h = 1e-16: round-off
    assert forward.min() < 1e-7


def test_models_have_the_right_shapes_and_scales():
    table = error_table(np.sin, 1.0, math.cos(1.0))
    assert table.second == pytest.approx(math.sin(1.0), rel=1e-4)  # estimated numerically
    assert table.third == pytest.approx(math.cos(1.0), rel=1e-3)
    np.testing.assert_allclose(table.models["truncation_one_sided"], math.sin(1.0) / 2 * table.h, rtol=1e-4)
    np.testing.assert_allclose(table.models["truncation_central"], math.cos(1.0) / 6 * table.h**2, rtol=1e-3)
    np.testing.assert_allclose(table.models["roundoff"], EPS * math.sin(1.0) / table.h)
    model_best = table.model_best_h
    assert 1e-9 <= model_best["forward"] <= 1e-7
    assert 1e-6 <= model_best["central"] <= 1e-4


def test_exact_second_and_third_derivatives_can_be_passed():
    table = error_table(d2l_function, 1.0, 2.0, second=6.0, third=0.0)
    assert table.second == 6.0 and table.third == 0.0
    assert not np.any(table.models["truncation_central"])
    assert math.isnan(table.model_best_h["central"])


def test_a_parabola_gets_no_central_truncation_model_from_noise():
    table = error_table(d2l_function, 1.0, 2.0)
    assert table.second == pytest.approx(6.0, rel=1e-6)
    assert table.third == 0.0


def test_round_off_model_falls_back_when_f_x0_is_zero():
    table = error_table(d2l_function, 0.0, -4.0)  # f(0) = 0
    assert np.all(table.models["roundoff"] > 0)
    assert table.roundoff_scale == 1.0  # |x0·f'(x0)| = 0 too, so the scale is 1


def test_exact_hits_are_kept_as_zero_and_marked_for_log_axes():
    table = error_table(d2l_function, 1.0, 2.0, [0.5, 0.25, 0.1])
    assert table.error["central"][0] == 0.0  # (f(1.5) − f(0.5)) / 1 is exactly 2
    rows = [row for row in table.records() if row["scheme"] == "central"]
    assert rows[0]["error"] is None and rows[0]["exact_hit"] is True
    positive = [row["error"] for row in table.records() if row["error"] is not None]
    assert 0 < table.floor < min(positive)
    assert best_h(table)["central"] == 0.5  # an exact hit is the best, on ties the first
    json.dumps(table.records(), allow_nan=False)


def test_error_table_refuses_an_infinite_exact_value():
    with pytest.raises(ValueError):
        error_table(np.cbrt, 0.0, math.inf)


# --- One-sided limits and the verdict ----------------------------------------------------------------


def test_abs_at_0_has_left_minus_1_and_right_plus_1():
    table = one_sided_table(np.abs, 0.0)
    assert np.all(table.left == -1.0) and np.all(table.right == 1.0)
    assert table.verdict() == "one_sided_differ"
    assert differentiability_verdict(table.left, table.right) == "one_sided_differ"


def test_left_quotient_is_f_x0_minus_h_minus_f_x0_over_minus_h():
    table = one_sided_table(d2l_function, 1.0, [0.5])
    assert table.left[0] == (f_python(0.5) - f_python(1.0)) / -0.5 == 0.5
    assert table.right[0] == (f_python(1.5) - f_python(1.0)) / 0.5 == 3.5


@pytest.mark.parametrize(
    ("f", "x0", "verdict"),
    [
        (np.cbrt, 0.0, "infinite"),
        (compiled("cbrt(x)"), 0.0, "infinite"),
        (lambda x: np.cbrt(x * x), 0.0, "infinite"),  # a cusp: −∞ on the left, +∞ on the right
        (lambda x: 1 / x, 0.0, "undefined"),  # numpy gives inf at 0
        (compiled("1/x"), 0.0, "undefined"),  # compile_numeric gives NaN
        (np.log, 0.0, "undefined"),
        (compiled("ln(x)"), 0.0, "undefined"),
        (np.sqrt, 0.0, "undefined"),  # not real on the left
        (lambda x: np.heaviside(x, 0.5), 0.0, "discontinuous"),
        (lambda x: np.heaviside(x, 0.0), 0.0, "discontinuous"),
        (lambda x: np.heaviside(x, 1.0), 0.0, "discontinuous"),
        (lambda x: np.heaviside(x, 0.5), 1.0, "differentiable"),
        (np.abs, 2.0, "differentiable"),
        (np.sin, 1.0, "differentiable"),
        (lambda x: x * x, 0.0, "differentiable"),
        (lambda x: np.abs(x) ** 1.5, 0.0, "differentiable"),  # gap ~ sqrt(h) closes
        (lambda x: np.exp(10 * x), 1.0, "differentiable"),  # a large derivative is not "infinite"
        (lambda x: 1e5 * x, 2.0, "differentiable"),
        (compiled("3x^2 - 4x"), 1.0, "differentiable"),
    ],
)
def test_verdicts(f, x0, verdict):
    assert one_sided_table(f, x0).verdict() == verdict


def test_verdict_from_plain_arrays():
    assert differentiability_verdict([2.1, 2.01, 2.001], [1.9, 1.99, 1.999], tol=1e-2) == "differentiable"
    assert differentiability_verdict([1.0, 1.0, 1.0], [2.0, 2.0, 2.0]) == "one_sided_differ"
    assert differentiability_verdict([np.nan] * 3, [1.0] * 3) == "undefined"
    grows = [10.0**k for k in range(2, 9)]
    assert differentiability_verdict(grows, grows) == "infinite"
    assert differentiability_verdict([1.0, 1.0], [1.0, 1.0], f_x0=math.nan) == "undefined"


def test_verdict_checks_its_input():
    with pytest.raises(ValueError):
        differentiability_verdict([1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        differentiability_verdict([1.0, 2.0], [1.0, 2.0], hs=[0.1])


def test_verdicts_are_all_listed():
    cases = [np.abs, np.cbrt, np.log, lambda x: np.heaviside(x, 0.5), np.sin]
    assert {one_sided_table(f, 0.0).verdict() for f in cases} <= set(VERDICTS)


def test_one_sided_records_are_plain_data():
    records = one_sided_table(np.log, 0.0, [0.1]).records()
    assert records == [{"h": 0.1, "left": None, "right": None}]
    assert json.dumps(records, allow_nan=False)


# --- The secant data ---------------------------------------------------------------------------------


def test_secant_steps_are_even_in_log10():
    hs = secant_steps()
    assert hs[0] == 1.0 and hs[-1] == pytest.approx(1e-3) and hs.size == 31
    np.testing.assert_allclose(np.diff(-np.log10(hs)), 0.1)
    with pytest.raises(ValueError):
        secant_steps(1e-3, 1.0)


def test_secant_table_slopes_are_the_forward_quotients():
    hs = secant_steps()
    table = secant_table(d2l_function, 1.0, hs)
    np.testing.assert_array_equal(table.slope, difference_quotients(d2l_function, 1.0, hs)["forward"])
    np.testing.assert_array_equal(table.y1, d2l_function(1.0 + hs))


def test_secant_table_marks_undefined_points():
    table = secant_table(compiled("1/(x-1)"), 0.0, [0.5, 1.0])
    assert table.slope[0] == pytest.approx(-2.0) and math.isnan(table.slope[1])


# --- Exact limits (SymPy) ----------------------------------------------------------------------------


def exact(text: str, x0):
    result = exact_derivative_limit(parse_expression(text), "x", x0)
    json.dumps(result, allow_nan=False)  # plain data, ready to cross a process boundary
    return result


def test_exact_limit_of_the_d2l_function():
    result = exact("3x^2 - 4x", 1.0)
    assert result["verdict"] == "differentiable"
    assert result["derivative"] == {"latex": "2", "value": 2.0, "kind": "finite"}
    assert result["left"]["value"] == result["right"]["value"] == 2.0
    assert result["f_x0"] == {"latex": "-1", "value": -1.0}
    assert result["x0"] == "1"


def test_exact_limit_of_exercise_1():
    assert exact("x^3 - 1/x", 1)["derivative"]["value"] == 4.0


@pytest.mark.parametrize(
    ("text", "x0", "verdict", "left", "right"),
    [
        ("abs(x)", 0, "one_sided_differ", "finite", "finite"),
        ("cbrt(x)", 0, "infinite", "+oo", "+oo"),
        ("x^(2/3)", 0, "infinite", "-oo", "+oo"),
        ("sqrt(x)", 0, "undefined", "undefined", "+oo"),
    ],
)
def test_exact_one_sided_kinds(text, x0, verdict, left, right):
    result = exact(text, x0)
    assert (result["verdict"], result["left"]["kind"], result["right"]["kind"]) == (verdict, left, right)


def test_exact_abs_limits_are_minus_one_and_one():
    result = exact("abs(x)", 0)
    assert (result["left"]["value"], result["right"]["value"]) == (-1.0, 1.0)
    assert result["derivative"] is None


@pytest.mark.parametrize("text", ["1/x", "ln(x)"])
def test_exact_limit_is_undefined_where_f_is(text):
    result = exact(text, 0)
    assert result["verdict"] == "undefined" and result["f_x0"] is None and result["left"] is None


def test_exact_limit_reads_a_float_as_its_decimal_and_roots_as_real():
    assert exact("exp(x)", 0.1)["derivative"]["latex"] == "e^{\\frac{1}{10}}"
    assert exact("cbrt(x)", -8)["derivative"]["value"] == pytest.approx(1 / 12)


def test_exact_limit_accepts_sympy_points_and_symbols():
    x = sympy.Symbol("x")
    result = exact_derivative_limit(sympy.sin(x), x, sympy.pi)
    assert result["derivative"]["value"] == -1.0 and result["x0"] == "\\pi"


# --- The shortcut where f is analytic: f'(x0) without sympy.limit -----------------------------------------

ANALYTIC_OR_NOT = [
    "sin",
    "cos",
    "exp",
    "ln",
    "tan",
    "atan",
    "sinh",
    "tanh",
    "sqrt",
    "abs",
    "acot",
    "cbrt",
    "asin",
]


@st.composite
def small_functions(draw, depth: int = 2) -> str:
    """Small functions of x: the shortcut's functions and others (abs, acot's jump, roots) mixed."""
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(["x", "x", "2", "(x - 1)", "(x + 1/2)"]))
    kind = draw(st.sampled_from(["call", "add", "mul", "pow"]))
    left = draw(small_functions(depth - 1))
    if kind == "call":
        return f"{draw(st.sampled_from(ANALYTIC_OR_NOT))}({left})"
    if kind == "pow":
        return f"({left})^({draw(st.sampled_from(['2', '3', '-1', '1/2', '3/2', '2/3']))})"
    right = draw(small_functions(depth - 1))
    return f"({left}) {'+' if kind == 'add' else '*'} ({right})"


@settings(max_examples=40, deadline=None)
@given(small_functions(), st.sampled_from([0, 1, -1, 0.5, 2]))
def test_the_analytic_shortcut_agrees_with_sympys_limit(text, x0):
    fast = exact(text, x0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits_module, "_derivative_where_analytic", lambda *args: None)
        slow = exact(text, x0)
    # Where SymPy's limit gives up ("unknown"), the shortcut may know better.
    assert fast["verdict"] == slow["verdict"] or (fast["verdict"], slow["verdict"]) == (
        "differentiable",
        "unknown",
    )
    if slow["verdict"] == "differentiable":
        assert fast["derivative"]["value"] == pytest.approx(slow["derivative"]["value"], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "x0", "verdict"),
    [
        ("abs(x)", 0, "one_sided_differ"),
        ("acot(x)", 0, "infinite"),  # SymPy's acot jumps at 0, though its derivative's formula is -1 there
        ("sqrt(x^2)", 0, "one_sided_differ"),
        ("x^(2/3)", 0, "infinite"),
        ("sqrt(x)", 0, "undefined"),
        ("ln(x) + sqrt(-x)", -1, "undefined"),
    ],
)
def test_the_analytic_shortcut_leaves_non_smooth_points_to_sympy(text, x0, verdict):
    f = limits_module.real_roots(evaluated(parse_expression(text)))
    assert limits_module._derivative_where_analytic(f, sympy.Symbol("x"), sympy.Integer(x0)) is None
    assert exact(text, x0)["verdict"] == verdict

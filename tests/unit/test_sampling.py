"""Numeric evaluation and sampling: real-valued values, gaps, breaks at poles, robust limits, bad ranges."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from calc_core import ExpressionError
from calc_core.numeric import compile_numeric
from calc_core.sampling import SampledCurve, evaluate_at, robust_limits, sample_function

x, y = sympy.symbols("x y")
third = sympy.Mul(1, sympy.Pow(3, -1, evaluate=False), evaluate=False)  # 1/3 as the parser builds it


def at(expr, value: float) -> float:
    return float(compile_numeric(expr, [x])(np.array([value]))[0])


@contextlib.contextmanager
def no_warnings():
    """Fail on any warning, such as NumPy's RuntimeWarning for an overflow or a division by zero."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- compile_numeric: real-valued semantics -------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "point", "expected"),
    [
        (x ** sympy.Rational(1, 3), -8, -2.0),
        (sympy.Pow(x, third, evaluate=False), -8, -2.0),
        (x ** sympy.Rational(2, 3), -8, 4.0),
        (
            sympy.Pow(x, sympy.Mul(2, sympy.Pow(3, -1, evaluate=False), evaluate=False), evaluate=False),
            -8,
            4.0,
        ),
        (
            sympy.Pow(x, sympy.Add(1, sympy.Mul(-1, third, evaluate=False), evaluate=False), evaluate=False),
            -8,
            4.0,
        ),
        (
            sympy.Pow(x, sympy.Mul(2, sympy.Pow(6, -1, evaluate=False), evaluate=False), evaluate=False),
            -27,
            -3.0,
        ),
        (x ** sympy.Rational(-1, 3), -8, -0.5),
        (sympy.Pow(x, sympy.Mul(-1, third, evaluate=False), evaluate=False), -8, -0.5),
        (sympy.cbrt(x), -8, -2.0),
        (sympy.root(x, 3), -8, -2.0),
        (sympy.root(x, 5), -32, -2.0),
        (x ** sympy.Rational(3, 5), -32, -8.0),
        (sympy.Pow(-8, third, evaluate=False) + 0 * x, 123, -2.0),
        (x**2, -3, 9.0),
        (x**-1, -4, -0.25),
        (sympy.Pow(x, 3, evaluate=False), -2, -8.0),
        (sympy.log(x, 2, evaluate=False), 8, 3.0),
        (sympy.log(x, 2), 8, 3.0),
        (sympy.acot(x), 0, math.pi / 2),
        (sympy.acot(x), -1, -math.pi / 4),
        (sympy.Abs(x), -2.5, 2.5),
        (1 / sympy.exp(x), 800, 0.0),  # an overflow inside the tree is not a gap when the result is finite
        (sympy.exp(-sympy.exp(x)), 800, 0.0),
    ],
)
def test_exact_real_values(expr, point, expected):
    assert at(expr, point) == pytest.approx(expected, abs=1e-12, rel=1e-12)


@pytest.mark.parametrize(
    ("expr", "point"),
    [
        (sympy.sqrt(x), -1),
        (x ** sympy.Rational(1, 2), -4),
        (x ** sympy.Rational(3, 4), -1),
        (x**sympy.pi, -1),
        (sympy.Pow(x, sympy.Float(1 / 3), evaluate=False), -8),  # a decimal exponent is not an exact odd root
        (sympy.log(x), 0),
        (sympy.log(x), -1),
        (sympy.log(x, 2, evaluate=False), -8),
        (sympy.log(x, x, evaluate=False), 1),  # log base 1
        (1 / x, 0),
        (sympy.Pow(x, -2, evaluate=False), 0),
        (x ** sympy.Rational(-1, 3), 0),
        (sympy.asin(x), 2),
        (sympy.acos(x), -1.5),
        (sympy.atanh(x), 1),
        (sympy.acosh(x), 0.5),
        (sympy.exp(x), 1000),  # overflow
        (sympy.Add(sympy.exp(x), sympy.Mul(-1, sympy.exp(x), evaluate=False), evaluate=False), 1000),
        (sympy.cot(x), 0),
        (sympy.csc(x), 0),
        (sympy.coth(x), 0),
        (sympy.csch(x), 0),
        (sympy.asec(x), 0),
        (sympy.acsc(x), 0.5),
        (sympy.acoth(x), 0.5),
        (sympy.asech(x), 0),
        (sympy.asech(x), -0.5),
        (sympy.acsch(x), 0),
        (x + sympy.Integer(10) ** 400, 1),  # a constant too large for a float
        (sympy.zoo * x, 1),
        (sympy.I * x, 1),
        (sympy.nan + x, 1),
    ],
)
def test_undefined_complex_or_infinite_values_are_nan(expr, point):
    with no_warnings():
        assert math.isnan(at(expr, point))


SAMPLE_POINTS = [sympy.Rational(p) for p in ("-3", "-2", "-1", "-1/2", "0", "1/3", "1/2", "1", "2", "5/2")]
FUNCTIONS = [
    sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc,
    sympy.asin, sympy.acos, sympy.atan, sympy.acot, sympy.asec, sympy.acsc,
    sympy.sinh, sympy.cosh, sympy.tanh, sympy.coth, sympy.sech, sympy.csch,
    sympy.asinh, sympy.acosh, sympy.atanh, sympy.acoth, sympy.asech, sympy.acsch,
    sympy.exp, sympy.log, sympy.sqrt, sympy.cbrt, sympy.Abs,
]  # fmt: skip


def sympy_real_value(expr) -> float:
    """SymPy's own numeric value of a constant, or NaN where it is not a finite real number."""
    value = sympy.N(expr, 30)
    if not value.is_finite:
        return math.nan
    real, imaginary = value.as_real_imag()
    return float(real) if imaginary == 0 else math.nan


def unevaluated_call(function):
    if function is sympy.sqrt:
        return sympy.Pow(x, sympy.Mul(1, sympy.Pow(2, -1, evaluate=False), evaluate=False), evaluate=False)
    if function is sympy.cbrt:
        return sympy.Pow(x, third, evaluate=False)
    return function(x, evaluate=False)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_every_function_matches_sympy(function):
    compiled = compile_numeric(function(x), [x])
    unevaluated = compile_numeric(unevaluated_call(function), [x])
    points = np.array([float(p) for p in SAMPLE_POINTS])
    for values in (compiled(points), unevaluated(points)):
        for point, value in zip(SAMPLE_POINTS, values, strict=True):
            if function is sympy.cbrt:
                expected = float(sympy.real_root(point, 3))  # SymPy's cbrt is the principal complex root
            else:
                expected = sympy_real_value(function(point))
            if math.isnan(expected):
                assert math.isnan(value), (function, point, value)
            else:
                assert value == pytest.approx(expected, rel=1e-12, abs=1e-12), (function, point)


def test_constants_broadcast_to_the_grid():
    grid = np.linspace(0, 1, 5)
    for constant in (sympy.pi, sympy.E, sympy.Integer(3), sympy.Float(2.5), sympy.Rational(1, 3)):
        values = compile_numeric(constant, [x])(grid)
        assert values.shape == (5,)
        assert np.all(values == float(constant))
    unevaluated = sympy.Add(sympy.Integer(1), sympy.Mul(2, sympy.pi, evaluate=False), evaluate=False)
    assert np.allclose(compile_numeric(unevaluated, ["x"])(grid), 1 + 2 * math.pi)


def test_two_variables_broadcast():
    f = compile_numeric(x * y + 1, ["x", "y"])
    values = f(np.array([[1.0], [2.0]]), np.array([10.0, 20.0, 30.0]))
    assert values.shape == (2, 3)
    assert values.tolist() == [[11.0, 21.0, 31.0], [21.0, 41.0, 61.0]]


def test_evaluation_leaves_numpy_error_settings_alone_and_warns_nothing():
    before = np.geterr()
    with no_warnings():
        values = compile_numeric(sympy.exp(x) / x + sympy.log(x) + sympy.asin(x), [x])(
            np.array([0.0, -1, 1e4])
        )
    assert np.isnan(values).all()
    assert np.geterr() == before


def test_unknown_nodes_are_a_programming_error():
    for expr in (sympy.Function("f")(x), sympy.floor(x), sympy.Integral(x, x)):
        with pytest.raises(ValueError, match="cannot evaluate") as raised:
            compile_numeric(expr, [x])
        assert not isinstance(raised.value, ExpressionError)
    with pytest.raises(ValueError, match="not among the variables"):
        compile_numeric(x + y, [x])
    with pytest.raises(TypeError):
        compile_numeric("__import__('os')", [x])  # never sympify text


# --- sample_function: gaps, poles, limits ---------------------------------------------------------------


def pieces(curve: SampledCurve) -> list[tuple[float, float]]:
    """The x-range of each continuous piece."""
    return [
        (curve.x[curve.segment == k].min(), curve.x[curve.segment == k].max())
        for k in range(curve.segment_count)
    ]


def assert_no_piece_spans(curve: SampledCurve, poles) -> None:
    for low, high in pieces(curve):
        assert not any(low < pole < high for pole in poles), (low, high)


def test_reciprocal_has_a_gap_at_zero_and_no_piece_across_it():
    curve = sample_function(1 / x, x, -1, 1, n=801)
    assert curve.x[400] == 0
    assert math.isnan(curve.y[400]) and curve.segment[400] == -1
    assert curve.segment_count == 2
    assert_no_piece_spans(curve, [0.0])


@pytest.mark.parametrize("n", [800, 801, 2000])
def test_tangent_breaks_at_every_pole(n):
    curve = sample_function(sympy.tan(x), x, -5, 5, n=n)
    poles = [math.pi / 2 + k * math.pi for k in range(-3, 3)]
    assert_no_piece_spans(curve, poles)
    assert curve.segment_count == 5  # 4 poles in [-5, 5]
    low, high = curve.y_limits
    assert -60 < low < -5 and 5 < high < 60


@pytest.mark.parametrize(
    ("expr", "x_min", "x_max", "poles"),
    [
        (1 / (x - 1) ** 2, -2, 3, [1.0]),
        (1 / (x - 1) ** 2 - 5, -2, 3.3, [1.0]),
        (sympy.sec(x), -10, 10, [math.pi / 2 + k * math.pi for k in range(-4, 4)]),
        (sympy.csc(x) + 7, -10, 10, [k * math.pi for k in range(-3, 4)]),
        (x / (x**2 - 1), -3, 3, [-1.0, 1.0]),
        (1 / sympy.Abs(x), -1, 1, [0.0]),
        (-1 / x**3, -2, 1, [0.0]),
    ],
)
def test_poles_between_samples_break_the_line(expr, x_min, x_max, poles):
    curve = sample_function(expr, x, x_min, x_max, n=800)  # an even n: no sample lands on the pole
    assert_no_piece_spans(curve, poles)
    assert curve.segment_count == sum(x_min < pole < x_max for pole in poles) + 1
    assert not np.isnan(curve.y).any()


@pytest.mark.parametrize(
    ("expr", "x_min", "x_max"),
    [
        (100 * x, -1, 1),
        (x**3, -10, 10),
        (sympy.exp(x), -10, 10),
        (sympy.atan(50 * x), -1, 1),
        (sympy.tanh(200 * x), -1, 1),
        (1 / (x**2 + sympy.Rational(1, 100)), -3, 3),
        (sympy.sin(x) * 1000, -20, 20),
    ],
)
def test_steep_continuous_functions_are_not_cut(expr, x_min, x_max):
    curve = sample_function(expr, x, x_min, x_max)
    assert curve.segment_count == 1
    assert (curve.segment == 0).all()


def test_cube_has_one_piece_and_limits_showing_all_of_it():
    curve = sample_function(x**3, x, -10, 10)
    assert curve.segment_count == 1
    low, high = curve.y_limits
    assert low <= -1000 and high >= 1000 and high < 1500


@pytest.mark.parametrize(
    ("expr", "defined"),
    [
        (sympy.sqrt(x), lambda xs: xs >= 0),
        (sympy.log(x), lambda xs: xs > 0),
        (sympy.asin(x), lambda xs: abs(xs) <= 1),
    ],
)
def test_domain_gaps(expr, defined):
    curve = sample_function(expr, x, -2, 2, n=401)
    inside = defined(curve.x)
    assert np.isfinite(curve.y[inside]).all()
    assert np.isnan(curve.y[~inside]).all()
    assert (curve.segment[~inside] == -1).all()
    assert curve.segment_count == 1


def test_constant_function():
    for constant in (sympy.Integer(3), sympy.Add(1, 2, evaluate=False)):
        curve = sample_function(constant, x, -5, 5)
        assert curve.y.shape == curve.x.shape
        assert (curve.y == 3).all()
        low, high = curve.y_limits
        assert low < 3 < high
        assert high - low >= 1
        assert 3 - low == pytest.approx(high - 3)
    low, high = sample_function(sympy.Integer(0), x, 0, 1).y_limits
    assert low < 0 < high


def test_robust_limits_ignore_the_values_near_a_pole():
    curve = sample_function(1 / x, x, -1, 1, n=801)
    finite = curve.y[np.isfinite(curve.y)]
    assert np.abs(finite).max() >= 400
    low, high = curve.y_limits
    assert -100 < low < -5 and 5 < high < 100


def test_a_mostly_flat_function_still_shows_its_rise():
    low, high = sample_function(x + sympy.Abs(x), x, -100, 1).y_limits  # 0 on 99% of the range, then up to 2
    assert low < 0 and 2 <= high < 3


def test_robust_limits_of_nothing():
    curve = sample_function(sympy.log(x), x, -2, -1)
    assert curve.y_limits is None
    assert (curve.segment == -1).all() and curve.segment_count == 0
    assert robust_limits(np.array([np.inf, np.nan])) is None


def test_sampling_an_overflow_leaves_numpy_error_settings_alone():
    before = np.geterr()
    with no_warnings():
        curve = sample_function(sympy.exp(x) * sympy.exp(x), x, 0, 1000)
    assert np.isnan(curve.y[-1]) and np.isfinite(curve.y[0])
    assert np.geterr() == before


@pytest.mark.parametrize(
    ("x_min", "x_max", "n"),
    [
        (1, 1, 801),
        (2, 1, 801),
        (math.nan, 1, 801),
        (0, math.inf, 801),
        (-math.inf, 0, 801),
        (-1e308, 1e308, 801),  # the width overflows
        (1.0, 1.0 + 1e-15, 801),  # too narrow for distinct points
        (0, 1, 1),
        (0, 1, 20002),
        (0, 1, 2.5),
        ("a", 1, 801),
        (None, 1, 801),
    ],
)
def test_bad_ranges_raise_bad_range(x_min, x_max, n):
    with pytest.raises(ExpressionError) as raised:
        sample_function(x, x, x_min, x_max, n=n)
    assert raised.value.code == "bad_range"
    assert {"low", "high"} <= set(raised.value.params)


def test_range_limits_are_inclusive():
    assert len(sample_function(x, x, 0, 1, n=2).x) == 2
    assert len(sample_function(x, x, 0, 1, n=20001).x) == 20001


def test_other_variables_are_fixed():
    curve = sample_function(x * y, x, 0, 2, n=3, variables={"y": 2.5})
    assert curve.y.tolist() == [0.0, 2.5, 5.0]
    assert evaluate_at(x * y, "x", 2, variables={y: -1}) == -2.0
    with pytest.raises(ValueError):
        sample_function(x * y, x, 0, 1, variables={"x": 1})


def test_evaluate_at():
    assert evaluate_at(sympy.tan(x), x, 0) == 0.0
    assert evaluate_at(x ** sympy.Rational(1, 3), x, -8) == pytest.approx(-2.0, abs=1e-12)
    assert evaluate_at(sympy.log(x), x, -1) is None
    assert evaluate_at(1 / x, x, 0) is None
    assert evaluate_at(sympy.exp(x), x, 1000) is None
    assert isinstance(evaluate_at(x**2, x, 3), float)


def test_plain_data_round_trip_is_json_safe():
    curve = sample_function(1 / x, x, -1, 1, n=11)
    data = json.loads(json.dumps(curve.to_dict(), allow_nan=False))
    assert data["y"][5] is None
    again = SampledCurve.from_dict(data)
    assert again == curve
    assert again.y.dtype == np.float64 and again.segment.dtype == np.int64
    assert again.y_limits == curve.y_limits
    empty = SampledCurve.from_dict(sample_function(sympy.log(x), x, -2, -1, n=3).to_dict())
    assert empty.y_limits is None


def test_curves_are_immutable():
    curve = sample_function(x, x, 0, 1, n=3)
    with pytest.raises(ValueError):
        curve.y[0] = 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        curve.y_limits = (0.0, 1.0)
    with pytest.raises(ValueError):
        SampledCurve(x=[0, 1], y=[0.0], segment=[0, 0], y_limits=None)


# --- property: polynomials have no poles ----------------------------------------------------------------


def polynomial(coefficients: list[int], unevaluated: bool):
    terms = [
        sympy.Mul(c, sympy.Pow(x, k, evaluate=False), evaluate=False) if unevaluated else c * x**k
        for k, c in enumerate(coefficients)
    ]
    return sympy.Add(*terms, evaluate=False) if unevaluated else sympy.Add(*terms)


@settings(max_examples=150, deadline=None)
@given(
    coefficients=st.lists(st.integers(-10, 10), min_size=1, max_size=7),
    unevaluated=st.booleans(),
    x_min=st.floats(-20, 20),
    width=st.floats(0.01, 40),
    n=st.integers(201, 2001),
)
def test_polynomials_are_one_piece_and_match_sympy(coefficients, unevaluated, x_min, width, n):
    expr = polynomial(coefficients, unevaluated)
    curve = sample_function(expr, x, x_min, x_min + width, n=n)
    assert curve.segment_count == 1
    assert np.isfinite(curve.y).all()
    low, high = curve.y_limits
    assert low < high
    for index in np.linspace(0, n - 1, 12).astype(int):
        point = float(curve.x[index])
        exact = float(expr.subs(x, sympy.Float(point, 40)).evalf(40))
        scale = sum(abs(c) * abs(point) ** k for k, c in enumerate(coefficients)) or 1.0
        assert abs(curve.y[index] - exact) <= 1e-12 * scale

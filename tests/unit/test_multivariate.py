"""Partial derivatives, gradients, grids and gradient descent (calc_core.multivariate) and their tasks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from calc_core import service
from calc_core.errors import ExpressionError
from calc_core.multivariate import (
    MAX_DESCENT_STEPS,
    DescentPath,
    Grid,
    descent_path,
    detect_variables,
    difference_quotients,
    directional_derivative,
    evaluate_grid,
    gradient_descent,
    gradient_field,
    numerical_gradient,
    parse_point,
    partial_derivatives,
    steepest_angle,
    variables_used,
    window_around,
)
from calc_core.numeric import compile_numeric
from calc_core.parser import parse_expression
from calc_core.sandbox import run_task
from calc_core.tasks import TASKS

EXERCISE2 = "3*x1^2 + 5*exp(x2)"


# --- which variables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "variables"),
    [
        ("3*x1^2 + 5*exp(x2)", ("x1", "x2")),
        ("x1^2", ("x1", "x2")),
        ("x1 + x3", ("x1", "x2", "x3")),
        ("x1x2x3x4", ("x1", "x2", "x3", "x4")),
        ("x^2 - y^2", ("x", "y")),
        ("sin(x)", ("x", "y")),
        ("x*y*z", ("x", "y", "z")),
        ("xy", ("x", "y")),
        ("7", ("x1", "x2")),
    ],
)
def test_the_variables_are_detected(text, variables):
    assert detect_variables(text)[1] == variables


def test_x1x2_is_a_product():
    expr, _ = detect_variables("x1x2")
    assert expr == parse_expression("x1*x2", ("x1", "x2"))


def test_the_error_of_the_family_that_read_furthest_is_raised():
    with pytest.raises(ExpressionError) as raised:
        detect_variables("x^2 + y^2 + $")
    assert raised.value.code == "unexpected_character"
    with pytest.raises(ExpressionError) as raised:
        detect_variables("x1 + w")
    assert raised.value.code == "unknown_name"


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('touch x')", "9^9^9", "x" * 10_000, "x\x00+1", "x\u202e+1", "x.__class__", ""],
)
def test_hostile_text_is_refused_by_every_family(text):
    with pytest.raises(ExpressionError):
        detect_variables(text)


def test_variables_used_keeps_two_at_least():
    assert variables_used(sympy.Integer(3), ("x1", "x2", "x3")) == ("x1", "x2")


# --- partial derivatives -----------------------------------------------------------------------------


def test_exercise_2_partials_are_exact():
    result = partial_derivatives(EXERCISE2, ("x1", "x2"), (1.0, 2.0))
    first, second = result["partials"]
    assert (first["latex"], second["latex"]) == ("6 x_{1}", "5 e^{x_{2}}")
    x1, x2 = sympy.symbols("x1 x2")
    assert sympy.sympify(first["text"]) == 6 * x1
    assert sympy.sympify(second["text"]) == 5 * sympy.exp(x2)
    assert first["value"] == 6.0
    assert second["value"] == pytest.approx(5 * math.exp(2))
    assert result["f_value"] == pytest.approx(3 + 5 * math.exp(2))


def test_steps_are_written_with_the_partial_sign_and_hold_the_others_constant():
    result = partial_derivatives("x1^2*x2 + sin(x2)", ("x1", "x2"), (1.0, 1.0))
    first = result["partials"][0]["steps"]
    assert r"\partial" in first["application"] and "{d}" not in first["application"]
    rules = [step["rule"] for step in first["substeps"]]
    assert rules == ["constant_multiple", "constant"]  # x2 is a constant factor; sin(x2) a constant
    assert first["result_latex"] == "2 x_{1} x_{2}"


def test_the_difference_quotients_approach_each_partial_derivative():
    result = partial_derivatives("x1^2*x2 + sin(x2)", ("x1", "x2"), (1.0, 1.0))
    for entry in result["partials"]:
        errors = [abs(q - entry["value"]) for q in entry["quotients"]]
        assert errors == sorted(errors, reverse=True)
        assert errors[-1] < 1e-4
    assert result["steps_h"] == [0.1, 0.01, 0.001, 0.0001, 1e-05]


def test_three_variables_give_three_partials_and_no_steps_when_not_asked():
    result = partial_derivatives("x1^2 + 2*x2^2 + 3*x3^2", ("x1", "x2", "x3"), (1.0, 1.0, 1.0), False)
    assert [p["latex"] for p in result["partials"]] == ["2 x_{1}", "4 x_{2}", "6 x_{3}"]
    assert [p["value"] for p in result["partials"]] == [2.0, 4.0, 6.0]
    assert all(p["steps"] is None for p in result["partials"])


def test_undefined_values_are_none_and_quotients_nan():
    result = partial_derivatives("sqrt(x1^2 + x2^2)", ("x1", "x2"), (0.0, 0.0))
    assert result["f_value"] == 0.0
    assert [p["value"] for p in result["partials"]] == [None, None]
    assert all(q == pytest.approx(1.0) for q in result["partials"][0]["quotients"])  # one side only


def test_a_point_of_the_wrong_length_or_not_finite_is_refused():
    with pytest.raises(ExpressionError):
        partial_derivatives(EXERCISE2, ("x1", "x2"), (1.0,))
    with pytest.raises(ExpressionError):
        partial_derivatives(EXERCISE2, ("x1", "x2"), (1.0, math.inf))


def test_the_tasks_are_registered():
    assert {"partial_derivatives", "gradient_field", "descent_path"} <= set(TASKS)


def test_the_sandbox_answers_and_refuses_hostile_text():
    expr = parse_expression(EXERCISE2, ("x1", "x2"))
    assert [p["latex"] for p in service.partial_derivatives(expr, ("x1", "x2"), (1, 2))["partials"]] == [
        "6 x_{1}",
        "5 e^{x_{2}}",
    ]
    with pytest.raises(ExpressionError) as raised:
        run_task("partial_derivatives", "9^9^9", ("x1", "x2"), (1.0, 2.0), False)
    assert raised.value.code == "power_too_large"


# --- numbers -----------------------------------------------------------------------------------------


def test_difference_quotients_move_one_variable_alone():
    f = compile_numeric(parse_expression(EXERCISE2, ("x1", "x2")), ["x1", "x2"])
    assert difference_quotients(f, (1.0, 0.0), 0, (0.1,)) == [pytest.approx(6.3)]
    assert difference_quotients(f, (1.0, 0.0), 1, (1e-6,)) == [pytest.approx(5.0, rel=1e-5)]


def test_numerical_gradient_of_exercise_2():
    f = compile_numeric(parse_expression(EXERCISE2, ("x1", "x2")), ["x1", "x2"])
    assert numerical_gradient(f, (1.0, 2.0)) == pytest.approx([6.0, 5 * math.exp(2)], rel=1e-6)


@given(
    gx=st.floats(-100, 100, allow_nan=False),
    gy=st.floats(-100, 100, allow_nan=False),
    angle=st.floats(0, 2 * math.pi),
)
def test_the_directional_derivative_is_largest_along_the_gradient(gx, gy, angle):
    length = math.hypot(gx, gy)
    assert directional_derivative((gx, gy), angle) <= length + 1e-9
    best = steepest_angle((gx, gy))
    if best is not None:
        assert directional_derivative((gx, gy), best) == pytest.approx(length)
        assert directional_derivative((gx, gy), best + math.pi / 2) == pytest.approx(0, abs=1e-9 * length)


def test_evaluate_grid_rows_follow_the_second_variable():
    grid = evaluate_grid(
        lambda x, y: x + 10 * y, lambda x, y: 1 + 0 * x, lambda x, y: 10 + 0 * y, (0, 1, 0, 2), 3
    )
    assert grid.f.shape == (3, 3)
    assert grid.f[2, 0] == 20.0 and grid.f[0, 2] == 1.0
    assert grid.step == 0.5


def test_gradient_field_matches_the_formulas_and_has_gaps():
    grid = Grid.from_dict(gradient_field("x1^2 + 4x2^2", ("x1", "x2"), (-3.0, 3.0, -3.0, 3.0), 61))
    gx, gy = np.meshgrid(grid.x, grid.y)
    assert grid.x[11] == -1.9  # rounded grid values: slider positions read cleanly
    np.testing.assert_allclose(grid.f, gx**2 + 4 * gy**2)
    np.testing.assert_allclose(grid.fx, 2 * gx)
    np.testing.assert_allclose(grid.fy, 8 * gy)
    gaps = Grid.from_dict(gradient_field("log(x1) + x2", ("x1", "x2"), (-1.0, 1.0, -1.0, 1.0), 5))
    assert np.isnan(gaps.f[:, :3]).all() and np.isfinite(gaps.f[:, 3:]).all()


def test_gradient_field_needs_two_variables_and_a_window():
    with pytest.raises(ExpressionError):
        gradient_field("x1+x2+x3", ("x1", "x2", "x3"), (0.0, 1.0, 0.0, 1.0), 5)
    with pytest.raises(ExpressionError):
        gradient_field("x1", ("x1", "x2"), (1.0, 0.0, 0.0, 1.0), 5)
    with pytest.raises(ExpressionError):
        gradient_field("x1", ("x1", "x2"), (0.0, 1.0, 0.0, 1.0), 100_000)


def test_the_gradient_field_service_returns_a_grid():
    expr = parse_expression("x1*x2", ("x1", "x2"))
    grid = service.gradient_field(expr, ("x1", "x2"), (0, 1, 0, 1), 3)
    assert isinstance(grid, Grid) and grid.fx[2].tolist() == [1.0, 1.0, 1.0]


# --- gradient descent --------------------------------------------------------------------------------


def test_descent_on_a_bowl_lowers_the_loss_every_step():
    path = DescentPath.from_dict(descent_path("x1^2 + 4x2^2", ("x1", "x2"), (-2.5, 1.5), 0.1, 30))
    assert path.status == "ok" and len(path.loss) == 31
    assert np.all(np.diff(path.loss) < 0)
    assert path.loss[-1] < 1e-2 and path.points.shape == (31, 2)
    assert path.gradient_norm[0] == pytest.approx(math.hypot(-5, 12))


def test_a_learning_rate_too_large_diverges():
    assert DescentPath.from_dict(
        descent_path("x1^2 + 4x2^2", ("x1", "x2"), (1.0, 1.0), 0.26, 200)
    ).status == ("diverged")
    zigzag = DescentPath.from_dict(descent_path("x1^2 + 4x2^2", ("x1", "x2"), (1.0, 1.0), 0.24, 20))
    assert zigzag.status == "ok" and np.all(np.sign(zigzag.points[1:, 1]) != np.sign(zigzag.points[:-1, 1]))


def test_descent_stops_at_a_gap():
    log = compile_numeric(parse_expression("log(x)"), ["x"])
    path = gradient_descent(log, [compile_numeric(parse_expression("1/x"), ["x"])], (1.0,), 2.0, 10)
    assert path.status == "undefined" and len(path.loss) == 2


def test_descent_steps_are_bounded_and_rates_checked():
    path = DescentPath.from_dict(descent_path("x1^2 + x2^2", ("x1", "x2"), (1.0, 1.0), 0.001, 10**6))
    assert len(path.loss) == MAX_DESCENT_STEPS + 1
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ExpressionError):
            descent_path("x1^2", ("x1", "x2"), (1.0, 1.0), bad, 3)


def test_descent_works_in_three_dimensions_through_the_sandbox():
    expr = parse_expression("x1^2 + x2^2 + x3^2", ("x1", "x2", "x3"))
    path = service.descent_path(expr, ("x1", "x2", "x3"), (1, 1, 1), 0.25, 2)
    assert path.loss.tolist() == [3.0, 0.75, 0.1875]


# --- the point, the window ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1, 2", ((1.0, 2.0), "ok")),
        ("(1，2)", ((1.0, 2.0), "ok")),
        ("1;2", ((1.0, 2.0), "ok")),
        ("3", ((3.0, 1.0), "padded")),
        ("1,2,3", ((1.0, 2.0), "truncated")),
        ("abc", ((1.0, 1.0), "invalid")),
        ("", ((1.0, 1.0), "invalid")),
        ("nan, 1", ((1.0, 1.0), "invalid")),
        ("inf, 1", ((1.0, 1.0), "invalid")),
        ("1e999, 1", ((1.0, 1.0), "invalid")),
        ("1e9, 1", ((1.0, 1.0), "too_large")),
        ("1," * 10_000, ((1.0, 1.0), "invalid")),
    ],
)
def test_parse_point(text, expected):
    assert parse_point(text, 2, (1.0, 1.0)) == expected


def test_the_window_follows_a_far_point():
    assert window_around((1.0, -2.0)) == (-3.0, 3.0, -3.0, 3.0)
    assert window_around((50.4, -2.0)) == (47.0, 53.0, -3.0, 3.0)


def test_abs_is_differentiated_for_real_variables_and_undefined_at_its_corner():
    result = partial_derivatives("abs(x) + abs(y)", ("x", "y"), (0.0, -2.0), False)
    assert [p["latex"] for p in result["partials"]] == [
        r"\frac{x}{\left|{x}\right|}",
        r"\frac{y}{\left|{y}\right|}",
    ]
    assert [p["value"] for p in result["partials"]] == [None, -1.0]
    grid = Grid.from_dict(gradient_field("abs(x) + abs(y)", ("x", "y"), (-1.0, 1.0, -1.0, 1.0), 3))
    assert grid.fx[0].tolist()[0] == -1.0 and math.isnan(grid.fx[0, 1])

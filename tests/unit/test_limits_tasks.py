"""The limits page's worker tasks (calc_core.tasks) and their service wrappers (calc_core.service).

The tasks run SymPy and the float64 arithmetic on the student's text inside the worker; what comes back must
be plain data, and the numbers must be exactly those calc_core.limits computes, not a model of them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from calc_core import derivative_limits as tasks
from calc_core import service
from calc_core.errors import ExpressionError
from calc_core.limits import (
    SCHEMES,
    best_h,
    d2l_limit_table,
    error_table,
    format_d2l_row,
    one_sided_table,
    secant_steps,
)
from calc_core.parser import parse_expression
from calc_core.worker import is_plain_data
from tests.unit.test_limits import D2L_LINES, compiled

X = ("x",)


def same_floats(a, b) -> bool:
    """Equal as float64 bit patterns would be, NaN equal to NaN."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


# --- derivative_limit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "x0", "verdict", "left", "right"),
    [
        ("3x^2 - 4x", 1.0, "differentiable", 2.0, 2.0),
        ("abs(x)", 0.0, "one_sided_differ", -1.0, 1.0),
        ("cbrt(x)", 0.0, "infinite", None, None),
        ("x^3 - 1/x", 1.0, "differentiable", 4.0, 4.0),
    ],
)
def test_derivative_limit_gives_sympys_one_sided_limits(text, x0, verdict, left, right):
    result = tasks.derivative_limit(text, X, "x", x0)
    assert is_plain_data(result)
    assert result["verdict"] == verdict
    assert result["left"]["value"] == left
    assert result["right"]["value"] == right


def test_derivative_limit_where_f_is_undefined():
    result = tasks.derivative_limit("1/x", X, "x", 0.0)
    assert result["verdict"] == "undefined"
    assert result["left"] is None and result["derivative"] is None


@pytest.mark.parametrize("x0", [math.nan, math.inf, -math.inf])
def test_a_non_finite_point_is_refused(x0):
    with pytest.raises(ExpressionError) as raised:
        tasks.derivative_limit("x", X, "x", x0)
    assert raised.value.code == "bad_number"
    with pytest.raises(ExpressionError):
        tasks.limit_tables("x", X, "x", x0)


@pytest.mark.parametrize("text", ["__import__('os')", "9^9^9", "x" * 10_000, "x\x00", "x.__class__"])
def test_hostile_text_is_refused_by_the_parser_inside_the_task(text):
    with pytest.raises(ExpressionError):
        tasks.derivative_limit(text, X, "x", 1.0)
    with pytest.raises(ExpressionError):
        tasks.limit_tables(text, X, "x", 1.0)


def test_an_unknown_variable_is_refused():
    with pytest.raises(ExpressionError) as raised:
        tasks.limit_tables("x", X, "y", 1.0)
    assert raised.value.code == "unknown_name"


# --- limit_tables --------------------------------------------------------------------------------------


def test_d2l_rows_are_the_books_digit_for_digit():
    tables = tasks.limit_tables("3x^2 - 4x", X, "x", 1.0, 2.0)
    d2l = tables["d2l"]
    assert len(d2l["h"]) == tasks.LIMIT_TABLE_ROWS == 16
    lines = [
        f"h={h:.5f}, numerical limit={value:.5f}" for h, value in zip(d2l["h"], d2l["value"], strict=True)
    ]
    assert lines[:5] == D2L_LINES
    reference = d2l_limit_table(None, 1.0, 0.1, 16)  # D2L's own function on Python floats
    assert [row.h for row in reference] == d2l["h"]
    assert [format_d2l_row(row) for row in reference] == lines


def test_the_tables_are_plain_data():
    tables = tasks.limit_tables("sin(x)", X, "x", 1.0, math.cos(1.0))
    assert is_plain_data(tables)
    assert set(tables) == {"x0", "f_x0", "d2l", "errors", "one_sided", "secant", "curve"}


def test_errors_are_the_float64_numbers_calc_core_computes():
    exact = math.cos(1.0)
    tables = tasks.limit_tables("sin(x)", X, "x", 1.0, exact)
    expected = error_table(compiled("sin(x)"), 1.0, exact)
    errors = tables["errors"]
    assert same_floats(errors["h"], expected.h)
    for scheme in SCHEMES:
        assert same_floats(errors["estimate"][scheme], expected.estimate[scheme])
        assert same_floats(errors["error"][scheme], expected.error[scheme])
    assert errors["second"] == expected.second and errors["third"] == expected.third


def test_sin_shows_the_classic_best_steps():
    """About 1e-8 for the one-sided quotients and 1e-5 for the central one (issue #4)."""
    table = service.error_table_of(tasks.limit_tables("sin(x)", X, "x", 1.0, math.cos(1.0))["errors"])
    best = best_h(table)
    assert 1e-9 <= best["forward"] <= 1e-7
    assert 1e-9 <= best["backward"] <= 1e-7
    assert 1e-6 <= best["central"] <= 1e-4
    # and at h = 1e-16, 1 + h is 1: the forward quotient is exactly 0, the whole derivative lost
    assert table.estimate["forward"][-1] == 0.0


def test_a_parabola_has_no_central_truncation_error():
    errors = tasks.limit_tables("3x^2 - 4x", X, "x", 1.0, 2.0)["errors"]
    assert errors["third"] == 0
    assert errors["second"] > 0


def test_without_an_exact_derivative_there_are_no_errors():
    tables = tasks.limit_tables("abs(x)", X, "x", 0.0)
    assert tables["errors"] is None
    one_sided = tables["one_sided"]
    assert set(one_sided["left"]) == {-1.0} and set(one_sided["right"]) == {1.0}
    assert one_sided["verdict"] == "one_sided_differ"
    reference = one_sided_table(np.abs, 0.0)
    assert same_floats(one_sided["h"], reference.h)


def test_secant_points_are_f_at_x0_and_x0_plus_and_minus_h():
    tables = tasks.limit_tables("x^3", X, "x", 0.5)
    secant, steps = tables["secant"], secant_steps()
    assert same_floats(secant["h"], steps)
    points = np.concatenate([[0.5], 0.5 + steps, 0.5 - steps])
    assert same_floats(secant["x"], points)
    assert same_floats(secant["y"], compiled("x^3")(points))


def test_the_curve_covers_x0_plus_minus_two():
    curve = tasks.limit_tables("1/x", X, "x", 0.0)["curve"]
    assert curve["x"][0] == -tasks.SECANT_WINDOW and curve["x"][-1] == tasks.SECANT_WINDOW
    assert len(curve["x"]) == tasks.SECANT_CURVE_POINTS


def test_where_f_is_undefined_the_values_are_nan_not_an_error():
    tables = tasks.limit_tables("1/x", X, "x", 0.0)
    assert math.isnan(tables["f_x0"]) and math.isnan(tables["secant"]["y"][0])
    assert tables["one_sided"]["verdict"] == "undefined"
    assert tables["errors"] is None


def test_an_exact_value_is_ignored_where_f_x0_is_undefined():
    assert tasks.limit_tables("1/x", X, "x", 0.0, 1.0)["errors"] is None


# --- the service wrappers, through the sandbox ---------------------------------------------------------


def test_service_derivative_limit_runs_in_the_sandbox():
    result = service.derivative_limit(parse_expression("abs(x)"), X, "x", 0)
    assert result["verdict"] == "one_sided_differ"
    assert result["x0"] == "0"


def test_service_limit_tables_and_the_objects_made_from_them():
    expr = parse_expression("exp(x)")
    tables = service.limit_tables(expr, X, "x", 0.5, math.exp(0.5))
    assert tables == tasks.limit_tables("exp(x)", X, "x", 0.5, math.exp(0.5))  # the worker's numbers
    table = service.error_table_of(tables["errors"])
    expected = error_table(compiled("exp(x)"), 0.5, math.exp(0.5))
    for scheme in SCHEMES:
        assert same_floats(table.error[scheme], expected.error[scheme])
    assert same_floats(table.models["roundoff"], expected.models["roundoff"])
    one_sided = service.one_sided_table_of(tables["one_sided"])
    assert one_sided.verdict() == "differentiable"
    assert one_sided.x0 == 0.5


def test_service_refuses_a_non_finite_point_and_ignores_a_non_finite_exact_value():
    with pytest.raises(ExpressionError) as raised:
        service.limit_tables(parse_expression("x"), X, "x", math.nan)
    assert raised.value.code == "bad_number"
    assert service.limit_tables(parse_expression("x^2"), X, "x", 1.0, math.nan)["errors"] is None


def test_service_refuses_hostile_text_with_its_error_code():
    with pytest.raises(ExpressionError) as raised:
        service.derivative_limit(parse_expression("x"), X, "y", 1.0)
    assert raised.value.code == "unknown_name"

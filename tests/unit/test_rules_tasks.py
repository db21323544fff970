"""The rules page's worker tasks: the grid for the browser-side tangent, and the exact tangent line."""

from __future__ import annotations

import math

import pytest
import sympy

from calc_core import service
from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from calc_core.tangent import line_latex, tangent_data, tangent_line
from calc_core.tasks import TASKS
from viz.tangent_chart import slider_grid

X = ("x",)


def grid(text: str, x0: float, second: bool = False) -> dict:
    return tangent_data(text, X, "x", *slider_grid(x0), x0, second)


def value_at(data: dict, curve: str, x: float):
    return data[curve]["y"][data["x"].index(x)]


def test_the_tasks_are_registered():
    assert TASKS["tangent_data"] is tangent_data
    assert TASKS["tangent_line"] is tangent_line


# --- tangent_data ----------------------------------------------------------------------------------------


def test_d2l_function_and_its_derivative_on_the_grid():
    data = grid("3x^2 - 4x", 1.0)
    assert len(data["x"]) == 401 and data["x"][0] == -3.0 and data["x"][-1] == 5.0
    for x in (-3.0, 0.0, 1.0, 2.5, 5.0):
        assert value_at(data, "f", x) == pytest.approx(3 * x * x - 4 * x)
        assert value_at(data, "df", x) == pytest.approx(6 * x - 4)
    assert data["d2f"] is None
    assert data["point"] == {"x0": 1.0, "f_x0": -1.0, "slope": 2.0, "verdict": "differentiable"}


def test_second_derivative_on_request():
    data = grid("x^3", 0.0, second=True)
    assert value_at(data, "d2f", 1.0) == pytest.approx(6.0)
    assert value_at(data, "d2f", -2.0) == pytest.approx(-12.0)


def test_the_corner_of_abs_has_no_derivative_on_the_grid():
    """SymPy's d|x|/dx = sign(x) is 0 at 0: kept, it would draw a flat tangent on the corner."""
    data = grid("abs(x)", 0.0, second=True)
    assert value_at(data, "df", 0.0) is None
    assert value_at(data, "df", 0.02) == 1.0 and value_at(data, "df", -0.02) == -1.0
    assert value_at(data, "d2f", 0.0) is None
    assert value_at(data, "d2f", 1.0) == 0.0
    assert data["point"]["verdict"] == "one_sided_differ" and data["point"]["slope"] is None


def test_a_corner_away_from_zero_and_inside_a_product():
    data = grid("x*abs(x - 1)", 1.0)
    assert value_at(data, "df", 1.0) is None
    assert value_at(data, "df", 2.0) == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("text", "x0", "verdict"),
    [("x^(1/3)", 0.0, "infinite"), ("1/x", 0.0, "undefined"), ("log(x)", -1.0, "undefined")],
)
def test_points_without_a_derivative(text, x0, verdict):
    data = grid(text, x0)
    assert value_at(data, "df", x0) is None
    assert data["point"]["verdict"] == verdict
    assert data["point"]["slope"] is None


def test_outside_the_domain_both_f_and_f_prime_are_gaps():
    data = grid("log(x)", -1.0)
    assert all(value_at(data, "f", x) is None for x in (-3.0, -1.0, 0.0))
    assert all(value_at(data, "df", x) is None for x in (-3.0, -1.0, 0.0))
    assert value_at(data, "df", 0.5) == pytest.approx(2.0)
    assert data["point"]["f_x0"] is None


def test_typed_gaps_survive_evaluation():
    """x/x is 1 when evaluated, but undefined at 0 as typed: no tangent there."""
    data = grid("x/x", 0.0)
    assert value_at(data, "f", 0.0) is None and value_at(data, "df", 0.0) is None
    assert value_at(data, "df", 1.0) == 0.0


def test_a_jump_has_no_tangent_even_where_the_formula_is_finite():
    data = grid("acot(x)", 0.0)
    assert value_at(data, "df", 0.0) is None
    assert data["point"]["verdict"] == "discontinuous"


def test_poles_break_the_derivative_into_pieces():
    data = grid("1/x", 1.0)
    segments = [s for s, y in zip(data["df"]["segment"], data["df"]["y"], strict=True) if y is not None]
    assert len(set(segments)) == 2


def test_bad_arguments_are_refused():
    with pytest.raises(ExpressionError) as raised:
        tangent_data("x", X, "x", 0.0, 1.0, 5000, 0.5)
    assert raised.value.code == "bad_range"
    with pytest.raises(ExpressionError):
        tangent_data("x", X, "y", 0.0, 1.0, 5, 0.5)
    with pytest.raises(ExpressionError):
        tangent_data("x", X, "x", 0.0, 1.0, 5, math.inf)


def test_the_result_is_plain_data():
    data = grid("sin(x)", 0.5, second=True)
    for curve in ("f", "df", "d2f"):
        assert set(data[curve]) == {"y", "segment", "y_limits"}
        assert all(value is None or isinstance(value, float) for value in data[curve]["y"])
    assert all(isinstance(x, float) for x in data["x"])


# --- tangent_line ----------------------------------------------------------------------------------------


def test_d2l_tangent_exactly():
    line = tangent_line("3x^2 - 4x", X, "x", 1.0)
    assert line["verdict"] == "differentiable"
    assert (line["x0"], line["f_x0"]["latex"], line["slope"]["latex"], line["intercept"]["latex"]) == (
        "1",
        "-1",
        "2",
        "-3",
    )
    assert line["line_latex"] == "2 x - 3"
    assert (line["slope"]["value"], line["intercept"]["value"]) == (2.0, -3.0)


@pytest.mark.parametrize(
    ("text", "x0", "expected"),
    [
        ("x^3 - 1/x", 1.0, "4 x - 4"),  # D2L's exercise 1
        ("(x^2 + 1)/(x - 1)", 2.0, "- x + 7"),
        ("x^x", 1.0, "x"),
        ("exp(x)", 0.0, "x + 1"),
        ("x^2", 0.0, "0"),
        ("5", 3.0, "5"),
    ],
)
def test_exact_tangent_lines(text, x0, expected):
    assert tangent_line(text, X, "x", x0)["line_latex"] == expected


def test_transcendental_values_stay_exact():
    line = tangent_line("sin(x)", X, "x", 1.0)
    assert line["slope"]["latex"] == r"\cos{\left(1 \right)}"
    assert line["slope"]["value"] == pytest.approx(math.cos(1))
    assert line["intercept"]["value"] == pytest.approx(math.sin(1) - math.cos(1))
    assert line["line_latex"].startswith(r"\cos{\left(1 \right)} x")


@pytest.mark.parametrize(
    ("text", "x0", "verdict", "kinds"),
    [
        ("abs(x)", 0.0, "one_sided_differ", ("finite", "finite")),
        ("x^(1/3)", 0.0, "infinite", ("+oo", "+oo")),
        ("x^(2/3)", 0.0, "infinite", ("-oo", "+oo")),
        ("1/x", 0.0, "undefined", None),
        ("log(x)", -1.0, "undefined", None),
    ],
)
def test_no_tangent_line_where_f_is_not_differentiable(text, x0, verdict, kinds):
    line = tangent_line(text, X, "x", x0)
    assert line["verdict"] == verdict
    assert line["slope"] is None and line["intercept"] is None and line["line_latex"] is None
    if kinds is None:
        assert line["f_x0"] is None
    else:
        assert (line["left"]["kind"], line["right"]["kind"]) == kinds


def test_line_latex_writes_lines_as_people_do():
    x = sympy.Symbol("x")
    assert line_latex(sympy.Integer(2), sympy.Integer(-3), x) == "2 x - 3"
    assert line_latex(sympy.Integer(1), sympy.Integer(0), x) == "x"
    assert line_latex(sympy.Integer(-1), sympy.Integer(4), x) == "- x + 4"
    assert line_latex(sympy.Rational(1, 2), sympy.Integer(0), x) == r"\frac{1}{2} x"
    assert line_latex(sympy.Integer(0), sympy.Integer(0), x) == "0"
    assert line_latex(1 + sympy.sqrt(2), sympy.Integer(1), x) == r"\left(1 + \sqrt{2}\right) x + 1"


# --- through the sandbox ---------------------------------------------------------------------------------


def test_service_wrappers_answer_through_the_sandbox():
    expr = parse_expression("3x^2 - 4x")
    data = service.tangent_data(expr, X, "x", *slider_grid(1.0), 1.0)
    assert data["point"]["slope"] == 2.0
    assert service.tangent_line(expr, X, "x", 1.0)["line_latex"] == "2 x - 3"


@pytest.mark.timeout(60)
def test_hostile_but_valid_input_times_out_in_the_worker():
    expr = parse_expression("sin(sin(3+exp(exp(exp(3)))))")
    with pytest.raises(ExpressionError) as raised:
        service.tangent_data(expr, X, "x", *slider_grid(1.0), 1.0)
    if raised.value.code == "busy":  # the worker had under half its time on a CPU: no verdict on the input
        pytest.skip("the machine was too busy for a verdict on the time limit")
    assert raised.value.code == "timeout"

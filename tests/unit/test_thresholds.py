"""Every threshold of calc_core that decides what a student sees, pinned from both sides.

Each test puts one case just inside the threshold and one just outside, with numbers written here and not
read from the constant: a tolerance multiplied by 1000, a ratio changed, a list of steps one short or a
limit ten times larger changes a verdict below, where a test that only reads the constant back would not.
The numbers are the documented ones (module docstrings, the page texts).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from calc_core.answers import compare_numerically, is_unsimplified, sample_points
from calc_core.chain import agree_to_rounding, chain_of_composition
from calc_core.derivative_limits import LIMIT_TABLE_ROWS, limit_tables
from calc_core.errors import ExpressionError
from calc_core.graph import gradients_agree
from calc_core.limits import differentiability_verdict, error_table, one_sided_table
from calc_core.multivariate import descent_path
from calc_core.parser import parse_expression

x, y, z = sympy.symbols("x y z")


# --- the answer checker: |a − e| <= 1e-9 + 1e-6·max(|a|, |e|) -------------------------------------------


@pytest.mark.parametrize(("relative", "outcome"), [(2e-7, "agrees"), (5e-6, "differs")])
def test_answers_agree_within_a_relative_millionth(relative, outcome):
    assert compare_numerically(x * (1 + relative), x, ("x",))["outcome"] == outcome


@pytest.mark.parametrize(("offset", "outcome"), [(5e-10, "agrees"), (5e-9, "differs")])
def test_answers_agree_within_an_absolute_billionth_near_zero(offset, outcome):
    answer = sympy.Mul(x, 0, evaluate=False) + sympy.Float(offset)
    assert compare_numerically(answer, sympy.Mul(x, 0, evaluate=False), ("x",))["outcome"] == outcome


@pytest.mark.parametrize(("half_width", "inside", "outcome"), [(0.04, 11, "agrees"), (0.03, 7, "no_points")])
def test_answers_are_compared_on_eight_points_at_least(half_width, inside, outcome):
    """A domain |x| <= a holds few of the sample points: 11 decide, 7 are too few to say anything."""
    points, _ = sample_points(("x",), 0)
    assert int(np.sum(np.abs(points[:, 0]) <= half_width)) == inside
    domain = sympy.sqrt(half_width**2 - x**2)
    assert compare_numerically(x, x, ("x",), domain=domain)["outcome"] == outcome


# --- "noticeably longer": at least 2 more operations and at least 1.5 times as many ---------------------


@pytest.mark.parametrize(
    ("answer", "unsimplified"),
    [
        (x * y + x * z + x + y * z, True),  # 6 operations against 4: 1.5 times, 2 more
        (x * y + x * z + y * z, False),  # 5 against 4: 1.25 times
    ],
)
def test_unsimplified_takes_one_and_a_half_times_the_operations(answer, unsimplified):
    simplest = x * y * z + x * y
    assert (sympy.count_ops(answer), sympy.count_ops(simplest)) in ((6, 4), (5, 4))
    assert is_unsimplified(answer, simplest) is unsimplified


@pytest.mark.parametrize(
    ("answer", "unsimplified"),
    [
        (x * y * z + x * y, True),  # 4 operations against 2: two more
        (x + y + z + 1, False),  # 3 against 2: 1.5 times, but only one more
    ],
)
def test_unsimplified_takes_two_more_operations(answer, unsimplified):
    simplest = x * y + z
    assert sympy.count_ops(simplest) == 2
    assert is_unsimplified(answer, simplest) is unsimplified


# --- the parser: at most 300 characters -------------------------------------------------------------------


@pytest.mark.parametrize(("length", "accepted"), [(300, True), (301, False)])
def test_the_parser_takes_300_characters_and_no_more(length, accepted):
    text = "x" + " " * (length - 1)
    assert len(text) == length
    if accepted:
        assert parse_expression(text) == x
    else:
        with pytest.raises(ExpressionError, match="too_long"):
            parse_expression(text)


# --- the limits page: its lists of h ---------------------------------------------------------------------


def test_one_sided_quotients_run_from_a_tenth_to_a_hundred_millionth_four_a_decade():
    h = one_sided_table(np.abs, 0.0).h
    assert h[0] == pytest.approx(0.1) and h[-1] == pytest.approx(1e-8)
    assert len(h) == 29  # 7 decades, 4 steps each, both ends included
    assert np.allclose(h[:-1] / h[1:], 10**0.25)


def test_the_error_table_runs_from_a_tenth_to_ten_to_the_minus_sixteen():
    h = error_table(np.sin, 1.0, math.cos(1.0)).h
    assert h[0] == pytest.approx(0.1) and h[-1] == pytest.approx(1e-16)
    assert len(h) == 61 and np.allclose(h[:-1] / h[1:], 10**0.25)


def test_d2ls_loop_has_sixteen_rows_from_a_tenth():
    d2l = limit_tables("3x^2 - 4x", ("x",), "x", 1.0)["d2l"]
    assert LIMIT_TABLE_ROWS == 16 and len(d2l["h"]) == 16
    assert d2l["h"][0] == pytest.approx(0.1) and d2l["h"][-1] == pytest.approx(1e-16)


@pytest.mark.parametrize(("gap", "verdict"), [(1e-4, "differentiable"), (3e-4, "one_sided_differ")])
def test_one_sided_quotients_agree_within_a_relative_ten_thousandth(gap, verdict):
    # scale max(1, |q|) = 2: the sides agree when they are at most 2e-4 apart
    assert differentiability_verdict([2.0] * 3, [2.0 + gap] * 3) == verdict


# --- the chain rule page: agreement of two ways to the same number ---------------------------------------


@pytest.mark.parametrize(("relative", "agree"), [(5e-10, True), (5e-9, False)])
def test_backward_pass_and_sympy_agree_within_a_relative_billionth(relative, agree):
    assert gradients_agree(3.0, 3.0 * (1 + relative)) is agree


@pytest.mark.parametrize(("relative", "agree"), [(5e-8, True), (5e-7, False)])
def test_the_chain_rule_page_calls_numbers_equal_within_a_relative_ten_millionth(relative, agree):
    assert agree_to_rounding(3.0, 3.0 * (1 + relative)) is agree


def test_the_chain_rule_agrees_with_the_direct_derivative():
    result = chain_of_composition((("exp(u)", "u"), ("3x + 1", "x")), 0.25)
    assert result["agree"] is True
    assert result["product"] == pytest.approx(result["direct_value"], rel=1e-12)


# --- the limits page's secant picture: the curve on [x0 − 2, x0 + 2] ---------------------------------------


def test_the_secant_picture_shows_two_units_either_side_of_the_point():
    curve = limit_tables("x^2", ("x",), "x", 0.5)["curve"]
    assert curve["x"][0] == pytest.approx(-1.5) and curve["x"][-1] == pytest.approx(2.5)


# --- gradient descent: at most 500 steps, diverged beyond 1e6 ------------------------------------------


@pytest.mark.parametrize(("steps", "taken"), [(500, 500), (501, 500)])
def test_descent_runs_at_most_500_steps(steps, taken):
    path = descent_path("x1^2 + x2^2", ("x1", "x2"), (1.0, 1.0), 0.001, steps)
    assert len(path["loss"]) == taken + 1


def test_descent_stops_when_a_coordinate_passes_a_million():
    # learning rate 1.5 on x1²: x ← x − 3x = −2x, so |x| doubles each step: 2^19 is the last one kept,
    # 2^20 > 1e6 ends the descent
    path = descent_path("x1^2 + x2^2", ("x1", "x2"), (1.0, 1.0), 1.5, 100)
    assert path["status"] == "diverged"
    assert max(abs(v) for v in path["points"][-1]) == 2.0**19

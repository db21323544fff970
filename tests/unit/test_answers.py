"""Answer checking: equal as functions (not as strings), domain care, useful reasons, never eval."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from calc_core.answers import (
    VERDICTS,
    check_answer,
    compare_numerically,
    is_unsimplified,
    parse_answer,
    sample_points,
)
from calc_core.errors import ExpressionError
from calc_core.parser import evaluated, format_expression, parse_expression
from calc_core.sandbox import run_task

X = ("x",)
x = sympy.Symbol("x")


def verdict(answer: str, expected: str, variables=X, **options) -> dict:
    result = check_answer(answer, expected, variables, **options)
    assert result["verdict"] in VERDICTS
    return result


def is_right(result: dict) -> bool:
    return result["verdict"] in ("right", "right_unsimplified")


# --- right ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("4x-4", "4x - 4"),
        ("4(x-1)", "4x - 4"),
        ("-4 + 4x", "4x - 4"),
        ("3x^2 + 1/x^2", "3x^2 + x^(-2)"),
        ("6x - 4", "6*x - 4"),
        ("2(3x-2)", "6x - 4"),
        ("３ｘ²＋１", "3x^2 + 1"),  # full-width input from a Chinese input method
        ("x cos(x) + sin(x)", "sin(x) + x*cos(x)"),
        ("e^x (sin(x) + cos(x))", "exp(x)*sin(x) + exp(x)*cos(x)"),
        ("1/(2sqrt(x))", "x^(-1/2)/2"),
        ("(x^2 - 2x - 1)/(x - 1)^2", "(2x(x-1) - (x^2+1))/(x-1)^2"),
    ],
)
def test_right_answers_in_any_form(answer, expected):
    assert verdict(answer, expected)["verdict"] == "right"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("sin(2x)", "2sin(x)cos(x)"),
        ("tan(x)^2 + 1", "sec(x)^2"),
        ("1 - sin(x)^2", "cos(x)^2"),
        ("cos(x)^2 - sin(x)^2", "cos(2x)"),
        ("-csc(x)^2", "-1 - cot(x)^2"),
        ("1/cos(x)^2", "sec(x)^2"),
    ],
)
def test_equivalent_trig_forms_are_right(answer, expected):
    assert is_right(verdict(answer, expected))


def test_the_verdict_reports_how_it_was_decided():
    result = verdict("(x + 1)^2", "x^2 + 2x + 1")
    assert result["proved"] is True
    assert result["points_checked"] >= 100
    assert result["simplest_latex"]


# --- right but unsimplified ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("sin(x)^2 + cos(x)^2 + 2x", "1 + 2x"),
        ("(x + 1)^2 - x^2", "2x + 1"),
        ("(x^2 - 1)/(x - 1)", "x + 1"),
        ("x(x + 2) - x^2 + 1", "2x + 1"),
        ("(x^2 + x)/x", "x + 1"),
    ],
)
def test_right_but_unsimplified(answer, expected):
    result = verdict(answer, expected)
    assert result["verdict"] == "right_unsimplified"
    assert result["simplest_latex"]


def test_unsimplified_means_noticeably_longer_not_just_another_form():
    """Definition: 2 more operations (count_ops, evaluated), 1.5 times as many, more than expanded."""
    assert not is_unsimplified(parse_expression("2(3x - 2)"), 6 * x - 4)  # factored: as short
    assert not is_unsimplified(parse_expression("3*2x - 4"), 6 * x - 4)  # evaluates to 6x − 4
    assert not is_unsimplified(parse_expression("x*x + x"), x**2 + x)
    assert not is_unsimplified(parse_expression("x^3/x + x - x"), x**2)  # evaluates to x²
    assert is_unsimplified(parse_expression("(x+1)^2 - x^2 - 1"), 2 * x)
    # Multiplied out is simplified too: the expanded form of the expected answer is never "unsimplified".
    assert verdict("x^2 + 2x + 1", "(x + 1)^2")["verdict"] == "right"
    assert verdict("5x^4 + 20x^3 + 30x^2 + 20x + 5", "5(x + 1)^4")["verdict"] == "right"
    # The raw quotient rule is right, not "unsimplified": 9 operations against 7.
    assert verdict("(2x(x-1) - (x^2+1))/(x-1)^2", "(x^2-2x-1)/(x-1)^2")["verdict"] == "right"


# --- wrong, with a point and both values -----------------------------------------------------------------


def test_wrong_gives_a_point_and_both_values():
    result = verdict("4x", "4x - 4")
    assert result["verdict"] == "wrong"
    assert result["reason"] == "differs"
    [[name, value]] = result["point"]
    assert name == "x"
    assert result["answer_value"] == pytest.approx(4 * value)
    assert result["expected_value"] == pytest.approx(4 * value - 4)


def test_the_point_is_a_readable_one_when_possible():
    assert verdict("x^2", "2x")["point"] == [["x", 1.0]]
    assert verdict("x^2 + 1", "2x")["point"] == [["x", -1.0]]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("x^2", "2x"),
        ("cos(x)", "-sin(x)"),
        ("3x^2 - 1/x^2", "3x^2 + 1/x^2"),
        ("e^x x", "e^x"),
        ("sin(x)", "sin(x) + 0.001"),
    ],
)
def test_wrong_answers(answer, expected):
    result = verdict(answer, expected)
    assert result["verdict"] == "wrong"
    assert result["answer_value"] != pytest.approx(result["expected_value"])


def test_a_tiny_constant_difference_is_still_wrong():
    result = verdict("x^2 + 0.000000000001", "x^2")
    assert result["verdict"] == "wrong"
    assert result["reason"] == "constant_difference"


def test_a_multivariate_witness_names_every_variable():
    result = verdict("6x1 + x2", "6x1", ("x1", "x2"))
    assert result["verdict"] == "wrong"
    assert [name for name, _ in result["point"]] == ["x1", "x2"]


# --- domain care -----------------------------------------------------------------------------------------


def test_sqrt_of_a_square_is_the_absolute_value_not_x():
    assert is_right(verdict("sqrt(x^2)", "abs(x)"))
    wrong = verdict("sqrt(x^2)", "x")
    assert wrong["verdict"] == "wrong"
    assert wrong["point"][0][1] < 0


def test_log_of_a_square_differs_from_twice_the_log_for_negative_x():
    result = verdict("2ln(x)", "ln(x^2)")
    assert result["verdict"] == "wrong"
    assert result["reason"] == "answer_undefined"
    [[_, value]] = result["point"]
    assert value < 0
    assert result["answer_value"] is None
    assert result["expected_value"] == pytest.approx(math.log(value**2))
    # The other way round, the answer is defined wherever the expected one is: right where both live.
    assert verdict("ln(x^2)", "2ln(x)")["verdict"] == "right"


def test_asec_needs_the_absolute_value():
    """SymPy's d/dx asec(x) is 1/(x² √(1 − 1/x²)); the textbook form has |x|. Simplify alone can't tell."""
    expected = format_expression(sympy.diff(sympy.asec(x), x))
    assert verdict("1/(abs(x) sqrt(x^2 - 1))", expected, domain_text="asec(x)")["verdict"] == "right"
    wrong = verdict("1/(x sqrt(x^2 - 1))", expected, domain_text="asec(x)")
    assert wrong["verdict"] == "wrong"
    assert wrong["point"][0][1] < -1
    assert wrong["answer_value"] == pytest.approx(-wrong["expected_value"])


def test_acosh_is_compared_on_its_own_domain():
    """The table's d/dx acosh(x) = 1/√(x² − 1) is defined for x < −1 too; acosh, and SymPy's own derivative
    1/(√(x − 1) √(x + 1)), only for x ≥ 1. On acosh's domain both are right."""
    sympy_form = format_expression(sympy.diff(sympy.acosh(x), x))
    assert sympy_form != "1/sqrt(x^2 - 1)"
    assert is_right(verdict(sympy_form, "1/sqrt(x^2 - 1)", domain_text="acosh(x)"))
    assert verdict("1/sqrt(x^2 - 1)", sympy_form, domain_text="acosh(x)")["verdict"] == "right"
    without_domain = verdict(sympy_form, "1/sqrt(x^2 - 1)")  # then they differ for x < −1
    assert without_domain["verdict"] == "wrong"
    assert without_domain["reason"] == "answer_undefined"
    assert without_domain["point"][0][1] < -1


def test_sqrt_derivative_on_its_domain():
    assert verdict("1/(2 sqrt(x))", "x^(-1/2)/2", domain_text="sqrt(x)")["verdict"] == "right"


def test_a_removable_hole_at_a_nice_point_is_not_a_reason():
    """(x² − 1)/(x − 1) is undefined at x = 1 only: equal to x + 1 as far as a student is concerned."""
    assert is_right(verdict("(x^2 - 1)/(x - 1)", "x + 1"))


def test_nowhere_comparable_is_unknown_unless_proved():
    assert verdict("sqrt(-1 - x^2) + 1", "sqrt(-1 - x^2)")["verdict"] == "unknown"
    assert verdict("sqrt(-1 - x^2)", "sqrt(-1 - x^2)")["verdict"] == "right"  # SymPy proves it


def test_cancellation_in_floating_point_is_overruled_by_a_proof():
    expanded = format_expression(sympy.expand((x + 1) ** 13))
    assert is_right(verdict(f"{expanded} - (x + 1)^13 + 4x", "4x"))


def test_known_limit_an_overflow_in_the_answer_alone_reads_as_undefined():
    """(x + 1)^1000 overflows float64 for x > 1 (inf − inf): the numbers call the answer undefined there,
    and a domain difference is not overruled by SymPy (its proofs ignore real domains). Nobody types this."""
    result = verdict("(x + 1)^1000 - (x + 1)^1000 + 4x - 4", "4x - 4")
    assert result["verdict"] == "wrong"
    assert result["reason"] == "answer_undefined"


# --- not understood: the parser's message ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("4x +", "unexpected_end"),
        ("sinx", "unknown_name"),
        ("__import__('os').system('touch MARKER')", "unknown_name"),
        ("9^9^9", "power_too_large"),
        ("x" * 10_000, "too_long"),
        ("x\x00+1", "control_character"),
        ("x\u202e+1", "control_character"),
        ("", "empty"),
    ],
)
def test_not_understood_carries_the_parser_error(answer, code):
    result = verdict(answer, "4x - 4")
    assert result["verdict"] == "not_understood"
    assert result["error"]["code"] == code
    assert ExpressionError.from_dict(result["error"]).code == code


def test_nothing_is_executed(tmp_path):
    marker = tmp_path / "MARKER"
    verdict(f"__import__('os').system('touch {marker}')", "x")
    assert not marker.exists()


def test_a_hostile_constant_is_answered_without_sympy_evaluation():
    """Evaluating sin(sin(3 + e^e^e^3)) keeps SymPy busy for minutes; the numbers say 'undefined' at once."""
    result = verdict("sin(sin(3+exp(exp(exp(3)))))", "4x - 4")
    assert result["verdict"] == "wrong"


# --- equations: the tangent line of exercise 1 ---------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["4x-4", "y = 4x - 4", "y=4(x-1)", "y - 0 = 4(x - 1)", "4x - y = 4", "2y = 8x - 8", "y+4 = 4x"]
)
def test_a_line_in_any_form(answer):
    assert verdict(answer, "4x - 4", solve_for="y")["verdict"] == "right"


def test_a_solved_equation_comes_back_as_text_to_plot():
    result = verdict("4x - y = 4", "4x - 4", solve_for="y")
    solved = parse_expression(result["answer_text"])
    assert sympy.simplify(solved - (4 * x - 4)) == 0


def test_an_equation_that_is_not_a_line_in_y():
    result = verdict("y^2 = 4x", "4x - 4", solve_for="y")
    assert result["verdict"] == "not_understood"
    assert result["error"] is None
    assert result["reason"] == "equation_not_solvable"


def test_error_positions_in_an_equation_are_those_of_the_whole_text():
    result = verdict("y = 4x - $", "4x - 4", solve_for="y")
    assert result["error"]["position"] == len("y = 4x - ")
    result = verdict("y - 1 = 4(x - 1", "4x - 4", solve_for="y")
    assert result["error"]["code"] == "missing_closing_parenthesis"


def test_a_name_for_the_answer_is_dropped():
    variables = ("du_dx", "dx_da")
    assert parse_answer("du_da = du_dx*dx_da", variables) == parse_expression("du_dx*dx_da", variables)


# --- the other exercises' vocabularies -----------------------------------------------------------------


def test_gradient_components_with_x1_x2():
    variables = ("x1", "x2")
    assert verdict("6x1", "6x1", variables)["verdict"] == "right"
    assert verdict("5e^x2", "5exp(x2)", variables)["verdict"] == "right"
    assert verdict("5e^x2 + 6x1", "5exp(x2)", variables)["verdict"] == "wrong"


def test_chain_rule_symbols_with_underscores():
    variables = ("du_dx", "du_dy", "du_dz", "dx_da", "dy_da", "dz_da", "dx_db", "dy_db", "dz_db")
    expected = "du_dx*dx_da + du_dy*dy_da + du_dz*dz_da"
    for answer in (
        "du_dx*dx_da + du_dy*dy_da + du_dz*dz_da",
        "dx_da du_dx + dy_da du_dy + dz_da du_dz",
        "du_da = du_dxdx_da + du_dydy_da + du_dzdz_da",
    ):
        assert verdict(answer, expected, variables)["verdict"] == "right", answer
    missing = verdict("du_dx*dx_da + du_dy*dy_da", expected, variables)
    assert missing["verdict"] == "wrong"
    assert len(missing["point"]) == len(variables)
    assert verdict("du_dx*dx_db + du_dy*dy_db + du_dz*dz_db", expected, variables)["verdict"] == "wrong"


def test_norm_gradient_for_n_3():
    variables = ("x1", "x2", "x3")
    expected = "x2/sqrt(x1^2 + x2^2 + x3^2)"
    assert verdict("x2 (x1^2 + x2^2 + x3^2)^(-1/2)", expected, variables)["verdict"] == "right"
    assert verdict("x2/(x1^2 + x2^2 + x3^2)", expected, variables)["verdict"] == "wrong"


# --- the pieces ----------------------------------------------------------------------------------------


def test_sample_points_are_reproducible_and_readable():
    first, nice = sample_points(("x", "y"), seed=3)
    again, _ = sample_points(("x", "y"), seed=3)
    assert (first == again).all()
    assert nice > 0 and first.shape[1] == 2
    assert all(float(f"{value:.3g}") == value for value in first[nice:].ravel())


def test_compare_numerically_without_common_points():
    assert compare_numerically(x, sympy.sqrt(-1 - x**2), X)["outcome"] == "no_points"


def test_check_answer_runs_in_the_sandbox():
    assert run_task("check_answer", "y = 4(x-1)", "4x - 4", ("x",), None, "y", 0)["verdict"] == "right"
    result = run_task("check_answer", "9^9^9", "4x - 4", ("x",), None, "y", 0)
    assert result["error"]["code"] == "power_too_large"


# --- property: a rewritten expression is right -----------------------------------------------------------

_LEAVES = st.sampled_from(["x", "2", "3", "x^2", "(x + 1)", "sin(x)", "e^x", "cos(x)", "x^3", "(2 - x)"])


def _combine(children):
    return st.tuples(children, st.sampled_from([" + ", " - ", "*"]), children).map(
        lambda parts: f"({parts[0]}{parts[1]}{parts[2]})"
    )


_EXPRESSIONS = st.recursive(_LEAVES, _combine, max_leaves=6)


@settings(max_examples=60)
@given(_EXPRESSIONS)
def test_expanded_form_is_right(text):
    """For random e, the expanded form (SymPy's, written back as parser input) is right against e."""
    expr = parse_expression(text)
    expanded = format_expression(sympy.expand(evaluated(expr)))
    result = check_answer(expanded, text, X)
    assert is_right(result), (text, expanded, result)


@settings(max_examples=40)
@given(_EXPRESSIONS, st.sampled_from(["sin(x)^2 + cos(x)^2", "(x + 1)^2 - x^2 - 2x", "e^x/e^x"]))
def test_a_rewrite_times_one_is_right(text, one):
    result = check_answer(f"({text})*({one})", text, X)
    assert is_right(result), (text, one, result)


@settings(max_examples=40)
@given(_EXPRESSIONS)
def test_adding_one_is_wrong(text):
    result = check_answer(f"{text} + 1", text, X)
    assert result["verdict"] == "wrong", (text, result)
    assert result["answer_value"] == pytest.approx(result["expected_value"] + 1)


# --- numbers and proofs disagree: a proven zero difference wins --------------------------------------------


def _expanded(text: str, descending: bool = True) -> str:
    """The expanded polynomial as a student writes it, highest power first (or lowest)."""
    poly = sympy.Poly(sympy.expand(evaluated(parse_expression(text))), x)
    terms = list(zip(poly.monoms(), poly.coeffs(), strict=True))
    terms = terms if descending else terms[::-1]
    return " + ".join(f"{coefficient}x^{power}" for (power,), coefficient in terms).replace("+ -", "- ")


@pytest.mark.parametrize(
    "factored",
    [
        "512(2x+5)^7(5x-1)^5(70x+67)",  # the issue's case: a 7-fold root at -5/2
        "(x - 1)^9 (x + 2)^4",
        "3(3x - 2)^8 (x + 4)^5",
        "(2x + 3)^10 (x - 7)^3",
        "-(4x - 1)^6 (x + 1)^6 (2x + 9)",
    ],
)
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_high_degree_polynomial_and_its_factored_form_are_right_both_ways(factored, descending, seed):
    expanded = _expanded(factored, descending)
    for answer, expected in ((expanded, factored), (factored, expanded)):
        result = verdict(answer, expected, seed=seed)
        assert is_right(result), (answer, expected, result)
        assert result["proved"] is True


def test_the_issue_case_disagrees_numerically_before_the_proof():
    """What makes the proof necessary: float64 cancellation near the 7-fold root, beyond the tolerance."""
    factored = "512(2x+5)^7(5x-1)^5(70x+67)"
    numeric = compare_numerically(parse_expression(_expanded(factored)), parse_expression(factored), X)
    assert numeric["outcome"] == "differs" and numeric["reason"] == "differs"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("512(2x+5)^7(5x-1)^5(70x+68)", "512(2x+5)^7(5x-1)^5(70x+67)"),  # a slip in one factor
        ("(x - 1)^9 (x + 2)^4 + 1", "(x - 1)^9 (x + 2)^4"),
    ],
)
def test_a_wrong_high_degree_answer_stays_wrong(answer, expected):
    expected_text = _expanded(expected)
    result = verdict(answer, expected_text)
    assert result["verdict"] == "wrong"
    assert result["answer_value"] != pytest.approx(result["expected_value"], rel=1e-6)


def test_an_expansion_too_large_to_try_is_not_tried():
    from calc_core.answers import MAX_EXPANDED_TERMS, expansion_size

    big = parse_expression("(x + 1)^16 (x + 2)^16 (x + 3)^16", ("x",))
    assert expansion_size(evaluated(big)) <= MAX_EXPANDED_TERMS  # one variable: few terms
    many = parse_expression("(a + b + c + d + x)^16 (a - b + c - d + x)^16", ("a", "b", "c", "d", "x"))
    assert expansion_size(evaluated(many)) > MAX_EXPANDED_TERMS


# --- removable holes: judged on intervals, not points ------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected", "variables"),
    [
        ("abs(x^2-4)/(abs(x-2)*abs(x+2))", "1", X),  # the issue's case: a random point lands on x = 2
        ("|x^2 - 1|/(|x - 1| |x + 1|)", "1", X),
        ("(x^3 - 8)/(x - 2)", "x^2 + 2x + 4", X),
        ("(x^2 - 9)/(x - 3) + (x^2 - 0.25)/(x - 0.5)", "2x + 3.5", X),
        ("x/x", "1", X),
        ("x^2/x", "x", X),
        ("(x^2 - 4)/(x + 2) * (x - 1)/(x - 1)", "x - 2", X),
        ("x/sqrt(x)", "sqrt(x)", X),  # a hole at the end of the domain
        ("(x^2 - y^2)/(x - y)", "x + y", ("x", "y")),  # a line of holes
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_an_answer_with_removable_holes_is_right(answer, expected, variables, seed):
    result = verdict(answer, expected, variables, seed=seed)
    assert is_right(result), result


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("ln(x)", "ln(abs(x))"),  # undefined for every x < 0
        ("sqrt(x)^2", "x"),
        ("1/sqrt(x - 2) * sqrt(x - 2)", "1"),
        ("abs(x)/x", "1"),  # defined everywhere but 0, and -1 for x < 0
    ],
)
def test_an_answer_undefined_or_different_on_an_interval_is_wrong(answer, expected):
    result = verdict(answer, expected)
    assert result["verdict"] == "wrong", result


def test_isolated_holes_are_told_from_intervals():
    from calc_core.answers import isolated_holes

    points = np.array([[2.0], [-2.0]])
    holes = isolated_holes(parse_expression("abs(x^2-4)/(abs(x-2)*abs(x+2))"), sympy.Integer(1), X, points)
    assert holes.tolist() == [True, True]
    partly = isolated_holes(
        parse_expression("1/(x - 2) * (x - 2) + sqrt(x - 2)"), sympy.Integer(1), X, points
    )
    assert partly.tolist() == [False, False]  # undefined left of 2 and around -2: intervals
    log = isolated_holes(parse_expression("ln(x)"), parse_expression("ln|x|"), X, np.array([[-1.0], [-3.0]]))
    assert log.tolist() == [False, False]


def test_a_wrong_answer_too_large_to_expand_never_reaches_expand(monkeypatch):
    """Bounded: (a + b + c + d + x)^16 squared would expand to millions of terms; the estimate stops it."""
    expanded = []
    original = sympy.expand
    monkeypatch.setattr(
        sympy, "expand", lambda expr, *args, **kwargs: expanded.append(expr) or original(expr)
    )
    names = ("a", "b", "c", "d", "x")
    result = verdict("(a + b + c + d + x)^16 (a - b + c - d + x)^16", "(a + b + c + d + x)^32", names)
    assert result["verdict"] == "wrong"
    assert expanded == []


@pytest.mark.parametrize("answer", ["y＝４ｘ－４", "４ｘ－ｙ＝４", "ｙ－０＝４（ｘ－１）"])
def test_a_line_typed_with_a_chinese_input_method(answer):
    assert verdict(answer, "4x - 4", solve_for="y")["verdict"] == "right"
    assert verdict("ｙ＝４ｘ－４", "4x - 4")["verdict"] == "right"


def test_the_verdict_carries_the_reading_notes_of_both_sides_of_an_equation():
    verdict = check_answer("2.5e-1y = x - sin⁻¹(0)", "4x", ("x",), solve_for="y")
    assert verdict["verdict"] == "right"
    assert [(note["code"], note["typed"]) for note in verdict["notes"]] == [
        ("scientific", "2.5e-1"),
        ("inverse", "sin⁻¹"),
    ]
    assert check_answer("4x", "4x")["notes"] == []
    assert "notes" not in check_answer("4x +", "4x")  # not understood: the error says what is wrong

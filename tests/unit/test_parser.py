"""The safe parser: what students write, what it means, every error code, and attacks that must not run."""

from __future__ import annotations

import math
import time

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from calc_core import ERROR_CODES, ExpressionError
from calc_core.parser import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    evaluated,
    format_expression,
    parse_expression,
)

x, y, x1, x2 = sympy.symbols("x y x1 x2")
E, pi = sympy.E, sympy.pi

# What a student types, and the function it must mean (compared after evaluation).
ACCEPTED = [
    ("3x^2 - 4x", 3 * x**2 - 4 * x),
    ("3*x**2-4*x", 3 * x**2 - 4 * x),
    ("2x", 2 * x),
    ("3(x+1)", 3 * x + 3),
    ("2sin(x)cos(x)", 2 * sympy.sin(x) * sympy.cos(x)),
    ("(x+1)(x-1)", x**2 - 1),
    ("π x", pi * x),
    ("pi*x", pi * x),
    ("2πx", 2 * pi * x),
    ("e^x", sympy.exp(x)),
    ("ex", E * x),
    ("exp(x)", sympy.exp(x)),
    ("x²", x**2),
    ("x³ + x²", x**3 + x**2),
    ("x⁻¹", 1 / x),
    ("√x", sympy.sqrt(x)),
    ("√(x+1)", sympy.sqrt(x + 1)),
    ("2×x·3", 6 * x),
    ("x÷2", x / 2),
    ("x − 1", x - 1),
    ("３ｘ＾２－４ｘ", 3 * x**2 - 4 * x),
    ("（ｘ＋１）", x + 1),
    ("-x^2", -(x**2)),
    ("(-x)^2", x**2),
    ("2^-x", 2 ** (-x)),
    ("x^2^3", x**8),
    ("1/2x", x / 2),
    ("x/(2x+1)", x / (2 * x + 1)),
    ("x - -3", x + 3),
    ("+x", x),
    ("0.5x", sympy.Float(0.5) * x),
    (".5", sympy.Float(0.5)),
    ("5.", sympy.Float(5)),
    ("x^(1/3)", x ** sympy.Rational(1, 3)),
    ("cbrt(x)", x ** sympy.Rational(1, 3)),
    ("root(x, 4)", x ** sympy.Rational(1, 4)),
    ("sqrt(x)", sympy.sqrt(x)),
    ("ln(x)", sympy.log(x)),
    ("log(x)", sympy.log(x)),
    ("log(x, 2)", sympy.log(x) / sympy.log(2)),
    ("abs(x)", sympy.Abs(x)),
    ("sin^2(x)", sympy.sin(x) ** 2),
    ("sin²(x)", sympy.sin(x) ** 2),
    ("arcsin(x) + asin(x)", 2 * sympy.asin(x)),
    ("arccot(x)", sympy.acot(x)),
    ("sec(x)csc(x)cot(x)", sympy.sec(x) * sympy.csc(x) * sympy.cot(x)),
    ("asec(x)+acsc(x)", sympy.asec(x) + sympy.acsc(x)),
    ("sinh(x)+cosh(x)+tanh(x)", sympy.sinh(x) + sympy.cosh(x) + sympy.tanh(x)),
    ("coth(x)+sech(x)+csch(x)", sympy.coth(x) + sympy.sech(x) + sympy.csch(x)),
    ("asinh(x)+acosh(x)+atanh(x)", sympy.asinh(x) + sympy.acosh(x) + sympy.atanh(x)),
    ("acoth(x)+asech(x)+acsch(x)", sympy.acoth(x) + sympy.asech(x) + sympy.acsch(x)),
    ("arctan(x) + arccos(x)", sympy.atan(x) + sympy.acos(x)),
    ("xsin(x)", x * sympy.sin(x)),
    ("x(x+1)", x**2 + x),
    ("y = 3x", 3 * x),
    ("f(x) = x^2 + 1", x**2 + 1),
    ("  x\t+\n1 ", x + 1),
]


@pytest.mark.parametrize(("text", "meaning"), ACCEPTED)
def test_accepted_forms_mean_what_students_mean(text, meaning):
    assert sympy.simplify(evaluated(parse_expression(text)) - meaning) == 0


@pytest.mark.parametrize(
    ("text", "variables", "meaning"),
    [
        ("x1x2", ("x1", "x2"), x1 * x2),
        ("x1^2 + 3x2", ("x1", "x2"), x1**2 + 3 * x2),
        ("xy", ("x", "y"), x * y),
        ("3x^2y", ("x", "y"), 3 * x**2 * y),
        ("sin(xy)", ("x", "y"), sympy.sin(x * y)),
        ("2", (), sympy.Integer(2)),
    ],
)
def test_several_variables_split_longest_first(text, variables, meaning):
    assert evaluated(parse_expression(text, variables)) == meaning


def test_keeps_the_expression_as_typed():
    typed = parse_expression("5*x*3*x")
    assert typed.args == (5, x, 3, x)
    assert evaluated(typed) == 15 * x**2
    assert parse_expression("x + x").args == (x, x)


def test_division_and_subtraction_keep_their_shape():
    quotient = parse_expression("x/(x+1)")
    assert quotient.is_Mul and quotient.args[1] == sympy.Pow(
        sympy.Add(x, 1, evaluate=False), -1, evaluate=False
    )
    difference = parse_expression("x^2 - x")
    assert difference.is_Add and difference.args[1] == sympy.Mul(-1, x, evaluate=False)


def _error(text, variables=("x",)) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text, variables)
    return caught.value


# Every parser error code, with an input that triggers it and the 0-based position it must point at.
ERRORS = [
    ("", "empty", 0),
    ("x" * (MAX_LENGTH + 1), "too_long", MAX_LENGTH),
    ("x\x00", "control_character", 1),
    ("x + \u202e1", "control_character", 4),
    ("x\u200b", "control_character", 1),
    ("x # 1", "unexpected_character", 2),
    ("xy", "unknown_name", 1),
    ("sinx", "unknown_name", 0),
    ("sin x", "function_needs_parentheses", 0),
    ("x + * 2", "unexpected_token", 4),
    ("x +", "unexpected_end", 3),
    ("2*(x+1", "missing_closing_parenthesis", 2),
    ("x+1)", "unmatched_closing_parenthesis", 3),
    ("log(x, 2, 3)", "wrong_argument_count", 0),
    ("1.2.3", "bad_number", 0),
    ("1" * (MAX_NUMBER_DIGITS + 1), "number_too_large", 0),
    ("x^100000", "power_too_large", 1),
    ("x" * (MAX_NODES + 1), "too_many_nodes", None),
    ("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), "too_deep", MAX_DEPTH),
]


@pytest.mark.parametrize(("text", "code", "position"), ERRORS)
def test_each_error_has_its_code_and_place(text, code, position):
    error = _error(text)
    assert error.code == code
    if position is not None:
        assert error.position == position


def test_every_parser_error_code_is_exercised():
    parser_codes = ERROR_CODES - {"timeout", "busy", "memory_limit", "worker_failed", "bad_range"}
    assert {code for _, code, _ in ERRORS} == parser_codes


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("sinx", "sin(x)"),
        ("cosx", "cos(x)"),
        ("2sinx", None),
        ("x2", "x^2"),
        ("lg(x)", "log(x, 10)"),
        ("tg(x)", "tan(x)"),
        ("Sin(x)", "sin(x)"),
    ],
)
def test_unknown_names_come_with_a_suggestion(text, suggestion):
    error = _error(text)
    assert error.code == "unknown_name"
    if suggestion:
        assert error.params["suggestion"] == suggestion
    else:
        assert "sin(" in error.params["suggestion"]


def test_function_without_parentheses_suggests_the_call():
    assert _error("sin x").params == {"name": "sin", "suggestion": "sin(x)"}


@pytest.mark.parametrize(
    "text",
    [
        "9^9^9",
        "9**9**9",
        "2^2^2^2^2",
        "10^(10^5)",
        "x^(10^4)",
        "(9^9)^(9^9)",
        "e^(e^(e^3))",
        "2^1001^1",
        "x^-100000",
    ],
)
def test_huge_numeric_powers_are_refused_fast(text):
    start = time.perf_counter()
    assert _error(text).code == "power_too_large"
    assert time.perf_counter() - start < 0.5  # generous: it is a few arithmetic operations


def test_moderate_powers_are_fine():
    assert evaluated(parse_expression(f"x^{MAX_EXPONENT}")) == x**MAX_EXPONENT
    assert evaluated(parse_expression("2^100")) == 2**100


MARKER_ATTACKS = [
    "__import__('os').system('touch {marker}')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__mro__",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "lambda: __import__('os').system('touch {marker}')",
    "(y := open('{marker}', 'w'))",
    'exec(\'open("{marker}", "w")\')',
    "eval('1')",
    "open('{marker}', 'w')",
    "getattr(x, '__class__')",
    "x[0]",
    "{{1: 2}}",
    "'abc'",
    '"abc"',
    "x if x else 1",
    "x; import os",
    "x @ x",
    "x == x",
    "Symbol('x')",
    "sympify('x')",
    "S.Integers",
    "globals()",
    "__builtins__",
    "x \\u0000",
]


@pytest.mark.parametrize("attack", MARKER_ATTACKS)
def test_attacks_are_refused_and_run_nothing(attack, tmp_path):
    marker = tmp_path / "pwned"
    text = attack.format(marker=marker)
    error = _error(text)
    assert error.code in ERROR_CODES
    assert not marker.exists()


def test_very_long_and_deep_inputs_are_answered_in_milliseconds():
    for text in ["x" * 100_000, "(" * 10_000, "-" * 250 + "x", "sin(" * 70 + "x" + ")" * 70]:
        start = time.perf_counter()
        _error(text)
        assert time.perf_counter() - start < 0.5


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        parse_expression(None)


# --- property: a random expression, printed the way a student types it, parses back to the same function --

_UNARY = ["sin", "cos", "tan", "exp", "ln", "sqrt", "abs", "atan", "sinh", "cbrt"]


@st.composite
def student_expression(draw, depth=0):
    """A random expression as text, written as students write: implicit products, ^, mixed spellings."""
    if depth > 3 or draw(st.booleans()) and depth > 1:
        leaf = draw(st.sampled_from(["x", "2", "3", "0.5", "π", "e", "x²", "7"]))
        return leaf
    kind = draw(st.sampled_from(["add", "sub", "mul", "implicit", "div", "pow", "call", "neg"]))
    left = draw(student_expression(depth=depth + 1))
    right = draw(student_expression(depth=depth + 1))
    if kind == "add":
        return f"{left} + {right}"
    if kind == "sub":
        return f"{left} − ({right})"
    if kind == "mul":
        return f"({left})*({right})"
    if kind == "implicit":
        return f"{draw(st.sampled_from(['2', '3']))}({left})"
    if kind == "div":
        return f"({left}) / ({right})"
    if kind == "pow":
        return f"({left})^{draw(st.sampled_from(['2', '3', '(1/2)', '-1']))}"
    if kind == "call":
        return f"{draw(st.sampled_from(_UNARY))}({left})"
    return f"-({left})"


def _same_function(a, b) -> bool:
    for point in (0.3, 1.7, 2.9):
        value_a = complex(evaluated(a).subs(x, point).evalf())
        value_b = complex(evaluated(b).subs(x, point).evalf())
        if not (math.isfinite(abs(value_a)) and math.isfinite(abs(value_b))):
            continue
        if abs(value_a - value_b) > 1e-9 * (1 + abs(value_a)):
            return False
    return True


@settings(max_examples=150, deadline=None)
@given(student_expression())
def test_student_text_round_trips_through_the_normal_form(text):
    parsed = parse_expression(text)
    normal = format_expression(parsed)
    reparsed = parse_expression(normal)
    assert reparsed == parsed  # the very same tree, not just the same function
    assert _same_function(parsed, reparsed)


@settings(max_examples=150, deadline=None)
@given(student_expression())
def test_parsed_text_means_what_sympy_reads_from_the_same_formula(text):
    # The reference reading goes through SymPy's own parser on test-generated text only (never user text).
    from sympy.parsing.sympy_parser import parse_expr

    python_text = (
        text.replace("π", "pi")
        .replace("x²", "x**2")
        .replace("^", "**")
        .replace("−", "-")
        .replace("ln(", "log(")
    )
    python_text = python_text.replace("2(", "2*(").replace("3(", "3*(").replace("e", "E")
    python_text = python_text.replace("sEc", "sec").replace("Exp", "exp")
    reference = parse_expr(
        python_text, local_dict={"x": x, "E": E, "pi": pi, "cbrt": sympy.cbrt, "abs": sympy.Abs}
    )
    assert _same_function(parse_expression(text), reference)

"""What the sandboxed worker may run: ``TASKS``, from a name to a function of plain arguments.

Every task takes the student's text (normalised by the parser's ``format_expression``) and parses it here,
inside the worker, so that nothing SymPy builds from user input ever runs in the Streamlit server. Every task
returns plain data (str, numbers, lists, dicts): a SymPy object would be re-evaluated when unpickled.

Call them through ``calc_core.sandbox.run_task``; calling one directly runs it in your own process:

>>> describe("5*x*3*x", ("x",))["latex_evaluated"]
'15 x^{2}'
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from calc_core.errors import ExpressionError
from calc_core.parser import evaluated, parse_expression

# Python refuses to print integers of more than 4300 digits (sys.get_int_max_str_digits), and nobody reads
# them: beyond this many digits a number is shown rounded, as a float with 15 significant digits.
MAX_EXACT_DIGITS = 1000
_FLOAT_DIGITS = 15
# Seconds the step engine may spend simplifying its result; the worker's own limit stays the last guard.
STEP_SIMPLIFY_BUDGET = 1.0


def describe(text: str, variables: tuple[str, ...]) -> dict:
    """The expression as typed and as SymPy evaluates it, in LaTeX, and the variables it depends on.

    ``free_variables`` are those of the evaluated form: ``x - x`` depends on nothing.

    >>> describe("x^2 + x^2", ("x", "y"))
    {'latex': 'x^{2} + x^{2}', 'latex_evaluated': '2 x^{2}', 'free_variables': ['x']}
    """
    from calc_core.steps import expression_latex

    typed = parse_expression(text, variables)
    value = evaluated(typed)
    return {
        "latex": expression_latex(typed),
        "latex_evaluated": sympy.latex(printable(value)),
        "free_variables": sorted(str(symbol) for symbol in value.free_symbols),
    }


def evaluate(text: str, variables: tuple[str, ...]) -> dict:
    """Parse and evaluate the expression, nothing more: the check that ``calc_core.service`` runs once per
    expression before its other tasks, so an expression too slow to evaluate costs one time limit.

    >>> evaluate("x - x + y", ("x", "y"))
    {'free_variables': ['y']}
    """
    value = evaluated(parse_expression(text, variables))
    return {"free_variables": sorted(str(symbol) for symbol in value.free_symbols)}


def differentiate(text: str, variables: tuple[str, ...], var: str) -> dict:
    """The derivative of the evaluated expression with respect to ``var``.

    >>> differentiate("x^3 + x*y", ("x", "y"), "x")
    {'latex': '3 x^{2} + y', 'text': '3*x**2 + y'}
    """
    typed = parse_expression(text, variables)
    derivative = printable(sympy.diff(evaluated(typed), _variable(typed, variables, var)))
    return {"latex": sympy.latex(derivative), "text": str(derivative)}


def simplify(text: str, variables: tuple[str, ...]) -> dict:
    """SymPy's ``simplify`` of the evaluated expression.

    >>> simplify("sin(x)^2 + cos(x)^2", ("x",))
    {'latex': '1', 'text': '1'}
    """
    simplified = printable(sympy.simplify(evaluated(parse_expression(text, variables))))
    return {"latex": sympy.latex(simplified), "text": str(simplified)}


def sample(
    text: str,
    variables: tuple[str, ...],
    var: str,
    x_min: float,
    x_max: float,
    n: int,
    fixed: tuple[tuple[str, float], ...] = (),
) -> dict:
    """``calc_core.sampling.sample_function`` of the expression as typed, as ``SampledCurve.to_dict()``.

    The typed form is sampled, not the evaluated one: ``x/x`` has a gap at 0 that evaluation (to 1) would
    hide. ``fixed`` holds the values of the other variables, e.g. ``(("y", 1.0),)`` for a slice of f(x, y).

    >>> sample("1/x", ("x",), "x", -1, 1, 3)["y"]
    [-1.0, None, 1.0]
    """
    from calc_core.sampling import sample_function

    typed = parse_expression(text, variables)
    _variable(typed, variables, var)
    return sample_function(typed, var, x_min, x_max, n, variables=dict(fixed)).to_dict()


# --- The limits page: the derivative as a limit --------------------------------------------------------

# D2L's loop run on: h = 0.1, 0.01, … (each the previous times 0.1), as many rows as the page offers.
LIMIT_TABLE_ROWS = 16
# The secant picture shows the curve on [x0 − SECANT_WINDOW, x0 + SECANT_WINDOW].
SECANT_WINDOW = 2.0
SECANT_CURVE_POINTS = 401


def derivative_limit(text: str, variables: tuple[str, ...], var: str, x0: float) -> dict:
    """``calc_core.limits.exact_derivative_limit``: the one-sided limits of the difference quotient by SymPy.

    >>> result = derivative_limit("abs(x)", ("x",), "x", 0.0)
    >>> result["verdict"], result["left"]["value"], result["right"]["value"]
    ('one_sided_differ', -1.0, 1.0)
    >>> derivative_limit("3x^2 - 4x", ("x",), "x", 1.0)["derivative"]["latex"]
    '2'
    """
    from calc_core.limits import exact_derivative_limit

    typed = parse_expression(text, variables)
    return exact_derivative_limit(typed, _variable(typed, variables, var), _finite(x0))


def limit_tables(
    text: str, variables: tuple[str, ...], var: str, x0: float, exact: float | None = None
) -> dict:
    """Every number the limits page shows for f at x0, computed in float64 exactly as the formulas say.

    - ``d2l``: D2L's loop (``h`` and ``value`` lists, LIMIT_TABLE_ROWS rows from h = 0.1);
    - ``errors``: with ``exact`` = f'(x0), the forward, backward and central quotients and their errors for
      h = 10^-1 … 10^-16 (``calc_core.limits.error_table``), else None;
    - ``one_sided``: left and right quotients for h = 10^-1 … 10^-8 and the numerical verdict;
    - ``secant``: f at x0 and at x0 ± h for the secant slider's steps (the browser selects among them);
    - ``curve``: f sampled on [x0 − 2, x0 + 2] (``SampledCurve.to_dict()``).

    NaN marks a value that is undefined (not a real number). Lists only, so the result is plain data.

    >>> tables = limit_tables("3x^2 - 4x", ("x",), "x", 1.0, 2.0)
    >>> [f"{v:.5f}" for v in tables["d2l"]["value"][:2]], tables["one_sided"]["verdict"]
    (['2.30000', '2.03000'], 'differentiable')
    """
    from calc_core.limits import d2l_limit_table, error_table, one_sided_table, secant_steps
    from calc_core.numeric import compile_numeric
    from calc_core.sampling import sample_function

    typed = parse_expression(text, variables)
    symbol = _variable(typed, variables, var)
    x0 = _finite(x0)
    f = compile_numeric(typed, [symbol])
    rows = d2l_limit_table(f, x0, 0.1, LIMIT_TABLE_ROWS)
    one_sided = one_sided_table(f, x0)
    steps = secant_steps()
    points = np.concatenate([[x0], x0 + steps, x0 - steps])
    f_x0 = float(f(np.array([x0]))[0])
    errors = None
    if exact is not None and math.isfinite(exact) and math.isfinite(f_x0):
        table = error_table(f, x0, float(exact))
        errors = {
            "x0": table.x0,
            "exact": table.exact,
            "f_x0": table.f_x0,
            "h": table.h.tolist(),
            "estimate": {scheme: values.tolist() for scheme, values in table.estimate.items()},
            "error": {scheme: values.tolist() for scheme, values in table.error.items()},
            "second": table.second,
            "third": table.third,
        }
    return {
        "x0": x0,
        "f_x0": f_x0,
        "d2l": {"h": [row.h for row in rows], "value": [row.value for row in rows]},
        "errors": errors,
        "one_sided": {
            "x0": one_sided.x0,
            "h": one_sided.h.tolist(),
            "left": one_sided.left.tolist(),
            "right": one_sided.right.tolist(),
            "f_x0": one_sided.f_x0,
            "verdict": one_sided.verdict(),
        },
        "secant": {"h": steps.tolist(), "x": points.tolist(), "y": f(points).tolist()},
        "curve": sample_function(
            typed, symbol, x0 - SECANT_WINDOW, x0 + SECANT_WINDOW, SECANT_CURVE_POINTS
        ).to_dict(),
    }


def _finite(value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ExpressionError("bad_number", token=str(value))
    return value


def steps(text: str, variables: tuple[str, ...], var: str) -> dict:
    """The derivation of d/d(var) of the expression as typed, step by step, as ``Step.to_dict()``.

    >>> steps("x^2 + x", ("x",), "x")["result_latex"]
    '2 x + 1'
    """
    from calc_core.steps import derivative_steps

    typed = parse_expression(text, variables)
    _variable(typed, variables, var)
    return derivative_steps(typed, var, simplify_budget=STEP_SIMPLIFY_BUDGET).to_dict()


# --- The rules page: the tangent line, drawn in the browser ---------------------------------------------

# The browser moves the tangent along a grid: at most this many points (each row crosses to the browser).
TANGENT_MAX_POINTS = 2001
# Grid values are rounded to this many decimals, so that they are the numbers a browser's range slider
# produces (it steps in decimal arithmetic: min + k·step): the chart selects a row by equality.
GRID_DECIMALS = 9
# The one-sided check of a derivative formula at a grid point: step (relative to max(1, |x|)) and tolerance
# (relative to max(1, |f'|)), plus an allowance for round-off in f(x ± h) − f(x).
_CHECK_STEP = 1e-6
_CHECK_TOLERANCE = 1e-2
_ROUNDOFF_ALLOWANCE = 100 * float(np.finfo(np.float64).eps)


def tangent_data(
    text: str,
    variables: tuple[str, ...],
    var: str,
    x_min: float,
    x_max: float,
    n: int,
    x0: float,
    second: bool = False,
) -> dict:
    """f, f' (and with ``second``, f'') on ``n`` grid points of [x_min, x_max], for the browser's tangent.

    The derivative is SymPy's ``diff`` of the evaluated expression with ``var`` taken as real (so that
    |x|' is sign(x)); f is sampled as typed (``x/x`` keeps its gap). A derivative value is kept only where
    f is defined and both one-sided difference quotients of f agree with it: SymPy's sign(0) = 0 would
    otherwise draw a flat tangent on the corner of |x|. Where it is not kept, it is a gap (None).

    Returns ``{"x": grid (rounded to GRID_DECIMALS), "f", "df", "d2f": each SampledCurve.to_dict() without
    its x (d2f None unless asked, or if f'' cannot be evaluated), "point": f, f', and the numerical verdict
    at x0 (``calc_core.limits.one_sided_table``)}``.

    >>> data = tangent_data("3x^2 - 4x", ("x",), "x", -1, 3, 5, 1.0)
    >>> data["x"], data["f"]["y"], data["df"]["y"]
    ([-1.0, 0.0, 1.0, 2.0, 3.0], [7.0, 0.0, -1.0, 4.0, 15.0], [-10.0, -4.0, 2.0, 8.0, 14.0])
    >>> data["point"]
    {'x0': 1.0, 'f_x0': -1.0, 'slope': 2.0, 'verdict': 'differentiable'}
    >>> tangent_data("abs(x)", ("x",), "x", -1, 1, 3, 0.0)["df"]["y"]
    [-1.0, None, 1.0]
    """
    from calc_core.limits import one_sided_table
    from calc_core.numeric import compile_numeric
    from calc_core.sampling import sample_function

    typed = parse_expression(text, variables)
    symbol = _variable(typed, variables, var)
    if not (isinstance(n, int) and 2 <= n <= TANGENT_MAX_POINTS):
        raise ExpressionError("bad_range", low=x_min, high=x_max, points=n)
    x0 = _finite(x0)
    f_curve = sample_function(typed, symbol, x_min, x_max, n)
    xs = f_curve.x
    f = compile_numeric(typed, [symbol])
    real = sympy.Symbol(symbol.name, real=True)
    first = sympy.diff(evaluated(typed).xreplace({symbol: real}), real)
    df = _checked_derivative(first, real, f, xs)
    d2f = None
    if second:
        # f'' of |x| is 2·DiracDelta(x): zero wherever f' is differentiable, and the check removes x = 0.
        second_formula = sympy.diff(first, real).replace(sympy.DiracDelta, lambda *args: sympy.S.Zero)
        try:
            d2f = _checked_derivative(second_formula, real, compile_numeric(first, [real]), xs)
        except ValueError:  # a function the numeric evaluator does not know
            d2f = None
    table = one_sided_table(f, x0)
    verdict = table.verdict()
    slope = _checked_derivative(first, real, f, np.array([x0]), with_curve=False)
    return {
        "x": np.round(xs, GRID_DECIMALS).tolist(),
        "f": _without_x(f_curve.to_dict()),
        "df": None if df is None else _without_x(df.to_dict()),
        "d2f": None if d2f is None else _without_x(d2f.to_dict()),
        "point": {
            "x0": x0,
            "f_x0": _number_or_none(table.f_x0),
            "slope": _number_or_none(slope[0]) if verdict == "differentiable" else None,
            "verdict": verdict,
        },
    }


def _checked_derivative(formula, symbol, f, xs: np.ndarray, with_curve: bool = True):
    """``formula`` (the derivative of ``f``) at ``xs``, NaN where f's one-sided quotients disagree with it.

    Returns a SampledCurve (gaps and pieces as ``calc_core.sampling`` makes them), or with
    ``with_curve=False`` the bare values. Raises ValueError if the formula has a function the numeric
    evaluator does not know.
    """
    from calc_core.numeric import compile_numeric
    from calc_core.sampling import SampledCurve, robust_limits
    from calc_core.sampling import _segments as segments

    derivative = compile_numeric(formula, [symbol])
    with np.errstate(all="ignore"):
        values = derivative(xs)
        h = _CHECK_STEP * np.maximum(1.0, np.abs(xs))
        f0 = f(xs)
        left = (f0 - f(xs - h)) / h
        right = (f(xs + h) - f0) / h
        allowed = _CHECK_TOLERANCE * np.maximum(1.0, np.abs(values)) + _ROUNDOFF_ALLOWANCE * np.abs(f0) / h
        agree = (np.abs(left - values) <= allowed) & (np.abs(right - values) <= allowed)
    values = np.where(np.isfinite(values) & np.isfinite(f0) & agree, values, np.nan)
    if not with_curve:
        return values
    limits = robust_limits(values)
    return SampledCurve(x=xs, y=values, segment=segments(values, limits), y_limits=limits)


def _without_x(curve: dict) -> dict:
    return {key: value for key, value in curve.items() if key != "x"}


def _number_or_none(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def tangent_line(text: str, variables: tuple[str, ...], var: str, x0: float) -> dict:
    """The tangent at x0, exactly: ``derivative_limit``'s verdict and one-sided limits, and y = kx + b.

    Adds to :func:`derivative_limit`'s result ``slope`` (k = f'(x0)), ``intercept`` (b = f(x0) − k·x0), each
    ``{"latex", "value"}``, and ``line_latex`` (the right-hand side of y = kx + b), all None unless the
    verdict is ``differentiable``. k is SymPy's f'(x) at x0 when that equals the limit, else the limit's
    float value.

    >>> line = tangent_line("3x^2 - 4x", ("x",), "x", 1.0)
    >>> line["verdict"], line["f_x0"]["latex"], line["slope"]["latex"], line["intercept"]["latex"]
    ('differentiable', '-1', '2', '-3')
    >>> line["line_latex"]
    '2 x - 3'
    >>> tangent_line("abs(x)", ("x",), "x", 0.0)["line_latex"] is None
    True
    """
    from calc_core.limits import _exact_point, _real_roots, exact_derivative_limit

    typed = parse_expression(text, variables)
    symbol = _variable(typed, variables, var)
    result = exact_derivative_limit(typed, symbol, _finite(x0))
    result.update(slope=None, intercept=None, line_latex=None)
    if result["verdict"] != "differentiable":
        return result
    point = _exact_point(_finite(x0))
    real = sympy.Symbol(symbol.name, real=True)
    f = _real_roots(evaluated(typed)).xreplace({symbol: real})
    f_x0 = _tidy(f.subs(real, point))
    limit_value = result["derivative"]["value"]
    k = _tidy(sympy.diff(f, real).subs(real, point))
    exact = (
        k.is_extended_real
        and k.is_finite
        and math.isclose(float(k), limit_value, rel_tol=1e-9, abs_tol=1e-12)
    )
    if not exact:
        k = sympy.Float(limit_value, _FLOAT_DIGITS)
    b = printable(_tidy(f_x0 - k * point))
    k = printable(k)
    result["slope"] = {"latex": sympy.latex(k), "value": float(k)}
    result["intercept"] = {"latex": sympy.latex(b), "value": float(b)}
    result["line_latex"] = line_latex(k, b, sympy.Symbol(symbol.name))
    return result


def _tidy(value: sympy.Expr) -> sympy.Expr:
    """``value`` as it is when SymPy already made it a number, else simplified (which costs tens of ms)."""
    return value if value.is_Number else sympy.simplify(value)


def line_latex(k: sympy.Expr, b: sympy.Expr, symbol: sympy.Symbol) -> str:
    r"""The right-hand side of y = kx + b in LaTeX, written as a person would: ``2 x - 3``, ``- x``, ``4``.

    >>> x = sympy.Symbol("x")
    >>> line_latex(sympy.Integer(2), sympy.Integer(-3), x), line_latex(sympy.Integer(-1), sympy.S.Zero, x)
    ('2 x - 3', '- x')
    >>> print(line_latex(sympy.S.Zero, sympy.Rational(1, 2), x))
    \frac{1}{2}
    >>> print(line_latex(sympy.cos(1), sympy.sin(1) - sympy.cos(1), x))
    \cos{\left(1 \right)} x - \cos{\left(1 \right)} + \sin{\left(1 \right)}
    """
    variable = sympy.latex(symbol)
    if k == 0:
        slope_term = ""
    elif k == 1:
        slope_term = variable
    elif k == -1:
        slope_term = f"- {variable}"
    else:
        tex = sympy.latex(k)
        slope_term = f"\\left({tex}\\right) {variable}" if k.is_Add else f"{tex} {variable}"
    if b == 0:
        return slope_term or "0"
    if not slope_term:
        return sympy.latex(b)
    if b.could_extract_minus_sign() and not b.is_Add:
        return f"{slope_term} - {sympy.latex(-b)}"
    tex = sympy.latex(b)
    return f"{slope_term} {tex}" if tex.startswith("-") else f"{slope_term} + {tex}"


# --- The partials and gradient pages: functions of several variables (calc_core.multivariate) ------------


def partials(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], with_steps: bool = True
) -> dict:
    """Each partial derivative's steps, LaTeX, value at the point and difference quotients.

    See ``calc_core.multivariate.partials_task``.

    >>> [p["latex"] for p in partials("3*x1^2 + 5*exp(x2)", ("x1", "x2"), (1.0, 2.0), False)["partials"]]
    ['6 x_{1}', '5 e^{x_{2}}']
    """
    from calc_core.multivariate import partials_task

    return partials_task(text, tuple(variables), tuple(point), with_steps)


def gradient_field(text: str, variables: tuple[str, ...], window: tuple[float, ...], n: int) -> dict:
    """f and both partial derivatives on an n × n grid (``calc_core.multivariate.gradient_field_task``)."""
    from calc_core.multivariate import gradient_field_task

    return gradient_field_task(text, tuple(variables), tuple(window), n)


def descent_path(
    text: str, variables: tuple[str, ...], start: tuple[float, ...], learning_rate: float, steps: int
) -> dict:
    """Gradient descent from ``start`` (``calc_core.multivariate.descent_path_task``)."""
    from calc_core.multivariate import descent_path_task

    return descent_path_task(text, tuple(variables), tuple(start), learning_rate, steps)


# --- The chain rule page: compositions, the many-variable rule, computational graphs ------------------

CHAIN_LEVELS = (2, 3)


def chain_split(text: str, levels: int) -> dict:
    """A composite of x split into its functions, outermost first, as parser text (``parts``; None if it
    is not a composition). See ``calc_core.chain.split_composition``.

    >>> chain_split("sin(x^2) + 1", 2)
    {'parts': ['sin(u) + 1', 'x^2']}
    >>> chain_split("x*sin(x)", 2)
    {'parts': None}
    """
    from calc_core.chain import split_composition
    from calc_core.parser import format_expression

    if levels not in CHAIN_LEVELS:
        raise ValueError(f"levels must be one of {CHAIN_LEVELS}")
    parts = split_composition(parse_expression(text, ("x",)), "x", levels)
    return {"parts": None if parts is None else [format_expression(part) for part in parts]}


def chain_one(stages: tuple[tuple[str, str], ...], x0: float) -> dict:
    """``calc_core.chain.one_variable_chain`` for two or three functions, outermost first.

    Each stage is (text, the variable it is written in): its own variable (u, v; x for the innermost), or
    x, which is then read as its own variable (f(x) = sin(x) as the outer function means f(u) = sin(u)).

    >>> result = chain_one((("sin(x)", "x"), ("x^2", "x")), 1.0)
    >>> print(result["functions"][0]["latex"], round(result["product"], 6))
    \\sin{\\left(u \\right)} 1.080605
    """
    from calc_core.chain import INPUT, one_variable_chain, rename, stage_names

    if len(stages) not in CHAIN_LEVELS:
        raise ValueError(f"a composition has {CHAIN_LEVELS} functions")
    _, arguments = stage_names(len(stages))
    functions = []
    for (text, written_in), argument in zip(stages, arguments, strict=True):
        if written_in not in (argument, INPUT):
            raise ValueError(f"{written_in!r} is not a variable of this function")
        functions.append(rename(parse_expression(text, (written_in,)), written_in, argument))
    return one_variable_chain(functions, _finite(x0))


def chain_many(
    outer_text: str,
    outer_variables: tuple[str, ...],
    inner_texts: tuple[str, ...],
    inner_variables: tuple[str, ...],
    point: tuple[float, ...],
) -> dict:
    """``calc_core.chain.many_variable_chain``: y(u₁, …, u_m), uⱼ(x₁, …, xₙ), at a point of the x's.

    >>> chain_many("u1^2 + u2^2", ("u1", "u2"), ("x1*x2", "x1 + x2"), ("x1", "x2"), (1.0, 2.0))["sums"]
    [14.0, 10.0]
    """
    from calc_core.chain import many_variable_chain

    if len(inner_texts) != len(outer_variables) or len(point) != len(inner_variables):
        raise ValueError("one inner function per outer variable, one value per inner variable")
    outer = parse_expression(outer_text, outer_variables)
    inners = [parse_expression(text, inner_variables) for text in inner_texts]
    return many_variable_chain(outer, outer_variables, inners, inner_variables, [_finite(v) for v in point])


def computational_graph(text: str, variables: tuple[str, ...], point: tuple[tuple[str, float], ...]) -> dict:
    """``calc_core.graph.graph_report`` without SymPy: the graph as typed, both passes, the paths.

    Float arithmetic over the tree only, so even an expression SymPy would take minutes over gets its graph;
    SymPy's check is :func:`graph_partials`, a task of its own.

    >>> report = computational_graph("x*y + sin(x)", ("x", "y"), (("x", 0.0), ("y", 2.0)))
    >>> [(p["variable"], p["adjoint"], p["path_count"]) for p in report["partials"]]
    [('x', 3.0, 2), ('y', 0.0, 1)]
    """
    from calc_core.graph import graph_report

    at = {name: _finite(value) for name, value in point}
    return graph_report(parse_expression(text, variables), variables, at, symbolic=False)


def graph_partials(text: str, variables: tuple[str, ...], point: tuple[tuple[str, float], ...]) -> list:
    """SymPy's ∂f/∂v for every variable the expression uses, and its value at the point
    (``calc_core.graph.symbolic_partials``), to check the backward pass against.

    >>> graph_partials("x*y + sin(x)", ("x", "y", "z"), (("x", 0.0), ("y", 2.0)))[0]["value"]
    3.0
    """
    from calc_core.graph import symbolic_partials

    typed = parse_expression(text, variables)
    used = tuple(name for name in variables if sympy.Symbol(name) in typed.free_symbols)
    at = {name: _finite(value) for name, value in point}
    return symbolic_partials(typed, used, at)


# --- The exercises page: answer checking and practice problems ----------------------------------------


def check_answer(
    answer_text: str,
    expected_text: str,
    variables: tuple[str, ...],
    domain_text: str | None = None,
    solve_for: str | None = None,
    seed: int = 0,
) -> dict:
    """``calc_core.answers.check_answer``: the verdict on a student's answer, as plain data.

    >>> check_answer("y = 4(x - 1)", "4x - 4", ("x",), None, "y")["verdict"]
    'right'
    """
    from calc_core.answers import check_answer as verdict_of

    return verdict_of(answer_text, expected_text, tuple(variables), domain_text, solve_for, int(seed))


def practice_set(seed: int, rule: str, level: int, count: int) -> list[dict]:
    """``calc_core.practice.practice_set``: generated problems with their derivatives and LaTeX.

    >>> practice_set(7, "power", 1, 1)[0]["derivative_latex"]
    '24 x^{3} + 3'
    """
    from calc_core.practice import practice_set as problems_of

    return problems_of(int(seed), str(rule), int(level), int(count))


TASKS = {
    "steps": steps,
    "describe": describe,
    "evaluate": evaluate,
    "diff": differentiate,
    "simplify": simplify,
    "sample": sample,
    "derivative_limit": derivative_limit,
    "limit_tables": limit_tables,
    "tangent_data": tangent_data,
    "tangent_line": tangent_line,
    "partials": partials,
    "gradient_field": gradient_field,
    "descent_path": descent_path,
    "chain_split": chain_split,
    "chain_one": chain_one,
    "chain_many": chain_many,
    "computational_graph": computational_graph,
    "graph_partials": graph_partials,
    "check_answer": check_answer,
    "practice_set": practice_set,
}


def warm_up() -> None:
    """Import what the tasks import lazily and run each once, so the worker pays for that before it is ready.

    SymPy's first latex, diff and simplify take most of a second: better at start-up than in a reader's
    first request. The worker calls this before its memory limit applies.

    >>> warm_up()
    """
    describe("x^2 + 1/x", ("x",))
    differentiate("sin(x)*x", ("x",), "x")
    simplify("x/x", ("x",))
    sample("x", ("x",), "x", 0, 1, 3)


def printable(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with every number of more than MAX_EXACT_DIGITS digits replaced by a rounded float.

    >>> printable(sympy.Integer(7) ** 2000 * sympy.Symbol("x"))
    2.95294122154213e+1690*x
    >>> printable(sympy.Rational(1, 3) + sympy.Symbol("x"))
    x + 1/3
    """
    huge = {
        number: number.evalf(_FLOAT_DIGITS)
        for number in expr.atoms(sympy.Rational)
        if _digits(number.p) > MAX_EXACT_DIGITS or _digits(number.q) > MAX_EXACT_DIGITS
    }
    return expr.xreplace(huge) if huge else expr


def _digits(integer: int) -> int:
    """An upper bound of the number of decimal digits, without converting the integer to text."""
    return math.ceil(abs(integer).bit_length() * math.log10(2)) + 1


def _variable(typed: sympy.Basic, variables: tuple[str, ...], name: str) -> sympy.Symbol:
    if name not in variables:
        raise ExpressionError("unknown_name", name=name)
    return next((s for s in typed.free_symbols if s.name == name), sympy.Symbol(name))

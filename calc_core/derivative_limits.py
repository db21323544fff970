"""The limits page's questions about a student's function: SymPy's exact one-sided limits, and the tables.

- :func:`exact_derivative_limit`: the one-sided limits of (f(x0 + h) − f(x0))/h as h → 0± by
  ``sympy.limit``, and the verdict (``calc_core.limits.VERDICTS``), as plain data.
- The worker tasks (``calc_core.tasks`` registers them, ``calc_core.service`` calls them by these names):
  :func:`derivative_limit` and :func:`limit_tables` (every float64 number the page shows, computed by
  :mod:`calc_core.limits`).

>>> derivative_limit("abs(x)", ("x",), "x", 0.0)["verdict"]
'one_sided_differ'
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from calc_core.limits import d2l_limit_table, error_table, one_sided_table, secant_steps
from calc_core.numeric import compile_numeric
from calc_core.parser import evaluated, parse_expression
from calc_core.results import DerivativeLimit, LimitSide, LimitTables
from calc_core.sampling import sample_function
from calc_core.task_arguments import finite, variable_of

# D2L's loop run on: h = 0.1, 0.01, … (each the previous times 0.1), as many rows as the page offers.
LIMIT_TABLE_ROWS = 16
# The secant picture shows the curve on [x0 − SECANT_WINDOW, x0 + SECANT_WINDOW].
SECANT_WINDOW = 2.0
SECANT_CURVE_POINTS = 401


def exact_derivative_limit(expr, var, x0) -> DerivativeLimit:
    """The one-sided limits of (f(x0+h) − f(x0))/h as h → 0± by ``sympy.limit``, as plain data.

    Run it only in the sandboxed worker: SymPy may take unbounded time on hostile input. ``expr`` may be the
    parser's unevaluated tree; ``var`` a Symbol or its name; ``x0`` a number (a float is read as the decimal
    it prints as, 0.1 as 1/10) or a SymPy number such as pi. Returns::

        {"x0": latex, "f_x0": {"latex", "value"} or None, "verdict": one of VERDICTS,
         "left": side, "right": side, "derivative": side or None}

    where a side is ``{"latex": str, "value": float | None, "kind": "finite" | "+oo" | "-oo" | "no_limit" |
    "undefined" | "unknown"}`` and ``derivative`` is the common value when the verdict is ``differentiable``.
    Odd roots of negative numbers are real (cbrt(-8) = -2), as everywhere else in the app; a side where f
    is not real (sqrt(x) left of 0) is ``undefined``.

    >>> x = sympy.Symbol("x")
    >>> result = exact_derivative_limit(3 * x**2 - 4 * x, x, 1)
    >>> result["verdict"], result["derivative"]["value"], result["right"]["latex"]
    ('differentiable', 2.0, '2')
    >>> result = exact_derivative_limit(sympy.Abs(x), "x", 0)
    >>> result["verdict"], result["left"]["value"], result["right"]["value"]
    ('one_sided_differ', -1.0, 1.0)
    """
    symbol = _symbol_in(expr, var)
    if not isinstance(expr, sympy.Basic):
        raise TypeError("expr must be a SymPy expression (from calc_core.parser.parse_expression)")
    f = real_roots(evaluated(expr))
    point = exact_point(x0)
    result = {"x0": sympy.latex(point), "f_x0": None, "verdict": "undefined"}
    f_x0 = sympy.simplify(f.subs(symbol, point))
    if not (f_x0.is_extended_real and f_x0.is_finite):
        result.update(left=None, right=None, derivative=None)
        return result
    result["f_x0"] = {"latex": sympy.latex(f_x0), "value": float(f_x0)}
    smooth = _derivative_where_analytic(f, symbol, point)
    if smooth is not None:
        result.update(left=smooth, right=smooth, derivative=smooth, verdict="differentiable")
        return result
    h = sympy.Dummy("h", real=True)
    quotient = (f.subs(symbol, point + h) - f_x0) / h
    left_value = sympy.limit(quotient, h, 0, dir="-")
    right_value = sympy.limit(quotient, h, 0, dir="+")
    left, right = _limit_side(left_value), _limit_side(right_value)
    result.update(left=left, right=right, derivative=None)
    result["verdict"] = _exact_verdict(left, right, left_value, right_value)
    if result["verdict"] == "differentiable":
        result["derivative"] = right
    return result


# Functions that are real-analytic wherever they are real and finite, with the arguments they need there.
_ANALYTIC_FUNCTIONS = {
    "exp": "any",
    "sin": "any",
    "cos": "any",
    "sinh": "any",
    "cosh": "any",
    "tanh": "any",
    "sech": "any",
    "atan": "any",
    "asinh": "any",
    "tan": "any",  # finite values away from the poles: the check of each node's value
    "cot": "any",
    "sec": "any",
    "csc": "any",
    "coth": "any",
    "csch": "any",
    "log": "positive",
}
_NODE_DIGITS = 30
_ZERO_BELOW = 1e-20  # a node's value this close to 0 is treated as 0: no fast path, SymPy's limit decides


def _derivative_where_analytic(f, symbol, point) -> LimitSide | None:
    """f'(x0) as a side of :func:`exact_derivative_limit`, when f is real-analytic near x0; else None.

    Both one-sided limits of the difference quotient equal f'(x0) there, and ``sympy.limit`` (two series
    expansions, hundreds of milliseconds) is not needed. Analytic near x0 means: f is built from numbers,
    x, +, ·, powers and the functions of ``_ANALYTIC_FUNCTIONS`` only, every part of it is real and finite
    at x0, every log's argument is positive there, and so is the base of every power whose exponent is not
    an integer. Anything else (abs, floor, acot's jump, a root at 0, a value SymPy cannot place) goes to
    ``sympy.limit``, as does a derivative SymPy does not find real and finite.

    >>> x = sympy.Symbol("x")
    >>> _derivative_where_analytic(sympy.sin(x) + x**2, x, sympy.Integer(0))
    {'latex': '1', 'value': 1.0, 'kind': 'finite'}
    >>> _derivative_where_analytic(sympy.sqrt(x), x, sympy.Integer(0)) is None
    True
    """
    for node in sympy.preorder_traversal(f):
        if not _analytic_at(node, symbol, point):
            return None
    side = _limit_side(sympy.diff(f, symbol).subs(symbol, point))
    return side if side["kind"] == "finite" else None


def _analytic_at(node, symbol, point) -> bool:
    if node.is_Atom:
        return node.is_Number or node == symbol or node in (sympy.pi, sympy.E)
    if isinstance(node, (sympy.Add, sympy.Mul)):
        return _real_value(node, symbol, point) is not None
    if isinstance(node, sympy.Pow):
        value = _real_value(node, symbol, point)
        if value is None:
            return False
        if node.exp.is_Integer:
            return True
        base = _real_value(node.base, symbol, point)
        return base is not None and base > _ZERO_BELOW
    needs = _ANALYTIC_FUNCTIONS.get(type(node).__name__)
    if needs is None or len(node.args) != 1 or _real_value(node, symbol, point) is None:
        return False
    if needs == "positive":
        argument = _real_value(node.args[0], symbol, point)
        return argument is not None and argument > _ZERO_BELOW
    return True


def _real_value(node, symbol, point) -> float | None:
    """The node's value at x0 as a float if it is real and finite (and not a hair from 0), else None."""

    value = node.evalf(_NODE_DIGITS, subs={symbol: point})
    if not (value.is_Number and value.is_real and value.is_finite):
        return None
    number = float(value)
    if not math.isfinite(number) or (number != 0 and abs(number) < _ZERO_BELOW):
        return None
    return number


def real_roots(f):
    """Odd roots of negative numbers as real numbers, as ``compile_numeric`` computes them.

    SymPy's x**(1/3) is the principal (complex) root for x < 0; b**(p/q) with q odd becomes
    sign(b)**p * |b|**(p/q), which is the real root and equal to the original for b >= 0.
    """

    def odd_root(e):
        return e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer and e.exp.q % 2 == 1

    def real_root(e):
        base, exponent = e.base, e.exp
        if base.is_nonnegative:
            return e
        return sympy.sign(base) ** exponent.p * sympy.Abs(base) ** exponent

    return f.replace(odd_root, real_root)


def _symbol_in(expr, var):
    name = str(var)
    for symbol in getattr(expr, "free_symbols", ()):
        if symbol.name == name:
            return symbol
    return var if isinstance(var, sympy.Symbol) else sympy.Symbol(name)


def exact_point(x0):
    if isinstance(x0, sympy.Basic):
        return x0
    if isinstance(x0, float):
        if not math.isfinite(x0):
            raise ValueError(f"x0 must be finite, got {x0}")
        return sympy.Rational(repr(x0))
    return sympy.Integer(x0) if isinstance(x0, int) else sympy.Rational(str(x0))


def _limit_side(value) -> LimitSide:
    if isinstance(value, sympy.Limit) or value.has(sympy.Limit) or value is sympy.zoo or value is sympy.nan:
        kind = "unknown"
    elif value is sympy.oo:
        kind = "+oo"
    elif value is sympy.S.NegativeInfinity:
        kind = "-oo"
    elif isinstance(value, sympy.AccumBounds) or value.has(sympy.AccumBounds):
        kind = "no_limit"
    elif value.is_extended_real and value.is_finite:
        kind = "finite"
    elif value.is_extended_real is False:
        kind = "undefined"  # complex: f is not real on that side of x0 (sqrt(x) left of 0)
    else:
        kind = "unknown"  # zoo, nan, complex: SymPy gave no real answer
    number = float(value) if kind == "finite" else None
    return {"latex": sympy.latex(value), "value": number, "kind": kind}


def _exact_verdict(left: dict, right: dict, left_value, right_value) -> str:
    kinds = {left["kind"], right["kind"]}
    if "undefined" in kinds:
        return "undefined"
    if "unknown" in kinds:
        return "unknown"
    if "no_limit" in kinds:
        return "no_limit"
    if kinds != {"finite"}:
        return "infinite"
    return "differentiable" if sympy.simplify(left_value - right_value) == 0 else "one_sided_differ"


# --- the worker tasks ------------------------------------------------------------------------------------


def derivative_limit(text: str, variables: tuple[str, ...], var: str, x0: float) -> DerivativeLimit:
    """:func:`exact_derivative_limit` of the student's text: the one-sided limits of the difference quotient.

    >>> result = derivative_limit("abs(x)", ("x",), "x", 0.0)
    >>> result["verdict"], result["left"]["value"], result["right"]["value"]
    ('one_sided_differ', -1.0, 1.0)
    >>> derivative_limit("3x^2 - 4x", ("x",), "x", 1.0)["derivative"]["latex"]
    '2'
    """
    typed = parse_expression(text, variables)
    return exact_derivative_limit(typed, variable_of(typed, variables, var), finite(x0))


def limit_tables(
    text: str, variables: tuple[str, ...], var: str, x0: float, exact: float | None = None
) -> LimitTables:
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
    typed = parse_expression(text, variables)
    symbol = variable_of(typed, variables, var)
    x0 = finite(x0)
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

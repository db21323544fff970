"""The rules page's maths: the tangent line, drawn in the browser and stated exactly.

- :func:`tangent_data`: f, f' (and f'') on a grid, for the tangent the browser moves along the curve;
- :func:`tangent_line`: the exact tangent y = kx + b at x0 and the verdict on differentiability;
- :func:`line_latex`: y = kx + b written as a person would.

The first two are worker tasks (``calc_core.tasks`` registers them, ``calc_core.service`` calls them by
these names): they take the student's text and return plain data.

>>> tangent_line("x^2", ("x",), "x", 1.0)["line_latex"]
'2 x - 1'
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from calc_core.derivative_limits import exact_derivative_limit, exact_point, real_roots
from calc_core.errors import ExpressionError
from calc_core.limits import one_sided_table
from calc_core.numeric import compile_numeric
from calc_core.parser import evaluated, parse_expression
from calc_core.printing import FLOAT_DIGITS, printable
from calc_core.results import CurveData, CurveValues, TangentData, TangentLine
from calc_core.sampling import curve_of_values, sample_function
from calc_core.task_arguments import finite, number_or_none, variable_of

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
) -> TangentData:
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
    typed = parse_expression(text, variables)
    symbol = variable_of(typed, variables, var)
    if not (isinstance(n, int) and 2 <= n <= TANGENT_MAX_POINTS):
        raise ExpressionError("bad_range", low=x_min, high=x_max, points=n)
    x0 = finite(x0)
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
            "f_x0": number_or_none(table.f_x0),
            "slope": number_or_none(slope[0]) if verdict == "differentiable" else None,
            "verdict": verdict,
        },
    }


def _checked_derivative(formula, symbol, f, xs: np.ndarray, with_curve: bool = True):
    """``formula`` (the derivative of ``f``) at ``xs``, NaN where f's one-sided quotients disagree with it.

    Returns a SampledCurve (gaps and pieces as ``calc_core.sampling`` makes them), or with
    ``with_curve=False`` the bare values. Raises ValueError if the formula has a function the numeric
    evaluator does not know.
    """
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
    return curve_of_values(xs, values)


def _without_x(curve: CurveData) -> CurveValues:
    return {key: value for key, value in curve.items() if key != "x"}


def tangent_line(text: str, variables: tuple[str, ...], var: str, x0: float) -> TangentLine:
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
    typed = parse_expression(text, variables)
    symbol = variable_of(typed, variables, var)
    result = exact_derivative_limit(typed, symbol, finite(x0))
    result.update(slope=None, intercept=None, line_latex=None)
    if result["verdict"] != "differentiable":
        return result
    point = exact_point(finite(x0))
    real = sympy.Symbol(symbol.name, real=True)
    f = real_roots(evaluated(typed)).xreplace({symbol: real})
    f_x0 = _tidy(f.subs(real, point))
    limit_value = result["derivative"]["value"]
    k = _tidy(sympy.diff(f, real).subs(real, point))
    exact = (
        k.is_extended_real
        and k.is_finite
        and math.isclose(float(k), limit_value, rel_tol=1e-9, abs_tol=1e-12)
    )
    if not exact:
        k = sympy.Float(limit_value, FLOAT_DIGITS)
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

"""The size of constant subtrees, computed cheaply: the parser's guard against powers too large to evaluate.

:func:`approximate` gives a float for a constant expression with ``math`` alone (so it cannot hang where
SymPy's own evaluation of ``9^9^9`` would); :func:`check_power_size` refuses, while parsing, a power whose
exponent or number of digits is beyond the limits below.
"""

from __future__ import annotations

import math

import sympy

from calc_core.errors import ExpressionError

MAX_EXPONENT = 1000
MAX_POWER_DIGITS = 1000


def check_power_size(base, exponent, position: int) -> None:
    """Refuse powers whose evaluation would be huge: x^100000, 9^9^9, 10^(10^5).

    >>> check_power_size(sympy.Integer(2), sympy.Integer(10), 0)
    >>> check_power_size(sympy.Integer(9), sympy.Integer(9**9), 3)
    Traceback (most recent call last):
    ...
    calc_core.errors.ExpressionError: power_too_large at 4 (limit=1000)
    """
    if exponent.free_symbols:
        return
    exponent_value = approximate(exponent)
    if exponent_value is None:
        return
    if not math.isfinite(exponent_value) or abs(exponent_value) > MAX_EXPONENT:
        raise ExpressionError("power_too_large", position, limit=MAX_EXPONENT)
    if base.free_symbols:
        return
    base_value = approximate(base)
    if base_value is None or base_value == 0:
        return
    if not math.isfinite(base_value) or abs(exponent_value) * math.log10(abs(base_value)) > MAX_POWER_DIGITS:
        raise ExpressionError("power_too_large", position, limit=MAX_EXPONENT)


_FLOAT_FUNCTIONS = {
    sympy.sin: math.sin,
    sympy.cos: math.cos,
    sympy.tan: math.tan,
    sympy.exp: math.exp,
    sympy.sinh: math.sinh,
    sympy.cosh: math.cosh,
    sympy.tanh: math.tanh,
    sympy.asin: math.asin,
    sympy.acos: math.acos,
    sympy.atan: math.atan,
    sympy.Abs: abs,
}


def approximate(expr) -> float | None:
    """A float for a constant expression, computed without SymPy's evaluation (so it cannot hang).

    Overflow gives ``inf``; a value this cheap evaluator cannot reach gives None.

    >>> from calc_core.parser import parse_expression
    >>> approximate(parse_expression("9^9", ()))
    387420489.0
    >>> approximate(parse_expression("exp(exp(exp(3)))", ()))
    inf
    """
    try:
        return _approximate(expr)
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None


def _approximate(expr) -> float | None:
    if expr.is_Number:
        return float(expr)
    if expr is sympy.pi:
        return math.pi
    if expr is sympy.E:
        return math.e
    values = [_approximate(arg) for arg in expr.args]
    if any(value is None for value in values):
        return None
    if expr.is_Add:
        return math.fsum(values)
    if expr.is_Mul:
        return math.prod(values)
    if expr.is_Pow:
        return _float_power(*values)
    if expr.func in _FLOAT_FUNCTIONS and len(values) == 1:
        return _saturating(_FLOAT_FUNCTIONS[expr.func], values[0])
    if expr.func is sympy.log and len(values) == 1:
        return math.log(values[0]) if values[0] > 0 else None
    return None


def _float_power(base: float, exponent: float) -> float | None:
    if math.isinf(exponent) or math.isinf(base):
        return math.inf
    try:
        result = base**exponent
    except OverflowError:
        return math.inf
    return result if isinstance(result, float | int) else None


def _saturating(function, value: float) -> float:
    if math.isinf(value):
        return math.inf
    try:
        return function(value)
    except OverflowError:
        return math.inf

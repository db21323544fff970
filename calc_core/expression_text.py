"""The expression as parser input: the inverse of the parser, and the cache key of sandboxed work.

:func:`format_expression` writes an unevaluated tree (as :mod:`calc_core.parser` builds it) back as text
the parser reads to the same tree, with as few parentheses as that needs.

>>> from calc_core.parser import parse_expression
>>> format_expression(parse_expression("2(x+1)^2"))
'2*(x + 1)^2'
"""

from __future__ import annotations

import numpy
import sympy


def format_expression(expr) -> str:
    """The expression as parser input, normalised: parsing ``format_expression(e)`` gives ``e`` back.

    Used as the cache key for sandboxed work, so "3x²" and "3*x**2" share one entry.

    >>> from calc_core.parser import parse_expression
    >>> format_expression(parse_expression("３ｘ²−4x"))
    '3*x^2 - 4*x'
    >>> format_expression(parse_expression("√(x+1) / (2 - x)"))
    'sqrt(x + 1)/(2 - x)'
    """
    return _format(expr)


# Where an operand stands decides whether it needs parentheses to parse back to the same tree.
_SUM, _PRODUCT, _POWER = "sum", "product", "power"


def _format(expr) -> str:
    if expr.is_Add:
        return _format_sum(expr.args)
    if _is_negation(expr):
        return "-" + _format_operand(expr.args[1], _PRODUCT)
    if expr.is_Mul:
        return _format_product(expr.args)
    if expr.is_Pow:
        return _format_power(expr)
    if expr.is_Function or isinstance(expr, sympy.log):
        name = "abs" if expr.func is sympy.Abs else expr.func.__name__
        return f"{name}({', '.join(_format(arg) for arg in expr.args)})"
    return _format_atom(expr)


def _format_sum(terms) -> str:
    text = _format(terms[0])
    for term in terms[1:]:
        if _is_negation(term):
            text += " - " + _format_operand(term.args[1], _SUM)
        elif term.is_Number and term < 0:
            text += " - " + _format(-term)
        else:
            text += " + " + _format_operand(term, _SUM)
    return text


def _format_product(factors) -> str:
    text = _format_operand(factors[0], _PRODUCT)
    for factor in factors[1:]:
        if factor.is_Pow and factor.exp == -1:
            text += "/" + _format_operand(factor.base, _POWER)
        else:
            text += "*" + _format_operand(factor, _PRODUCT)
    return text


def _format_power(expr) -> str:
    base, exponent = expr.args
    if exponent == sympy.Rational(1, 2):
        return f"sqrt({_format(base)})"
    if exponent == sympy.Rational(1, 3):
        return f"cbrt({_format(base)})"
    if exponent.is_Pow and exponent.exp == -1:
        return f"root({_format(base)}, {_format(exponent.base)})"
    return f"{_format_operand(base, _POWER)}^{_format_operand(exponent, _POWER)}"


def _format_operand(expr, context: str) -> str:
    text = _format(expr)
    return f"({text})" if _needs_parentheses(expr, context) else text


def _needs_parentheses(expr, context: str) -> bool:
    if expr.is_Add or _is_negation(expr) or (expr.is_Number and expr < 0):
        return True
    if context == _PRODUCT:
        return expr.is_Mul
    if context == _POWER:
        return expr.is_Mul or expr.is_Pow or (expr.is_Rational and not expr.is_Integer)
    return False


def _is_negation(expr) -> bool:
    return expr.is_Mul and len(expr.args) == 2 and expr.args[0] == -1 and not expr.args[1].is_Number


def _format_atom(expr) -> str:
    if expr is sympy.pi:
        return "pi"
    if expr is sympy.E:
        return "e"
    if expr.is_Float:
        value = float(expr)
        if value == 0 or 1e-5 <= abs(value) < 1e16:
            return numpy.format_float_positional(value, unique=True, trim="0")  # "0.5", "300.0"
        return numpy.format_float_scientific(value, unique=True, trim="-").replace("e+", "e")
    if expr.is_Rational and not expr.is_Integer:
        return f"{expr.p}/{expr.q}"
    return str(expr)
